// Every bad-input case of a scan file, with the exact message shape: file:line: field: message.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScanFile } from '../src/scope/load.js';
import { InputError } from '../src/core/errors.js';

const TODAY = '2026-11-27';
const AUTH =
  'authorisation:\n  by: ACME\n  reference: T-1\n  contact: sec@acme.example\n  valid_until: 2026-12-31\n';
const INCLUDE = 'scope:\n  include: [mail.acme.example]\n';

let dir = '';
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owa-scanfile-err-'));
  await mkdir(join(dir, 'adir'));
  await writeFile(join(dir, 'bad.txt'), '203.0.113.1\n203.0.113.2 extra\n');
  await writeFile(
    join(dir, 'outside.txt'),
    '#masscan\nopen tcp 443 203.0.113.1 1\nopen tcp 443 198.51.100.1 1\n',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(yaml: string): Promise<{ path: string; error: InputError }> {
  const path = join(dir, `case-${++n}.yaml`);
  await writeFile(path, yaml);
  try {
    await loadScanFile(path, { today: TODAY });
  } catch (error) {
    if (error instanceof InputError) return { path, error };
    throw error;
  }
  throw new Error('the scan file was accepted');
}

/** Asserts file, line, field and message, and that the error means exit status 2. */
async function expectRefused(
  yaml: string,
  line: number,
  field: string | null,
  message: string,
  file?: string,
): Promise<void> {
  const { path, error } = await refusal(yaml);
  const where = `${file === undefined ? path : join(dir, file)}:${line}`;
  expect(error.format()).toBe(field === null ? `${where}: ${message}` : `${where}: ${field}: ${message}`);
  expect(error.exitCode).toBe(2);
}

describe('unknown keys (strict everywhere, with the closest known key)', () => {
  it('at the top level', () =>
    expectRefused(`nmae: x\n${AUTH}${INCLUDE}`, 1, 'nmae', 'unknown key "nmae"; did you mean "name"?'));
  it('in probe', () =>
    expectRefused(
      `${AUTH}${INCLUDE}probe:\n  rat: 3\n`,
      9,
      'probe.rat',
      'unknown key "rat"; did you mean "rate"?',
    ));
  it('a camelCase spelling', () =>
    expectRefused(
      `${AUTH}${INCLUDE}probe:\n  hostGapMs: 3\n`,
      9,
      'probe.hostGapMs',
      'unknown key "hostGapMs"; did you mean "host_gap_ms"?',
    ));
  it('in authorisation, before the key it misses', () =>
    expectRefused(
      'authorisation:\n  by: ACME\n  reference: T-1\n  contact: sec@acme.example\n  valid_til: 2026-12-31\n' +
        INCLUDE,
      5,
      'authorisation.valid_til',
      'unknown key "valid_til"; did you mean "valid_until"?',
    ));
  it('in an owner', () =>
    expectRefused(
      `${AUTH}${INCLUDE}owners:\n  - name: A\n    contacts: x@y.example\n    match: [mail.acme.example]\n`,
      10,
      'owners[0].contacts',
      'unknown key "contacts"; did you mean "contact"?',
    ));
  it('in a file target', () =>
    expectRefused(
      `${AUTH}${INCLUDE}targets:\n  - { path: x.txt }\n`,
      9,
      'targets[0].path',
      'unknown key "path"; allowed here: file',
    ));
  it('with nothing close', () =>
    expectRefused(
      `${AUTH}frobnicate: 1\n${INCLUDE}`,
      6,
      'frobnicate',
      'unknown key "frobnicate"; allowed here: name, authorisation, scope, targets, ports, owners, probe',
    ));
});

describe('scope entries', () => {
  const inc = (entry: string) => `${AUTH}scope:\n  include:\n    - 203.0.113.0/28\n    - ${entry}\n`;
  it.each([
    ['10.0.0.0/33', '"10.0.0.0/33" is not a CIDR: an IPv4 prefix is 0 to 32'],
    ['"2001:db8::/129"', '"2001:db8::/129" is not a CIDR: an IPv6 prefix is 0 to 128'],
    ['203.0.113.5/24', '"203.0.113.5/24" has host bits set: the network is 203.0.113.0/24'],
    ['10.0.0.0/x', '"10.0.0.0/x" is not a CIDR: the prefix after "/" must be a number'],
    ['999.1.1.1', '"999.1.1.1" is not a valid IPv4 address'],
    ['010.1.1.1', '"010.1.1.1" is not a valid IPv4 address'],
    ['"2001:db8::g"', '"2001:db8::g" is not a valid IPv6 address'],
    ['"fe80::1%eth0"', '"fe80::1%eth0": zone ids (%…) are not allowed in a scan file'],
    ['mail..acme.example', '"mail..acme.example" is not an IP address, CIDR or hostname'],
    [
      '"*.com"',
      '"*.com" is too broad: a wildcard needs a domain of two labels or more (e.g. "*.acme.example")',
    ],
    ['"mail.*.example"', '"mail.*.example": a wildcard is only allowed as a leading "*."'],
    ['443', 'must be an IP address, CIDR, hostname or "*.domain" written as text (got 443)'],
  ])('%s', (entry, message) => expectRefused(inc(entry), 9, 'scope.include[1]', message));

  it('an unquoted wildcard, which YAML reads as an alias', () =>
    expectRefused(
      `${AUTH}scope:\n  include:\n    - *.acme.example\n`,
      8,
      'scope.include[0]',
      'YAML reads *.acme.example as an alias; quote wildcards: "*.acme.example"',
    ));

  it('an unquoted IPv6 address ending in "::", which YAML reads as a key', () =>
    expectRefused(
      `${AUTH}scope:\n  include:\n    - 2001:db8::\n`,
      8,
      'scope.include[0]',
      'must be an IP address, CIDR, hostname or "*.domain" written as text (got a mapping); YAML read "2001:db8::" as a mapping key: quote IPv6 addresses, e.g. "2001:db8::"',
    ));

  it('in exclude and in owners too', async () => {
    await expectRefused(
      `${AUTH}scope:\n  include: [mail.acme.example]\n  exclude: [1.2.3]\n`,
      8,
      'scope.exclude[0]',
      '"1.2.3" is not a valid IPv4 address',
    );
    await expectRefused(
      `${AUTH}${INCLUDE}owners:\n  - name: A\n    match: [10.0.0.0/40]\n`,
      10,
      'owners[0].match[0]',
      '"10.0.0.0/40" is not a CIDR: an IPv4 prefix is 0 to 32',
    );
  });

  it('a missing or empty scope', async () => {
    await expectRefused(AUTH, 1, 'scope', 'is missing: scope.include lists what this scan may touch');
    await expectRefused(
      `${AUTH}scope:\n  include: []\n`,
      7,
      'scope.include',
      'must list at least one address, CIDR, hostname or wildcard (got an empty list)',
    );
  });

  it('an IPv6 range too wide to walk as the default target set', () =>
    expectRefused(
      `${AUTH}scope:\n  include:\n    - mail.acme.example\n    - "2001:db8::/64"\n`,
      9,
      'scope.include[1]',
      '2001:db8::/64 holds 2^64 addresses, too many to try one by one as the default target set; list targets explicitly (targets:) or use a /112 or narrower',
    ));
});

describe('authorisation', () => {
  const auth = (lines: string) => `name: x\nauthorisation:\n${lines}${INCLUDE}`;
  it('missing entirely', () =>
    expectRefused(
      `name: x\n${INCLUDE}`,
      1,
      'authorisation',
      'is missing: every scan names its authorisation (by, reference, contact, valid_until) and refuses to start without it',
    ));
  it('missing one field', () =>
    expectRefused(
      auth('  by: ACME\n  reference: T-1\n  valid_until: 2026-12-31\n'),
      2,
      'authorisation.contact',
      'is missing: every scan names its authorisation (by, reference, contact, valid_until) and refuses to start without it',
    ));
  it('missing valid_until', () =>
    expectRefused(
      auth('  by: ACME\n  reference: T-1\n  contact: a@b.example\n'),
      2,
      'authorisation.valid_until',
      'is missing: the last day on which this scan may start, YYYY-MM-DD',
    ));
  it('not a mapping', () =>
    expectRefused(
      `authorisation: yes\n${INCLUDE}`,
      1,
      'authorisation',
      'must be a mapping with by, reference, contact and valid_until (got yes)',
    ));
  it('an empty field', () =>
    expectRefused(
      auth('  by: ""\n  reference: T-1\n  contact: a@b.example\n  valid_until: 2026-12-31\n'),
      3,
      'authorisation.by',
      'must not be empty (who authorised the scan)',
    ));
  it('expired, naming the date', () =>
    expectRefused(
      auth('  by: ACME\n  reference: T-1\n  contact: a@b.example\n  valid_until: 2026-10-31\n'),
      6,
      'authorisation.valid_until',
      'the authorisation expired on 2026-10-31 (today is 2026-11-27); no scan starts after valid_until',
    ));
  it.each([
    ['2026-13-01', '"2026-13-01"'],
    ['2026-02-30', '"2026-02-30"'],
    ['next year', '"next year"'],
    ['20261231', '20261231'],
  ])('a date that is not YYYY-MM-DD: %s', (value, shown) =>
    expectRefused(
      auth(`  by: ACME\n  reference: T-1\n  contact: a@b.example\n  valid_until: ${value}\n`),
      6,
      'authorisation.valid_until',
      `must be a date written YYYY-MM-DD (got ${shown})`,
    ),
  );
  it('a contact that would inject a header line', () =>
    expectRefused(
      auth(
        '  by: ACME\n  reference: T-1\n  contact: "a@b.example\\r\\nX-Evil: 1"\n  valid_until: 2026-12-31\n',
      ),
      5,
      'authorisation.contact',
      'must not contain control characters or line breaks',
    ));
});

describe('ports and probe settings', () => {
  it.each([
    [
      '[443, 0]',
      'ports[1]',
      '0 is not a port: write a number from 1 to 65535, or "http:8080" / "https:8443"',
    ],
    [
      '[70000]',
      'ports[0]',
      '70000 is not a port: write a number from 1 to 65535, or "http:8080" / "https:8443"',
    ],
    [
      '["ftp:21"]',
      'ports[0]',
      '"ftp:21" is not a port: write a number from 1 to 65535, or "http:8080" / "https:8443"',
    ],
    ['[443, "http:443"]', 'ports[1]', 'port 443 is already listed as ports[0]'],
    ['[]', 'ports', 'must list at least one port (got an empty list)'],
    ['443', 'ports', 'must be a list of ports, e.g. [443, "http:80"] (got 443)'],
  ])('ports: %s', (value, field, message) =>
    expectRefused(`${AUTH}${INCLUDE}ports: ${value}\n`, 8, field, message),
  );

  it.each([
    ['rate: 0', 'probe.rate', 'must be above 0 requests per second (got 0)'],
    ['rate: 20000', 'probe.rate', 'must be at most 10000 requests per second (got 20000)'],
    [
      'rate: fast',
      'probe.rate',
      'must be a number of requests per second above 0 and at most 10000 (got fast)',
    ],
    [
      'concurrency: 1.5',
      'probe.concurrency',
      'must be a whole number of endpoints in flight from 1 to 4096 (got 1.5)',
    ],
    [
      'concurrency: 0',
      'probe.concurrency',
      'must be a whole number of endpoints in flight from 1 to 4096 (got 0)',
    ],
    [
      'host_gap_ms: -1',
      'probe.host_gap_ms',
      'must be a whole number of milliseconds from 0 to 60000 (got -1)',
    ],
    [
      'timeout_ms: 10',
      'probe.timeout_ms',
      'must be a whole number of milliseconds from 100 to 300000 (got 10)',
    ],
    [
      'timeout_ms: .inf',
      'probe.timeout_ms',
      'must be a whole number of milliseconds from 100 to 300000 (got .inf)',
    ],
    ['mode: fast', 'probe.mode', 'must be standard or thorough (got fast)'],
    [
      'resolvers: [dns.google]',
      'probe.resolvers[0]',
      '"dns.google" is not a DNS server: write "ip" or "ip:port" ("[ipv6]:port")',
    ],
    [
      'resolvers: ["127.0.0.1:99999"]',
      'probe.resolvers[0]',
      '"127.0.0.1:99999" is not a DNS server: write "ip" or "ip:port" ("[ipv6]:port")',
    ],
  ])('probe %s', (line, field, message) =>
    expectRefused(`${AUTH}${INCLUDE}probe:\n  ${line}\n`, 9, field, message),
  );

  it('a name that would escape the run directory', () =>
    expectRefused(
      `name: ../etc\n${AUTH}${INCLUDE}`,
      1,
      'name',
      'must be 1–64 letters, digits, ".", "_" or "-" (it names the run directory) (got ../etc)',
    ));
});

describe('targets', () => {
  it('an unreadable targets file, relative to the scan file, with what the OS said', async () => {
    const { error, path } = await refusal(
      `${AUTH}scope:\n  include: [203.0.113.0/24]\ntargets:\n  - file: nowhere.txt\n`,
    );
    expect(error.format()).toBe(
      `${path}:9: targets[0].file: cannot read targets file ${join(dir, 'nowhere.txt')}: ENOENT: no such file or directory`,
    );
    const d = await refusal(`${AUTH}scope:\n  include: [203.0.113.0/24]\ntargets:\n  - file: adir\n`);
    expect(d.error.format()).toBe(
      `${d.path}:9: targets[0].file: cannot read targets file ${join(dir, 'adir')}: EISDIR: illegal operation on a directory, read`,
    );
  });

  it('a line of a targets file that parses as nothing: that file and line', () =>
    expectRefused(
      `${AUTH}scope:\n  include: [203.0.113.0/24]\ntargets:\n  - file: bad.txt\n`,
      2,
      'targets[0].file',
      'not a target: "203.0.113.2 extra" contains whitespace; list one target per entry',
      'bad.txt',
    ));

  it('an inline target outside the scope', () =>
    expectRefused(
      `${AUTH}scope:\n  include: [203.0.113.0/24]\ntargets:\n  - 203.0.113.5\n  - 198.51.100.9:443\n`,
      10,
      'targets[1]',
      'target outside the scope: 198.51.100.9 is not in any scope.include range',
    ));

  it('a CIDR reaching outside the include ranges', () =>
    expectRefused(
      `${AUTH}scope:\n  include: [203.0.113.0/25]\ntargets:\n  - 203.0.113.0/24\n`,
      9,
      'targets[0]',
      'target outside the scope: 203.0.113.0/24 is not inside the scope.include ranges (203.0.113.128 is not in any)',
    ));

  it('a masscan line outside the scope: that file and line', () =>
    expectRefused(
      `${AUTH}scope:\n  include: [203.0.113.0/24]\ntargets:\n  - file: outside.txt\n`,
      3,
      'targets[0].file',
      'target outside the scope: 198.51.100.1 is not in any scope.include range',
      'outside.txt',
    ));

  it('a private address listed without an include range for it', () =>
    expectRefused(
      `${AUTH}scope:\n  include: [mail.acme.example]\ntargets:\n  - 10.0.0.5\n`,
      9,
      'targets[0]',
      'target outside the scope: 10.0.0.5 is not in any scope.include range',
    ));

  it('a never-address, even inside an include range', () =>
    expectRefused(
      `${AUTH}scope:\n  include: [0.0.0.0/0]\n  expected_addresses: 4294967296\ntargets:\n  - 224.0.0.1\n`,
      10,
      'targets[0]',
      'target outside the scope: 224.0.0.1 is a multicast address, never probed',
    ));

  it('an IPv6 target range too wide to walk', () =>
    expectRefused(
      `${AUTH}scope:\n  include: ["2001:db8::/48"]\ntargets:\n  - "2001:db8::/100"\n`,
      9,
      'targets[0]',
      '2001:db8::/100 holds 2^28 addresses, too many to try one by one; list the addresses to probe, or use a /112 or narrower',
    ));

  it.each([
    [
      '"*.acme.example"',
      '"*.acme.example": wildcards match names but cannot be enumerated; list the names to probe',
    ],
    ['443', 'must be a target (IP, CIDR or hostname, optionally ":port") or "file: <path>", not 443'],
    ['"mail.acme.example:99999"', '"mail.acme.example:99999": the port must be a number from 1 to 65535'],
  ])('a target that is not one: %s', (value, message) =>
    expectRefused(
      `${AUTH}scope:\n  include: ["*.acme.example"]\ntargets:\n  - ${value}\n`,
      9,
      'targets[0]',
      message,
    ),
  );
});

describe('the file as a whole', () => {
  it('YAML that does not parse', () =>
    expectRefused(
      `${AUTH}scope:\n  include: [mail.acme.example\nports: [443]\n`,
      8,
      null,
      'not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ));
  it('a key given twice', () =>
    expectRefused(
      `${AUTH}${INCLUDE}scope:\n  include: [b.example]\n`,
      8,
      null,
      'not valid YAML: Map keys must be unique',
    ));
  it('an empty file', () =>
    expectRefused('', 1, null, 'is empty; a scan file needs at least name, authorisation and scope'));
  it('a list instead of a mapping', () =>
    expectRefused(
      '- a\n- b\n',
      1,
      null,
      'must be a YAML mapping (name, authorisation, scope, targets, ports, owners, probe)',
    ));
  it('reports the earliest problem in the file', () =>
    expectRefused(
      `${AUTH}scope:\n  include: [10.0.0.0/33]\nprobe:\n  rat: 1\nnmae: 1\n`,
      7,
      'scope.include[0]',
      '"10.0.0.0/33" is not a CIDR: an IPv4 prefix is 0 to 32',
    ));
  it('a scan file that cannot be read', async () => {
    const p = join(dir, 'does-not-exist.yaml');
    const error: unknown = await loadScanFile(p, { today: TODAY }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error instanceof InputError && error.format()).toBe(
      `${p}: cannot read the scan file: ENOENT: no such file or directory`,
    );
  });
});
