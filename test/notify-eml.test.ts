// Notification drafts: composed by nodemailer's MIME composer and read back by mailparser —
// headers from the scan file only, a plain-text body that states findings and actions with
// hostile strings stripped of control characters, and the owner's PDF attached (or a note why not).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { composeDraft } from '../src/notify/eml.js';
import { OwnerDigest } from '../src/notify/digest.js';
import { notificationSubject } from '../src/notify/body.js';
import { cleanValue as plain } from '../src/core/text.js';
import { wrap } from '../src/notify/plain.js';
import { mailboxOf } from '../src/core/contact.js';
import { runInfoFrom } from '../src/run-store/run-info.js';
import { writeReports } from '../src/outputs/write-reports.js';
import { surveyRecords } from '../src/report/server-survey.js';
import type { Owner, ResultRecord } from '../src/core/result-schema.js';
import { record, writeRun } from './fixtures/history/runs.js';

const base = mkdtempSync(join(tmpdir(), 'owa-notify-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const run = runInfoFrom(
  {
    name: 'weekly',
    authorisation: {
      by: 'Example CERT',
      reference: 'CERT-2026-7',
      contact: 'scan@cert.example',
      validUntil: '2099-12-31',
    },
    startedAt: '2026-11-27T01:00:00.000Z',
    finishedAt: '2026-11-27T01:05:00.000Z',
    state: 'finished',
  },
  'weekly',
);
const owner: Owner = { name: 'Alpha Ltd', contact: 'soc@alpha.example' };

/** The digest as the report builds it: a first pass over the records for the servers, then a second. */
function digestFor(records: ResultRecord[], limit?: number): OwnerDigest {
  const survey = surveyRecords(records);
  const d = new OwnerDigest(null, null, { index: survey.index, facts: survey.servers.main }, limit);
  for (const r of records) d.add(r);
  return d;
}

function digestOf(records: ResultRecord[]): ReturnType<OwnerDigest['view']> {
  return digestFor(records).view();
}

const findings = [
  record({
    ip: '192.0.2.1',
    host: 'mail.alpha.example',
    kev: ['CVE-2023-21529'],
    build: '15.2.986.14',
    release: 'CU11 Nov21SU',
    supported: false,
    endOfSupport: '2025-10-14',
    owner,
  }),
  record({ ip: '192.0.2.2', patchLevel: 'outdated', other: ['CVE-2025-59249'], owner }),
  record({ ip: '192.0.2.3', patchLevel: 'current', owner }),
];

async function parse(message: Buffer) {
  return simpleParser(message);
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = a === undefined ? [] : Array.isArray(a) ? a : [a];
  return list.flatMap((x) => x.value.map((v) => v.address ?? ''));
}

describe('composeDraft', () => {
  it('reads back as a message to the owner from the scan contact, with the PDF attached', async () => {
    const pdfPath = join(base, 'alpha.pdf');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 7), Buffer.from('\n%%EOF\n')]);
    writeFileSync(pdfPath, pdf);
    const draft = await composeDraft(
      { owner, run, digest: digestOf(findings), since: null },
      {
        pdfPath,
        attachmentName: 'alpha-ltd-1234abcd.pdf',
        date: new Date('2026-11-27T02:00:00Z'),
        noPdfReason: null,
      },
    );
    expect(draft.notes).toEqual([]);
    const mail = await parse(draft.message);
    expect(addresses(mail.to)).toEqual(['soc@alpha.example']);
    expect(addresses(mail.from)).toEqual(['scan@cert.example']);
    expect(addresses(mail.replyTo)).toEqual(['scan@cert.example']);
    expect(mail.subject).toBe(
      '[CERT-2026-7] Urgent: Exchange servers of Alpha Ltd: 1 server with known-exploited vulnerabilities, 1 behind on updates',
    );
    expect(mail.date?.toISOString()).toBe('2026-11-27T02:00:00.000Z');
    expect(mail.headers.get('x-unsent')).toBe('1');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]?.filename).toBe('alpha-ltd-1234abcd.pdf');
    expect(mail.attachments[0]?.contentType).toBe('application/pdf');
    expect(mail.attachments[0]?.content.equals(pdf)).toBe(true);
    // Compared with line wrapping undone: the body is wrapped at 76 columns for mail clients.
    const text = (mail.text ?? '').replace(/\s+/g, ' ');
    expect(mail.text).toContain('To the security contact of Alpha Ltd,');
    expect(text).toContain(
      'We found 3 Exchange servers of your organisation; 2 need action. 1 of them misses fixes',
    );
    expect(mail.text).toContain('1. mail.alpha.example  (https://192.0.2.1:443)');
    expect(text).toContain(
      'Verdict: VULNERABLE (confirmed). Vulnerabilities known to be exploited in the wild apply.',
    );
    expect(text).toContain('Exchange Server 2019, build 15.2.986.14 (exact build, CU11 Nov21SU)');
    expect(text).toContain('Known-exploited CVEs: CVE-2023-21529: CVE-2023-21529 name');
    expect(text).toContain(
      'Missing update: the newest security update for Exchange Server 2019 (build 15.2.1748.49)',
    );
    expect(text).toContain('Out of support since 2025-10-14');
    expect(text).toContain('WHAT TO DO');
    expect(text).toContain('The attached report (alpha-ltd-1234abcd.pdf)');
    expect(text).toContain('quoting reference CERT-2026-7');
    // The current server is counted, not listed.
    expect(text).not.toContain('192.0.2.3');
  });

  it('says so when no PDF could be rendered, and attaches nothing', async () => {
    const draft = await composeDraft(
      { owner, run, digest: digestOf(findings), since: null },
      {
        pdfPath: null,
        attachmentName: 'x.pdf',
        date: new Date('2026-11-27T02:00:00Z'),
        noPdfReason: 'no PDF renderer (Chromium) was available',
      },
    );
    const mail = await parse(draft.message);
    expect(mail.attachments).toEqual([]);
    expect(mail.text?.replace(/\s+/g, ' ')).toContain(
      'No PDF report is attached: no PDF renderer (Chromium) was available.',
    );
  });

  it('strips control characters from server-supplied values and cannot be steered into extra headers', async () => {
    const hostileOwner: Owner = { name: 'Evil\r\nBcc: victim@example.org', contact: 'soc@evil.example' };
    const hostile = record({
      ip: '192.0.2.9',
      host: 'mail\u001b[2J.evil.example',
      patchLevel: 'outdated',
      build: '15.2.1544.11\r\nX-Injected: yes',
      release: 'CU14\u202eRLO\u0007',
      owner: hostileOwner,
    });
    const draft = await composeDraft(
      { owner: hostileOwner, run, digest: digestOf([hostile]), since: null },
      { pdfPath: null, attachmentName: 'x.pdf', date: new Date('2026-11-27T02:00:00Z'), noPdfReason: null },
    );
    const mail = await parse(draft.message);
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(addresses(mail.to)).toEqual(['soc@evil.example']);
    const text = (mail.text ?? '').replace(/[ \n]+/g, ' ');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain('mail [2J.evil.example');
    expect(text).toContain('15.2.1544.11 X-Injected: yes');
  });

  it('leaves out To or From when the scan file gives no e-mail address, and says so', async () => {
    const urlOwner: Owner = { name: 'Beta', contact: 'https://beta.example/security' };
    const urlRun = {
      ...run,
      authorisation: { ...run.authorisation, contact: 'https://cert.example/contact' },
    };
    const draft = await composeDraft(
      {
        owner: urlOwner,
        run: urlRun,
        digest: digestOf([record({ ip: '192.0.2.1', patchLevel: 'outdated', owner: urlOwner })]),
        since: null,
      },
      { pdfPath: null, attachmentName: 'x.pdf', date: new Date('2026-11-27T02:00:00Z'), noPdfReason: null },
    );
    const mail = await parse(draft.message);
    expect(mail.to).toBeUndefined();
    expect(mail.from).toBeUndefined();
    expect(draft.notes.join('\n')).toMatch(/no e-mail address in the scan file; the draft has no recipient/);
    expect(draft.notes.join('\n')).toMatch(/the draft has no sender/);
    expect(mail.text?.replace(/\s+/g, ' ')).toContain('write to https://cert.example/contact');
  });
});

