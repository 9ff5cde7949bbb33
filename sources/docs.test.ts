import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSourcesReadme } from './docs.ts';
import { sourceAdapters } from './index.ts';

describe('sources/README.md', () => {
  it('is up to date with the adapter descriptors (run `npm run docs` to regenerate)', () => {
    const committed = readFileSync(join(import.meta.dirname, 'README.md'), 'utf8');
    expect(committed).toBe(renderSourcesReadme(sourceAdapters));
  });

  it('documents every adapter and every config field with a description', () => {
    const doc = renderSourcesReadme(sourceAdapters);
    for (const a of sourceAdapters) {
      expect(doc).toContain(`## ${a.id}`);
      expect(a.configSchema.safeParse(a.example).success, `${a.id} example must be valid`).toBe(true);
    }
    // Every field row has a non-empty description cell.
    const rows = doc.split('\n').filter((l) => /^\| `[\w.]+` \|/.test(l));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(row.trimEnd().endsWith('|  |'), row).toBe(false);
  });
});
