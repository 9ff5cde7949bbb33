import { decodeHTML } from 'entities';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeXml } from './xml-feed.ts';

/** The straightforward version of the entity fix-up: one callback per `&`. The real one must agree. */
function referenceFix(text: string): string {
  return text.replace(/&(#[0-9]+;|#x[0-9a-fA-F]+;|([A-Za-z][A-Za-z0-9]*);)?/g, (match, ref, name) => {
    if (ref === undefined) return '&amp;';
    if (name === undefined || ['amp', 'lt', 'gt', 'quot', 'apos'].includes(name)) return match;
    const decoded = decodeHTML(match);
    if (decoded === match) return `&amp;${name};`;
    return Array.from(decoded)
      .map((ch) => `&#${ch.codePointAt(0)};`)
      .join('');
  });
}

describe('sanitizeXml entity fix-up', () => {
  it('agrees with the one-callback-per-ampersand reference on arbitrary text', () => {
    const pieces = [
      '&',
      'amp',
      'lt',
      'gt',
      'quot',
      'apos',
      'nbsp',
      'eacute',
      'ampx',
      'bogus',
      ';',
      '#',
      'x',
      '1F',
      '233',
      'T',
      ' ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(sanitizeXml(`<r>${text}</r>`)).toBe(`<r>${referenceFix(text)}</r>`);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves valid references alone and fixes the rest', () => {
    expect(sanitizeXml('<r>&lt;p&gt; &amp; &#233; &#xE9; AT&T &nbsp; &bogus; &</r>')).toBe(
      '<r>&lt;p&gt; &amp; &#233; &#xE9; AT&amp;T &#160; &amp;bogus; &amp;</r>',
    );
  });
});
