// The failures every layer may raise or recognise. Bad input is refused before anything is sent:
// exit status 2 with one message that names the file, the line and the field (InputError).
// Everything else that fails is exit status 1. A probe failure carries a code from the closed
// list of result-schema.ts, so a record never carries an invented one.
import type { ErrorCode } from './result-schema.js';

export interface InputLocation {
  file: string;
  line?: number | undefined;
  field?: string | undefined;
}

export class InputError extends Error {
  readonly exitCode = 2;
  readonly location: InputLocation | undefined;

  constructor(message: string, location?: InputLocation) {
    super(message);
    this.name = 'InputError';
    this.location = location;
  }

  /** "scans/acme.yaml:12: scope.include[3]: not an address, CIDR or hostname: 10.0.0.0/33" */
  format(): string {
    const loc = this.location;
    if (loc === undefined) return this.message;
    const where = loc.line === undefined ? loc.file : `${loc.file}:${loc.line}`;
    return loc.field === undefined ? `${where}: ${this.message}` : `${where}: ${loc.field}: ${this.message}`;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/** A probe failure that ends up in a result record as `{ code, message }`. */
export class ProbeError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeError';
    this.code = code;
  }
}

/**
 * A URL the session refused to contact because the scope guard did not authorise it.
 * Nothing was sent. Callers following redirects record it as evidence instead of failing.
 */
export class ScopeRefusal extends ProbeError {
  readonly url: string;
  readonly reason: string;

  constructor(url: string, reason: string) {
    super('out-of-scope', `refused ${url}: ${reason}`);
    this.name = 'ScopeRefusal';
    this.url = url;
    this.reason = reason;
  }
}

/** The run directory cannot be created, written or read. Exit status 1; the message names the path. */
export class RunDirError extends Error {
  readonly exitCode = 1;
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, options);
    this.name = 'RunDirError';
    this.path = path;
  }
}
