/**
 * A small JSON Schema (2020-12) checker covering what docs/webhook-payload.schema.json uses: type
 * (with type arrays), enum, const, required, properties, additionalProperties: false, items,
 * maxItems, minimum/maximum, format date-time, and local $ref. Returns the paths that fail.
 */
type Schema = Record<string, unknown>;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function validateJson(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (s: Schema): Schema => {
    const ref = s.$ref;
    if (typeof ref !== 'string') return s;
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
    if (!target) throw new Error(`unresolved $ref ${ref}`);
    return {
      ...resolve(target as Schema),
      ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')),
    };
  };
  const check = (raw: Schema, v: unknown, path: string) => {
    const s = resolve(raw);
    const t = typeOf(v);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      const ok = types.some((x) => x === t || (x === 'number' && t === 'integer'));
      if (!ok) return errors.push(`${path}: expected ${types.join('|')}, got ${t}`);
    }
    if (Array.isArray(s.enum) && !s.enum.includes(v)) errors.push(`${path}: not one of ${s.enum.join(', ')}`);
    if ('const' in s && s.const !== v) errors.push(`${path}: expected ${String(s.const)}`);
    if (
      s.format === 'date-time' &&
      typeof v === 'string' &&
      !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v)
    ) {
      errors.push(`${path}: not a date-time`);
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) errors.push(`${path}: below ${s.minimum}`);
      if (typeof s.maximum === 'number' && v > s.maximum) errors.push(`${path}: above ${s.maximum}`);
    }
    if (t === 'object') {
      const obj = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const key of (s.required ?? []) as string[])
        if (!(key in obj)) errors.push(`${path}.${key}: required`);
      for (const [key, val] of Object.entries(obj)) {
        const p = props[key];
        if (p) check(p, val, `${path}.${key}`);
        else if (s.additionalProperties === false) errors.push(`${path}.${key}: not allowed`);
      }
    }
    if (t === 'array') {
      const arr = v as unknown[];
      if (typeof s.maxItems === 'number' && arr.length > s.maxItems)
        errors.push(`${path}: more than ${s.maxItems} items`);
      if (s.items) arr.forEach((item, i) => check(s.items as Schema, item, `${path}[${i}]`));
    }
  };
  check(root, value, '$');
  return errors;
}
