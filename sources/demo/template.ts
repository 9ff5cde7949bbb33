import type { Rng } from './random.ts';

/**
 * A tiny template language for the demo corpus, so a few hundred templates expand into tens of
 * thousands of distinct posts (deduplication must not collapse the demo's volume):
 *
 * - `{name}`     a variable passed by the caller, else a random entry of the slot pool `name`
 *                (pool entries are templates themselves);
 * - `{a|b|c}`    one of the alternatives (an empty alternative makes the part optional);
 * - `{#3-12}`    a random integer in the range.
 *
 * Innermost braces are resolved first, so alternatives may contain slots: `{at {place}|}`.
 */

export type SlotPools = Readonly<Record<string, readonly string[]>>;
export type TemplateVars = Readonly<Record<string, string>>;

const INNERMOST = /\{([^{}]*)\}/;
const MAX_DEPTH = 6;

export function renderTemplate(
  template: string,
  rng: Rng,
  pools: SlotPools,
  vars: TemplateVars = {},
  depth = 0,
): string {
  if (depth > MAX_DEPTH) throw new Error(`demo template nests too deep: ${template}`);
  let out = template;
  for (let guard = 0; guard < 200; guard++) {
    const m = INNERMOST.exec(out);
    if (!m) return out;
    const body = m[1] ?? '';
    out = out.slice(0, m.index) + resolve(body, rng, pools, vars, depth) + out.slice(m.index + m[0].length);
  }
  throw new Error(`demo template has too many slots: ${template}`);
}

function resolve(body: string, rng: Rng, pools: SlotPools, vars: TemplateVars, depth: number): string {
  if (body.includes('|')) return rng.pick(body.split('|'));
  const range = /^#(\d+)-(\d+)$/.exec(body);
  if (range) return String(rng.int(Number(range[1]), Number(range[2])));
  const fixed = vars[body];
  if (fixed !== undefined) return fixed;
  const pool = pools[body];
  if (!pool) throw new Error(`demo template uses unknown slot {${body}}`);
  return renderTemplate(rng.pick(pool), rng, pools, vars, depth + 1);
}

/** Tidies the spacing a template leaves behind when optional parts render empty. */
export function tidy(text: string): string {
  const t = text
    .replace(/\s+/g, ' ')
    .replace(/ ([,.!?:;])/g, '$1')
    .replace(/[,.!?]{2,}/g, (run) => {
      if (run === '...' || run === '?!' || run === '!!') return run;
      return run.includes('?') ? '?' : run.includes('!') ? '!' : (run[0] ?? '');
    })
    .trim();
  return capitalize(t);
}

export function capitalize(text: string): string {
  const first = text.charAt(0);
  return first.toUpperCase() + text.slice(1);
}

/**
 * Joins a post's parts (opener, core, closer, hashtags), dropping empty ones. A part that ends bare
 * ("...is down") before one that starts a new sentence gets a full stop, so closers read naturally.
 */
export function joinParts(parts: readonly string[]): string {
  let out = '';
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    if (!out) out = part;
    else out += /[\p{L}\p{N})]$/u.test(out) && /^\p{Lu}/u.test(part) ? `. ${part}` : ` ${part}`;
  }
  return tidy(out);
}
