import { z } from 'zod';
import {
  type AnySourceAdapter,
  getAdapter,
  parseSourceConfig,
  publicConfig,
  sourceAdapters,
} from '../../../../sources/index.ts';
import { type FieldIssue, TrustwatchError, ValidationError } from '../../../core/errors.ts';
import type { Watch } from '../../../core/watch.ts';
import {
  type SourceRecord,
  createSource,
  getSource,
  listSources,
  setSourceEnabled,
  updateSource,
} from '../../../store/repositories/sources.ts';
import { listWatches } from '../../../store/repositories/watches.ts';
import { actorOf, hasRole } from '../../context.ts';
import { type DashboardContext, type DashboardDeps, idParam } from '../context.ts';
import { utc } from '../format.ts';
import { ErrorSummary, Field, Notice, PostForm, readForm } from '../forms.tsx';
import { renderPage } from '../layout.tsx';
import { type DashboardRouter, redirectAfter } from '../router.tsx';
import { duration } from './review.tsx';

/** One top-level config field of an adapter, from its zod schema's JSON Schema. */
interface ConfigField {
  key: string;
  kind: 'string' | 'number' | 'boolean' | 'enum' | 'json';
  required: boolean;
  secret: boolean;
  description?: string | undefined;
  options?: string[] | undefined;
  defaultValue?: unknown;
}

/** The adapter's config fields (its zod schema is the source of truth; see sources/index.ts). */
export function configFields(adapter: AnySourceAdapter): ConfigField[] {
  let schema: { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  try {
    schema = z.toJSONSchema(adapter.configSchema, { io: 'input', unrepresentable: 'any' }) as typeof schema;
  } catch {
    return [];
  }
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, p]) => {
    const options = Array.isArray(p.enum) ? (p.enum as unknown[]).map(String) : undefined;
    const t = p.type;
    const kind: ConfigField['kind'] = options
      ? 'enum'
      : t === 'string'
        ? 'string'
        : t === 'number' || t === 'integer'
          ? 'number'
          : t === 'boolean'
            ? 'boolean'
            : 'json';
    return {
      key,
      kind,
      required: required.has(key),
      secret: adapter.secretFields.includes(key),
      description: typeof p.description === 'string' ? p.description : undefined,
      options,
      defaultValue: p.default,
    };
  });
}

const baseForm = z
  .object({
    name: z.string().trim().min(1, 'give the source a name').max(200),
    watchId: z.string().optional(),
    intervalSeconds: z.coerce
      .number({ error: 'a number of seconds' })
      .int('whole seconds')
      .min(30, 'at least 30 seconds')
      .max(7 * 86400, 'at most a week'),
  })
  .loose();

/**
 * The form's `config.<key>` strings to a config object, typed per field. A secret left blank on edit
 * keeps the stored one (secrets are never sent back to the browser).
 */
function configFrom(
  fields: ConfigField[],
  values: Record<string, string>,
  stored: Record<string, unknown> | undefined,
): { config: Record<string, unknown>; issues: FieldIssue[] } {
  const config: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const f of fields) {
    const path = `config.${f.key}`;
    const raw = (values[path] ?? '').trim();
    if (f.kind === 'boolean') {
      if (raw === 'true') config[f.key] = true;
      else if (raw === 'false') config[f.key] = false;
      continue;
    }
    if (raw === '') {
      if (f.secret && stored && stored[f.key] !== undefined) config[f.key] = stored[f.key];
      continue;
    }
    if (f.kind === 'number') {
      const n = Number(raw);
      if (Number.isFinite(n)) config[f.key] = n;
      else issues.push({ path, message: 'a number' });
    } else if (f.kind === 'json') {
      try {
        config[f.key] = JSON.parse(raw);
      } catch {
        // A list of plain words is friendlier than JSON for arrays of strings.
        if (!raw.startsWith('{') && !raw.startsWith('[')) {
          config[f.key] = raw
            .split(/[\n,]+/)
            .map((s) => s.trim())
            .filter(Boolean);
        } else issues.push({ path, message: 'not valid JSON' });
      }
    } else config[f.key] = raw;
  }
  return { config, issues };
}

