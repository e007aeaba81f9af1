// The diff of two runs, from run directories or from the history. Either way the comparison
// happens in SQLite (only endpoints that are Exchange in one of the runs leave the database), so
// memory follows the number of changes, not the size of the runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { diffFromPairs, type DiffRunInfo, type RunDiff } from './diff.js';
import { inTurn, readRunForHistory, recordInto } from './record-run.js';
import { HistoryStore, type StoredRun } from './store.js';

function infoOf(run: StoredRun): DiffRunInfo {
  return { name: run.name, startedAt: run.startedAt, finishedAt: run.finishedAt, runDir: run.runDir };
}

/** Diff of two runs already in `store`. */
export function diffStoredRuns(store: HistoryStore, before: StoredRun, after: StoredRun): RunDiff {
  return diffFromPairs(infoOf(before), infoOf(after), store.exchangePairs(before.id, after.id));
}

/**
 * Diff of two run directories, whatever their scan names. Both are loaded into a temporary
 * database that is removed afterwards: the user's history is neither needed nor changed.
 */
export async function diffRunDirs(beforeDir: string, afterDir: string): Promise<RunDiff> {
  const a = await readRunForHistory(beforeDir);
  const b = await readRunForHistory(afterDir);
  if (a.info.name === b.info.name && a.info.startedAt === b.info.startedAt) {
    throw new InputError(
      `both directories hold the same run (${a.info.name}, started ${a.info.startedAt ?? '?'})`,
      { file: afterDir },
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'owa-audit-diff-'));
  try {
    const store = HistoryStore.open(join(dir, 'diff.db'));
    try {
      const now = new Date();
      const before = await recordInto(store, beforeDir, a.info, a.raw, now);
      const after = await recordInto(store, afterDir, b.info, b.raw, now);
      const diff = diffStoredRuns(store, before.run, after.run);
      // Report where the runs really are, not the temporary copies' bookkeeping.
      return {
        ...diff,
        before: { ...diff.before, runDir: beforeDir },
        after: { ...diff.after, runDir: afterDir },
      };
    } finally {
      store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface PreviousDiff {
  diff: RunDiff;
  /** True when the run was not in the history yet and was recorded by this call. */
  recorded: boolean;
}

/**
 * Diff of the run in `afterDir` against the previous finished run of the same scan in the history
 * at `historyPath`. The run is recorded in the history first when it is not there yet (or its
 * copy there is from before it finished), exactly as the scan would have recorded it.
 */
export async function diffAgainstPrevious(
  afterDir: string,
  historyPath: string,
  now: Date = new Date(),
): Promise<PreviousDiff> {
  const { info, raw } = await readRunForHistory(afterDir);
  return inTurn(historyPath, async () => {
    const store = HistoryStore.open(historyPath);
    try {
      let run = store.findRun(info.name, info.startedAt ?? '');
      let recorded = false;
      if (run === null || run.state !== (info.state ?? 'unknown') || run.finishedAt !== info.finishedAt) {
        if (info.state !== 'finished') {
          // Recording it would make its missing endpoints look "gone" in later diffs.
          throw new InputError(
            `the run did not finish (state: ${info.state ?? 'unknown'}); finish it with \`owa-audit scan --resume ${afterDir}\`, ` +
              'or compare two run directories (owa-audit diff <run-a> <run-b>)',
            { file: afterDir },
          );
        }
        run = (await recordInto(store, afterDir, info, raw, now)).run;
        recorded = true;
      }
      const previous = store.previousRun(run);
      if (previous === null) {
        throw new InputError(
          `the history holds no earlier finished run of scan "${info.name}" to compare with; ` +
            'give two run directories (owa-audit diff <run-a> <run-b>) or record earlier runs (owa-audit history import <run-dir>)',
          { file: historyPath },
        );
      }
      return { diff: diffStoredRuns(store, previous, run), recorded };
    } finally {
      store.close();
    }
  });
}
