import { describe, expect, it } from 'vitest';
import { matchOwner } from '../src/scope/owners.js';
import { parseScopeEntry } from '../src/scanfile/entries.js';
import type { OwnerSpec } from '../src/scanfile/types.js';

const owner = (name: string, match: string[], contact: string | null = null): OwnerSpec => ({
  name,
  contact,
  match: match.map((t) => {
    const r = parseScopeEntry(t);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  }),
});

const owners = [
  owner('Hospital', ['198.51.100.128/25', 'mail.hospital.example'], 'ict@hospital.example'),
  owner('Municipality', ['198.51.100.0/24', '*.city.example', '2001:db8:7::/48']),
  owner('Catch-all', ['0.0.0.0/0']),
];

describe('matchOwner', () => {
  it('takes the first owner whose ranges contain the IP', () => {
    expect(matchOwner(owners, '198.51.100.200', null)).toEqual({
      name: 'Hospital',
      contact: 'ict@hospital.example',
    });
    expect(matchOwner(owners, '198.51.100.5', null)).toEqual({ name: 'Municipality', contact: null });
    expect(matchOwner(owners, '203.0.113.1', null)?.name).toBe('Catch-all');
    expect(matchOwner(owners, '2001:db8:7::1', null)?.name).toBe('Municipality');
    expect(matchOwner(owners, '::ffff:198.51.100.130', null)?.name).toBe('Hospital');
  });

  it('matches names and wildcards against the host, first match winning across both', () => {
    expect(matchOwner(owners, null, 'OWA.City.Example.')?.name).toBe('Municipality');
    // the address says Municipality, but Hospital comes first and claims the name
    expect(matchOwner(owners, '198.51.100.5', 'mail.hospital.example')?.name).toBe('Hospital');
    expect(matchOwner(owners, null, 'city.example')).toBeNull();
    expect(matchOwner(owners, '2001:db8:8::1', 'unknown.example')).toBeNull();
    expect(matchOwner(owners, null, null)).toBeNull();
    expect(matchOwner([], '198.51.100.5', 'mail.hospital.example')).toBeNull();
  });

  it('maps multicast-looking or private addresses too: owners describe, they do not authorise', () => {
    expect(matchOwner([owner('Lab', ['10.0.0.0/8'])], '10.1.2.3', null)?.name).toBe('Lab');
  });
});
