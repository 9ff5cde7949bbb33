import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ValidationError } from '../../core/errors.ts';
import { SIGNAL_KINDS } from '../../core/mention.ts';
import { REVIEW_PRIORITIES, REVIEW_STATES } from '../../core/review.ts';
import { getMention } from '../../store/repositories/mentions.ts';
import {
  createReviewRule,
  deleteReviewRule,
  getReviewRule,
  listReviewRules,
  updateReviewRule,
} from '../../store/repositories/review-rules.ts';
import {
  BULK_ACTIONS,
  addReviewNote,
  bulkReview,
  getReviewItemDetail,
  listReviewItems,
  respondReviewItem,
  reviewStats,
  updateReviewItem,
} from '../../store/repositories/review.ts';
import { getWatch } from '../../store/repositories/watches.ts';
import { type ApiDeps, type AppEnv, actorOf } from '../context.ts';
import { apiRoute, openApiRouter } from '../openapi/route.ts';
import {
  ProblemSchema,
  dateTime,
  jsonBody,
  jsonContent,
  listOf,
  pageOf,
  resource,
  uuidParams,
} from '../openapi/schemas.ts';

const DAY_MS = 86_400_000;
/** Stats cover the last 30 days unless asked otherwise, and at most a year. */
const DEFAULT_STATS_DAYS = 30;
const MAX_STATS_DAYS = 366;

/** A comma-separated query parameter whose values must each be one of `values`. */
function csvOf<T extends string>(values: readonly T[], what: string) {
  return z
    .string()
    .max(500)
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const list = [
        ...new Set(
          v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      for (const s of list) {
        if (!(values as readonly string[]).includes(s)) {
          ctx.addIssue({ code: 'custom', message: `unknown ${what} "${s}"; one of ${values.join(', ')}` });
          return z.NEVER;
        }
      }
      return list as T[];
    })
    .openapi({ type: 'string', description: `One or a comma list of: ${values.join(', ')}` });
}

const stateEnum = z.enum(REVIEW_STATES);
const priorityEnum = z.enum(REVIEW_PRIORITIES);
const tagSchema = z.string().trim().min(1).max(50);
const assigneeSchema = z.string().trim().min(1).max(200);

const listQuery = z.object({
  state: csvOf(REVIEW_STATES, 'state'),
  watch: z.uuid().optional(),
  assignee: assigneeSchema.optional(),
  unassigned: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ type: 'string', description: '`true`: only items nobody is assigned to' }),
  signal: csvOf(SIGNAL_KINDS, 'signal'),
  priority: csvOf(REVIEW_PRIORITIES, 'priority'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

const MentionSummary = z.object({
  url: z.string().nullable().openapi({ description: 'Link to the original post' }),
  title: z.string().nullable(),
  text: z.string(),
  authorHandle: z.string().nullable(),
  authorName: z.string().nullable(),
  authorFollowers: z.number().nullable(),
  sentimentLabel: z.enum(['positive', 'neutral', 'negative']),
  sentimentScore: z.number(),
});

export const ReviewItemSchema = resource('ReviewItem', {
  id: z.uuid(),
  mentionId: z.number().int(),
  watchId: z.uuid(),
  state: stateEnum,
  assignee: z.string().nullable(),
  tags: z.array(z.string()),
  priority: priorityEnum,
  reasons: z.array(z.looseObject({ type: z.enum(['signal', 'negative_high_reach', 'rule']) })).openapi({
    description: 'Why it entered the queue: red-flag signal kinds, a negative post with reach, matched rules',
  }),
  signalKinds: z.array(z.string()),
  publishedAt: dateTime,
  createdAt: dateTime,
  updatedAt: dateTime,
  respondedAt: dateTime.nullable(),
  responseUrl: z.string().nullable(),
  firstResponseSeconds: z.number().int().nullable().openapi({
    description: 'Seconds from publication of the post to the first public reply',
  }),
  mention: MentionSummary,
});

const NoteSchema = z.object({
  id: z.number().int(),
  author: z.string(),
  body: z.string(),
  createdAt: dateTime,
});
const EventSchema = z.object({
  id: z.number().int(),
  action: z.string(),
  actor: z.string(),
  details: z.record(z.string(), z.unknown()),
  at: dateTime,
});

const ReviewItemDetailSchema = resource('ReviewItemDetail', {
  ...ReviewItemSchema.shape,
  link: z.string().nullable().openapi({ description: 'The original post' }),
  notes: z.array(NoteSchema),
  history: z.array(EventSchema),
  mentionDetail: z.looseObject({ id: z.number().int() }).openapi({ description: 'The mention in full' }),
});

const patchBody = z
  .strictObject({
    state: stateEnum.optional(),
    assignee: assigneeSchema.nullable().optional(),
    tags: z.array(tagSchema).max(20).optional(),
    priority: priorityEnum.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give state, assignee, tags or priority' });

const respondBody = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .openapi({ description: 'Link to the public reply' }),
  at: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: 'When the reply was posted (default: now)' }),
});

