// The server table of a verdict group (grouped runs). Servers of one group often share their
// owner, the evidence they showed and their certificate (one organisation's farm, one build read
// the same way): a value every listed server shares is said once above the table instead of in
// every row, and its column is left out. When nothing but the server itself differs, the servers
// are a plain list in two columns. The reader learns the same facts from a document Chromium lays
// out and tags much faster: a 600-host report's group tables were about a third of its print time.
import type { GroupHostRow } from './rows.js';

/** A fact every server listed in the group shares, said once. */
export interface SharedFact {
  label: string;
  value: string;
}

export interface GroupTableView {
  rows: GroupHostRow[];
  /** Facts common to every listed server (empty with fewer than two rows). */
  shared: SharedFact[];
  /** Whether each column is shown (false: its value is in `shared`). */
  owner: boolean;
  evidence: boolean;
  tls: boolean;
  /** Every column but the server's is shared: the servers are listed, not tabled. */
  list: boolean;
}

const COLUMNS = [
  { key: 'owner', label: 'Owner' },
  { key: 'evidence', label: 'Evidence' },
  { key: 'tls', label: 'TLS certificate' },
] as const;

export function groupTable(rows: GroupHostRow[]): GroupTableView {
  const shared: SharedFact[] = [];
  const shown = { owner: true, evidence: true, tls: true };
  const first = rows[0];
  if (first !== undefined && rows.length > 1) {
    for (const { key, label } of COLUMNS) {
      const value = first[key];
      if (rows.every((r) => r[key] === value)) {
        shared.push({ label, value });
        shown[key] = false;
      }
    }
  }
  return { rows, shared, ...shown, list: !shown.owner && !shown.evidence && !shown.tls };
}
