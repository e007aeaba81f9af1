// Deterministic pseudo-random bytes: the same host always sends the same "random" garbage and
// the same manifest blobs, so runs are repeatable.

/** 32-bit FNV-1a of a string (a seed, not a security hash). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a small fast PRNG yielding 32-bit unsigned integers. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The same sequence as floats in [0, 1): shuffles and generated data in tests and the bench. */
export function prngFloat(seed: number): () => number {
  const next = prng(seed);
  return () => next() / 4294967296;
}

export function pseudoRandomBytes(seed: string, length: number): Buffer {
  const next = prng(fnv1a(seed));
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 4) {
    const v = next();
    for (let k = 0; k < 4 && i + k < length; k++) out[i + k] = (v >>> (k * 8)) & 0xff;
  }
  return out;
}
