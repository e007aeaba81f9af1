/* global process, AbortController */
// Child process for test/engine-resume.integration.test.ts: a minimal `scan` over the built engine (dist/),
// so the test can kill it for real (SIGKILL, SIGINT) and resume its run directory.
// Usage: node engine-resume-child.js '<json config>'
//   { runDir, mode: 'fresh' | 'resume', endpoints: [{ ip, port, host }], rate, concurrency }
import { beginRun, endRun, resumeRun } from '../../dist/run-store/open-run.js';
import { runEngine } from '../../dist/engine/scan.js';
import { RESULT_SCHEMA } from '../../dist/core/result-schema.js';

const cfg = JSON.parse(process.argv[2] ?? '{}');

const guard = {
  checkAddress: (ip) => (ip.startsWith('127.7.') ? { allowed: true } : { allowed: false, reason: `${ip} not in scope` }),
  checkHostname: () => ({ allowed: false, reason: 'names are not used here' }),
  checkConnection: (ip) => guard.checkAddress(ip),
  resolveAllowed: () => Promise.resolve({ allowed: [], refused: [] }),
};

function record(e, requests, error) {
  return {
    schema: RESULT_SCHEMA,
    target: e.target,
    host: e.host,
    ip: e.ip,
    port: e.port,
    scheme: e.scheme,
    status: error === null ? 'not-exchange' : 'error',
    observedAt: '2026-11-27T12:00:00.000Z', // fixed: the test judges counts and lines, never the date
    requests,
    exchange: null,
    evidence: [],
    tls: null,
    owner: null,
    error,
  };
}

async function* items() {
  for (const e of cfg.endpoints) {
    yield { kind: 'endpoint', endpoint: { target: e.host, host: e.host, ip: e.ip, port: e.port, scheme: 'http', owner: null } };
  }
}

const init = {
  name: 'resume-test',
  scanFile: { path: '/dev/null', source: 'name: resume-test\n' },
  authorisation: { by: 'test', reference: 'T-1', contact: 'test@example.invalid', validUntil: '2099-12-31' },
  settings: {
    rate: cfg.rate,
    concurrency: cfg.concurrency,
    hostGapMs: 0,
    timeoutMs: 2000,
    mode: 'standard',
    resolvers: [],
    ports: [{ port: 18080, scheme: 'http' }],
    maxRequestsPerEndpoint: 5,
  },
  data: { version: null, asOf: null },
};

const run = cfg.mode === 'resume' ? await resumeRun(cfg.runDir) : await beginRun(cfg.runDir, init);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort(new Error('interrupted')));

const summary = await runEngine({
  items: items(),
  probeEndpoint: async (e, session) => {
    await session.get('/');
    await session.get('/second');
    return record(e, session.requests, null);
  },
  unprobeableRecord: () => {
    throw new Error('no unprobeable items here');
  },
  failureRecord: (e, error, requests) => record(e, requests, error),
  guard,
  rate: cfg.rate,
  concurrency: cfg.concurrency,
  hostGapMs: 0,
  timeoutMs: 2000,
  maxRequestsPerEndpoint: 5,
  userAgent: 'owa-audit-resume-test',
  ...(run.skip === undefined ? {} : { skip: run.skip }),
  onRecord: (r) => run.write(r),
  signal: stop.signal,
});
const meta = await endRun(run, { aborted: summary.aborted, requestsThisSession: summary.requests });
if (summary.aborted) {
  process.stderr.write(`stopped after ${summary.records} records; resume with: owa-audit scan --resume ${cfg.runDir}\n`);
  process.exitCode = 130;
} else {
  process.stderr.write(`finished: ${meta.state}, ${summary.records} records, ${summary.skipped} skipped\n`);
}
