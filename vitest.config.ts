import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests bind real loopback sockets and spawn the CLI; keep parallelism modest on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The knowledge base reads a user overlay (~/.local/share/owa-audit) by default: tests must see
    // the shipped data only, whatever `owa-audit data update` did on this machine.
    // Likewise no test writes into the default scan history (scans/history.db).
    env: { OWA_AUDIT_DATA_DIR: '/nonexistent/owa-audit-test-data', OWA_AUDIT_HISTORY: 'none' },
  },
});
