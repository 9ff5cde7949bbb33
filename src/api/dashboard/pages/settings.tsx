import { z } from 'zod';
import { enqueueTestMessage } from '../../../alert/enqueue.ts';
import { newRouteSchema, routeView, toRouteInput } from '../../../alert/route-input.ts';
import { type FieldIssue, TrustwatchError } from '../../../core/errors.ts';
import { createRoute, deleteRoute, getRoute, listRoutes } from '../../../store/repositories/alert-routes.ts';
import {
  LastAdminError,
  type Role,
  createToken,
  listTokens,
  revokeToken,
  updateToken,
} from '../../../store/repositories/tokens.ts';
import { listWatches } from '../../../store/repositories/watches.ts';
import { actorOf, hasRole } from '../../context.ts';
import { alertOptions } from '../../routes/alerts.ts';
import { type DashboardContext, type DashboardDeps, idParam } from '../context.ts';
import { utc } from '../format.ts';
import { ErrorSummary, Field, Notice, PostForm, readForm } from '../forms.tsx';
import { renderPage } from '../layout.tsx';
import { type DashboardRouter, redirectAfter } from '../router.tsx';

const ROLES: Role[] = ['viewer', 'reviewer', 'admin'];
const ROLE_TEXT: Record<Role, string> = {
  viewer: 'reads everything',
  reviewer: 'also triages the review queue and acknowledges alerts',
  admin: 'also configures sources, watches, routes and tokens',
};

const routeForm = z.object({
  name: z.string(),
  type: z.string(),
  url: z.string(),
  watchId: z.string().optional(),
  minSeverity: z.string().optional(),
});
// Own field names: the route form on the same page has `name` too, and ids must be unique.
const tokenForm = z.object({
  tokenName: z.string().trim().min(1, 'say whose token it is').max(200),
  tokenRole: z.enum(['viewer', 'reviewer', 'admin']),
});
const roleForm = z.object({ role: z.enum(['viewer', 'reviewer', 'admin']) });

interface SettingsState {
  routeIssues?: FieldIssue[];
  routeValues?: Record<string, string>;
  tokenIssues?: FieldIssue[];
  tokenValues?: Record<string, string>;
  /** A secret shown this once (a new token, a generated webhook signing secret). */
  once?: { label: string; value: string };
}

/** Settings: alert routes (Slack, webhooks, test send) and API tokens, whose roles are the members' roles. */
export function settingsPages(r: DashboardRouter): void {
  const { deps } = r;

  r.page('/settings', (c) => settingsPage(c, deps, {}));

  r.action('/settings/routes', 'admin', async (c) => {
    const form = await readForm(c, routeForm);
    const v = form.values;
    const parsed = newRouteSchema.safeParse({
      name: v.name ?? '',
      type: v.type ?? '',
      url: v.url ?? '',
      watchId: v.watchId || null,
      minSeverity: v.minSeverity || undefined,
    });
    if (!parsed.success) {
      const routeIssues = parsed.error.issues.map((i) => ({
        path: i.path.join('.') || 'form',
        message: i.message,
      }));
      return settingsPage(c, deps, { routeIssues, routeValues: v }, 400);
    }
    const ws = c.get('principal').workspaceId;
    if (parsed.data.watchId && !(await listWatches(deps.db, ws)).some((w) => w.id === parsed.data.watchId)) {
      return settingsPage(
        c,
        deps,
        { routeIssues: [{ path: 'watchId', message: 'unknown watch' }], routeValues: v },
        400,
      );
    }
    const { input, generatedSecret } = toRouteInput(parsed.data);
    try {
      const route = await createRoute(deps.db, ws, input, actorOf(c.get('principal')));
      if (generatedSecret) {
        // Shown this once, like a token: the receiver needs it to verify signatures.
        return settingsPage(c, deps, {
          once: { label: `Signing secret of the webhook route ${route.name}`, value: generatedSecret },
        });
      }
      return redirectAfter(c, '/settings', `Route ${route.name} added`);
    } catch (err) {
      if (!(err instanceof TrustwatchError) || err.code !== 'CONFLICT') throw err;
      return settingsPage(
        c,
        deps,
        { routeIssues: [{ path: 'name', message: err.message }], routeValues: v },
        409,
      );
    }
  });

  r.action('/settings/routes/:id/test', 'admin', async (c) => {
    const route = await getRoute(deps.db, c.get('principal').workspaceId, idParam(c));
    const opts = alertOptions(deps);
    await enqueueTestMessage(deps.db, route, { now: deps.now?.() ?? new Date(), baseUrl: opts.baseUrl });
    opts.onEnqueued?.();
    return redirectAfter(c, '/settings', `Test message queued for ${route.name}`);
  });

  r.action('/settings/routes/:id/delete', 'admin', async (c) => {
    const ws = c.get('principal').workspaceId;
    const route = await getRoute(deps.db, ws, idParam(c));
    await deleteRoute(deps.db, ws, route.id, actorOf(c.get('principal')));
    return redirectAfter(c, '/settings', `Route ${route.name} deleted`);
  });

  r.action('/settings/tokens', 'admin', async (c) => {
    const form = await readForm(c, tokenForm);
    if (!form.ok) return settingsPage(c, deps, { tokenIssues: form.issues, tokenValues: form.values }, 400);
    const { tokenName: name, tokenRole: role } = form.data;
    const created = await createToken(
      deps.db,
      c.get('principal').workspaceId,
      { name, role },
      actorOf(c.get('principal')),
    );
    return settingsPage(c, deps, {
      once: { label: `API token for ${name} (${role})`, value: created.token },
    });
  });

  r.action('/settings/tokens/:id/role', 'admin', async (c) => {
    const form = await readForm(c, roleForm);
    if (!form.ok) return redirectAfter(c, '/settings', 'Pick a role');
    try {
      const token = await updateToken(
        deps.db,
        c.get('principal').workspaceId,
        idParam(c),
        { role: form.data.role },
        actorOf(c.get('principal')),
        { keepAnAdmin: true },
      );
      return redirectAfter(c, '/settings', `${token.name} is now ${token.role}`);
    } catch (err) {
      if (err instanceof LastAdminError) return redirectAfter(c, '/settings', err.message);
      throw err;
    }
  });

  r.action('/settings/tokens/:id/revoke', 'admin', async (c) => {
    try {
      const { token } = await revokeToken(
        deps.db,
        c.get('principal').workspaceId,
        idParam(c),
        actorOf(c.get('principal')),
        {
          keepAnAdmin: true,
          ...(deps.now ? { now: deps.now() } : {}),
        },
      );
      return redirectAfter(c, '/settings', `Token ${token.name} revoked`);
    } catch (err) {
      if (err instanceof LastAdminError) return redirectAfter(c, '/settings', err.message);
      throw err;
    }
  });
}

