// What the templates print about one Exchange server: its section (small runs), its row in a
// verdict group's table (grouped runs), its row among the servers with nothing to do, and its
// line in the action list. The verdict shown is the server's worst; when its endpoints read
// different versions the view says so and lists each endpoint's reading.
import type { ResultRecord } from '../core/result-schema.js';
import { hostView, tlsView, type HostView, type ViewContext } from './host-view.js';
import { tlsSummary, type CompactRow, type GroupHostRow } from './rows.js';
import type { EndpointLine, ServerEntry } from './server-entry.js';
import { READINGS_SHOWN, type Reading, type ServerFacts } from './server-table.js';
import { displayText, formatCount, plural } from '../core/text.js';
import { PRECISION_LABEL } from './vocabulary.js';

export interface ServerView extends HostView {
  /** The server key, as shown. */
  server: string;
  /** More than one endpoint: the section lists them. */
  multi: boolean;
  endpointCount: string;
  /** Every name of the server's endpoints, or '' when none. */
  names: string;
  endpoints: EndpointLine[];
  moreEndpoints: string | null;
  /** Set when the endpoints read different versions: what they read and how the verdict was judged. */
  disagreement: string | null;
}

/** A server is named after its first host name (in order), else its key. */
export function serverTitle(key: string, entry: ServerEntry<unknown>): string {
  return displayText(entry.names[0] ?? key, 120);
}

function namesText(entry: ServerEntry<unknown>): string {
  if (entry.names.length === 0) return '';
  return `${entry.names.map((n) => displayText(n, 120)).join(', ')}${entry.namesMore ? ' and more' : ''}`;
}

function ownersText(entry: ServerEntry<unknown>): string | null {
  if (entry.owners.length === 0) return null;
  return `${entry.owners.map((o) => displayText(o, 120)).join('; ')}${entry.ownersMore ? ' and others' : ''}`;
}

function readingText(reading: Reading): string {
  if (reading === null) return 'no version';
  const product = reading.product.replace('Exchange Server ', 'Exchange ');
  const build = reading.build === null ? '' : ` ${displayText(reading.build, 40)}`;
  return `${product}${build} (${PRECISION_LABEL[reading.precision]})`;
}

/** "Exchange 2016 15.1.2507.72 (exact build); Exchange 2016 15.1.2507 (cumulative update only)". */
export function readingsText(f: ServerFacts): string {
  const more = f.readings.length >= READINGS_SHOWN && f.disagree ? '; and more' : '';
  return `${f.readings.map(readingText).join('; ')}${more}`;
}

/** Endpoint list of a table row: "https://192.0.2.1:443, http://192.0.2.1:80 and 3 more". */
function endpointsText(entry: ServerEntry<unknown>, lines: readonly EndpointLine[]): string {
  const named = entry.endpoints > 1;
  const shown = lines.map((l) => (named && l.name !== '—' ? `${l.endpoint} (${l.name})` : l.endpoint));
  const rest = entry.endpoints - lines.length;
  return `${shown.join(', ')}${rest > 0 ? ` and ${formatCount(rest)} more` : ''}`;
}

export function serverView(
  key: string,
  entry: ServerEntry<ResultRecord>,
  facts: ServerFacts,
  anchor: string,
  ctx: ViewContext,
): ServerView | null {
  const r = entry.judged;
  if (r === null) return null;
  const host = hostView(r, anchor, ctx);
  const lines = entry.shownLines();
  const rest = entry.endpoints - lines.length;
  return {
    ...host,
    title: serverTitle(key, entry),
    owner: ownersText(entry) ?? host.owner,
    tls: entry.tls === null ? null : tlsView(entry.tls, ctx.now),
    server: displayText(key, 120),
    multi: entry.endpoints > 1,
    endpointCount: plural(entry.endpoints, 'endpoint'),
    names: namesText(entry),
    endpoints: lines,
    moreEndpoints:
      rest > 0
        ? `${plural(rest, 'more endpoint')} of this server ${rest === 1 ? 'is' : 'are'} listed in results.csv (same value in the column server).`
        : null,
    disagreement: facts.disagree
      ? `Its endpoints read different versions: ${readingsText(facts)}. The verdict below is the worst of them (read at ${host.endpoint}); each endpoint's own reading is listed under “Endpoints of this server”.`
      : null,
  };
}

/** The "where" of a server in the action list. */
export function serverWhere(view: ServerView): string {
  if (!view.multi) return view.endpoint;
  return `server ${view.server} · ${view.endpointCount}${view.disagreement === null ? '' : ' · endpoints disagree, judged by the worst'}`;
}

/** A row of a verdict group's table: the server, its endpoints, and a note when they disagree. */
export function serverGroupRow(
  key: string,
  entry: ServerEntry<GroupHostRow>,
  facts: ServerFacts,
  now: Date,
): GroupHostRow | null {
  const row = entry.judged;
  if (row === null) return null;
  return {
    ...row,
    tls: entry.tls === null ? row.tls : tlsSummary({ tls: entry.tls, scheme: 'https' }, now),
    title: serverTitle(key, entry),
    endpoint: endpointsText(entry, entry.shownLines()),
    owner: ownersText(entry) ?? row.owner,
    note: facts.disagree ? `Endpoints read ${readingsText(facts)}: judged by the worst.` : null,
  };
}

/** A row of the table of servers with nothing to do. */
export function serverCompactRow(key: string, entry: ServerEntry<CompactRow>): CompactRow | null {
  const row = entry.judged;
  if (row === null) return null;
  return {
    ...row,
    title: serverTitle(key, entry),
    endpoint: endpointsText(entry, entry.shownLines()),
    owner: ownersText(entry) ?? row.owner,
  };
}
