import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type FieldIssue, type TrustwatchError, isTrustwatchError } from '../core/errors.ts';

/**
 * Errors as RFC 9457 problem+json with a stable `code`. Invalid input names the field in `errors`.
 */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldIssue[];
}

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  VALIDATION: 400,
  QUERY_SYNTAX: 400,
  SOURCE_CONFIG_INVALID: 400,
  SOURCE_UNKNOWN_TYPE: 400,
  IMPORT_MALFORMED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  DATABASE: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  detail: string,
  errors?: FieldIssue[],
): Response {
  const body: ProblemBody = {
    type: `https://trustwatch.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

/** Maps a thrown error to a problem response. Unknown errors become 500 without internals. */
export function problemFromError(c: Context, err: unknown): Response {
  if (isTrustwatchError(err)) {
    const status = STATUS_BY_CODE[err.code] ?? 500;
    const issues = fieldIssues(err);
    return problem(c, status, err.code, status === 500 ? 'Internal error' : err.message, issues);
  }
  return problem(c, 500, 'INTERNAL', 'Internal error');
}

function fieldIssues(err: TrustwatchError): FieldIssue[] | undefined {
  const issues = err.details.issues;
  if (Array.isArray(issues)) return issues as FieldIssue[];
  if (typeof err.details.field === 'string') return [{ path: err.details.field, message: err.message }];
  if (err.code === 'QUERY_SYNTAX') return [{ path: 'query', message: err.message }];
  return undefined;
}
