// Merging feeds into the data, pure: what is new, what is refused, what is disputed, which CVE
// rules can be derived for a new CU line, and how KEV flags move.
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../src/knowledge/index.js';
import type { BuildEntry } from '../src/classify/data-schema.js';
import { parseBuildCsv } from '../src/data-update/build-csv.js';
import { formatProblem, type SourceRef } from '../src/data-update/errors.js';
import { interpretFeeds } from '../src/data-update/interpret.js';
import { parseKev } from '../src/data-update/kev.js';
import { parseLearnHtml } from '../src/data-update/learn-html.js';
import { mergeBuilds } from '../src/data-update/merge-builds.js';
import { cveOverlay, DERIVED_BASIS, mergeCves } from '../src/data-update/merge-cves.js';
import { KEV_JSON, LEARN_HTML, REAL_CSV, SEP26_CSV } from './fixtures/data-update/feeds.js';

const shipped = loadKnowledgeBase({ userDataDir: null });
const TODAY = '2026-11-27';
const CSV: SourceRef = { label: 'builds.csv', remote: false };
const HEADER = 'Product Name,Build Number,Date,KB,Blog\n';

function merge(csv: string, opts: { previous?: BuildEntry[]; learn?: string } = {}) {
  const feeds = [parseBuildCsv(csv, CSV)];
  if (opts.learn !== undefined) feeds.push(parseLearnHtml(opts.learn, { label: 'learn.html', remote: true }));
  const interpreted = interpretFeeds(feeds, shipped, TODAY);
  const builds = mergeBuilds(shipped, opts.previous ?? [], interpreted.builds);
  return { interpreted, builds, problems: [...interpreted.skipped, ...builds.skipped].map(formatProblem) };
}

