import { z } from '@hono/zod-openapi';

/** RFC 9457 problem+json as every error of the API renders it (see src/api/problem.ts). */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://trustwatch.dev/problems/validation' }),
    title: z.string().openapi({ example: 'Bad Request' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string(),
    code: z.string().openapi({
      description: 'Stable machine-readable code: VALIDATION, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, ...',
      example: 'VALIDATION',
    }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'For invalid input: the offending field (`limit`, `config.url`) and why' }),
  })
  .openapi('Problem');

/** A resource id in the path: malformed ids are a 400 (bad request), unknown ones a 404. */
export const uuidParams = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' }, example: '4b6f8a3c-2a9e-4f59-9a55-0b7d1b2c9e10' }),
});

/** Dates travel as ISO 8601 strings in JSON. */
export const dateTime = z.string().openapi({ format: 'date-time' });

/** An object documented by its main fields; the handler may return more (kept out of the contract). */
export function resource<T extends z.core.$ZodLooseShape>(name: string, shape: T) {
  return z.looseObject(shape).openapi(name);
}

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page' }),
  });
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T, description = 'JSON body') {
  return { required: true, description, content: { 'application/json': { schema } } };
}