async function settingsPage(
  c: DashboardContext,
  deps: DashboardDeps,
  s: SettingsState,
  status: 200 | 400 | 409 = 200,
): Promise<Response> {
  const ws = c.get('principal').workspaceId;
  const admin = hasRole(c.get('principal'), 'admin');
  const [routes, watches, tokens] = await Promise.all([
    listRoutes(deps.db, ws),
    listWatches(deps.db, ws),
    admin ? listTokens(deps.db, ws, { includeRevoked: true }) : Promise.resolve([]),
  ]);
  const watchName = new Map(watches.map((w) => [w.id, w.name]));
  const rv = s.routeValues ?? {};
  const me = c.get('principal').tokenId;
  return renderPage(
    c,
    deps,
    { title: 'Settings', nav: 'settings', watchPicker: false, status },
    <>
      <Notice text={c.req.query('done')} />
      {s.once ? (
        <section class="panel once" aria-labelledby="once-h">
          <h2 id="once-h">{s.once.label}</h2>
          <p>Copy it now: it is shown this once and cannot be read back.</p>
          <p>
            <code class="secret" id="once-value">
              {s.once.value}
            </code>
          </p>
        </section>
      ) : null}
      <section class="panel" aria-labelledby="routes-h">
        <h2 id="routes-h">Alert routes</h2>
        <p class="muted">Where alerts go. Destination URLs are shown redacted: they carry secrets.</p>
        <section class="table-wrap" tabindex={0} aria-labelledby="routes-h">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Destination</th>
                <th scope="col">Watch</th>
                <th scope="col">From severity</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {routes.map(routeView).map((route) => (
                <tr key={route.id}>
                  <th scope="row">{route.name}</th>
                  <td>
                    {route.type}
                    {route.signed ? ' (signed)' : ''}
                  </td>
                  <td>
                    <code>{route.url}</code>
                  </td>
                  <td>{route.watchId ? (watchName.get(route.watchId) ?? '–') : 'all'}</td>
                  <td>{route.minSeverity}</td>
                  <td>{route.enabled ? 'on' : 'off'}</td>
                  <td>
                    {admin ? (
                      <div class="actions">
                        <PostForm c={c} action={`/settings/routes/${route.id}/test`}>
                          <button type="submit" class="secondary">
                            Send test<span class="visually-hidden"> to {route.name}</span>
                          </button>
                        </PostForm>
                        <form
                          method="post"
                          action={`/settings/routes/${route.id}/delete`}
                          data-confirm={`Delete the route ${route.name}?`}
                        >
                          <input type="hidden" name="_csrf" value={c.get('session').csrf} />
                          <button type="submit" class="secondary">
                            Delete<span class="visually-hidden"> {route.name}</span>
                          </button>
                        </form>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {routes.length === 0 ? <p>No routes yet: alerts are only on the dashboard.</p> : null}
        {admin ? (
          <PostForm c={c} action="/settings/routes" class="stack">
            <h3>Add a route</h3>
            <ErrorSummary issues={s.routeIssues} />
            <Field name="name" label="Name" value={rv.name} issues={s.routeIssues} required />
            <Field name="type" label="Type" issues={s.routeIssues}>
              <select id="f-type" name="type">
                <option value="slack" selected={rv.type !== 'webhook'}>
                  Slack incoming webhook
                </option>
                <option value="webhook" selected={rv.type === 'webhook'}>
                  Webhook (signed, Standard Webhooks)
                </option>
              </select>
            </Field>
            <Field
              name="url"
              label="URL"
              type="url"
              hint="Shown redacted after saving"
              value={rv.url}
              issues={s.routeIssues}
              required
            />
            <Field name="watchId" label="Watch" issues={s.routeIssues}>
              <select id="f-watchId" name="watchId">
                <option value="">All watches</option>
                {watches.map((w) => (
                  <option key={w.id} value={w.id} selected={w.id === rv.watchId}>
                    {w.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="minSeverity" label="From severity" issues={s.routeIssues}>
              <select id="f-minSeverity" name="minSeverity">
                {['info', 'warning', 'critical'].map((sev) => (
                  <option key={sev} value={sev} selected={sev === (rv.minSeverity || 'warning')}>
                    {sev}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit">Add route</button>
          </PostForm>
        ) : null}
      </section>
      <section class="panel" aria-labelledby="tokens-h">
        <h2 id="tokens-h">Members and API tokens</h2>
        <p>
          In trustwatch a member is whoever holds an API token:{' '}
          <strong>a member's role is their token's role</strong> (viewer {ROLE_TEXT.viewer}; reviewer{' '}
          {ROLE_TEXT.reviewer}; admin {ROLE_TEXT.admin}). Give each person their own token so the audit log
          and the queue's assignees name them.
        </p>
        {admin ? (
          <>
            <section class="table-wrap" tabindex={0} aria-labelledby="tokens-h">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Prefix</th>
                    <th scope="col">Role</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((t) => (
                    <tr key={t.id} class={t.revokedAt ? 'revoked' : undefined}>
                      <th scope="row">
                        {t.name}
                        {t.id === me ? <span class="meta"> (you)</span> : null}
                      </th>
                      <td>
                        <code>{t.prefix}…</code>
                      </td>
                      <td>
                        {t.revokedAt ? (
                          <span class="muted">revoked {utc(t.revokedAt).slice(0, 10)}</span>
                        ) : (
                          <PostForm c={c} action={`/settings/tokens/${t.id}/role`} class="inline-role">
                            <label class="visually-hidden" for={`role-${t.id}`}>
                              Role of {t.name}
                            </label>
                            <select id={`role-${t.id}`} name="role">
                              {ROLES.map((role) => (
                                <option key={role} value={role} selected={role === t.role}>
                                  {role}
                                </option>
                              ))}
                            </select>
                            <button type="submit" class="secondary">
                              Set<span class="visually-hidden"> role of {t.name}</span>
                            </button>
                          </PostForm>
                        )}
                      </td>
                      <td>{utc(t.createdAt).slice(0, 10)}</td>
                      <td>{t.lastUsedAt ? utc(t.lastUsedAt) : 'never'}</td>
                      <td>
                        {t.revokedAt ? null : (
                          <form
                            method="post"
                            action={`/settings/tokens/${t.id}/revoke`}
                            data-confirm={`Revoke the token of ${t.name}? Whoever uses it is signed out.`}
                          >
                            <input type="hidden" name="_csrf" value={c.get('session').csrf} />
                            <button type="submit" class="secondary">
                              Revoke<span class="visually-hidden"> {t.name}</span>
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <PostForm c={c} action="/settings/tokens" class="stack">
              <h3>Add a member (new token)</h3>
              <ErrorSummary issues={s.tokenIssues} />
              <Field
                name="tokenName"
                label="Whose token"
                hint="A person or a system, e.g. Ana (comms)"
                value={s.tokenValues?.tokenName}
                issues={s.tokenIssues}
                required
              />
              <Field name="tokenRole" label="Role" issues={s.tokenIssues}>
                <select id="f-tokenRole" name="tokenRole">
                  {ROLES.map((role) => (
                    <option
                      key={role}
                      value={role}
                      selected={role === (s.tokenValues?.tokenRole ?? 'reviewer')}
                    >
                      {role}
                    </option>
                  ))}
                </select>
              </Field>
              <button type="submit">Create token</button>
            </PostForm>
          </>
        ) : (
          <p class="muted">Admins see and manage the tokens.</p>
        )}
      </section>
    </>,
  );
}
