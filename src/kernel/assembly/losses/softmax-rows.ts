// The passes of a softmax over a block of rows, shared by the exact softmax (one block per band,
// rows of the model's stride) and the adaptive softmax (its head, then the target's cluster,
// whose rows are narrower): scores four rows at a time, the largest score, exp and its float64
// sum, the steps, and every row's step four rows at a time; and by the mixture of softmaxes, which
// runs the exact softmax's passes once per component. Each pass takes its score and activation
// buffers (steps go over the activations), indexed from the block's first row: the slot's own, or
// a mixture component's.
import { dot, dot4, exp32, exp4, updatePair, updatePair4 } from '../lanes';

// @ts-ignore: decorator
@inline export function at(buffer: usize, j: u32): usize {
  return buffer + (<usize>j << 2);
}

/** x · row_j into `into`[j] for `count` rows `rowStep` bytes apart, over n lanes. */
// @ts-ignore: decorator
@inline export function scoreRows(x: usize, row0: usize, rowStep: usize, count: u32, n: i32, into: usize): void {
  let j: u32 = 0;
  for (; j + 4 <= count; j += 4) dot4(x, row0 + <usize>j * rowStep, rowStep, n, at(into, j));
  for (; j < count; j++) store<f32>(at(into, j), dot(x, row0 + <usize>j * rowStep, n));
}

/** The largest of the first `count` scores. */
export function maxScore(scores: usize, count: u32): f32 {
  const groups = count & ~3;
  let m = f32x4.splat(-3.4e38);
  for (let j: u32 = 0; j < groups; j += 4) m = f32x4.max(m, v128.load(at(scores, j)));
  let top = f32x4.extract_lane(m, 0);
  top = max(top, f32x4.extract_lane(m, 1));
  top = max(top, f32x4.extract_lane(m, 2));
  top = max(top, f32x4.extract_lane(m, 3));
  for (let j = groups; j < count; j++) top = max(top, load<f32>(at(scores, j)));
  return top;
}

/** acc + the four lanes of v, widened to float64. */
// @ts-ignore: decorator
@inline export function widen(v: v128, acc: v128): v128 {
  return f64x2.add(f64x2.add(acc, f64x2.promote_low_f32x4(v)), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
}

/** exp(score - top) of the first `count` scores into the activation buffer; returns their sum (float64). */
export function activateExp(top: f32, count: u32, scores: usize, activations: usize): f64 {
  const groups = count & ~3;
  const topv = f32x4.splat(top);
  let acc = f64x2.splat(0);
  let sum: f64 = 0;
  for (let j: u32 = 0; j < groups; j += 4) {
    const a = exp4(f32x4.sub(v128.load(at(scores, j)), topv));
    v128.store(at(activations, j), a);
    acc = widen(a, acc);
  }
  for (let j = groups; j < count; j++) {
    const a = exp32(load<f32>(at(scores, j)) - top);
    store<f32>(at(activations, j), a);
    sum += <f64>a;
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) + sum;
}

/**
 * Steps g_j = alpha · ([j = target] - p_j) · d_j over the first `count` activations, written over
 * them; d_j = d log a_j / dz_j is in the score buffer unless the activation is exp (d = 1).
 */
export function softmaxSteps(count: u32, target: u32, sum: f64, alpha: f32, exp: bool, scores: usize, activations: usize): void {
  const groups = count & ~3;
  const scale = <f32>(-<f64>alpha / sum);
  const scalev = f32x4.splat(scale);
  for (let j: u32 = 0; j < groups; j += 4) {
    let g = f32x4.mul(v128.load(at(activations, j)), scalev);
    if (!exp) g = f32x4.mul(g, v128.load(at(scores, j)));
    v128.store(at(activations, j), g);
  }
  for (let j = groups; j < count; j++) {
    let g = load<f32>(at(activations, j)) * scale;
    if (!exp) g *= load<f32>(at(scores, j));
    store<f32>(at(activations, j), g);
  }
  const d: f32 = exp ? 1 : load<f32>(at(scores, target));
  store<f32>(at(activations, target), load<f32>(at(activations, target)) + alpha * d);
}

/** Row j's step g_j (from `steps`): error += g_j · row_j, row_j += g_j · x, four rows at a time. */
// @ts-ignore: decorator
@inline export function updateRows(x: usize, row0: usize, rowStep: usize, count: u32, n: i32, error: usize, steps: usize): void {
  const zero = f32x4.splat(0);
  let j: u32 = 0;
  for (; j + 4 <= count; j += 4) {
    const g = v128.load(at(steps, j));
    // Rows far below the top get exactly zero: they would not move.
    if (v128.any_true(f32x4.ne(g, zero))) updatePair4(x, row0 + <usize>j * rowStep, rowStep, error, g, n);
  }
  for (; j < count; j++) updatePair(x, row0 + <usize>j * rowStep, error, load<f32>(at(steps, j)), n);
}