/** What the form shows for a stored config: secrets never, JSON fields as JSON. */
function configValues(fields: ConfigField[], config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = config[f.key];
    if (f.secret || v === undefined || v === null) continue;
    out[`config.${f.key}`] = f.kind === 'json' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/** Sources: health at a glance, add and edit with the adapter's own validation, enable and pause. */
export function sourcesPages(r: DashboardRouter): void {
  const { deps } = r;

  r.page('/sources', async (c) => {
    const ws = c.get('principal').workspaceId;
    const [sources, watches] = await Promise.all([listSources(deps.db, ws), listWatches(deps.db, ws)]);
    const watchName = new Map(watches.map((w) => [w.id, w.name]));
    const admin = hasRole(c.get('principal'), 'admin');
    const now = deps.now?.() ?? new Date();
    return renderPage(
      c,
      deps,
      {
        title: 'Sources',
        nav: 'sources',
        watchPicker: false,
        actions: admin ? (
          <a class="button" href="/sources/new">
            Add source
          </a>
        ) : undefined,
      },
      <>
        <Notice text={c.req.query('done')} />
        {sources.length === 0 ? <p>No sources yet.</p> : null}
        <section class="table-wrap panel" tabindex={0} aria-label="Sources">
          <table class="sources">
            <caption class="visually-hidden">Sources and their health</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Health</th>
                <th scope="col">Last poll</th>
                <th scope="col">Next poll</th>
                <th scope="col">Last error</th>
                <th scope="col" class="num">
                  Failures in a row
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <SourceRow
                  key={s.id}
                  c={c}
                  s={s}
                  watch={s.watchId ? (watchName.get(s.watchId) ?? 'a watch') : 'all watches'}
                  admin={admin}
                  now={now}
                />
              ))}
            </tbody>
          </table>
        </section>
        {admin ? null : <p class="muted">Admins add, edit and pause sources.</p>}
      </>,
    );
  });

  r.page(
    '/sources/new',
    async (c) => {
      const type = c.req.query('type');
      if (!type) {
        return renderPage(
          c,
          deps,
          { title: 'Add a source', nav: 'sources', watchPicker: false },
          <ul class="source-types">
            {sourceAdapters.map((a) => (
              <li key={a.id}>
                <a href={`/sources/new?type=${encodeURIComponent(a.id)}`}>{a.name}</a>
                <span class="muted"> — {a.description}</span>
              </li>
            ))}
          </ul>,
        );
      }
      const adapter = getAdapter(type);
      const watches = await listWatches(deps.db, c.get('principal').workspaceId);
      return sourceFormPage(c, deps, {
        adapter,
        watches,
        values: { intervalSeconds: String(adapter.defaultIntervalSeconds) },
      });
    },
    'admin',
  );

  r.page(
    '/sources/:id/edit',
    async (c) => {
      const ws = c.get('principal').workspaceId;
      const source = await getSource(deps.db, ws, idParam(c));
      const adapter = getAdapter(source.type);
      const watches = await listWatches(deps.db, ws);
      return sourceFormPage(c, deps, {
        adapter,
        watches,
        source,
        values: {
          name: source.name,
          watchId: source.watchId ?? '',
          intervalSeconds: String(source.intervalSeconds),
          ...configValues(configFields(adapter), source.config),
        },
      });
    },
    'admin',
  );

  const save = async (c: DashboardContext, id: string | undefined) => {
    const ws = c.get('principal').workspaceId;
    const source = id ? await getSource(deps.db, ws, id) : undefined;
    const form = await readForm(c, baseForm.extend({ type: z.string().optional() }));
    const adapter = getAdapter(source?.type ?? form.values.type ?? '');
    const watches = await listWatches(deps.db, ws);
    const fields = configFields(adapter);
    const { config, issues: configIssues } = configFrom(fields, form.values, source?.config);
    const issues = [...(form.ok ? [] : form.issues), ...configIssues];
    let parsed: Record<string, unknown> | undefined;
    if (configIssues.length === 0) {
      try {
        parsed = parseSourceConfig(adapter.id, config);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        issues.push(...(err.issues ?? [{ path: 'config', message: err.message }]));
      }
    }
    const watchId = form.values.watchId || null;
    if (watchId && !watches.some((w) => w.id === watchId))
      issues.push({ path: 'watchId', message: 'unknown watch' });
    if (!form.ok || issues.length > 0 || !parsed) {
      return sourceFormPage(c, deps, { adapter, watches, source, values: form.values, issues }, 400);
    }
    const audit = publicConfig(adapter.id, parsed);
    try {
      const saved = id
        ? await updateSource(
            deps.db,
            ws,
            id,
            { name: form.data.name, config: parsed, watchId, intervalSeconds: form.data.intervalSeconds },
            actorOf(c.get('principal')),
            audit,
          )
        : await createSource(
            deps.db,
            ws,
            {
              type: adapter.id,
              name: form.data.name,
              config: parsed,
              watchId,
              intervalSeconds: form.data.intervalSeconds,
            },
            actorOf(c.get('principal')),
            audit,
          );
      return redirectAfter(c, '/sources', `Saved source ${saved.name}`);
    } catch (err) {
      if (!(err instanceof TrustwatchError) || err.code !== 'CONFLICT') throw err;
      const conflict = [{ path: 'name', message: err.message }];
      return sourceFormPage(
        c,
        deps,
        { adapter, watches, source, values: form.values, issues: conflict },
        409,
      );
    }
  };
  r.action('/sources', 'admin', (c) => save(c, undefined));
  r.action('/sources/:id', 'admin', (c) => save(c, idParam(c)));

  r.action('/sources/:id/enabled', 'admin', async (c) => {
    const form = await readForm(c, z.object({ enabled: z.enum(['true', 'false']) }));
    if (!form.ok) throw new ValidationError('enabled must be true or false', form.issues);
    const s = await setSourceEnabled(
      deps.db,
      c.get('principal').workspaceId,
      idParam(c),
      form.data.enabled === 'true',
      actorOf(c.get('principal')),
    );
    return redirectAfter(c, '/sources', `${s.name} ${s.enabled ? 'enabled' : 'paused'}`);
  });
}

