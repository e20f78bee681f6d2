/**
 * The project's one pseudo-random generator. The TypeScript reference kernel and the
 * WebAssembly kernel must draw the same numbers from the same seed (that is how the SIMD kernel
 * is tested against the reference), so the generator is defined purely in 32-bit integer
 * operations that both languages express exactly.
 *
 * Algorithm — Marsaglia's xorshift32 (2003), shift triple (13, 17, 5), on a non-zero u32 state:
 *
 *     x ^= x << 13;   // shifts are on 32 bits; bits above 31 are dropped
 *     x ^= x >>> 17;  // logical (unsigned) right shift
 *     x ^= x << 5;
 *     next state = output = x
 *
 * Its period is 2^32 - 1 over the non-zero states; 0 is a fixed point, so a state of 0 must never
 * be used (seeds of 0 are replaced by 1 here and in the kernels). Quality is modest, but it is
 * what word2vec-style training needs (window sizes, negative samples, subsampling coins), it costs
 * three shifts and three xors, and it needs no 64-bit arithmetic, which wasm32 and JavaScript
 * numbers would otherwise have to emulate differently.
 */
export function xorshift32(state: number): number {
  let x = state | 0;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/** 2^-32: maps a u32 to [0, 1) with a single multiplication, exactly as the kernels do. */
const UINT32_SCALE = 1 / 4294967296;

/** The fallback state for a seed of 0, which xorshift32 cannot leave. */
const NONZERO_FALLBACK = 1;

/**
 * A stateful wrapper for host-side use (weight initialisation, tests). The state is a public
 * field so hot loops can copy it to a local, step it with {@link xorshift32}, and store it back.
 */
export class Random {
  state: number;

  constructor(seed: number) {
    const s = seed >>> 0;
    this.state = s === 0 ? NONZERO_FALLBACK : s;
  }

  /** The next u32 in [0, 2^32). */
  nextUint32(): number {
    return (this.state = xorshift32(this.state));
  }

  /**
   * A float in [0, 1): uint32 / 2^32. The result is never 1 (the largest u32 is 2^32 - 1 and the
   * product is exact in float64), and 0 is never produced either since the state is non-zero.
   */
  nextFloat(): number {
    return (this.state = xorshift32(this.state)) * UINT32_SCALE;
  }
}

/** MurmurHash3's final mixer: a bijection on u32 with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A u32 seed derived from a base seed and integer parts (e.g. epoch, chunk index), so every task
 * gets its own independent-looking stream and reruns with the same seed get the same streams.
 *
 * It is exactly MurmurHash3_x86_32 of the parts, each taken as a u32 and laid out as 4
 * little-endian bytes, with `seed` as the hash seed; that makes it checkable against the
 * published test vectors. Parts are reduced with `>>> 0` (so -1 and 0xffffffff are the same
 * part). A result of 0 — which would freeze xorshift32 — is replaced by a fixed non-zero value.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = seed >>> 0;
  for (const part of parts) {
    let k = Math.imul(part >>> 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= parts.length * 4;
  const result = fmix32(h);
  return result === 0 ? 0x9e3779b9 : result;
}
