// The zod schema of a scan file as written (snake_case keys, README "Scan file"). Every object
// is strict so that a misspelt key is an error, not a silently ignored setting. Values that need
// more than a type check (addresses, ports, dates) are parsed here too, so that every problem is
// reported with the path of the field it came from.
import { z } from 'zod';
import type { PortSpec, ScopeEntry } from './types.js';
import { parseScopeEntry, type Parsed } from './entries.js';
import { parsePortSpec } from './ports.js';
import { parseTarget } from './targets.js';
import { parseIPv4, parseIPv6 } from '../core/ip.js';
import { show } from './show.js';
import { isIsoDay, todayIso } from '../core/time.js';

function fromParsed<T, In = string>(parse: (v: In) => Parsed<T>) {
  return (v: In, ctx: z.RefinementCtx): T => {
    const r = parse(v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  };
}

const TEXT = 'must be text';

/** Free text that ends up in reports and headers: no control characters, bounded. */
function label(max: number, what: string) {
  return z
    .string({ error: TEXT })
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, { error: `must not be empty (${what})` })
    .refine((s) => s.length <= max, { error: `must be at most ${max} characters` })
    .refine((s) => !/\p{Cc}/u.test(s), { error: 'must not contain control characters or line breaks' });
}

/** Goes into the User-Agent header: printable ASCII only. */
const contact = label(200, 'an e-mail address or URL').refine((s) => /^[\x20-\x7e]+$/.test(s), {
  error: 'must be printable ASCII (it is sent in the User-Agent header)',
});

const DATE_HELP = 'must be a date written YYYY-MM-DD';

function validUntil(today: string) {
  return z.unknown().transform((v, ctx): string => {
    // YAML 1.2 reads 2026-12-31 as text; a "%YAML 1.1" document would give a Date.
    const s = v instanceof Date ? todayIso(v) : typeof v === 'string' ? v.trim() : null;
    if (v === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'is missing: the last day on which this scan may start, YYYY-MM-DD',
      });
      return z.NEVER;
    }
    if (s === null || !isIsoDay(s)) {
      ctx.addIssue({ code: 'custom', message: `${DATE_HELP} (got ${show(v)})` });
      return z.NEVER;
    }
    if (s < today) {
      ctx.addIssue({
        code: 'custom',
        message: `the authorisation expired on ${s} (today is ${today}); no scan starts after valid_until`,
      });
      return z.NEVER;
    }
    return s;
  });
}

const scopeEntry = z
  .string({ error: 'must be an IP address, CIDR, hostname or "*.domain" written as text' })
  .transform(fromParsed<ScopeEntry>(parseScopeEntry));

const targetText = z.string({ error: TEXT }).transform((v, ctx) => {
  const r = parseTarget(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
  return v.trim();
});

export const FILE_TARGET_KEYS = ['file'] as const;
const fileTarget = z.strictObject({
  file: z.string({ error: 'must be the path of a targets file' }).min(1, { error: 'must not be empty' }),
});

function resolverAddress(v: string): Parsed<string> {
  const s = v.trim();
  const bad: Parsed<string> = {
    ok: false,
    error: `"${s}" is not a DNS server: write "ip" or "ip:port" ("[ipv6]:port")`,
  };
  const portOk = (p: string | undefined): boolean =>
    p === undefined || (/^[1-9][0-9]{0,4}$/.test(p) && Number(p) <= 65535);
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket !== null)
    return parseIPv6(bracket[1] ?? '') !== null && portOk(bracket[2]) ? { ok: true, value: s } : bad;
  if (parseIPv6(s) !== null) return { ok: true, value: s };
  const [ip = '', port, extra] = s.split(':');
  if (extra !== undefined || parseIPv4(ip) < 0 || !portOk(port)) return bad;
  return { ok: true, value: s };
}

function intIn(min: number, max: number, what: string) {
  const msg = `must be a whole number of ${what} from ${min} to ${max}`;
  return z.number({ error: msg }).int({ error: msg }).min(min, { error: msg }).max(max, { error: msg });
}

