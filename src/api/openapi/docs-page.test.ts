import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderDocsPage } from './docs-page.ts';
import type { OpenApiDocument } from './document.ts';

const doc = {
  openapi: '3.1.0',
  info: { title: 'trustwatch API', version: '9.9.9', description: 'Uses `code` & **bold**' },
  servers: [{ url: '/api/v1' }],
  tags: [{ name: 'watches', description: 'Watches' }],
  paths: {
    '/watches/{id}': {
      get: {
        operationId: 'getWatch',
        tags: ['watches'],
        summary: 'One <script>alert(1)</script> watch',
        'x-required-role': 'viewer',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          200: {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Watch' } } },
          },
        },
      },
    },
    '/things': { post: { operationId: 'createThing', summary: 'untagged', responses: {} } },
  },
  components: { schemas: { Watch: { type: 'object' } } },
} as unknown as OpenApiDocument;

describe('renderDocsPage', () => {
  const { html, csp } = renderDocsPage(doc);

  it('escapes text from the document, so a description cannot inject markup', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('One &lt;script&gt;alert(1)&lt;/script&gt; watch');
    expect(html).toContain('Uses <code>code</code> &amp; <strong>bold</strong>');
  });

  it('groups operations by tag, untagged ones last, with role, parameters and response schema', () => {
    expect(html.indexOf('id="tag-watches"')).toBeLessThan(html.indexOf('id="tag-other"'));
    expect(html).toMatch(
      /id="getWatch"[\s\S]*class="role">viewer<[\s\S]*string \(uuid\)[\s\S]*application\/json Watch/,
    );
    expect(html).toContain('id="createThing"');
  });

  it('allows exactly its own inline style in the CSP and nothing else', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).toMatch(/^default-src 'none'/);
  });
});
