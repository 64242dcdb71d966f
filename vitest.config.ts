import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Trains the NLU model once per run; every test file loads it from the cache.
    globalSetup: ['tests/helpers/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // restify's HTTP/2 dependency triggers DEP0111 on load, twice per test file; npm start and npm run chat silence it too.
    execArgv: ['--disable-warning=DEP0111'],
  },
});
