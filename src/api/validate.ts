import type { z } from 'zod';
import { type FieldIssue, ValidationError } from '../core/errors.ts';

/**
 * Parses request input with a zod schema; failures become a ValidationError whose issues name the
 * field (`limit`, `config.url`), which the error handler renders as a 400 problem+json.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error.issues, what);
  throw new ValidationError(
    `Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}

/** Zod issues as field issues; an issue about the whole input (unknown keys, say) is named `what`. */
export function zodIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  what: string,
): FieldIssue[] {
  return issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : what,
    message: i.message,
  }));
}

/** Reads a JSON body, turning unparsable JSON into a 400 rather than a 500. */
export async function readJson(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ValidationError('Request body is not valid JSON', [{ path: 'body', message: 'invalid JSON' }]);
  }
}
