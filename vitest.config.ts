import { defineConfig } from 'vitest/config';

// In CI the verbose reporter shows every test name (so the log shows the storage suite running on both
// PGlite and PostgreSQL) and a JSON report feeds the `tests: N passed, N failed` summary line.
const ci = Boolean(process.env.CI);

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'sources/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite boots a WASM Postgres per test file; two workers fit this 2-core machine.
    maxWorkers: 2,
    // Fake upstreams listen on 127.0.0.1, which the HTTP client's SSRF guard refuses by default; the
    // SSRF tests turn this off for their own clients.
    env: { TRUSTWATCH_ALLOW_PRIVATE_URLS: '1' },
    reporters: ci ? ['verbose', ['json', { outputFile: 'test-results.json' }]] : ['default'],
  },
});