describe('subject, digest and text helpers', () => {
  it('names the most urgent finding first, and "no action needed" when there is none', () => {
    const subject = (records: ResultRecord[]): string =>
      notificationSubject({
        owner,
        run,
        digest: digestOf(records),
        since: null,
        attachment: null,
        noPdfReason: null,
      });
    expect(subject([record({ ip: '192.0.2.1', patchLevel: 'current' })])).toBe(
      '[CERT-2026-7] Exchange servers of Alpha Ltd: no action needed',
    );
    expect(subject([record({ ip: '192.0.2.1', patchLevel: 'current', supported: false })])).toBe(
      '[CERT-2026-7] Exchange servers of Alpha Ltd: 1 out of support',
    );
  });

  it('keeps the most urgent findings within its bound and counts the rest', () => {
    const records = [
      ...Array.from({ length: 10 }, (_, i) => record({ ip: `192.0.2.${i + 1}`, patchLevel: 'outdated' })),
      record({ ip: '192.0.2.99', kev: ['CVE-2023-21529'] }),
    ];
    const v = digestFor(records, 3).view();
    expect(v.findings).toHaveLength(3);
    expect(v.findings[0]?.endpoint).toBe('https://192.0.2.99:443');
    expect(v.more).toBe(8);
    expect(v.counts).toMatchObject({ kev: 1, outdated: 10 });
  });

  it('plain(), wrap() and mailboxOf()', () => {
    expect(plain('a\u0000b\tc\u200bd', 50)).toBe('a b c d');
    expect(plain('x'.repeat(10), 5)).toBe('xxxx…');
    expect(wrap('one two three four', 9, '  ')).toBe('one two\n  three\n  four');
    expect(mailboxOf('mailto:Soc@Alpha.example')).toBe('Soc@Alpha.example');
    expect(mailboxOf('https://a.example/x')).toBeNull();
    expect(mailboxOf('a@b')).toBeNull();
    expect(mailboxOf('Alpha SOC <Soc@Alpha.example>')).toBe('Soc@Alpha.example');
    expect(mailboxOf(' <soc@alpha.example> ')).toBe('soc@alpha.example');
    expect(mailboxOf('Alpha <soc@alpha.example')).toBeNull();
    expect(mailboxOf('Alpha <https://alpha.example/>')).toBeNull();
    expect(mailboxOf('a <b@c.example> <d@e.example>')).toBeNull();
  });
});

