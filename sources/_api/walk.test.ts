import { describe, expect, it } from 'vitest';
import { compareKeys, walkStep } from './walk.ts';

const e = (id: string, key: string) => ({ item: { externalId: id, content: id }, key });

describe('walkStep', () => {
  it('walks pages while they hold only new items, then commits the newest key', () => {
    const p1 = walkStep(null, { entries: [e('c', '30'), e('b', '20')], next: 2 }, 5);
    expect(p1).toMatchObject({ more: true, nextCursor: { mark: null, pending: { page: 2, mark: '30' } } });
    const p2 = walkStep(p1.nextCursor, { entries: [e('a', '10')], next: undefined }, 5);
    expect(p2).toMatchObject({ more: false, nextCursor: { mark: '30', atMark: ['c'] } });
    expect(p2.nextCursor?.pending).toBeUndefined();
  });

  it('drops known items, keeps a same-key newcomer, and stops at the first known one', () => {
    const cursor = { mark: '30', atMark: ['c'] };
    const r = walkStep(
      cursor,
      { entries: [e('d', '40'), e('c2', '30'), e('c', '30'), e('b', '20')], next: 2 },
      5,
    );
    expect(r.items.map((i) => i.externalId)).toEqual(['d', 'c2']);
    expect(r.more).toBe(false);
    expect(r.nextCursor).toEqual({ mark: '40', atMark: ['d'] });
  });

  it('stops at maxPages and still commits what it saw', () => {
    const r = walkStep(null, { entries: [e('b', '2')], next: 2 }, 1);
    expect(r).toMatchObject({ more: false, nextCursor: { mark: '2' } });
  });

  it('orders decimal and base-36 ids by length first, timestamps by text', () => {
    expect(compareKeys('99', '100')).toBeLessThan(0);
    expect(compareKeys('48fbm9', '48fbmz')).toBeLessThan(0);
    expect(compareKeys('2026-01-02T00:00:00Z', '2026-01-01T23:00:00Z')).toBeGreaterThan(0);
  });
});
