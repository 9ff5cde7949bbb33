import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../context.ts';
import { ProblemSchema } from './schemas.ts';

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
  registerIngest(api);
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

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/**
 * The webhook push endpoint (src/api/routes/ingest.ts) answers ahead of the token middleware and is
 * authenticated by the source's HMAC signature, so it is listed here by hand with `security: []`
 * and `x-authentication: hmac-signature` rather than a role.
 */
function registerIngest(api: OpenAPIHono<AppEnv>): void {
  api.openAPIRegistry.registerPath({
    method: 'post',
    path: '/ingest/{sourceId}',
    tags: ['sources'],
    operationId: 'pushMentions',
    summary: 'Push mentions to a webhook source',
    description:
      'One item, an array or `{"items": [...]}`, signed with `X-Trustwatch-Timestamp` and ' +
      '`X-Trustwatch-Signature: sha256=<HMAC-SHA256 of "timestamp.body">` using the source\'s secret. ' +
      'No API token. Idempotent on `externalId`.',
    security: [],
    'x-authentication': 'hmac-signature',
    request: {
      params: z.object({ sourceId: z.uuid().openapi({ param: { name: 'sourceId', in: 'path' } }) }),
      headers: z.object({
        'x-trustwatch-timestamp': z
          .string()
          .openapi({ description: 'Unix seconds; a replay window applies' }),
        'x-trustwatch-signature': z.string().openapi({ example: 'sha256=5d41402abc4b2a76b9719d911017c592' }),
      }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .unknown()
              .openapi({ description: 'A mention item, an array of them, or {"items": [...]}' }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'What happened to the items',
        content: {
          'application/json': {
            schema: z.looseObject({
              sourceId: z.string(),
              received: z.number().int(),
              inserted: z.number().int(),
              updated: z.number().int(),
              unchanged: z.number().int(),
              duplicates: z.number().int(),
              unmatched: z.number().int(),
              empty: z.number().int(),
            }),
          },
        },
      },
      400: problem('Malformed body or items'),
      401: problem('Missing, wrong or stale signature'),
      403: problem('The source is disabled'),
      404: problem('No webhook source with that id'),
      409: problem('The source has no valid secret configured'),
      413: problem('Body too large'),
    },
  });
}
