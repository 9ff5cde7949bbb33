import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, describeConfig, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has defaults for everything, so a fresh machine needs no settings', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      TRUSTWATCH_DATA_DIR: './data',
      HOST: '127.0.0.1',
      PORT: 8080,
      LOG_LEVEL: 'info',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TRUSTWATCH_SCHEDULER).toBe(true);
  });

  it('parses numbers and booleans, and treats empty values as unset', () => {
    const config = loadConfig({ PORT: '9000', TRUSTWATCH_SCHEDULER: 'off', DATABASE_URL: '' });
    expect(config.PORT).toBe(9000);
    expect(config.TRUSTWATCH_SCHEDULER).toBe(false);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every invalid variable in one clear error', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration: /);
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(message).toMatch(/PORT: /);
    expect(message).toMatch(/LOG_LEVEL: /);
  });

  it('documents every variable in README.md and in --help', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const name of Object.keys(configSchema.shape)) expect(readme, name).toContain(`\`${name}\``);
    for (const v of describeConfig()) expect(v.description.length, v.name).toBeGreaterThan(5);
  });
});