export const PROBE_KEYS = ['rate', 'concurrency', 'host_gap_ms', 'timeout_ms', 'mode', 'resolvers'] as const;
const probe = z.strictObject({
  rate: z
    .number({ error: 'must be a number of requests per second above 0 and at most 10000' })
    .gt(0, { error: 'must be above 0 requests per second' })
    .max(10000, { error: 'must be at most 10000 requests per second' })
    .optional(),
  concurrency: intIn(1, 4096, 'endpoints in flight').optional(),
  host_gap_ms: intIn(0, 60000, 'milliseconds').optional(),
  timeout_ms: intIn(100, 300000, 'milliseconds').optional(),
  mode: z.enum(['standard', 'thorough'], { error: 'must be standard or thorough' }).optional(),
  resolvers: z
    .array(z.string({ error: TEXT }).transform(fromParsed(resolverAddress)), {
      error: 'must be a list of DNS servers ("ip" or "ip:port")',
    })
    .optional(),
});

const ports = z
  .array(z.unknown().transform(fromParsed<PortSpec, unknown>(parsePortSpec)), {
    error: 'must be a list of ports, e.g. [443, "http:80"]',
  })
  .min(1, { error: 'must list at least one port' })
  .superRefine((list, ctx) => {
    const seen = new Map<number, number>();
    list.forEach((p, i) => {
      const first = seen.get(p.port);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `port ${p.port} is already listed as ports[${first}]`,
        });
      } else {
        seen.set(p.port, i);
      }
    });
  });

const EXPECTED_HELP =
  'must be a whole number of IPv4 addresses from 1 to 4294967296, written without separators (e.g. 33554432)';

const entryList = (what: string) => z.array(scopeEntry, { error: `must be a list of ${what}` });

export const OWNER_KEYS = ['name', 'contact', 'match'] as const;
const owner = z.strictObject({
  name: label(200, 'the owner shown in reports'),
  contact: contact.nullable().optional(),
  match: entryList('addresses, CIDRs, hostnames or "*.domain" wildcards').min(1, {
    error: 'must list at least one address, CIDR, hostname or wildcard',
  }),
});

export const AUTHORISATION_KEYS = ['by', 'reference', 'contact', 'valid_until'] as const;
export const SCOPE_KEYS = ['include', 'exclude', 'expected_addresses'] as const;
export const TOP_KEYS = ['name', 'authorisation', 'scope', 'targets', 'ports', 'owners', 'probe'] as const;

/** Becomes part of the run directory name: no path separators, no dot files. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function scanFileSchema(today: string) {
  return z.strictObject({
    name: z
      .string({ error: TEXT })
      .regex(NAME_PATTERN, {
        error: 'must be 1–64 letters, digits, ".", "_" or "-" (it names the run directory)',
      })
      .optional(),
    authorisation: z.strictObject(
      {
        by: label(200, 'who authorised the scan'),
        reference: label(200, 'the engagement, mandate or ticket'),
        contact,
        valid_until: validUntil(today),
      },
      { error: 'must be a mapping with by, reference, contact and valid_until' },
    ),
    scope: z.strictObject(
      {
        include: entryList('addresses, CIDRs, hostnames or "*.domain" wildcards').min(1, {
          error: 'must list at least one address, CIDR, hostname or wildcard',
        }),
        exclude: entryList('addresses, CIDRs, hostnames or "*.domain" wildcards').optional(),
        expected_addresses: z
          .number({ error: EXPECTED_HELP })
          .int({ error: EXPECTED_HELP })
          .min(1, { error: EXPECTED_HELP })
          .max(2 ** 32, { error: EXPECTED_HELP })
          .optional(),
      },
      { error: 'must be a mapping with include (and optionally exclude, expected_addresses)' },
    ),
    targets: z
      .array(z.union([targetText, fileTarget]), { error: 'must be a list of targets or "file:" entries' })
      .optional(),
    ports: ports.optional(),
    owners: z.array(owner, { error: 'must be a list of owners (name, contact, match)' }).optional(),
    probe: probe.optional(),
  });
}

export type RawScanFile = z.output<ReturnType<typeof scanFileSchema>>;

/** Keys allowed in the mapping at a path, for "did you mean …" on an unknown key. */
export function knownKeysAt(path: readonly (string | number)[]): readonly string[] {
  const [a, b] = path;
  if (path.length === 0) return TOP_KEYS;
  if (path.length === 1 && a === 'authorisation') return AUTHORISATION_KEYS;
  if (path.length === 1 && a === 'scope') return SCOPE_KEYS;
  if (path.length === 1 && a === 'probe') return PROBE_KEYS;
  if (path.length === 2 && a === 'owners' && typeof b === 'number') return OWNER_KEYS;
  if (path.length === 2 && a === 'targets' && typeof b === 'number') return FILE_TARGET_KEYS;
  return [];
}
