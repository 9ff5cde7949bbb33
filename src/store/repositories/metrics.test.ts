import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.ts';
import { checkMetricName } from './metrics.ts';

describe('checkMetricName', () => {
  it('accepts letters, digits, _ . - up to 64 characters', () => {
    for (const name of ['orders', 'support.tickets', 'nps-weekly', 'Orders_2026', 'a'.repeat(64)]) {
      expect(checkMetricName(name)).toBe(name);
    }
  });

  it('rejects empty, too long, path-like and spaced names with a VALIDATION error on "name"', () => {
    for (const name of ['', 'a'.repeat(65), '../secret', '.hidden', 'with space', 'x/y', 'é']) {
      const err = (() => {
        try {
          checkMetricName(name);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues[0]?.path).toBe('name');
    }
  });
});