const noteBody = z.strictObject({ body: z.string().trim().min(1).max(10_000) });

const bulkBody = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(500),
  action: z.enum(BULK_ACTIONS),
  assignee: assigneeSchema.optional(),
  tags: z.array(tagSchema).min(1).max(20).optional(),
  priority: priorityEnum.optional(),
});

const BulkResultSchema = z.object({
  updated: z.array(z.uuid()),
  unchanged: z.array(z.uuid()),
  skipped: z.array(z.object({ id: z.string(), code: z.string(), reason: z.string() })),
});

const statsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  watch: z.uuid().optional(),
});

const StatsSchema = z.object({
  from: dateTime,
  to: dateTime,
  watches: z.array(
    z.object({
      watchId: z.uuid(),
      watchName: z.string(),
      responded: z.number().int().openapi({ description: 'Items first responded to in the window' }),
      medianSeconds: z.number().nullable(),
      p90Seconds: z.number().nullable(),
      openBacklog: z.number().int().openapi({ description: 'Items new, in review or escalated now' }),
      oldestOpenSeconds: z.number().int().nullable(),
    }),
  ),
});

const ruleMatch = z.strictObject({
  signals: z.array(z.enum(SIGNAL_KINDS)).max(20).optional(),
  authors: z.array(z.string().trim().min(1).max(200)).max(1000).optional(),
  negativeHighReach: z.boolean().optional(),
  query: z.string().trim().max(2000).optional(),
  watchId: z.uuid().optional(),
});
const ruleActions = z.strictObject({
  assign: assigneeSchema.optional(),
  dismiss: z.boolean().optional(),
  priority: priorityEnum.optional(),
  tags: z.array(tagSchema).max(20).optional(),
});
const ruleBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().optional(),
  position: z.number().int().min(-1000).max(1000).optional(),
  match: ruleMatch,
  actions: ruleActions,
});
const rulePatchBody = ruleBody
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

const RuleSchema = resource('ReviewRule', {
  id: z.uuid(),
  name: z.string(),
  enabled: z.boolean(),
  position: z.number().int(),
  match: ruleMatch,
  actions: ruleActions,
  createdAt: dateTime,
  updatedAt: dateTime,
});

const TAG = ['review'];

const conflict = {
  409: {
    description: 'The state machine refuses the move (e.g. dismissed -> responded)',
    content: { 'application/problem+json': { schema: ProblemSchema } },
  },
};

