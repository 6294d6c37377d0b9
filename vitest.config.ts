import { defineConfig } from 'vitest/config';
import { LayerSummaryReporter } from './test/reporters/layer-summary.js';

// One project per test layer (unit, integration, infra, e2e), so `npm run check` can run the unit layer
// alone while `npm test` runs everything against the real broker and browser.
export default defineConfig({
  test: {
    // The broker and the two cores are shared: files run one at a time so throughput-heavy tests do not
    // starve each other or the broker.
    fileParallelism: false,
    // What a passing test prints (an expected failure's log line, a kafkajs retry) is noise; a failing test's
    // output is shown with it.
    silent: 'passed-only',
    reporters: ['default', new LayerSummaryReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Handlers log at ERROR and publish no EMF lines. POWERTOOLS_DEV makes Powertools write through the
          // global console, which vitest captures per test (its own Console would bypass the capture).
          env: { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_DEV: 'true' },
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          env: { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_DEV: 'true' },
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
