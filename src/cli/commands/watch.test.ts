import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { parseLexiconOption } from './watch.ts';

describe('watch --lexicon', () => {
  it('reads word=weight lists, folding case and allowing phrases and decimals', () => {
    expect(parseLexiconOption('Sick=3, mid af=-1.5,killer=2')).toEqual({
      sick: 3,
      'mid af': -1.5,
      killer: 2,
    });
  });

  it('reads a JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-lex-'));
    const file = join(dir, 'lexicon.json');
    writeFileSync(file, JSON.stringify({ gnarly: 4 }));
    expect(parseLexiconOption(file)).toEqual({ gnarly: 4 });
  });

  it('refuses weights outside -5..5, entries without a weight and unreadable files', () => {
    for (const bad of ['sick=6', 'sick', 'sick=', '=3', 'sick=abc', 'missing-file.json']) {
      expect(() => parseLexiconOption(bad), bad).toThrow(ValidationError);
    }
  });
});
