import { z } from 'zod';
import type { AnySourceAdapter } from '../src/core/source.ts';

/**
 * sources/README.md is generated from the adapters' descriptors (id, description, config schema with
 * field descriptions, secrets, example), so the docs cannot drift from the code. Regenerate with
 * `npm run docs`; a test fails when the committed file is out of date.
 */

interface JsonSchemaProp {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchemaProp>;
  required?: string[];
}

function typeOf(p: JsonSchemaProp): string {
  if (p.enum) return p.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  const t = Array.isArray(p.type) ? p.type.join(' \\| ') : (p.type ?? 'any');
  return p.format ? `${t} (${p.format})` : t;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function fieldRows(props: Record<string, JsonSchemaProp>, required: string[], prefix = ''): string[] {
  return Object.entries(props).flatMap(([name, p]) => {
    const key = `${prefix}${name}`;
    const row = `| \`${key}\` | ${typeOf(p)} | ${required.includes(name) && p.default === undefined ? 'yes' : 'no'} | ${
      p.default === undefined ? '' : `\`${JSON.stringify(p.default)}\``
    } | ${cell(p.description ?? '')} |`;
    const nested = p.properties ? fieldRows(p.properties, p.required ?? [], `${key}.`) : [];
    return [row, ...nested];
  });
}

export function renderSourcesReadme(adapters: readonly AnySourceAdapter[]): string {
  const out: string[] = [
    '# Sources',
    '',
    '<!-- Generated from the adapter descriptors by `npm run docs`; edit the adapters, not this file. -->',
    '',
    'Each source adapter turns one kind of upstream into mentions. Add one with',
    '`trustwatch source add TYPE NAME --set key=value ...` or `POST /api/v1/sources`.',
    '',
    '| type | name | default interval | secrets | what it does |',
    '| --- | --- | --- | --- | --- |',
    ...adapters.map(
      (a) =>
        `| [\`${a.id}\`](#${a.id}) | ${cell(a.name)} | ${a.defaultIntervalSeconds}s | ${
          a.secretFields.length ? a.secretFields.map((s) => `\`${s}\``).join(', ') : 'none'
        } | ${cell(a.description)} |`,
    ),
  ];
  for (const a of adapters) {
    const schema = z.toJSONSchema(a.configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaProp;
    out.push(
      '',
      `## ${a.id}`,
      '',
      a.description,
      '',
      '| field | type | required | default | description |',
      '| --- | --- | --- | --- | --- |',
      ...fieldRows(schema.properties ?? {}, schema.required ?? []),
      '',
      'Example config:',
      '',
      '```json',
      JSON.stringify(a.example, null, 2),
      '```',
      '',
      `More: [${a.id}/README.md](${a.id}/README.md)`,
    );
  }
  return `${out.join('\n')}\n`;
}