export function reviewRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = openApiRouter();
  const now = () => deps.now?.() ?? new Date();

  // Static paths first: /stats and /rules must not be read as an item id.
  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/',
      tags: TAG,
      operationId: 'listReviewItems',
      summary: 'The review queue, newest posts first',
      request: { query: listQuery },
      responses: { 200: jsonContent(pageOf(ReviewItemSchema), 'A page of review items') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listReviewItems(deps.db, c.get('principal').workspaceId, {
        states: q.state,
        watchId: q.watch,
        assignee: q.assignee,
        unassigned: q.unassigned,
        signals: q.signal,
        priorities: q.priority,
        limit: q.limit,
        cursor: q.cursor,
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/stats',
      tags: TAG,
      operationId: 'reviewStats',
      summary: 'First-response time per watch',
      description:
        'Median and 90th percentile of the seconds from publication to the first public reply, over the ' +
        'items first responded to in [from, to) (default: the last 30 days), and the open backlog now.',
      request: { query: statsQuery },
      responses: { 200: jsonContent(StatsSchema, 'Per watch') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const to = q.to ? new Date(q.to) : now();
      const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_STATS_DAYS * DAY_MS);
      if (from.getTime() >= to.getTime()) {
        throw new ValidationError('`from` must be before `to`', [{ path: 'from', message: 'not before to' }]);
      }
      if (to.getTime() - from.getTime() > MAX_STATS_DAYS * DAY_MS) {
        throw new ValidationError(`The window is at most ${MAX_STATS_DAYS} days`, [
          { path: 'from', message: 'window too long' },
        ]);
      }
      const ws = c.get('principal').workspaceId;
      if (q.watch) await getWatch(deps.db, ws, q.watch);
      const watches = await reviewStats(deps.db, ws, { from, to, watchId: q.watch }, now());
      return c.json({ from: from.toISOString(), to: to.toISOString(), watches }, 200);
    },
  );

  app.openapi(
    apiRoute('reviewer', {
      method: 'post',
      path: '/bulk',
      tags: TAG,
      operationId: 'bulkReview',
      summary: 'One action on many items',
      description:
        'Actions: `assign` (with `assignee`), `unassign`, `start` (in review), `escalate`, `dismiss`, ' +
        '`reopen` (back to in review), `tag` (adds `tags`), `priority` (with `priority`). Items that are ' +
        'missing or cannot make the move are listed in `skipped`; the others are applied.',
      request: { body: jsonBody(bulkBody) },
      responses: { 200: jsonContent(BulkResultSchema, 'What was applied') },
    }),
    async (c) => {
      const result = await bulkReview(
        deps.db,
        c.get('principal').workspaceId,
        c.req.valid('json'),
        actorOf(c.get('principal')),
        now(),
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/rules',
      tags: TAG,
      operationId: 'listReviewRules',
      summary: 'Review rules, in the order they apply',
      responses: { 200: jsonContent(listOf(RuleSchema), 'The rules') },
    }),
    async (c) => c.json({ items: await listReviewRules(deps.db, c.get('principal').workspaceId) }, 200),
  );

  app.openapi(
    apiRoute('admin', {
      method: 'post',
      path: '/rules',
      tags: TAG,
      operationId: 'createReviewRule',
      summary: 'Create a review rule',
      description:
        'Conditions (all given must hold): `signals` (any of), `authors` (any of), `negativeHighReach`, ' +
        '`query` (watch query language), `watchId`. Actions: `assign`, `dismiss`, `priority`, `tags`. ' +
        'A mention that matches a rule enters the queue even without a red flag. Applies to mentions ' +
        'stored from then on.',
      request: { body: jsonBody(ruleBody) },
      responses: { 201: jsonContent(RuleSchema, 'The new rule') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const ws = c.get('principal').workspaceId;
      if (body.match.watchId) await getWatch(deps.db, ws, body.match.watchId);
      return c.json(await createReviewRule(deps.db, ws, body, actorOf(c.get('principal'))), 201);
    },
  );

  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/rules/{id}',
      tags: TAG,
      operationId: 'getReviewRule',
      summary: 'One review rule',
      request: { params: uuidParams },
      responses: { 200: jsonContent(RuleSchema, 'The rule') },
    }),
    async (c) =>
      c.json(await getReviewRule(deps.db, c.get('principal').workspaceId, c.req.valid('param').id), 200),
  );

  app.openapi(
    apiRoute('admin', {
      method: 'patch',
      path: '/rules/{id}',
      tags: TAG,
      operationId: 'updateReviewRule',
      summary: 'Change a review rule',
      description: '`match` and `actions`, when given, replace the old ones whole.',
      request: { params: uuidParams, body: jsonBody(rulePatchBody) },
      responses: { 200: jsonContent(RuleSchema, 'The rule') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const ws = c.get('principal').workspaceId;
      if (body.match?.watchId) await getWatch(deps.db, ws, body.match.watchId);
      return c.json(
        await updateReviewRule(deps.db, ws, c.req.valid('param').id, body, actorOf(c.get('principal'))),
        200,
      );
    },
  );

  app.openapi(
    apiRoute('admin', {
      method: 'delete',
      path: '/rules/{id}',
      tags: TAG,
      operationId: 'deleteReviewRule',
      summary: 'Delete a review rule',
      description: 'Items it already shaped keep their state, assignee and tags.',
      request: { params: uuidParams },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteReviewRule(
        deps.db,
        c.get('principal').workspaceId,
        c.req.valid('param').id,
        actorOf(c.get('principal')),
      );
      return c.body(null, 204);
    },
  );

  app.openapi(
    apiRoute('viewer', {
      method: 'get',
      path: '/{id}',
      tags: TAG,
      operationId: 'getReviewItem',
      summary: 'One review item with its mention, notes and history',
      request: { params: uuidParams },
      responses: { 200: jsonContent(ReviewItemDetailSchema, 'The item') },
    }),
    async (c) => {
      const ws = c.get('principal').workspaceId;
      const item = await getReviewItemDetail(deps.db, ws, c.req.valid('param').id);
      const { raw: _raw, ...mentionDetail } = await getMention(deps.db, ws, item.mentionId);
      return c.json({ ...item, link: item.mention.url, mentionDetail }, 200);
    },
  );

  app.openapi(
    apiRoute('reviewer', {
      method: 'patch',
      path: '/{id}',
      tags: TAG,
      operationId: 'updateReviewItem',
      summary: 'Change state, assignee, tags or priority',
      description:
        'States: new -> in_review | escalated | dismissed; in_review -> escalated | dismissed; escalated -> ' +
        'in_review | dismissed; dismissed or responded -> in_review (re-open). A move the state machine ' +
        'refuses is a 409. To mark it responded, use `POST /review/{id}/respond`.',
      request: { params: uuidParams, body: jsonBody(patchBody) },
      responses: {
        200: jsonContent(z.object({ item: ReviewItemSchema, changed: z.boolean() }), 'The item'),
        ...conflict,
      },
    }),
    async (c) => {
      const result = await updateReviewItem(
        deps.db,
        c.get('principal').workspaceId,
        c.req.valid('param').id,
        c.req.valid('json'),
        actorOf(c.get('principal')),
        now(),
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    apiRoute('reviewer', {
      method: 'post',
      path: '/{id}/respond',
      tags: TAG,
      operationId: 'respondReviewItem',
      summary: 'Record the public reply',
      description:
        'Sets the state to responded with the link of the reply. The first time, it records the ' +
        'first-response time (from the post to `at`, default now); later replies keep it.',
      request: { params: uuidParams, body: jsonBody(respondBody) },
      responses: {
        200: jsonContent(z.object({ item: ReviewItemSchema, changed: z.boolean() }), 'The item'),
        ...conflict,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await respondReviewItem(
        deps.db,
        c.get('principal').workspaceId,
        c.req.valid('param').id,
        { url: body.url, at: body.at ? new Date(body.at) : undefined },
        actorOf(c.get('principal')),
        now(),
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    apiRoute('reviewer', {
      method: 'post',
      path: '/{id}/notes',
      tags: TAG,
      operationId: 'addReviewNote',
      summary: 'Add an internal note',
      request: { params: uuidParams, body: jsonBody(noteBody) },
      responses: { 201: jsonContent(NoteSchema, 'The note') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const note = await addReviewNote(
        deps.db,
        principal.workspaceId,
        c.req.valid('param').id,
        c.req.valid('json').body,
        actorOf(principal),
      );
      return c.json(note, 201);
    },
  );
  return app;
}