describe('builds', () => {
  it("Microsoft's real CSV maps onto the shipped data exactly: nothing new, nothing refused", () => {
    const { interpreted, builds, problems } = merge(REAL_CSV);
    expect(problems).toEqual([]);
    expect(builds.added).toEqual([]);
    expect(interpreted.outOfScope).toBe(7); // Exchange 2007, 2010 RTM to SP2
    expect(interpreted.disputed).toBe(2); // 2010 SP3 RU11 and RU16: the CSV's readings are disputed in the data
    expect(builds.known).toBe(244);
    // The CSV's KB numbers for the 2019 April/May 2025 hotfixes differ from Learn's; the data keeps its own.
    expect(builds.differing.map((d) => d.build)).toEqual([
      '15.2.1544.25',
      '15.2.1544.27',
      '15.2.1748.24',
      '15.2.1748.26',
    ]);
  });

  it('adds new security updates on current CUs with the conventions of the shipped data', () => {
    const { builds, problems } = merge(SEP26_CSV, { learn: LEARN_HTML });
    expect(problems).toEqual([]);
    const entries = builds.added.map((a) => a.entry);
    expect(entries).toEqual([
      {
        build: '15.2.1544.46',
        product: 'Exchange Server 2019',
        line: 'CU14',
        name: 'CU14 Sep26SU',
        kind: 'SU',
        released: '2026-09-08',
        kb: 'KB5130003',
        url: 'https://support.microsoft.com/help/5130003',
        confidence: 'medium',
        sources: ['mslearn'],
      },
      expect.objectContaining({
        build: '15.2.1748.52',
        line: 'CU15',
        name: 'CU15 Sep26SU',
        confidence: 'high',
        sources: ['gebn', 'mslearn'],
      }),
      expect.objectContaining({
        build: '15.2.2562.50',
        product: 'Exchange Server SE',
        line: 'RTM',
        name: 'RTM Sep26SU',
        kb: 'KB5130001',
      }),
    ]);
    expect(builds.overlay.map((b) => b.build)).toEqual(['15.2.1544.46', '15.2.1748.52', '15.2.2562.50']);
  });

  it.each([
    [
      'Exchange 2019 CU15 Sep26SU,15.2.2562.50,9/8/2026,,',
      'name',
      'the name says Exchange Server 2019, but 15.2.2562.50 is Exchange Server SE',
    ],
    [
      'Exchange 2019 CU14 Sep26SU,15.2.1748.52,9/8/2026,,',
      'conflict',
      '15.2.1748.52 belongs to 15.2.1748, which is Exchange Server 2019 CU15 in the data, not CU14',
    ],
    [
      'Exchange 2019 CU14 Aug26SU,15.2.1748.49,8/11/2026,,',
      'conflict',
      '15.2.1748.49 is Exchange Server 2019 CU15 (CU15 Aug26SU) in the data, not Exchange Server 2019 CU14; the data is kept',
    ],
    [
      'Exchange SE RTM Oct26SU,15.2.2600.12,10/13/2026,,',
      'conflict',
      'Exchange Server SE RTM is 15.2.2562 in the data, but this row puts it on 15.2.2600',
    ],
    [
      'Exchange SE RTM Sep26SU,15.2.2562.44,9/8/2026,,',
      'conflict',
      'RTM Sep26SU 15.2.2562.44 (2026-09-08) and RTM Jul26SU 15.2.2562.45 (2026-07-14): a later update of a line must have a higher revision',
    ],
    ['Exchange SE RTM Jan27SU,15.2.2562.60,1/12/2027,,', 'date', 'the date 2027-01-12 lies in the future'],
    [
      'Exchange SE RTM Sep26SU,15.2.2562,9/8/2026,,',
      'build',
      'the build number "15.2.2562" is not a 4-part build',
    ],
    ['Exchange SE RTM Sep26SU,15.2.2562.50,2026-09-08,,', 'date', 'the date "2026-09-08" is not a date'],
    ['Exchange SE RTM Sep26SU,15.2.2562.50,9/8/2026,5130001,', 'kb', 'the KB "5130001" is not a KB number'],
    [
      'Exchange SE RTM Sep26 security update,15.2.2562.50,9/8/2026,,',
      'name',
      'the update name is not understood (expected e.g. "Exchange 2019 CU15 Aug26SU")',
    ],
    [
      'Exchange 2010 SP2 RU33,14.3.520.0,9/8/2026,,',
      'name',
      'the name says SP2, but 14.3.520.0 belongs to SP3',
    ],
  ])('skips %s (%s), naming file, line and reason', (row, fault, message) => {
    const { interpreted, builds, problems } = merge(`${HEADER}${row}\n`);
    expect(problems).toEqual([`builds.csv:2: ${JSON.stringify(row.split(',')[0])}: ${message}`]);
    expect([...interpreted.skipped, ...builds.skipped].map((x) => x.fault)).toEqual([fault]);
    expect(builds.added).toEqual([]);
  });

  it('leaves out only the rows that conflict, never changing the data, and uses the rest', () => {
    const csv =
      HEADER +
      'Exchange 2016 CU6,15.1.845.34,3/20/2017,KB4012106,\n' + // an old file's slip: the data has it as CU5
      'Exchange SE RTM Sep26SU,15.2.2562.50,9/8/2026,,\n' +
      'Exchange SE RTM Oct26SU,15.2.2562.52,10/13/2026,,\n' +
      'Exchange SE RTM Oct26SUv2,15.2.2562.52,10/20/2026,,\n' + // one number, two names
      'Exchange 2019 CU15 Oct26SU,15.2.1748.55,10/13/2026,,\n' +
      'Exchange 2019 CU15 Nov26SU,15.2.1748.54,11/10/2026,,\n'; // later, but a lower revision
    const { builds, interpreted, problems } = merge(csv);
    expect(builds.added.map((a) => a.entry.build)).toEqual(['15.2.2562.50']);
    expect(problems).toEqual([
      'builds.csv:4: "Exchange SE RTM Oct26SU": 15.2.2562.52 is also listed as "Exchange SE RTM Oct26SUv2" (line 5); neither is used',
      'builds.csv:5: "Exchange SE RTM Oct26SUv2": 15.2.2562.52 is also listed as "Exchange SE RTM Oct26SU" (line 4); neither is used',
      'builds.csv:2: "Exchange 2016 CU6": 15.1.845.34 is Exchange Server 2016 CU5 (CU5) in the data, not Exchange Server 2016 CU6; the data is kept',
      'builds.csv:7: "Exchange 2019 CU15 Nov26SU": CU15 Nov26SU 15.2.1748.54 (2026-11-10) and CU15 Oct26SU 15.2.1748.55 (2026-10-13): a later update of a line must have a higher revision',
      'builds.csv:6: "Exchange 2019 CU15 Oct26SU": CU15 Oct26SU 15.2.1748.55 (2026-10-13) and CU15 Nov26SU 15.2.1748.54 (2026-11-10): a later update of a line must have a higher revision',
    ]);
    expect(interpreted.skipped.map((x) => x.fault)).toEqual(['duplicate', 'duplicate']);
    expect(builds.skipped.map((x) => x.fault)).toEqual(['conflict', 'conflict', 'conflict']);
    expect(shipped.index.byBuild.get('15.1.845.34')?.line).toBe('CU5');
  });

  it('leaves out a new build both lists read differently', () => {
    const learn = LEARN_HTML.replace('Exchange Server SE RTM Sep26SU', 'Exchange Server SE CU1');
    const { builds, problems } = merge(`${HEADER}Exchange SE RTM Sep26SU,15.2.2562.50,9/8/2026,,\n`, {
      learn,
    });
    expect(builds.added.map((a) => a.entry.build)).not.toContain('15.2.2562.50');
    expect(problems).toEqual([
      expect.stringMatching(
        /^learn\.html:\d+: "Exchange Server SE CU1": Microsoft's CSV names 15\.2\.2562\.50 "Exchange SE RTM Sep26SU"; the build lists disagree about its product or line, neither is used$/,
      ),
      'builds.csv:2: "Exchange SE RTM Sep26SU": Microsoft Learn names 15.2.2562.50 "Exchange Server SE CU1"; the build lists disagree about its product or line, neither is used',
    ]);
  });

  it('skips rows older than the data covers and builds it records as disputed', () => {
    const { interpreted, problems } = merge(
      `${HEADER}Exchange 2007 SP3 RU23,8.3.517.0,3/21/2017,,\nExchange 2010 SP2 RU5,14.3.328.5,11/13/2012,,\n`,
    );
    expect(problems).toEqual([]);
    expect(interpreted).toMatchObject({ outOfScope: 1, disputed: 1 });
  });

  it('records two numbers for one update as a dispute, keeping the one Learn lists', () => {
    const csv = `${HEADER}Exchange SE RTM Sep26SU,15.2.2562.51,9/8/2026,,\n`;
    const { builds, problems } = merge(csv, { learn: LEARN_HTML });
    expect(problems).toEqual([]);
    const byBuild = new Map(builds.added.map((a) => [a.entry.build, a.entry]));
    expect(byBuild.get('15.2.2562.50')?.confidence).toBe('medium');
    expect(byBuild.get('15.2.2562.51')).toMatchObject({
      confidence: 'disputed',
      dispute: "RTM Sep26SU is 15.2.2562.51 in Microsoft's CSV but 15.2.2562.50 in Microsoft Learn",
    });
    // A number that disagrees with the data's own reading of an update is disputed against the data.
    const late = merge(`${HEADER}Exchange SE RTM Aug26SU,15.2.2562.47,8/11/2026,,\n`);
    expect(late.builds.added[0]?.entry.confidence).toBe('disputed');
    expect(late.builds.added[0]?.entry.dispute).toBe(
      "RTM Aug26SU is 15.2.2562.47 in Microsoft's CSV but 15.2.2562.46 in the data",
    );
  });

  it('carries earlier additions, derives them again when a feed lists them, and drops those now shipped', () => {
    const first = merge(`${HEADER}Exchange SE RTM Sep26SU,15.2.2562.50,9/8/2026,,\n`).builds.overlay;
    const shippedAgain = { ...first[0], build: '15.2.2562.46', name: 'RTM Aug26SU' } as BuildEntry;
    const second = merge(`${HEADER}Exchange 2019 CU15 Sep26SU,15.2.1748.52,9/8/2026,,\n`, {
      previous: [...first, shippedAgain],
    });
    expect(second.problems).toEqual([]);
    expect(second.builds.overlay.map((b) => b.build)).toEqual(['15.2.1748.52', '15.2.2562.50']);
    expect(second.builds.pruned).toBe(1);
    const third = merge(SEP26_CSV, { previous: first, learn: LEARN_HTML });
    expect(third.builds.overlay.find((b) => b.build === '15.2.2562.50')?.sources).toEqual([
      'gebn',
      'mslearn',
    ]);
  });
});