function SourceRow(props: {
  c: DashboardContext;
  s: SourceRecord;
  watch: string;
  admin: boolean;
  now: Date;
}) {
  const { c, s, admin, now } = props;
  const h = s.health;
  const failing = h.consecutiveFailures > 0;
  const status = !s.enabled ? 'paused' : failing ? 'failing' : h.lastSuccessAt ? 'healthy' : 'waiting';
  const adapter = sourceAdapters.find((a) => a.id === s.type);
  const push = adapter?.push === true;
  return (
    <tr>
      <th scope="row">
        {s.name}
        <br />
        <span class="meta">
          {adapter?.name ?? s.type} · {props.watch} · every {duration(s.intervalSeconds)}
        </span>
      </th>
      <td>
        <span class={`badge health-${status}`}>{status}</span>
      </td>
      <td>
        {push ? 'push source' : utc(h.lastPolledAt)}
        {h.lastSuccessAt && h.lastSuccessAt !== h.lastPolledAt ? (
          <span class="meta">
            <br />
            last success {utc(h.lastSuccessAt)}
          </span>
        ) : null}
      </td>
      <td>
        {push || !s.enabled
          ? '–'
          : h.nextPollAt.getTime() <= now.getTime()
            ? 'due now'
            : `${utc(h.nextPollAt)} (in ${duration((h.nextPollAt.getTime() - now.getTime()) / 1000)})`}
      </td>
      <td>
        {h.lastError ? (
          <>
            <code>{h.lastErrorCode ?? 'ERROR'}</code> {h.lastError}
            <span class="meta">
              <br />
              {utc(h.lastErrorAt)}
            </span>
          </>
        ) : (
          '–'
        )}
      </td>
      <td class={failing ? 'num neg' : 'num'}>{h.consecutiveFailures}</td>
      <td>
        {admin ? (
          <div class="actions">
            <a href={`/sources/${s.id}/edit`}>Edit {s.name}</a>
            <PostForm c={c} action={`/sources/${s.id}/enabled`}>
              <input type="hidden" name="enabled" value={s.enabled ? 'false' : 'true'} />
              <button type="submit" class="secondary">
                {s.enabled ? 'Pause' : 'Enable'}
                <span class="visually-hidden"> {s.name}</span>
              </button>
            </PostForm>
          </div>
        ) : null}
      </td>
    </tr>
  );
}

