// `owa-audit diff <run-a> <run-b>` and `owa-audit diff <run-b>` (against the previous run of the
// same scan in the history): new, gone, newly vulnerable, fixed, still vulnerable, changed build.
// A history that cannot be read is a HistoryError (exit status 1, one line, printed by main.ts).
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { resolveHistoryPath } from '../../history/config.js';
import { addHistoryOptions } from '../history-options.js';

interface DiffOptions {
  json?: boolean;
  history?: string | boolean;
}

export function registerDiff(program: Command): void {
  const command = program
    .command('diff')
    .description('what changed between two runs: new, gone, newly vulnerable, fixed, changed build')
    .argument(
      '[run-a]',
      'older run directory; alone: the newer run, compared with the previous run of its scan in the history',
    )
    .argument('[run-b]', 'newer run directory')
    .option('--json', 'print the diff as one JSON object (schema owa-audit/diff@1)');
  addHistoryOptions(command).action(
    async (runA: string | undefined, runB: string | undefined, opts: DiffOptions) => {
      // The command's modules load when it runs, not when the CLI starts (issue 17).
      const [{ diffAgainstPrevious, diffRunDirs }, { diffJson, diffText }, { colorsFor }] = await Promise.all(
        [
          import('../../history/diff-runs.js'),
          import('../../history/diff-text.js'),
          import('../../util/colors.js'),
        ],
      );
      let diff;
      if (runA !== undefined && runB !== undefined) {
        diff = await diffRunDirs(runA, runB);
      } else if (runA !== undefined) {
        const path = resolveHistoryPath(opts.history);
        if (path === null) {
          throw new InputError(
            'diff with one run needs the scan history to find the previous run; give two run directories, or drop --no-history',
          );
        }
        const found = await diffAgainstPrevious(runA, path);
        if (found.recorded) process.stderr.write(`owa-audit: recorded ${runA} in the scan history ${path}\n`);
        diff = found.diff;
      } else {
        throw new InputError(
          'give one run directory (compared with the previous run of its scan) or two (older, newer)',
        );
      }
      if (opts.json === true) process.stdout.write(`${JSON.stringify(diffJson(diff), null, 2)}\n`);
      else process.stdout.write(diffText(diff, colorsFor(process.stdout)));
    },
  );
}
