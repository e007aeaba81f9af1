// Targets files, read as a stream. The format is recognised from the first meaningful line:
// - masscan -oL   "open tcp 443 203.0.113.5 1690000000" ("#masscan" header, "# end" footer)
// - masscan -oJ   a JSON array written one record per line, with masscan's comma quirks: old
//                 versions end records with "}," and close with "{finished: 1}", new ones put
//                 "," on the line before each record; also -oD (one JSON object per line)
// - ZMap CSV      a header line with a "saddr" column (optionally "sport", "success")
// - plain         one target per line: IP, CIDR, hostname, optionally ":port"; "#" comments.
//                 A bare ZMap list of IPs is plain.
// A port that the file carries (masscan, ZMap "sport") is the port probed for that address.
import { readLines, LineTooLongError } from './lines.js';
import { parseTarget, type ParsedTarget } from './targets.js';
import { parseIpLiteral } from './entries.js';
import { show } from './show.js';
import { parseCsvLine } from '../core/csv.js';
import { cleanValue } from '../core/text.js';

export type TargetFileFormat = 'plain' | 'masscan-list' | 'masscan-json' | 'zmap-csv';

export interface FileTarget {
  line: number;
  target: ParsedTarget;
}

/** A line that is none of the recognised shapes; `line` is 1-based. */
export class TargetLineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

interface CsvColumns {
  saddr: number;
  sport: number;
  success: number;
}

type LineParser = (text: string, line: number) => ParsedTarget[];

function ipWithPort(ipText: string, port: number | null, line: number, what: string): ParsedTarget {
  const ip = parseIpLiteral(ipText);
  if (ip === null || !ip.ok) throw new TargetLineError(line, `${what}: "${ipText}" is not an IP address`);
  return { kind: 'ip', family: ip.value.family, ip: ip.value.address, port };
}

function parsePortField(text: unknown, line: number, what: string): number {
  const n = typeof text === 'number' ? text : typeof text === 'string' ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new TargetLineError(line, `${what}: ${typeof text === 'string' ? text : show(text)} is not a port`);
  }
  return n;
}

const parsePlain: LineParser = (text, line) => {
  const hash = text.indexOf('#');
  const body = (hash >= 0 ? text.slice(0, hash) : text).trim();
  if (body === '') return [];
  const t = parseTarget(body);
  if (!t.ok) throw new TargetLineError(line, `not a target: ${t.error}`);
  return [t.value];
};

