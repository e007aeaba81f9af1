// Bad input is refused before anything is sent: exit status 2 with one message that names the
// file, the line and the field. Everything else that fails is exit status 1.

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
