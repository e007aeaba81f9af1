// The engine's public surface: the network half of a scan. `runEngine` pulls targets lazily,
// probes each endpoint in its own HttpSession (undici, guarded connector, TLS capture, bounded
// reads, deadlines) under the global rate gate, and hands exactly one record per endpoint to
// `onRecord` — the run store's writer (src/run-store/) in `scan`. Everything else under
// src/engine/ is internal.
export { runEngine, itemKey, type EngineOptions, type EngineSummary, type UnprobeableItem } from './scan.js';
export { openSession, DEFAULT_MAX_BODY_BYTES, type HttpSession, type SessionOptions } from './session.js';
export { classifyNetworkError, toResultError } from './errors.js';
export { createRateGate, type RateGate, type RateGateOptions, type GateTicket } from './rate-gate.js';
export { createResolver, DnsError, type ResolverOptions } from './resolver.js';
export { userAgentFor } from './user-agent.js';
