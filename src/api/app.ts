import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { RETAINED_304_HEADERS, etag } from 'hono/etag';
import { HTTPException } from 'hono/http-exception';
import type { TokenPrincipal } from '../store/repositories/tokens.ts';
import { requireToken } from './auth.ts';
import type { ApiDeps, AppEnv } from './context.ts';
import { dashboardRoutes } from './dashboard/index.ts';
import { renderDocsPage } from './openapi/docs-page.ts';
import { type OpenApiDocument, buildOpenApiDocument } from './openapi/document.ts';
import { openApiRouter } from './openapi/route.ts';
import { problem, problemFromError } from './problem.ts';
import { rateLimitPerToken } from './rate-limit.ts';
import { alertRouteRoutes } from './routes/alert-routes.ts';
import { type AlertApiDeps, alertRoutes } from './routes/alerts.ts';
import { auditRoutes } from './routes/audit.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { healthRoutes } from './routes/health.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { mentionRoutes } from './routes/mentions.ts';
import { metricRoutes } from './routes/metrics.ts';
import { reviewRoutes } from './routes/review.ts';
import { slackInteractionRoutes } from './routes/slack-interactions.ts';
import { sourceRoutes } from './routes/sources.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { trendRoutes } from './routes/trends.ts';
import { watchPreviewRoutes } from './routes/watch-preview.ts';
import { watchRoutes } from './routes/watches.ts';
import { workspaceRoutes } from './routes/workspace.ts';
import { TtlCache } from './ttl-cache.ts';

/** The API's version as the OpenAPI document states it. */
export const API_VERSION = '0.1.0';

/**
 * The Hono application, independent of the runtime: src/runtime/node.ts and src/runtime/worker.ts
 * only construct its dependencies and hand requests to `app.fetch`.
 */
export function createApp(deps: ApiDeps & AlertApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Access log: method, path (never the query string or headers, which may carry secrets), status, time.
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  // CORS is off unless origins are configured; then only those origins get Access-Control headers.
  if (deps.corsOrigins?.length) {
    app.use(
      '/api/*',
      cors({
        origin: [...deps.corsOrigins],
        allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
        exposeHeaders: ['ETag', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
        maxAge: 600,
      }),
    );
  }

  app.route('/', healthRoutes(deps));
  // Slack's button clicks authenticate with the X-Slack-Signature, not an API token.
  app.route('/slack', slackInteractionRoutes(deps));

  // Webhook pushes authenticate with the source's HMAC signature, not an API token, so this is
  // mounted before (and answers ahead of) the token middleware of /api/v1.
  app.route('/api/v1/ingest', ingestRoutes(deps, deps.scorer ? { scorer: deps.scorer } : {}));

  // Documented routes (createRoute) add themselves to the OpenAPI document; plain Hono routers still work.
  const api = openApiRouter();
  api.use(
    '*',
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: (c) => problem(c, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${deps.maxBodyBytes} bytes`),
    }),
  );
  // Token lookups reused briefly (TRUSTWATCH_TOKEN_CACHE_MS); any token change made here clears them.
  const principals = new TtlCache<TokenPrincipal | null>(deps.tokenCacheMs ?? 0, 10_000);
  api.use('*', requireToken(deps, principals));
  api.use('*', rateLimitPerToken(deps.rateLimitPerMinute ?? 0));
  api.use('*', cheapEtag());
  api.route('/workspace', workspaceRoutes(deps));
  // Before /watches, so `preview` is never read as a watch id.
  api.route('/watches/preview', watchPreviewRoutes(deps));
  api.route('/watches', watchRoutes(deps));
  api.route('/sources', sourceRoutes(deps));
  api.route('/mentions', mentionRoutes(deps));
  api.route('/trends', trendRoutes(deps));
  api.route('/metrics', metricRoutes(deps));
  api.route('/alerts', alertRoutes(deps));
  api.route('/deliveries', deliveryRoutes(deps));
  api.route('/alert-routes', alertRouteRoutes(deps));
  api.route('/review', reviewRoutes(deps));
  api.route('/tokens', tokenRoutes(deps, { onChange: () => principals.clear() }));
  api.route('/audit', auditRoutes(deps));
  app.route('/api/v1', api);

  // Public, like the code it describes: the document and its reference page carry no workspace data.
  let doc: OpenApiDocument | undefined;
  const document = () => {
    doc ??= buildOpenApiDocument(api, API_VERSION);
    return doc;
  };
  let page: ReturnType<typeof renderDocsPage> | undefined;
  app.get('/api/openapi.json', (c) => c.json(document()));
  app.get('/api/docs', (c) => {
    page ??= renderDocsPage(document());
    c.header('Content-Security-Policy', page.csp);
    return c.html(page.html);
  });

  const index = (c: Context<AppEnv>) =>
    c.json({
      name: 'trustwatch',
      docs: 'https://github.com/trustwatch/trustwatch#api',
      endpoints: [
        '/healthz',
        '/readyz',
        '/api/openapi.json',
        '/api/docs',
        '/api/v1/workspace',
        '/api/v1/watches',
        '/api/v1/sources',
        '/api/v1/mentions',
        '/api/v1/trends',
        '/api/v1/alerts',
        '/api/v1/deliveries',
        '/api/v1/alert-routes',
        '/api/v1/review',
        '/api/v1/metrics',
        '/api/v1/tokens',
        '/api/v1/audit',
        '/api/v1/ingest/:sourceId',
      ],
    });
  app.get('/api', index);
  // `/` is the dashboard for browsers; API clients (Accept without text/html) still get the index.
  app.get('/', async (c, next) =>
    deps.dashboard && (c.req.header('accept') ?? '').includes('text/html') ? next() : index(c),
  );
  if (deps.dashboard) app.route('/', dashboardRoutes({ ...deps, dashboard: deps.dashboard }));

  app.notFound((c) => problem(c, 404, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    // Hono's JSON validator throws this for an unparsable body: the same 400 as readJson gives.
    if (err instanceof HTTPException && err.status === 400) {
      return problem(c, 400, 'VALIDATION', 'Request body is not valid JSON', [
        { path: 'body', message: 'invalid JSON' },
      ]);
    }
    const res = problemFromError(c, err);
    if (res.status >= 500) deps.log.error({ err: err.message, path: c.req.path }, 'request failed');
    return res;
  });
  return app;
}

/**
 * Weak ETag over the body of JSON GET responses, so If-None-Match gets a 304. Exports stream and
 * would have to be buffered whole to hash, so they are left alone.
 */
function cheapEtag(): MiddlewareHandler<AppEnv> {
  const tag = etag({
    weak: true,
    retainedHeaders: [...RETAINED_304_HEADERS, 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
  });
  return async (c, next) => {
    const method = c.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || isStreamed(c.req.path, c.req.query('format'))) {
      return next();
    }
    return tag(c, next);
  };
}

function isStreamed(path: string, format: string | undefined): boolean {
  return /\/export(\/|$)|\.(csv|jsonl|ndjson)$/.test(path) || (format !== undefined && format !== 'json');
}
