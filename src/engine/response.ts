// One request's response, read through undici's `dispatch` handler interface: status, head and the
// first `maxBodyBytes` of the body, or the failure. It replaces `client.request` (an
// AbortController per request, an AsyncResource, a body stream and an async iteration over it) with
// one small object and one promise, and reads the response the same way: 1xx heads are skipped, the
// head is read as undici's parseHeaders reads it (http-util.ts headersFromRaw), the body is cut at
// the bound and the connection then dropped (http-util.ts BoundedBody).
import type { Dispatcher } from 'undici';
import { BoundedBody, headersFromRaw } from './http-util.js';

export interface ReadResponse {
  status: number;
  headers: Record<string, string>;
  bytes: Buffer;
  truncated: boolean;
}

type UndiciAbort = (err?: Error) => void;

// What undici's abort is given once the body is cut: the request is already settled, so it is
// only the reason undici drops the connection with, and never reaches anyone.
const BODY_CUT = new Error('body cut at the read bound');

/**
 * A `Dispatcher.DispatchHandler` (the callback form undici calls: onConnect, onHeaders, onData,
 * onComplete, onError). Settles `response` exactly once: with the response on completion or once the
 * body passes the bound, with undici's error, or with the reason given to `abort` — at once, even
 * while undici is still connecting (it then aborts the request as soon as it reaches a socket).
 */
export class ResponseReader implements Dispatcher.DispatchHandler {
  readonly response: Promise<ReadResponse>;
  /** Set by `abort`: the reason the request was given up for. */
  abortedWith: Error | null = null;
  private settled = false;
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly body: BoundedBody;
  private undiciAbort: UndiciAbort | null = null;
  private resolve!: (r: ReadResponse) => void;
  private reject!: (err: unknown) => void;

  constructor(maxBodyBytes: number) {
    this.body = new BoundedBody(maxBodyBytes);
    this.response = new Promise<ReadResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** Give the request up: settles with `reason` now and has undici drop it. */
  abort(reason: Error): void {
    if (this.settled) return;
    this.abortedWith = reason;
    this.fail(reason);
    this.undiciAbort?.(reason);
  }

  onConnect(abort: UndiciAbort): void {
    if (this.settled) abort(this.abortedWith ?? BODY_CUT);
    else this.undiciAbort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // An interim response (102, 103): the final one follows on the same request.
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.headers = headersFromRaw(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    if (this.body.push(chunk)) return true;
    this.succeed();
    // Past the bound: drop the connection, so nothing more is downloaded.
    this.undiciAbort?.(BODY_CUT);
    return false;
  }

  onComplete(): void {
    this.succeed();
  }

  onError(err: Error): void {
    this.fail(err);
  }

  private succeed(): void {
    if (this.settled) return;
    this.settled = true;
    const { status, headers, body } = this;
    this.resolve({ status, headers, bytes: body.bytes(), truncated: body.truncated });
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }
}
