// One Exchange server during the report's second pass: its endpoints (bounded, in address order),
// its names and owners, a certificate, and what the section or table row needs from the endpoint
// its verdict comes from. That endpoint is the one whose verdict is the server's worst (known from
// the first pass); among equals https first, then the lowest endpoint key — whatever the order of
// the records. Only this summary of it is kept, never every record.
import { endpointKey, type ExchangeVerdict, type ResultRecord, type TlsInfo } from '../core/result-schema.js';
import { endpointText } from './host-view.js';
import { evidenceText } from './rows.js';
import { compareServerKeys, serverBase } from './server-identity.js';
import { sameVerdict } from './server-verdict.js';
import { displayText } from '../core/text.js';
import { CERTAINTY_LABEL, PATCH_LEVEL_LABEL, PRECISION_LABEL, STATUS_LABEL } from './vocabulary.js';

export interface EndpointLine {
  endpoint: string;
  name: string;
  /** What the endpoint showed: its version and precision, or its status. */
  found: string;
  /** The endpoint's own verdict, when it has one. */
  level: string | null;
  levelLabel: string;
  certainty: string;
  possible: boolean;
  evidence: string;
  /** The server's verdict is this endpoint's. */
  judged: boolean;
  sort: { base: string; port: number; scheme: string; name: string };
  key: string;
}

export interface EntryLimits {
  endpoints: number;
  names: number;
  /** Lines say what each endpoint showed (a section); else only where it is (a table row). */
  full: boolean;
}

const OWNERS_SHOWN = 5;

function foundText(r: ResultRecord): string {
  if (r.status === 'exchange') {
    const v = r.exchange;
    if (v === null) return 'Exchange, no version read';
    const product = v.product.replace('Exchange Server ', 'Exchange ');
    return `${product} ${v.build === null ? '' : `${displayText(v.build, 40)} `}· ${PRECISION_LABEL[v.precision]}`;
  }
  const label = STATUS_LABEL[r.status];
  return r.error === null ? label : `${label} (${r.error.code})`;
}

type Sortable = Pick<EndpointLine, 'sort'>;

function compareLines(a: Sortable, b: Sortable): number {
  return (
    compareServerKeys(a.sort.base, b.sort.base) ||
    a.sort.port - b.sort.port ||
    (a.sort.scheme < b.sort.scheme ? -1 : a.sort.scheme > b.sort.scheme ? 1 : 0) ||
    (a.sort.name < b.sort.name ? -1 : a.sort.name > b.sort.name ? 1 : 0)
  );
}

function endpointLine(r: ResultRecord, sort: EndpointLine['sort'], key: string, full: boolean): EndpointLine {
  const v = full && r.status === 'exchange' ? r.exchange : null;
  const name = r.host;
  return {
    endpoint: endpointText(r),
    name: name === null ? '—' : displayText(name, 120),
    found: full ? foundText(r) : '',
    level: v === null ? null : v.patchLevel,
    levelLabel: v === null ? '' : PATCH_LEVEL_LABEL[v.patchLevel],
    certainty: v === null ? '' : CERTAINTY_LABEL[v.certainty],
    possible: v?.certainty === 'possible',
    evidence: full ? evidenceText(r, true) : '',
    judged: false,
    sort,
    key,
  };
}

/**
 * Keeps the `limit` smallest items of a sorted list; says whether any was dropped. `make` builds
 * the item only when it is kept.
 */
function insertBounded<K, T extends K>(
  list: T[],
  probe: K,
  make: () => T,
  limit: number,
  compare: (a: K, b: K) => number,
): boolean {
  let i = list.length;
  while (i > 0 && compare(probe, list[i - 1] as T) < 0) i--;
  if (i >= limit) return true;
  list.splice(i, 0, make());
  if (list.length > limit) {
    list.pop();
    return true;
  }
  return false;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class ServerEntry<T> {
  /** What the view needs from the endpoint the verdict comes from. */
  judged: T | null = null;
  private judgedOrder: string | null = null;
  private judgedKey: string | null = null;
  readonly lines: EndpointLine[] = [];
  endpoints = 0;
  readonly names: string[] = [];
  namesMore = false;
  readonly owners: string[] = [];
  ownersMore = false;
  /** The certificate of the judged endpoint, else of the lowest https endpoint. */
  tls: TlsInfo | null = null;
  private tlsOrder: string | null = null;
  /** @param worst the server's worst verdict (from the first pass): the endpoint judged has it. */
  constructor(
    private readonly worst: ExchangeVerdict | null,
    private readonly summarize: (r: ResultRecord) => T,
    private readonly limits: EntryLimits,
  ) {}

  add(r: ResultRecord): void {
    this.endpoints++;
    const key = endpointKey(r);
    const sort = { base: serverBase(r), port: r.port, scheme: r.scheme, name: r.host ?? '' };
    insertBounded(
      this.lines,
      { sort },
      () => endpointLine(r, sort, key, this.limits.full),
      this.limits.endpoints,
      compareLines,
    );
    const name = r.host;
    if (name !== null && !this.names.includes(name))
      this.namesMore ||= insertBounded(this.names, name, () => name, this.limits.names, byText);
    const owner = r.owner?.name ?? null;
    if (owner !== null && !this.owners.includes(owner))
      this.ownersMore ||= insertBounded(this.owners, owner, () => owner, OWNERS_SHOWN, byText);

    const order = `${r.scheme === 'https' ? 0 : 1}${key}`;
    const judged = r.status === 'exchange' && sameVerdict(r.exchange, this.worst);
    if (judged && (this.judgedOrder === null || order < this.judgedOrder)) {
      this.judged = this.summarize(r);
      this.judgedOrder = order;
      this.judgedKey = key;
      if (r.tls !== null) {
        this.tls = r.tls;
        this.tlsOrder = '';
      }
    }
    if (r.tls !== null && (this.tlsOrder === null || order < this.tlsOrder)) {
      this.tls = r.tls;
      this.tlsOrder = order;
    }
  }

  /** The endpoint lines, the judged one marked. */
  shownLines(): EndpointLine[] {
    return this.lines.map((l) => ({ ...l, judged: l.key === this.judgedKey }));
  }
}
