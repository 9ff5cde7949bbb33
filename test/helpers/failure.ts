import { expect } from 'vitest';
import { TrustwatchError } from '../../src/core/errors.ts';

/** Awaits a promise that must reject with a TrustwatchError, and returns that error for more checks. */
export async function failure(p: Promise<unknown>): Promise<TrustwatchError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(TrustwatchError);
    return err as TrustwatchError;
  }
  throw new Error('expected a failure');
}
