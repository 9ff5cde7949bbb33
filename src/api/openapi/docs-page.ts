import { createHash } from 'node:crypto';
import type { OpenApiDocument } from './document.ts';

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** Minimal markdown of our own descriptions: `code` and **bold**, after escaping. */
const md = (s: unknown) =>
  esc(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\n\n/g, '<br>');

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f7f8fa}
header,main{max-width:980px;margin:0 auto;padding:1rem 1.5rem}
header{border-bottom:1px solid #dde1e8;background:#fff;max-width:none}
h1{margin:.2rem 0;font-size:1.4rem}h2{margin-top:2rem;border-bottom:1px solid #dde1e8}
nav a{margin-right:.8rem}
details{background:#fff;border:1px solid #dde1e8;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
summary{cursor:pointer;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}
.get{color:#0a6b3d}.post{color:#0b5cad}.put,.patch{color:#8a5a00}.delete{color:#b3261e}
.role{float:right;font:12px system-ui;padding:0 .4rem;border-radius:4px;background:#eef1f6}
table{border-collapse:collapse;width:100%;margin:.4rem 0}
td,th{border-top:1px solid #eef1f6;padding:.2rem .4rem;text-align:left;vertical-align:top}
code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f2f4f8;padding:.6rem;overflow:auto;max-height:24rem}
`;

/**
 * /api/docs: a reference page rendered on the server from the OpenAPI document. No script and no
 * external resource, so it works under a strict CSP (the one inline style is allowed by its hash).
 */
export function renderDocsPage(doc: OpenApiDocument): { html: string; csp: string } {
  const components = (doc.components?.schemas ?? {}) as Json;
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (!op) continue;
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, op)]);
    }
  }
  const tags = [
    ...(doc.tags ?? []).filter((t) => byTag.has(t.name)),
    ...[...byTag.keys()]
      .filter((n) => !(doc.tags ?? []).some((t) => t.name === n))
      .map((name) => ({ name, description: '' })),
  ];
  const sections = tags
    .map(
      (t) =>
        `<h2 id="tag-${esc(t.name)}">${esc(t.name)}</h2><p>${md(t.description)}</p>${(byTag.get(t.name) ?? []).join('')}`,
    )
    .join('');
  const schemas = Object.entries(components)
    .map(
      ([name, s]) =>
        `<details><summary>${esc(name)}</summary><pre>${esc(JSON.stringify(s, null, 2))}</pre></details>`,
    )
    .join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(doc.info.title)} reference</title>
<style>${STYLE}</style></head><body><header><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${md(doc.info.description)} Base URL <code>${esc(doc.servers?.[0]?.url)}</code>; send
<code>Authorization: Bearer &lt;token&gt;</code>. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<nav>${tags.map((t) => `<a href="#tag-${esc(t.name)}">${esc(t.name)}</a>`).join('')}<a href="#schemas">schemas</a></nav>
</header><main>${sections}<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>`;
  const styleHash = createHash('sha256').update(STYLE).digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  return { html, csp };
}

function operationHtml(method: string, path: string, op: Json): string {
  const params = ((op.parameters as Json[] | undefined) ?? [])
    .map((p) => {
      const schema = (p.schema ?? {}) as Json;
      return `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}${p.required ? ', required' : ''}</td><td><code>${esc(typeLabel(schema))}</code></td><td>${md(p.description ?? schema.description)}</td></tr>`;
    })
    .join('');
  const body = (op.requestBody as Json | undefined)?.content as Json | undefined;
  const bodySchema = (body?.['application/json'] as Json | undefined)?.schema;
  const responses = Object.entries((op.responses ?? {}) as Json)
    .map(([status, r]) => {
      const content = ((r as Json).content ?? {}) as Json;
      const types = Object.entries(content)
        .map(([type, media]) => `${type} ${typeLabel(((media as Json).schema ?? {}) as Json)}`)
        .join(', ');
      return `<tr><td>${esc(status)}</td><td>${md((r as Json).description)}</td><td><code>${esc(types)}</code></td></tr>`;
    })
    .join('');
  const role = op['x-required-role'];
  return `<details id="${esc(op.operationId ?? `${method}-${path}`)}"><summary><span class="m ${method}">${method}</span>${esc(path)}
<span class="role">${esc(role)}</span> — ${esc(op.summary)}</summary>
<p>${md(op.description)}</p>
${params ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th></th></tr>${params}</table>` : ''}
${bodySchema ? `<h4>Body</h4><pre>${esc(JSON.stringify(bodySchema, null, 2))}</pre>` : ''}
<h4>Responses</h4><table>${responses}</table></details>`;
}

function typeLabel(schema: Json): string {
  if (schema.enum) return (schema.enum as unknown[]).join(' | ');
  if (schema.format) return `${schema.type} (${schema.format})`;
  if (schema.type === 'array') return `${typeLabel((schema.items ?? {}) as Json)}[]`;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeLabel).join(' | ');
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? 'object';
  const base = String(schema.type ?? 'any');
  return schema.default !== undefined ? `${base}, default ${JSON.stringify(schema.default)}` : base;
}
