import { dot, exp32, updatePair } from '../lanes.js';

// The passes of a softmax over a block of rows, shared by the exact softmax (one block per band),
// its mixture (once per component) and the adaptive softmax (its head, then the target's
// cluster); the twin of src/kernel/assembly/losses/softmax-rows.ts, which explains them.

/** x · row_j into z[first + j] for `count` rows `rowStride` floats apart, over `width` floats. */
export function scoreRows(f32: Float32Array, x: number, row0: number, rowStride: number, count: number, width: number, z: Float32Array, first = 0): void {
  for (let j = 0; j < count; j++) z[first + j] = dot(f32, x, row0 + j * rowStride, width);
}

/** The largest score. */
export function maxScore(z: Float32Array): number {
  let top = -Infinity;
  for (const v of z) top = Math.max(top, v);
  return top;
}

/** exp(z_j - top) into a; returns Σ a_j. */
export function activateExp(z: Float32Array, top: number, a: Float32Array): number {
  let sum = 0;
  for (let j = 0; j < z.length; j++) {
    a[j] = exp32(z[j] - top);
    sum += a[j];
  }
  return sum;
}

/** Steps g_j = alpha · ([j = target] - p_j) · d_j, with d_j = d log a_j / dz_j (1 for exp: no d). */
export function softmaxSteps(a: Float32Array, d: Float32Array | undefined, sum: number, target: number, alpha: number): Float32Array {
  const scale = Math.fround(-alpha / sum);
  const g = new Float32Array(a.length);
  for (let j = 0; j < a.length; j++) g[j] = a[j] * scale * (d ? d[j] : 1);
  g[target] += alpha * (d ? d[target] : 1);
  return g;
}

/** Row j's step g[first + j]: error += g_j · row_j, row_j += g_j · x. */
export function updateRows(f32: Float32Array, x: number, row0: number, rowStride: number, count: number, width: number, error: number, g: Float32Array, first = 0): void {
  for (let j = 0; j < count; j++) updatePair(f32, x, row0 + j * rowStride, error, g[first + j], width);
}
