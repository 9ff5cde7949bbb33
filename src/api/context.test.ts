import { describe, expect, it } from 'vitest';
import { actorOf, hasRole, tokenIdOfActor } from './context.ts';

describe('actors and roles', () => {
  it('reads back the token id of an actor it wrote, and nothing from other actors', () => {
    const id = '0b6c8a4e-9d2f-4c1a-8e55-3f1d2a7b9c01';
    expect(actorOf({ tokenId: id })).toBe(`token:${id}`);
    expect(tokenIdOfActor(actorOf({ tokenId: id }))).toBe(id);
    for (const other of ['cli', 'auto', 'detector', 'slack:U123', 'tokens', null]) {
      expect(tokenIdOfActor(other)).toBeUndefined();
    }
  });

  it('ranks viewer < reviewer < admin', () => {
    const as = (role: 'viewer' | 'reviewer' | 'admin') =>
      ({ tokenId: 't', workspaceId: 'w', role, name: 'n' }) as Parameters<typeof hasRole>[0];
    expect(hasRole(as('viewer'), 'viewer')).toBe(true);
    expect(hasRole(as('viewer'), 'reviewer')).toBe(false);
    expect(hasRole(as('reviewer'), 'reviewer')).toBe(true);
    expect(hasRole(as('reviewer'), 'admin')).toBe(false);
    expect(hasRole(as('admin'), 'reviewer')).toBe(true);
  });
});
