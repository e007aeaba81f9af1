// Resume: read what a stopped (or killed) run already wrote, cut a torn tail, and answer "is
// this endpoint done?" in constant memory per record (see key-set.ts).
//
// results.jsonl is read in chunks by byte offset, so the file is cut exactly after the last
// complete, valid record. Only the *tail* may be damaged (a kill -9 mid-write, or the zero-filled
// blocks a power loss can leave): an invalid line followed by valid ones is not something this
// tool writes, so resume stops with a RunDirError naming the line rather than guessing.
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { endpointKey, RESULT_SCHEMA, type ResultRecord } from '../core/result-schema.js';
import { RunDirError } from '../core/errors.js';
import { KeySetBuilder } from '../core/key-set.js';
import { loadRun, RESULTS_FILE } from './run-dir.js';
import { type RunMeta } from './run-meta.js';
import { addToTally, emptyTally, type Tally } from './tally.js';

export interface ResumePlan {
  meta: RunMeta;
  /** True for an endpointKey already in results.jsonl. */
  skip: (key: string) => boolean;
  /** Counts over the records already written (requests: the larger of run.json's and the records'). */
  tally: Tally;
  /** Bytes of a torn or damaged tail that were cut off (0 when the file was clean). */
  truncatedBytes: number;
}

const CHUNK_BYTES = 1 << 20;
/** Longer than any record this tool writes; a longer "line" is damage. */
const MAX_LINE_BYTES = 16 << 20;

type RecordKeyFields = Pick<
  ResultRecord,
  'schema' | 'scheme' | 'ip' | 'port' | 'host' | 'status' | 'exchange' | 'requests'
>;

function asRecord(text: string): RecordKeyFields | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Partial<RecordKeyFields>;
  const okScheme = r.scheme === 'https' || r.scheme === 'http';
  const okIp = r.ip === null || typeof r.ip === 'string';
  const okHost = r.host === null || typeof r.host === 'string';
  if (r.schema !== RESULT_SCHEMA || !okScheme || !okIp || !okHost || typeof r.port !== 'number') return null;
  if (typeof r.status !== 'string') return null;
  return r as RecordKeyFields;
}

interface ScanState {
  keys: KeySetBuilder;
  tally: Tally;
  lineNo: number;
  /** Byte offset just after the last valid record. */
  goodEnd: number;
  /** First invalid line seen after the last valid record. */
  badLine: number | null;
}

function acceptLine(state: ScanState, text: string, endOffset: number, file: string): void {
  state.lineNo++;
  const record = asRecord(text);
  if (record === null) {
    state.badLine ??= state.lineNo;
    return;
  }
  if (state.badLine !== null) {
    throw new RunDirError(
      file,
      `line ${state.badLine} is not a result record but later lines are; repair or remove it before resuming`,
    );
  }
  state.keys.add(endpointKey(record));
  addToTally(state.tally, record);
  state.goodEnd = endOffset;
}

async function scanResults(fh: FileHandle, size: number, file: string): Promise<ScanState> {
  const state: ScanState = {
    keys: new KeySetBuilder(),
    tally: emptyTally(),
    lineNo: 0,
    goodEnd: 0,
    badLine: null,
  };
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = 0; // file offset of carry[0]
  let pos = 0;
  while (pos < size) {
    const { bytesRead } = await fh.read(chunk, 0, Math.min(CHUNK_BYTES, size - pos), pos);
    if (bytesRead === 0) break;
    pos += bytesRead;
    const buf =
      carry.length === 0
        ? chunk.subarray(0, bytesRead)
        : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      acceptLine(state, buf.toString('utf8', start, nl), carryStart + nl + 1, file);
      start = nl + 1;
    }
    // The rest is an incomplete line: keep a copy (the chunk buffer is reused).
    carry = Buffer.from(buf.subarray(start));
    carryStart += start;
    if (carry.length > MAX_LINE_BYTES) {
      // Damage, not a record: everything from here on is the tail to cut (if nothing valid follows,
      // which the loop below still checks line by line).
      state.lineNo++;
      state.badLine ??= state.lineNo;
      const nextNl = await findNewline(fh, pos, size);
      if (nextNl < 0) break;
      pos = nextNl + 1;
      carry = Buffer.alloc(0);
      carryStart = pos;
    }
  }
  // A final fragment without "\n" is torn by definition, even if it happens to parse.
  return state;
}

async function findNewline(fh: FileHandle, from: number, size: number): Promise<number> {
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let pos = from;
  while (pos < size) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK_BYTES, size - pos), pos);
    if (bytesRead === 0) return -1;
    const i = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (i >= 0) return pos + i;
    pos += bytesRead;
  }
  return -1;
}

/**
 * Prepare to continue the run in `dir`: load run.json, cut a torn tail off results.jsonl, and
 * return the predicate over the endpoints already recorded. Take lockRun() first.
 */
export async function prepareResume(dir: string): Promise<ResumePlan> {
  const meta = await loadRun(dir);
  const file = join(dir, RESULTS_FILE);
  let fh: FileHandle;
  try {
    fh = await open(file, 'a+');
  } catch (err) {
    throw new RunDirError(file, `cannot open: ${(err as Error).message}`, { cause: err });
  }
  try {
    const { size } = await fh.stat();
    const state = await scanResults(fh, size, file);
    const truncatedBytes = size - state.goodEnd;
    if (truncatedBytes > 0) {
      await fh.truncate(state.goodEnd);
      await fh.sync();
    }
    const set = state.keys.build();
    const tally = state.tally;
    tally.requests = Math.max(tally.requests, meta.requests);
    return { meta, skip: (key) => set.has(key), tally, truncatedBytes };
  } catch (err) {
    if (err instanceof RunDirError) throw err;
    throw new RunDirError(file, `cannot resume: ${(err as Error).message}`, { cause: err });
  } finally {
    await fh.close().catch(() => undefined);
  }
}
