/**
 * Typed errors. Every error trustwatch raises on purpose carries a stable `code` so that the API,
 * the CLI and the source health records can say what failed without parsing messages.
 */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'QUERY_SYNTAX'
  | 'CONFIG_INVALID'
  | 'SOURCE_CONFIG_INVALID'
  | 'SOURCE_UNKNOWN_TYPE'
  | 'FETCH_TIMEOUT'
  | 'FETCH_NETWORK'
  | 'FETCH_HTTP_STATUS'
  | 'FETCH_RATE_LIMITED'
  | 'FETCH_BODY_TOO_LARGE'
  /** The URL (or a redirect from it) leads to a private, loopback or link-local address. */
  | 'FETCH_BLOCKED'
  | 'FEED_MALFORMED'
  | 'IMPORT_MALFORMED'
  | 'IMPORT_FILE'
  | 'DATABASE'
  | 'INTERNAL';

export interface TrustwatchErrorOptions {
  cause?: unknown;
  /** Extra machine-readable facts (field name, position, url, status...). Never put secrets here. */
  details?: Record<string, unknown>;
}

export class TrustwatchError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: TrustwatchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrustwatchError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** One invalid field of a request, config or file, named by its path (e.g. `query` or `mapping.text`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends TrustwatchError {
  readonly issues: FieldIssue[];
  constructor(message: string, issues: FieldIssue[] = []) {
    super('VALIDATION', message, { details: { issues } });
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

export class NotFoundError extends TrustwatchError {
  constructor(what: string, id: string | number) {
    super('NOT_FOUND', `${what} ${id} not found`, { details: { what, id } });
    this.name = 'NotFoundError';
  }
}

/** A fetch that failed; `retryAfterMs` tells the scheduler when the upstream asked us to come back. */
export class FetchError extends TrustwatchError {
  readonly url: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    code: Extract<
      ErrorCode,
      | 'FETCH_TIMEOUT'
      | 'FETCH_NETWORK'
      | 'FETCH_HTTP_STATUS'
      | 'FETCH_RATE_LIMITED'
      | 'FETCH_BODY_TOO_LARGE'
      | 'FETCH_BLOCKED'
    >,
    message: string,
    opts: { url: string; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(code, message, {
      cause: opts.cause,
      details: { url: opts.url, status: opts.status, retryAfterMs: opts.retryAfterMs },
    });
    this.name = 'FetchError';
    this.url = opts.url;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export function isTrustwatchError(err: unknown): err is TrustwatchError {
  return err instanceof TrustwatchError;
}

/** A one-line description of any thrown value, for logs and source health records. */
export function describeError(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof TrustwatchError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}