describe('report --per-owner writes a draft per owner next to the owner report', () => {
  const saved = process.env.PUPPETEER_EXECUTABLE_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    else process.env.PUPPETEER_EXECUTABLE_PATH = saved;
  });

  it('with the PDF format, even when Chromium is missing (the draft says why there is no PDF)', async () => {
    process.env.PUPPETEER_EXECUTABLE_PATH = join(base, 'no-chromium');
    const dir = join(base, 'run');
    mkdirSync(dir);
    writeRun(dir, { startedAt: '2026-11-27T01:00:00.000Z', records: findings });
    const now = new Date('2026-11-27T12:00:00Z');
    const files = await writeReports(dir, { formats: ['html', 'pdf'], perOwner: true, now });
    expect(files.owners).toHaveLength(1);
    const eml = files.owners[0]?.eml;
    expect(eml).toMatch(/owners\/alpha-ltd-[0-9a-f]{8}\.eml$/);
    expect(readdirSync(join(dir, 'owners')).sort()).toEqual([
      expect.stringMatching(/\.eml$/),
      expect.stringMatching(/\.html$/),
    ]);
    const mail = await parse(readFileSync(eml ?? ''));
    expect(mail.text?.replace(/\s+/g, ' ')).toContain(
      'No PDF report is attached: no PDF renderer (Chromium) was available',
    );
    // Without the PDF format, no drafts (they exist to carry the PDF).
    const htmlOnly = await writeReports(dir, { formats: ['html'], perOwner: true, now });
    expect(htmlOnly.owners[0]?.eml).toBeNull();
  });
});
