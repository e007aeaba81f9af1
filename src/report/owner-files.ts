// File names for per-owner reports: a readable slug of the owner's name plus a short hash of the
// full name, so two owners whose names slug alike ("ACME Ltd" / "Acme, Ltd.") never share a file
// and no owner name can steer a path (no separators, dots or control characters survive).
import { createHash } from 'node:crypto';

const SLUG_MAX = 40;

export function ownerSlug(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();
  const slug = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);
  return `${slug === '' ? 'owner' : slug}-${hash}`;
}
