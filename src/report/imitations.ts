// The analysts' short list: endpoints that presented as Exchange but failed corroboration (their
// records carry `imitation-suspected` evidence and status not-exchange). Phishing kits, honeypots
// and C2 servers imitate OWA; now and then a real server shows only one face through a portal.
import type { ResultRecord } from '../core/result-schema.js';
import { endpointText, titleOf } from './host-view.js';
import { BoundedRows, type CompactRow } from './rows.js';
import { displayText } from '../core/text.js';

const PREFIX = /^imitation suspected:\s*/i;

export function imitationNote(r: ResultRecord): string | null {
  if (r.status !== 'not-exchange') return null;
  const e = r.evidence.find((x) => x.signal === 'imitation-suspected');
  return e === undefined ? null : e.value.replace(PREFIX, '');
}

export class ImitationRows {
  private readonly rows: BoundedRows<CompactRow>;
  constructor(limit: number) {
    this.rows = new BoundedRows(limit);
  }

  add(r: ResultRecord): void {
    const note = imitationNote(r);
    if (note === null) return;
    this.rows.push(() => ({
      title: titleOf(r),
      endpoint: endpointText(r),
      owner: r.owner === null ? '—' : displayText(r.owner.name, 80),
      status: 'imitation suspected',
      detail: displayText(note, 240),
    }));
  }

  view(): { rows: CompactRow[]; more: string | null; has: boolean } {
    const more = this.rows.more;
    return {
      rows: this.rows.rows,
      more:
        more === 0
          ? null
          : `${more} more ${more === 1 ? 'endpoint is' : 'endpoints are'} listed in results.csv.`,
      has: this.rows.total > 0,
    };
  }
}
