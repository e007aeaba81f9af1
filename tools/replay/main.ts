// `npm run replay -- [DIR] [--base 127.N.0.0] [--port N] [--keep DIR]`: replay a directory of
// transcripts (default: the repository's test/fixtures/replay) on loopback, scan them with the
// built CLI, and print each host's verdict against the truth its transcript states. Exit status 0
// when every host matches, 1 when one does not, 2 on bad input.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/util/version.js';
import { DEFAULT_REPLAY_BASE, replayDirectory } from './run.js';
import { replayTable } from './table.js';

const USAGE = `usage: npm run replay -- [DIR] [--base 127.N.0.0] [--port N] [--keep RUN-DIR] [--verbose]
  DIR          directory of *.http transcripts (default: test/fixtures/replay)
  --base       first address of the replay fleet, a /24 of 127.0.0.0/8 (default ${DEFAULT_REPLAY_BASE})
  --port       https port of every replay host (default 18443)
  --keep       write the scan's run directory here (results.jsonl, reports) and keep it
  --verbose    show the scanner's progress`;

async function main(argv: string[]): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        base: { type: 'string', default: DEFAULT_REPLAY_BASE },
        port: { type: 'string', default: '18443' },
        keep: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`replay: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const dir = positionals[0] ?? join(PACKAGE_ROOT, 'test', 'fixtures', 'replay');
  try {
    const result = await replayDirectory({
      dir,
      base: values.base,
      httpsPort: port,
      ...(values.keep === undefined ? {} : { outDir: values.keep }),
      ...(values.verbose ? { log: (t: string) => void process.stderr.write(t) } : {}),
    });
    process.stdout.write(`${replayTable(result)}\n`);
    return result.rows.every((r) => r.problems.length === 0) && result.sentinelConnections === 0 ? 0 : 1;
  } catch (e) {
    process.stderr.write(`replay: ${(e as Error).message}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
