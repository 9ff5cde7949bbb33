import { describe, expect, it } from 'vitest';
import { formatRetention } from '../cli/commands/retention.ts';
import { addMonths, monthOf, monthOfPartition, partitionName } from './partitions.ts';
import { retentionCutoff } from './retention.ts';

describe('monthly partition names', () => {
  it('names a month by its UTC start and reads the name back', () => {
    // 23:30 on Jan 31 in New York is already February in UTC.
    const at = new Date('2026-01-31T23:30:00-05:00');
    expect(monthOf(at).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(partitionName('mentions', monthOf(at))).toBe('mentions_p2026_02');
    expect(monthOfPartition('mentions', 'mentions_p2026_02')?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(monthOfPartition('mentions', 'mention_watches_p2026_02')).toBeNull();
    expect(monthOfPartition('mentions', 'mentions_p2026_13')).toBeNull();
    expect(monthOfPartition('mentions', 'mentions_default')).toBeNull();
  });

  it('adds months across year ends', () => {
    const nov = new Date(Date.UTC(2026, 10, 1));
    expect(addMonths(nov, 2).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(addMonths(nov, -11).toISOString()).toBe('2025-12-01T00:00:00.000Z');
  });
});

describe('retention', () => {
  it('keeps the current month and N before it', () => {
    expect(retentionCutoff(12, new Date('2026-11-23T12:00:00Z')).toISOString()).toBe(
      '2025-11-01T00:00:00.000Z',
    );
    expect(retentionCutoff(1, new Date('2026-01-01T00:00:00Z')).toISOString()).toBe(
      '2025-12-01T00:00:00.000Z',
    );
  });

  it('prints what a dry run would drop, and says when retention is off', () => {
    const month = {
      month: new Date(Date.UTC(2025, 8, 1)),
      partitions: ['mentions_p2025_09', 'mention_watches_p2025_09'],
      mentions: 1200,
      links: 1500,
      reviewItems: 3,
      bytes: 5 * 1024 * 1024,
    };
    const dry = formatRetention(
      { cutoff: new Date(Date.UTC(2025, 10, 1)), months: [month], dryRun: true },
      12,
    );
    expect(dry).toContain('Keeping 2025-11 onwards');
    expect(dry).toContain('Would drop 2025-09: 1200 mentions, 1500 watch links, 3 review items, 5.0 MiB');
    expect(dry).toContain('Dry run: nothing was changed');
    const done = formatRetention(
      { cutoff: new Date(Date.UTC(2025, 10, 1)), months: [month], dryRun: false },
      12,
    );
    expect(done).toContain('Dropped 2025-09');
    expect(formatRetention({ cutoff: null, months: [], dryRun: true }, 0)).toContain('Retention is off');
  });
});