const parseMasscanList: LineParser = (text, line) => {
  const body = text.trim();
  if (body === '' || body.startsWith('#')) return [];
  const f = body.split(/\s+/);
  const [state, proto, port, ip] = f;
  if (
    (state === 'open' || state === 'closed' || state === 'banner') &&
    ip !== undefined &&
    port !== undefined
  ) {
    // Banners repeat an open port already listed; closed ports and non-TCP protocols are not
    // web servers.
    if (state !== 'open' || proto !== 'tcp') return [];
    return [ipWithPort(ip, parsePortField(port, line, 'masscan -oL'), line, 'masscan -oL')];
  }
  throw new TargetLineError(line, `not a masscan -oL line ("open tcp <port> <ip> <time>"): "${clip(body)}"`);
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const parseMasscanJson: LineParser = (text, line) => {
  let body = text.trim();
  if (body.startsWith(',')) body = body.slice(1).trim();
  if (body.endsWith(',')) body = body.slice(0, -1).trim();
  if (body === '' || body === '[' || body === ']') return [];
  if (/^\{\s*"?finished"?\s*:\s*\d+\s*\}$/.test(body)) return [];
  let rec: unknown;
  try {
    rec = JSON.parse(body);
  } catch {
    throw new TargetLineError(line, `not a masscan -oJ record: "${clip(body)}"`);
  }
  if (!isRecord(rec) || typeof rec.ip !== 'string') {
    throw new TargetLineError(line, `not a masscan -oJ record (no "ip"): "${clip(body)}"`);
  }
  const out: ParsedTarget[] = [];
  const ports: unknown[] = Array.isArray(rec.ports) ? rec.ports : [rec]; // -oD: port fields on the record
  for (const p of ports) {
    if (!isRecord(p)) continue;
    if (p.proto !== undefined && p.proto !== 'tcp') continue;
    const status = typeof p.status === 'string' ? p.status : isRecord(p.data) ? p.data.status : undefined;
    if (status !== undefined && status !== 'open') continue;
    if (p.port === undefined && p === rec) {
      throw new TargetLineError(line, `not a masscan -oJ record (no "ports"): "${clip(body)}"`);
    }
    out.push(ipWithPort(rec.ip, parsePortField(p.port, line, 'masscan -oJ'), line, 'masscan -oJ'));
  }
  return out;
};

/** The fields of one CSV line (RFC 4180, core/csv.ts), trimmed. */
function csvFields(body: string, line: number): string[] {
  const rec = parseCsvLine(body);
  if (rec.error !== undefined) throw new TargetLineError(line, `ZMap CSV: ${rec.error}: "${clip(body)}"`);
  return rec.fields.map((s) => s.trim());
}

function zmapCsvParser(cols: CsvColumns): LineParser {
  return (text, line) => {
    const body = text.trim();
    if (body === '' || body.startsWith('#')) return [];
    const f = csvFields(body, line);
    if (cols.success >= 0) {
      const s = f[cols.success];
      if (s !== '1' && s !== 'true') return []; // ZMap lists failures only with a custom filter
    }
    const saddr = f[cols.saddr];
    if (saddr === undefined || saddr === '') throw new TargetLineError(line, 'ZMap CSV: no saddr value');
    const port = cols.sport >= 0 ? parsePortField(f[cols.sport], line, 'ZMap CSV sport') : null;
    return [ipWithPort(saddr, port, line, 'ZMap CSV saddr')];
  };
}

/** A line of the file as a message quotes it: one safe line, bounded (core/text.ts). */
function clip(s: string): string {
  return cleanValue(s, 80);
}

/** Format of a file from its first meaningful line, and the parser for that format. */
function detect(first: string): { format: TargetFileFormat; parse: LineParser; isHeader: boolean } {
  const body = first.trim();
  if (/^#\s*masscan/i.test(body) || /^(open|closed|banner)\s/.test(body)) {
    return { format: 'masscan-list', parse: parseMasscanList, isHeader: false };
  }
  if (body.startsWith('[') || body.startsWith('{')) {
    return { format: 'masscan-json', parse: parseMasscanJson, isHeader: false };
  }
  // A ZMap CSV header names a saddr column ("saddr", "saddr,sport,…", quoted or not).
  const header = parseCsvLine(body);
  const names = header.error === undefined ? header.fields.map((s) => s.trim().toLowerCase()) : [];
  const saddr = names.indexOf('saddr');
  if (saddr >= 0) {
    const cols = { saddr, sport: names.indexOf('sport'), success: names.indexOf('success') };
    return { format: 'zmap-csv', parse: zmapCsvParser(cols), isHeader: true };
  }
  return { format: 'plain', parse: parsePlain, isHeader: false };
}

/**
 * Streams the targets of one file. File-system errors propagate as thrown by node:fs (the caller
 * reports them against the scan file's `file:` entry); a line that parses as nothing throws
 * TargetLineError with its line number.
 */
export async function* readTargetFile(path: string): AsyncGenerator<FileTarget> {
  let parse: LineParser | null = null;
  try {
    for await (const [line, text] of readLines(path)) {
      if (parse === null) {
        const t = text.trim();
        if (t === '' || (t.startsWith('#') && !/^#\s*masscan/i.test(t))) continue;
        const d = detect(text);
        parse = d.parse;
        if (d.isHeader) continue;
      }
      for (const target of parse(text, line)) yield { line, target };
    }
  } catch (e) {
    if (e instanceof LineTooLongError) throw new TargetLineError(e.line, e.message);
    throw e;
  }
}

/** The format `readTargetFile` would use for a file whose first meaningful line is `line`. */
export function detectTargetFormat(line: string): TargetFileFormat {
  return detect(line).format;
}
