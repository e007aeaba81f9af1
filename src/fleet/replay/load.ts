// Reading a directory of replay transcripts (`*.http`, see transcript.ts) — the only file I/O of
// the replay fleet. Order is by file name, so host addresses are stable from run to run.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTranscript, TranscriptError, type Transcript } from './transcript.js';

export const TRANSCRIPT_EXTENSION = '.http';
/** Bounds what one directory may hold (the replay fleet gives each transcript a /24 address). */
export const MAX_TRANSCRIPTS = 240;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export async function loadTranscripts(dir: string): Promise<Transcript[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(TRANSCRIPT_EXTENSION)).sort();
  if (names.length === 0) throw new Error(`${dir}: no *${TRANSCRIPT_EXTENSION} transcripts`);
  if (names.length > MAX_TRANSCRIPTS)
    throw new Error(`${dir}: ${names.length} transcripts; at most ${MAX_TRANSCRIPTS} per directory`);
  const seen = new Map<string, string>();
  const out: Transcript[] = [];
  for (const n of names) {
    const file = join(dir, n);
    const text = await readFile(file, 'utf8');
    if (Buffer.byteLength(text) > MAX_FILE_BYTES)
      throw new TranscriptError(file, 1, `larger than ${MAX_FILE_BYTES} bytes`);
    const t = parseTranscript(text, file);
    const other = seen.get(t.name);
    if (other !== undefined) throw new TranscriptError(file, 1, `name "${t.name}" is also used by ${other}`);
    seen.set(t.name, file);
    out.push(t);
  }
  return out;
}
