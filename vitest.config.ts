import { defineConfig } from 'vitest/config';

// Two lanes (docs/ARCHITECTURE.md, "Tests"): `npm run test:unit` runs the project "unit" — pure
// code, every test file not named *.integration.test.ts, with a guard that fails a test opening a
// socket or starting a process; `npm test` runs both projects.
const INTEGRATION = 'test/**/*.integration.test.ts';

export default defineConfig({
  test: {
    // Tests bind real loopback sockets and spawn the CLI; keep parallelism modest on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The knowledge base reads a user overlay (~/.local/share/owa-audit) by default: tests must see
    // the shipped data only, whatever `owa-audit data update` did on this machine.
    // Likewise no test writes into the default scan history (scans/history.db).
    // Every CLI a test starts (or main() run in-process) takes this as "now" (src/cli/clock.ts), so
    // its verdicts, data-age warning and report dates do not depend on the day the suite runs; the
    // day is the one the fixtures are written for (data as of 2026-08-20, scan files valid until
    // 2026-12-31). In-process library calls get `now`/`today` from the test itself.
    env: {
      OWA_AUDIT_DATA_DIR: '/nonexistent/owa-audit-test-data',
      OWA_AUDIT_HISTORY: 'none',
      OWA_AUDIT_NOW: '2026-11-27T12:00:00Z',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [INTEGRATION],
          setupFiles: ['test/helpers/unit-lane.ts'],
        },
      },
      { extends: true, test: { name: 'integration', include: [INTEGRATION] } },
    ],
  },
});
