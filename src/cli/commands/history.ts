// `owa-audit history import <run-dir>...` records runs (a scan records its own run when it
// finishes); `owa-audit history list` shows what the history holds; `owa-audit history prune`
// drops old runs so the database stays bounded. A HistoryError carries exit status 1; main.ts prints
// its message as one line.
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { resolveHistoryPath } from '../../history/config.js';
import { addHistoryOptions } from '../history-options.js';
import type { StoredRun } from '../../history/store.js';
import type { RetentionRules } from '../../history/prune.js';
import { boundHeapGrowth } from '../v8-tuning.js';
import { parseDate, utcMinute } from '../../core/time.js';
import { revealControls } from '../../core/text.js';

interface HistoryOptions {
  history?: string | boolean;
}

function historyPathOrFail(opts: HistoryOptions): string {
  const path = resolveHistoryPath(opts.history);
  if (path === null)
    throw new InputError(
      'the scan history is turned off (--no-history, --history none or OWA_AUDIT_HISTORY=none)',
    );
  return path;
}

function when(iso: string | null): string {
  if (iso === null) return '—';
  return utcMinute(iso) ?? revealControls(iso.slice(0, 40));
}

function runsTable(runs: StoredRun[]): string {
  const rows = [['scan', 'started', 'state', 'endpoints', 'exchange', 'vulnerable', 'run directory']];
  for (const r of runs) {
    rows.push([
      revealControls(r.name.slice(0, 60)),
      when(r.startedAt),
      r.state,
      String(r.endpoints),
      String(r.exchange),
      String(r.vulnerable),
      revealControls(r.runDir ?? '—'),
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

export function registerHistory(program: Command): void {
  const history = program
    .command('history')
    .description('the scan history: record runs, list them, prune old ones');

  addHistoryOptions(
    history
      .command('import')
      .description(
        'record run directories in the history (again: replaces the earlier copy, never duplicates)',
      )
      .argument('<run-dir...>', 'run directories written by scan')
      .option('--partial', 'also record a run that did not finish'),
  ).action(async (dirs: string[], opts: HistoryOptions & { partial?: boolean }) => {
    const path = historyPathOrFail(opts);
    boundHeapGrowth();
    // The command's modules load when it runs, not when the CLI starts (issue 17).
    const { recordRunInHistory } = await import('../../history/record-run.js');
    for (const dir of dirs) {
      const done = await recordRunInHistory(dir, { path, partial: opts.partial === true });
      const r = done.run;
      process.stdout.write(
        `${done.replaced ? 'replaced' : 'recorded'} ${revealControls(r.name)} started ${when(r.startedAt)}: ` +
          `${r.endpoints} endpoints, ${r.exchange} Exchange, ${r.vulnerable} vulnerable\n`,
      );
      if (done.skippedLines > 0)
        process.stderr.write(
          `owa-audit: warning: ${dir}: ${done.skippedLines} line(s) of results.jsonl were not records and were skipped\n`,
        );
    }
  });

  addHistoryOptions(
    history
      .command('list')
      .description('list the runs in the history, oldest first')
      .option('--scan <name>', 'only the runs of this scan')
      .option('--json', 'print the runs as JSON'),
  ).action(async (opts: HistoryOptions & { scan?: string; json?: boolean }) => {
    const path = historyPathOrFail(opts);
    const { HistoryStore } = await import('../../history/store.js');
    const store = HistoryStore.openExisting(path);
    const runs = store === null ? [] : store.listRuns(opts.scan);
    store?.close();
    if (opts.json === true) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return;
    }
    if (runs.length === 0) {
      process.stderr.write(
        `owa-audit: no run in the history ${path}${opts.scan === undefined ? '' : ` for scan "${revealControls(opts.scan)}"`}\n`,
      );
      return;
    }
    process.stdout.write(`${runsTable(runs)}\n`);
  });

  addHistoryOptions(
    history
      .command('prune')
      .description(
        'delete old runs and their results, then compact the file; a run is kept when any rule keeps it',
      )
      .option('--keep <n>', 'keep the newest <n> runs of each scan')
      .option('--before <date>', 'delete runs started before <date> (YYYY-MM-DD, UTC, or ISO 8601)')
      .option('--scan <name>', 'only prune the runs of this scan')
      .option('--dry-run', 'say what would be deleted, delete nothing')
      .option('--json', 'print the outcome as JSON'),
  ).action(
    async (
      opts: HistoryOptions & {
        keep?: string;
        before?: string;
        scan?: string;
        dryRun?: boolean;
        json?: boolean;
      },
    ) => {
      const rules = retentionRules(opts);
      const path = historyPathOrFail(opts);
      const [{ HistoryStore }, { pruneHistory }] = await Promise.all([
        import('../../history/store.js'),
        import('../../history/prune.js'),
      ]);
      const store = HistoryStore.openExisting(path);
      if (store === null) {
        process.stderr.write(`owa-audit: no history at ${path}; nothing to prune\n`);
        return;
      }
      let outcome;
      try {
        outcome = pruneHistory(store, rules, { dryRun: opts.dryRun === true });
      } finally {
        store.close();
      }
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify({ dryRun: opts.dryRun === true, ...outcome }, null, 2)}\n`);
        return;
      }
      const verb = opts.dryRun === true ? 'would delete' : 'deleted';
      if (outcome.runs.length === 0) {
        process.stdout.write(
          `nothing to prune: every one of the ${outcome.kept} run(s) is kept by the rules\n`,
        );
        return;
      }
      process.stdout.write(`${runsTable(outcome.runs)}\n`);
      process.stdout.write(
        `${verb} ${outcome.runs.length} run(s) with ${outcome.results} result(s); ${outcome.kept} run(s) kept` +
          (opts.dryRun === true
            ? ''
            : `; ${path}: ${mib(outcome.bytesBefore)} → ${mib(outcome.bytesAfter)}`) +
          '\n',
      );
      process.stderr.write(
        'owa-audit: note: first seen and days exposed now count from the oldest run kept\n',
      );
    },
  );
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** The retention rules from the command line; bad values are input errors (exit status 2). */
function retentionRules(opts: { keep?: string; before?: string; scan?: string }): RetentionRules {
  const rules: RetentionRules = {};
  if (opts.keep === undefined && opts.before === undefined)
    throw new InputError('say what to keep: --keep <n>, --before <date>, or both', {
      file: 'command line',
      field: 'history prune',
    });
  if (opts.keep !== undefined) {
    if (!/^\d+$/.test(opts.keep) || Number(opts.keep) < 1 || !Number.isSafeInteger(Number(opts.keep)))
      throw new InputError(`not a whole number of runs of at least 1: ${opts.keep}`, {
        file: 'command line',
        field: '--keep',
      });
    rules.keep = Number(opts.keep);
  }
  if (opts.before !== undefined) {
    const at = parseDate(opts.before.trim());
    if (at === null)
      throw new InputError(`not a date (YYYY-MM-DD or ISO 8601): ${opts.before}`, {
        file: 'command line',
        field: '--before',
      });
    rules.since = at.toISOString();
  }
  if (opts.scan !== undefined) rules.scan = opts.scan;
  return rules;
}
