// The kernel's random numbers: xorshift32 (Marsaglia 2003: shifts 13, 17, 5), as in
// src/random.ts, and noise words from the unigram^0.75 alias table.
import { aliasIndex, aliasProbability, negative, negatives, vocabSize } from './state';

const UINT32_SCALE: f64 = 1.0 / 4294967296.0;
let random: u32 = 1;

export function seedRandom(seed: u32): void {
  random = seed == 0 ? 1 : seed;
}

// @ts-ignore: decorator
@inline export function nextRandom(): u32 {
  let x = random;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  random = x;
  return x;
}

// @ts-ignore: decorator
@inline export function nextUnit(): f64 {
  return <f64>nextRandom() * UINT32_SCALE;
}

/** A noise word from the alias table: one uniform draw, O(1). */
// @ts-ignore: decorator
@inline export function drawNoise(): u32 {
  const x = nextUnit() * <f64>vocabSize;
  const column = <u32>x;
  const fraction = x - <f64>column;
  if (fraction < <f64>load<f32>(aliasProbability + (<usize>column << 2))) return column;
  return load<u32>(aliasIndex + (<usize>column << 2));
}

/** Fills the slot's noise buffer with `negative` fresh draws. */
export function drawNoiseWords(): void {
  for (let d: u32 = 0; d < negative; d++) store<u32>(negatives + (<usize>d << 2), drawNoise());
}

/** Noise word d of the buffer. */
// @ts-ignore: decorator
@inline export function noiseWord(d: u32): u32 {
  return load<u32>(negatives + (<usize>d << 2));
}
