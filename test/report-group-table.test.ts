// The server table of a verdict group says a fact every listed server shares once, above it, and
// leaves its column out; with nothing but the server differing, the servers are a list. No fact
// is lost: each server is still listed once, with its endpoints, and what differs stays per row.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReports } from '../src/outputs/write-reports.js';
import { groupTable } from '../src/report/group-table.js';
import { DEFAULT_GROUP_ABOVE } from '../src/report/server-plan.js';
import type { GroupHostRow } from '../src/report/rows.js';
import { record, writeRun } from './fixtures/history/runs.js';

const base = mkdtempSync(join(tmpdir(), 'owa-group-table-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const row = (over: Partial<GroupHostRow>): GroupHostRow => ({
  title: '192.0.2.1',
  endpoint: 'https://192.0.2.1:443',
  owner: 'Alpha Ltd',
  evidence: '15.2.1748.36 (X-OWA-Version)',
  tls: 'CN=mail.alpha.example · valid to 2027-01-01',
  history: null,
  note: null,
  ...over,
});

describe('groupTable', () => {
  it('says once what every row shares and leaves those columns out', () => {
    const t = groupTable([
      row({}),
      row({ title: '192.0.2.2', tls: 'CN=owa.alpha.example · valid to 2027-01-01' }),
    ]);
    expect(t.shared).toEqual([
      { label: 'Owner', value: 'Alpha Ltd' },
      { label: 'Evidence', value: '15.2.1748.36 (X-OWA-Version)' },
    ]);
    expect([t.owner, t.evidence, t.tls, t.list]).toEqual([false, false, true, false]);
    expect(t.rows).toHaveLength(2);
  });

  it('lists the servers when only the server differs', () => {
    const t = groupTable([row({}), row({ title: '192.0.2.2', endpoint: 'https://192.0.2.2:443' })]);
    expect(t.shared.map((s) => s.label)).toEqual(['Owner', 'Evidence', 'TLS certificate']);
    expect(t.list).toBe(true);
  });

  it('keeps a single row, and rows that all differ, as they are', () => {
    expect(groupTable([row({})])).toMatchObject({
      shared: [],
      owner: true,
      evidence: true,
      tls: true,
      list: false,
    });
    const differ = groupTable([
      row({}),
      row({ title: '192.0.2.2', owner: 'Beta GmbH', evidence: '15.2.1748.36 (manifest)', tls: '—' }),
    ]);
    expect(differ).toMatchObject({ shared: [], owner: true, evidence: true, tls: true, list: false });
    expect(groupTable([])).toMatchObject({ shared: [], list: false });
  });
});

describe('a grouped report', () => {
  const alpha = { name: 'Alpha Ltd', contact: 'soc@alpha.example' };
  const beta = { name: 'Beta GmbH', contact: 'it@beta.example' };

  it('says the shared facts once and lists every server once, with what differs', async () => {
    const kev = ['CVE-2021-26855'];
    const dir = writeRun(join(base, 'run'), {
      startedAt: '2026-11-27T01:00:00.000Z',
      records: [
        // Group 1 (15.2.1748.36): same owner and evidence, nothing else differs → a list.
        ...[1, 2, 3].map((i) => record({ ip: `192.0.2.${i}`, kev, owner: alpha })),
        // Group 2 (15.2.986.14): owners differ → the owner column stays, the evidence is said once.
        ...[10, 11].map((i) =>
          record({ ip: `192.0.2.${i}`, kev, build: '15.2.986.14', owner: i === 10 ? alpha : beta }),
        ),
      ],
    });
    await writeReports(dir, {
      formats: ['html'],
      perOwner: false,
      groupAbove: 0,
      now: new Date('2026-11-27T09:00:00Z'),
    });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const sections = html.split('<section').slice(1);
    expect(sections).toHaveLength(2);
    const [first = '', second = ''] = sections.sort((a, b) =>
      a.includes('15.2.986.14') ? 1 : b.includes('15.2.986.14') ? -1 : 0,
    );

    expect(first).toContain(
      '<p class="shared small">The same for every server listed: <b>Owner</b> Alpha Ltd · <b>Evidence</b> 15.2.1748.36 (X-OWA-Version) · <b>TLS certificate</b> —.</p>',
    );
    expect(first).not.toContain('<table class="group-hosts">');
    for (const i of [1, 2, 3])
      expect(first).toContain(`<li>192.0.2.${i} <span class="muted">https://192.0.2.${i}:443</span></li>`);

    expect(second).toContain('<b>Evidence</b> 15.2.986.14 (X-OWA-Version) · <b>TLS certificate</b> —.</p>');
    expect(second).not.toContain('<b>Owner</b>');
    expect(second).toContain('<th>Owner</th>');
    expect(second).not.toContain('<th>Evidence</th>');
    expect(second).toMatch(/192\.0\.2\.10<br>.*?<td class="wrap">Alpha Ltd<\/td><\/tr>/);
    expect(second).toMatch(/192\.0\.2\.11<br>.*?<td class="wrap">Beta GmbH<\/td><\/tr>/);
  });
});

describe('the default layout', () => {
  // Each server's section runs to pages of CVE tables: up to DEFAULT_GROUP_ABOVE servers with
  // findings get one each, one more and servers that share a verdict share its section.
  const kev = ['CVE-2021-26855'];
  const sectionsOf = async (servers: number): Promise<string[]> => {
    const dir = writeRun(join(base, `default-${servers}`), {
      startedAt: '2026-11-27T01:00:00.000Z',
      records: Array.from({ length: servers }, (_, i) =>
        record({ ip: `198.51.100.${i + 1}`, kev, build: i % 2 === 0 ? '15.2.1748.36' : '15.2.986.14' }),
      ),
    });
    await writeReports(dir, { formats: ['html'], perOwner: false, now: new Date('2026-11-27T09:00:00Z') });
    return readFileSync(join(dir, 'report.html'), 'utf8').split('<section').slice(1);
  };

  it(`gives ${DEFAULT_GROUP_ABOVE} servers with findings a section each`, async () => {
    const sections = await sectionsOf(DEFAULT_GROUP_ABOVE);
    expect(sections).toHaveLength(DEFAULT_GROUP_ABOVE);
    for (let i = 1; i <= DEFAULT_GROUP_ABOVE; i++)
      expect(sections.filter((s) => s.includes(`<h3>198.51.100.${i}</h3>`))).toHaveLength(1);
  });

  it(`groups ${DEFAULT_GROUP_ABOVE + 1} of them by verdict, every server listed once`, async () => {
    const sections = await sectionsOf(DEFAULT_GROUP_ABOVE + 1);
    expect(sections).toHaveLength(2);
    const all = sections.join('');
    for (let i = 1; i <= DEFAULT_GROUP_ABOVE + 1; i++)
      expect(all.match(new RegExp(`<li>198\\.51\\.100\\.${i} `, 'g'))).toHaveLength(1);
  });
});