describe('CVEs and KEV flags', () => {
  const kev = parseKev(KEV_JSON, CSV);

  it('marks a CVE of the data known-exploited from the catalog, reports the unmapped ones, never clears a flag', () => {
    const r = mergeCves(shipped.cves, shipped.builds, new Set(), kev);
    expect(r.kevChanges).toEqual([
      {
        cve: 'CVE-2026-21527',
        name: 'Spoofing',
        previousAdded: null,
        wasKev: false,
        dateAdded: '2026-09-09',
      },
    ]);
    expect(r.kevNotMapped).toEqual([]); // every Exchange CVE of the catalog is in the data
    // An exploited Exchange CVE the data does not know is reported, never guessed into a rule.
    const unknown = mergeCves(
      shipped.cves,
      shipped.builds,
      new Set(),
      parseKev(KEV_JSON.replace('"CVE-2021-42321"', '"CVE-2026-99901"'), CSV),
    );
    expect(unknown.kevNotMapped.map((k) => k.cve)).toEqual(['CVE-2026-99901']);
    expect(r.kevAbsent).toContain('CVE-2021-26857');
    expect(r.cves.find((c) => c.id === 'CVE-2021-26857')?.kev).toBe(true);
    expect(cveOverlay(shipped, r.cves)).toEqual([
      { id: 'CVE-2026-21527', kev: true, kevAdded: '2026-09-09' },
    ]);
  });

  it('corrects a KEV date that differs from the catalog', () => {
    const moved = KEV_JSON.replace('"dateAdded": "2026-04-13"', '"dateAdded": "2026-04-14"');
    const r = mergeCves(shipped.cves, shipped.builds, new Set(), parseKev(moved, CSV));
    expect(r.kevChanges.find((k) => k.cve === 'CVE-2023-21529')).toMatchObject({
      wasKev: true,
      previousAdded: '2026-04-13',
      dateAdded: '2026-04-14',
    });
  });

  it('a new CU line is fixed from its first build for every CVE fixed before it came out', () => {
    const csv = `${HEADER}Exchange SE CU1,15.2.2600.10,10/13/2026,KB5140010,\nExchange SE CU1 Nov26SU,15.2.2600.14,11/10/2026,,\n`;
    const { builds, problems } = merge(csv);
    expect(problems).toEqual([]);
    expect(builds.added.map((a) => [a.entry.line, a.entry.kind])).toEqual([
      ['CU1', 'CU'],
      ['CU1', 'SU'],
    ]);
    const merged = [...shipped.builds, ...builds.overlay];
    const r = mergeCves(shipped.cves, merged, new Set(['Exchange Server SE|CU1']), null);
    const seCves = shipped.cves
      .filter((c) => c.affects.includes('Exchange Server SE'))
      .map((c) => c.id)
      .sort();
    expect(r.derivedRules.map((d) => d.cve).sort()).toEqual(seCves);
    expect(r.derivedRules[0]?.rule).toEqual({
      product: 'Exchange Server SE',
      line: 'CU1',
      minBuild: '15.2.2600.10',
      update: 'CU1',
      basis: DERIVED_BASIS,
    });
    expect(r.unmappedLines).toEqual([]);
    expect(cveOverlay(shipped, r.cves).every((c) => c.rules !== undefined && c.kev === undefined)).toBe(true);
  });
});
