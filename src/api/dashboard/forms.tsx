import type { Child } from 'hono/jsx';
import type { z } from 'zod';
import type { FieldIssue } from '../../core/errors.ts';
import type { DashboardContext } from './context.ts';
import { CSRF_FIELD } from './sessions.ts';

/** The hidden CSRF field every dashboard form carries (checked by the action wrapper in router.ts). */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** A POST form with its CSRF field. */
export function PostForm(props: { c: DashboardContext; action: string; class?: string; children?: Child }) {
  return (
    <form method="post" action={props.action} class={props.class}>
      <CsrfField token={props.c.get('session').csrf} />
      {props.children}
    </form>
  );
}

export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; issues: FieldIssue[]; values: Record<string, string> };

/**
 * Reads an urlencoded or multipart form and validates it with a zod schema. Repeated fields become
 * arrays; the CSRF field is dropped. On failure the raw values come back to refill the form.
 */
export async function readForm<S extends z.ZodType>(
  c: DashboardContext,
  schema: S,
): Promise<FormResult<z.output<S>>> {
  const body = await c.req.parseBody({ all: true });
  const values: Record<string, string> = {};
  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === CSRF_FIELD) continue;
    const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    input[k] = Array.isArray(v) ? list : list[0];
    values[k] = list.join(', ');
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  return {
    ok: false,
    values,
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'form', message: i.message })),
  };
}

/** The errors of a failed submission, announced to screen readers, each linking to its field. */
export function ErrorSummary(props: { issues: FieldIssue[] | undefined }) {
  if (!props.issues?.length) return null;
  return (
    <div class="error-summary" role="alert">
      <h2>Please fix {props.issues.length === 1 ? 'this' : 'these'}:</h2>
      <ul>
        {props.issues.map((i) => (
          <li key={i.path}>
            <a href={`#f-${i.path}`}>
              {i.path}: {i.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A labelled input with its error. `id` is `f-<name>` so the error summary links to it. For selects
 * and textareas pass `children` (the control, with the same id) instead of `type`.
 */
export function Field(props: {
  name: string;
  label: string;
  value?: string | undefined;
  type?: string;
  hint?: string;
  required?: boolean;
  issues?: FieldIssue[] | undefined;
  children?: Child;
}) {
  const id = `f-${props.name}`;
  const error = props.issues?.find((i) => i.path === props.name)?.message;
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.children ?? (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value ?? ''}
          required={props.required}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described || undefined}
        />
      )}
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A notice after a successful action (`?done=...`), announced politely. */
export function Notice(props: { text: string | undefined }) {
  if (!props.text) return null;
  return (
    <output class="notice" aria-live="polite">
      {props.text}
    </output>
  );
}
