import { EXP_TABLE_SIZE, MAX_EXP } from '../layout.js';
import type { KernelState } from './state.js';

// The reference twins of src/kernel/assembly/lanes.ts, one float at a time. Sums are taken in
// float64 and rounded once; the SIMD kernel's differ in the last bits, within the parity test's tolerance.

const EXP_SCALE = EXP_TABLE_SIZE / MAX_EXP / 2;

/** a · b over `n` floats. */
export function dot(f32: Float32Array, a: number, b: number, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += f32[a + i] * f32[b + i];
  return Math.fround(sum);
}

/** error += g * output; output += g * input. */
export function updatePair(f32: Float32Array, input: number, output: number, error: number, g: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const out = f32[output + i];
    f32[error + i] += g * out;
    f32[output + i] = out + g * f32[input + i];
  }
}

export function addTo(f32: Float32Array, target: number, source: number, n: number): void {
  for (let i = 0; i < n; i++) f32[target + i] += f32[source + i];
}

function tableIndex(f: number): number {
  return Math.trunc(Math.fround((f + MAX_EXP) * EXP_SCALE));
}

/** C word2vec's sigmoid table, for |f| < MAX_EXP. */
export function tableSigmoid(k: KernelState, f: number): number {
  return k.f32[k.sigmoid0 + tableIndex(f)];
}

/** -log σ(z) from the table; beyond it, the linear tail. */
export function tableLogLoss(k: KernelState, z: number): number {
  if (z >= MAX_EXP) return 0;
  if (z <= -MAX_EXP) return -z;
  return k.f32[k.lossTable0 + tableIndex(z)];
}

/** e^x in float32, on the SIMD kernel's clamped range. */
export function exp32(x: number): number {
  return Math.fround(Math.exp(Math.min(88, Math.max(-87, x))));
}

/** tanh x = 1 - 2 / (e^{2x} + 1) in float32, as the SIMD kernel computes it. */
export function tanh32(x: number): number {
  return Math.fround(1 - Math.fround(2 / Math.fround(exp32(Math.fround(2 * x)) + 1)));
}

export function sigmoid32(x: number): number {
  return Math.fround(1 / (1 + exp32(-x)));
}

/** ln(1 + e^x) = -ln σ(-x), without overflow. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log(1 + exp32(-Math.abs(x)));
}
