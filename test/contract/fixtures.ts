import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** ../shared/fixtures: real recordings read at run time, never copied into the project. */
export const SHARED_FIXTURES = join(import.meta.dirname, '../../../shared/fixtures');
/** test/fixtures: responses written by us from the services' documented formats. */
export const OWN_FIXTURES = join(import.meta.dirname, '../fixtures');

export function sharedFixture(path: string): string {
  return join(SHARED_FIXTURES, path);
}

export function ownFixture(path: string): string {
  return join(OWN_FIXTURES, path);
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
