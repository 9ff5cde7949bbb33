const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a syntactically valid UUID. Repositories check ids with it before querying, because
 * PostgreSQL rejects a malformed uuid literal with an error where the caller expects "not found".
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
