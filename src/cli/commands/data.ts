import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { DEFAULT_SOURCES } from '../../data-update/default-sources.js';
import { defaultUserDataDir } from '../../knowledge/user-data-dir.js';
import { commandClock } from '../clock.js';

/** A failure of the file system (disk full, permissions) reads better as its message than as a stack. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

export function registerData(program: Command): void {
  const data = program.command('data').description('the Exchange knowledge base: builds, CVEs, KEV flags');
  data
    .command('update')
    .description("refresh builds and KEV flags from Microsoft's build lists and CISA's KEV catalog")
    .option('--from <url-or-file...>', 'read these sources instead of the default URLs (repeatable)')
    .option('--dry-run', 'check the sources and show what would change; write nothing')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Default sources:
${DEFAULT_SOURCES.map((s) => `  ${s}`).join('\n')}

A --from value is a URL (https://; http:// only to a loopback address) or a local file, and its
kind is told from its content: the CSV's header line, an HTML page with the build tables, or JSON
(CISA's catalog). Give any subset, at most one of each kind.

The result goes to the user data directory: $OWA_AUDIT_DATA_DIR, else $XDG_DATA_HOME/owa-audit,
else ~/.local/share/owa-audit (now: ${defaultUserDataDir()}). Every command reads it on top of the
shipped data. A bad row is skipped with a warning naming file, line and reason; the rest is used.
A source that is not the feed at all (empty, an HTML error page, no header, far too few rows,
mostly bad rows) refuses the whole update and changes nothing. --dry-run shows what would change.
Exit status: 0 updated; 2 a local file is malformed; 1 a download failed or a URL served
something malformed.`,
    )
    .action(async (opts: { from?: string[]; dryRun?: boolean; json?: boolean }) => {
      const userDataDir = defaultUserDataDir();
      const { now, today } = commandClock();
      // The command's modules load when it runs, not when the CLI starts (issue 17).
      const [
        { dataFreshness },
        { DataUpdateError, formatProblem },
        { revealControls },
        { formatUpdateSummary },
        { runDataUpdate },
      ] = await Promise.all([
        import('../../classify/freshness.js'),
        import('../../data-update/errors.js'),
        import('../../core/text.js'),
        import('../../data-update/summary.js'),
        import('../../data-update/update.js'),
      ]);
      try {
        const r = await runDataUpdate({
          ...(now === undefined ? {} : { now }),
          ...(opts.from === undefined ? {} : { from: opts.from }),
          userDataDir,
          dryRun: opts.dryRun === true,
        });
        if (opts.json === true) process.stdout.write(`${JSON.stringify(r.summary, null, 2)}\n`);
        else process.stdout.write(formatUpdateSummary(r.summary));
        for (const src of r.summary.sources) {
          if (src.skipped === 0) continue;
          process.stderr.write(
            `owa-audit: warning: ${revealControls(src.label)}: ${src.skipped} of ${src.rows ?? '?'} ${src.exchangeEntries === null ? 'row(s)' : 'entries'} skipped as bad; the rest was used.\n`,
          );
        }
        const fresh = dataFreshness(r.kb, today);
        if (fresh.message !== null) process.stderr.write(`owa-audit: warning: ${fresh.message}\n`);
      } catch (e) {
        if (e instanceof DataUpdateError) {
          process.stderr.write('owa-audit: data update refused:\n');
          for (const p of e.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
          process.stderr.write(`owa-audit: nothing was changed in ${userDataDir}.\n`);
          process.exitCode = e.exitCode;
          return;
        }
        if (e instanceof InputError || !isSystemError(e)) throw e;
        process.stderr.write(
          `owa-audit: data update failed: ${e.message}\nowa-audit: the user data in ${userDataDir} was not changed.\n`,
        );
        process.exitCode = 1;
      }
    });
  data
    .command('status')
    .description('data sources, as-of dates, counts, and what the user data adds to the shipped data')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { today } = commandClock();
      const { dataStatus, formatDataStatus } = await import('../../data-update/status.js');
      const s = await dataStatus(today === undefined ? {} : { today });
      if (opts.json === true) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      else process.stdout.write(formatDataStatus(s));
    });
}
