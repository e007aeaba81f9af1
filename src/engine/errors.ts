// Network failures mapped onto the closed list of ERROR_CODES (core/result-schema.ts). undici,
// node:net and node:tls each speak their own error dialect; classifyNetworkError is the one place
// that translates them, so records never carry an invented code.
import { ProbeError } from '../core/errors.js';
import { cleanValue, MAX_MESSAGE_CHARS } from '../core/text.js';
import type { ErrorCode, ResultError } from '../core/result-schema.js';

/** Where in a request a failure happened: the same errno means different things in each phase. */
export type RequestPhase = 'connect' | 'response';

const CONNECT_CODES: Readonly<Record<string, ErrorCode>> = {
  ECONNREFUSED: 'connection-refused',
  ETIMEDOUT: 'connect-timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  EHOSTUNREACH: 'host-unreachable',
  ENETUNREACH: 'host-unreachable',
  EHOSTDOWN: 'host-unreachable',
  ENETDOWN: 'host-unreachable',
  EADDRNOTAVAIL: 'host-unreachable',
  EACCES: 'host-unreachable', // a local firewall refused the packet
  EPERM: 'host-unreachable',
};

const RESPONSE_CODES: Readonly<Record<string, ErrorCode>> = {
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'reset',
  UND_ERR_HEADERS_OVERFLOW: 'response-too-large',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'response-too-large',
  UND_ERR_INFO: 'protocol-error',
};

function errorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function isTlsFailure(code: string | undefined, message: string): boolean {
  if (
    code !== undefined &&
    (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO')
  ) {
    return true;
  }
  return /\b(SSL|TLS)\b|handshake|wrong version number/i.test(message);
}

/**
 * Translate a failure from undici / node:net / node:tls into a ProbeError with a closed-list code.
 * Already-classified ProbeErrors pass through unchanged.
 */
export function classifyNetworkError(err: unknown, phase: RequestPhase): ProbeError {
  if (err instanceof ProbeError) return err;
  const message = cleanValue(err instanceof Error ? err.message : String(err), MAX_MESSAGE_CHARS);
  const code = errorCodeOf(err);

  const parserError =
    code?.startsWith('HPE_') === true || (err instanceof Error && err.name === 'HTTPParserError');
  if (parserError) return new ProbeError('protocol-error', `not valid HTTP: ${message}`, { cause: err });
  if (phase === 'connect') {
    const mapped = code === undefined ? undefined : CONNECT_CODES[code];
    if (mapped !== undefined) return new ProbeError(mapped, message, { cause: err });
    // A reset or close during the handshake is the peer hanging up, not a certificate problem.
    if (code === 'ECONNRESET' || code === 'EPIPE') return new ProbeError('reset', message, { cause: err });
    if (isTlsFailure(code, message)) return new ProbeError('tls-error', message, { cause: err });
    // Whatever else stops a connection from opening, we never spoke HTTP to the host.
    return new ProbeError('host-unreachable', message, { cause: err });
  }
  const mapped = code === undefined ? undefined : RESPONSE_CODES[code];
  if (mapped !== undefined) return new ProbeError(mapped, message, { cause: err });
  if (isTlsFailure(code, message)) return new ProbeError('tls-error', message, { cause: err });
  return new ProbeError('internal-error', `unexpected failure: ${message}`, { cause: err });
}

/** The `error` field of a record for anything a probe threw. */
export function toResultError(err: unknown): ResultError {
  if (err instanceof ProbeError)
    return { code: err.code, message: cleanValue(err.message, MAX_MESSAGE_CHARS) };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal-error', message: cleanValue(message, MAX_MESSAGE_CHARS) };
}
