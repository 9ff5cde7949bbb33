import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.ts';

/** Tags in the order the reference page shows them. */
export const TAGS = [
  { name: 'watches', description: 'What to watch: brand and competitor queries, exclusions, lexicons' },
  { name: 'sources', description: 'Where mentions come from, with poll health' },
  { name: 'mentions', description: 'Stored mentions with filters and cursor pagination' },
  { name: 'trends', description: 'Volume, sentiment, reputation index, signals, share of voice, top terms' },
  { name: 'metrics', description: 'Business metric series sent by your own tools' },
  { name: 'alerts', description: 'Spike and red-flag alerts and their lifecycle' },
  { name: 'alert-routes', description: 'Where alerts go (Slack, webhooks); secrets are never shown' },
  { name: 'deliveries', description: 'The alert outbox: each delivery attempt and its state' },
  { name: 'review', description: 'The comms review queue' },
];

export type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;

/**
 * The OpenAPI 3.1 document of the token API, generated from the route schemas of `api` (mounted
 * at /api/v1, hence the server URL). Built once: the routes do not change while the app runs.
 */
export function buildOpenApiDocument(api: OpenAPIHono<AppEnv>, version: string): OpenApiDocument {
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token (`trustwatch token create --role viewer|reviewer|admin`). Roles: viewer reads, ' +
      'reviewer also works the review queue and acknowledges alerts, admin also configures.',
  });
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'trustwatch API',
      version,
      description:
        'Mentions, trends and alerts of a trustwatch workspace. Every error is RFC 9457 ' +
        'problem+json with a stable `code`. A token only ever sees its own workspace.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    servers: [{ url: '/api/v1', description: 'This trustwatch service' }],
    security: [{ bearerAuth: [] }],
    tags: TAGS,
  });
}