interface SourceFormState {
  adapter: AnySourceAdapter;
  watches: Watch[];
  source?: SourceRecord | undefined;
  values: Record<string, string>;
  issues?: FieldIssue[] | undefined;
}

function sourceFormPage(
  c: DashboardContext,
  deps: DashboardDeps,
  s: SourceFormState,
  status: 200 | 400 | 409 = 200,
): Promise<Response> {
  const { adapter, values: v, issues } = s;
  const fields = configFields(adapter);
  return renderPage(
    c,
    deps,
    {
      title: s.source ? `Edit source ${s.source.name}` : `Add a ${adapter.name} source`,
      nav: 'sources',
      watchPicker: false,
      status,
    },
    <PostForm c={c} action={s.source ? `/sources/${s.source.id}` : '/sources'} class="stack">
      <p class="muted">{adapter.description}</p>
      <ErrorSummary issues={issues} />
      <input type="hidden" name="type" value={adapter.id} />
      <Field name="name" label="Name" value={v.name} issues={issues} required />
      <Field name="watchId" label="Watch" hint="Match its mentions against one watch, or all" issues={issues}>
        <select id="f-watchId" name="watchId">
          <option value="">All watches</option>
          {s.watches.map((w) => (
            <option key={w.id} value={w.id} selected={w.id === v.watchId}>
              {w.name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        name="intervalSeconds"
        label="Poll every (seconds)"
        type="number"
        value={v.intervalSeconds}
        issues={issues}
        required
      />
      <fieldset class="config">
        <legend>{adapter.name} settings</legend>
        {fields.map((f) => (
          <ConfigInput
            key={f.key}
            f={f}
            value={v[`config.${f.key}`]}
            issues={issues}
            stored={s.source?.config}
          />
        ))}
      </fieldset>
      <div class="actions">
        <button type="submit">Save source</button>
        <a href="/sources">Cancel</a>
      </div>
    </PostForm>,
  );
}

function ConfigInput(props: {
  f: ConfigField;
  value: string | undefined;
  issues: FieldIssue[] | undefined;
  stored: Record<string, unknown> | undefined;
}) {
  const { f, issues } = props;
  const name = `config.${f.key}`;
  const id = `f-${name}`;
  const label = `${f.key}${f.required ? '' : ' (optional)'}`;
  const hasSecret = f.secret && props.stored?.[f.key] !== undefined && props.stored[f.key] !== null;
  const hint =
    [
      f.description,
      f.secret ? (hasSecret ? 'Saved; leave blank to keep it' : 'Secret: never shown again') : '',
    ]
      .filter(Boolean)
      .join('. ') || undefined;
  const error = issues?.find((i) => i.path === name)?.message;
  const describedBy =
    [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  if (f.secret) {
    return (
      <Field name={name} label={label} hint={hint} issues={issues}>
        <input
          id={id}
          name={name}
          type="password"
          autocomplete="off"
          value=""
          placeholder={hasSecret ? '•••••• (saved)' : ''}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
        />
      </Field>
    );
  }
  if (f.kind === 'enum' || f.kind === 'boolean') {
    const options = f.kind === 'boolean' ? ['true', 'false'] : (f.options ?? []);
    return (
      <Field name={name} label={label} hint={hint} issues={issues}>
        <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy}>
          <option value="">
            {f.defaultValue !== undefined ? `Default (${String(f.defaultValue)})` : '—'}
          </option>
          {options.map((o) => (
            <option key={o} value={o} selected={o === props.value}>
              {f.kind === 'boolean' ? (o === 'true' ? 'yes' : 'no') : o}
            </option>
          ))}
        </select>
      </Field>
    );
  }
  if (f.kind === 'json') {
    return (
      <Field name={name} label={label} hint={hint ?? 'JSON'} issues={issues}>
        <textarea
          id={id}
          name={name}
          rows={3}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        >
          {props.value ?? ''}
        </textarea>
      </Field>
    );
  }
  return (
    <Field
      name={name}
      label={label}
      hint={hint}
      type="text"
      value={props.value}
      issues={issues}
      required={f.required}
    />
  );
}
