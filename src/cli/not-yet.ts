/** A command whose engine has not landed yet says so instead of pretending (exit status 1). */
export class NotYetError extends Error {
  constructor(what: string) {
    super(`${what} is not implemented yet in this version of owa-audit.`);
    this.name = 'NotYetError';
  }
}
