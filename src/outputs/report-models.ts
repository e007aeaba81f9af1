// The pass over results.jsonl that builds the report models: the main report's and, per owner,
// the owner's report and the digest of the e-mail draft. Only the documents (HTML, PDF) need it;
// results.csv and intelmq.jsonl have a pass of their own (line-exports.ts).
import { InputError } from '../core/errors.js';
import type { Owner } from '../core/result-schema.js';
import { diffForOwner } from '../history/diff.js';
import { OwnerDigest } from '../notify/digest.js';
import type { HistoryContext } from '../report/history-context.js';
import { ReportModel, type ModelOptions } from '../report/report-model.js';
import type { ServerSurvey } from '../report/server-survey.js';
import type { ServerFacts } from '../report/server-table.js';
import { readResults, type ReadStats } from '../run-store/read-results.js';

export interface OwnerModel {
  owner: Owner;
  model: ReportModel;
  digest: OwnerDigest | null;
}

/**
 * The pass that builds the report models: the main one and, per owner, the owner's and the
 * digest of the e-mail draft; owners sorted by name.
 */
export async function buildModels(
  resultsFile: string,
  survey: ServerSurvey,
  base: Omit<ModelOptions, 'owner'>,
  history: HistoryContext,
  perOwner: boolean,
  drafts: boolean,
): Promise<{ main: ReportModel; owners: OwnerModel[]; stats: ReadStats }> {
  const { index } = survey;
  const { since, hostLine, hostHistory } = history;
  const main = new ReportModel(
    { ...base, owner: null, history: { since, host: hostLine } },
    { index, facts: survey.servers.main, byOwner: survey.servers.byOwner },
  );
  const owners = new Map<string, OwnerModel>();
  const stats: ReadStats = { records: 0, skippedLines: 0 };
  try {
    // A scan still running appends records: this pass reads the bytes the survey read.
    for await (const r of readResults(resultsFile, stats, { bytes: survey.bytes })) {
      const server = index.keyOf(r);
      main.add(r, server);
      if (!perOwner || r.owner === null) continue;
      let o = owners.get(r.owner.name);
      if (o === undefined) {
        const ownSince = since === null ? null : diffForOwner(since, r.owner.name);
        const servers = {
          index,
          facts: survey.servers.byOwner.get(r.owner.name) ?? new Map<string, ServerFacts>(),
        };
        o = {
          owner: r.owner,
          model: new ReportModel(
            { ...base, owner: r.owner, history: { since: ownSince, host: hostLine } },
            { ...servers, byOwner: null },
          ),
          digest: drafts ? new OwnerDigest(base.remediation, hostHistory, servers) : null,
        };
        owners.set(r.owner.name, o);
      }
      o.model.add(r, server);
      o.digest?.add(r, server);
    }
  } catch (e) {
    throw notARunDirectory(e, resultsFile);
  }
  const sorted = [...owners.values()].sort((a, b) => a.owner.name.localeCompare(b.owner.name));
  return { main, owners: sorted, stats };
}

/** results.jsonl gone between the passes: bad input, not a crash. */
export function notARunDirectory(e: unknown, file: string): unknown {
  return (e as NodeJS.ErrnoException).code === 'ENOENT'
    ? new InputError('not a run directory: results.jsonl is missing', { file })
    : e;
}
