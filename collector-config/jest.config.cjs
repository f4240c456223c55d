const { packageJestConfig } = require('../jest.preset.cjs');

// End-to-end tests start real collectors, Prometheus servers and app processes, and wait for
// push and scrape intervals (and a 30 s outage): minutes, not the preset's seconds.
module.exports = packageJestConfig(__dirname, {
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 180000,
  setupFilesAfterEnv: ['<rootDir>/test/support/jestTimeout.ts'],
});
