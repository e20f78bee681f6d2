import { Random } from '../base/random.js';

/**
 * The mixture of softmaxes (Yang, Dai, Salakhutdinov & Cohen 2018; with sig, Kanai et al. 2018's
 * mixture of sigsoftmaxes): K components, each with its own context h_k = tanh(P_k h) (P_k a
 * dim × dim matrix), weighted by π = softmax(W h) (W of K × dim):
 *
 *     p(w | h) = Σ_k π_k · a(U h_k)_w / Σ_j a(U h_k)_j
 *
 * with U the output rows and a the activation. Its rows follow the output rows, stride floats
 * apart like them: the K·dim rows of P_1..P_K (row i of P_k is its output i), then the K rows of W.
 * K = 1 has none of them: it is the plain softmax.
 */

/** The most components a mixture may have (Yang et al. used up to 15; every one costs a softmax). */
export const MAX_MIXTURE_COMPONENTS = 32;

/** Rows a mixture of K components adds after the output rows (0 for K = 1). */
export function mixtureRowCount(components: number, dim: number): number {
  return components > 1 ? components * dim + components : 0;
}

/**
 * The starting mixture: every P_k is the identity plus uniform noise in [-0.5, 0.5) / dim (C
 * word2vec's input scale), and W is zero. The output rows start at zero and the input vectors are
 * small, so tanh works near its linear part: with P_k ≈ I each component starts as the plain
 * softmax over h and passes its step back at full strength (a random P_k would scramble h and
 * shrink the first steps; a zero P_k would give h_k = 0, which no step can move). The noise makes
 * the components differ, or they would take identical steps forever; W = 0 weighs them equally
 * until they do. Drawn on the host from the run's seed, so both kernels start from the same rows.
 */
export function initialiseMixture(rows: Float32Array, components: number, dim: number, stride: number, seed: number): void {
  const random = new Random(seed);
  rows.fill(0, 0, mixtureRowCount(components, dim) * stride);
  for (let k = 0; k < components; k++) {
    for (let i = 0; i < dim; i++) {
      const row = (k * dim + i) * stride;
      for (let j = 0; j < dim; j++) rows[row + j] = (i === j ? 1 : 0) + (random.nextFloat() - 0.5) / dim;
    }
  }
}

/** h_k = tanh(P_k h) for every component, in float64 (the query side's twin of the kernels' contexts). */
export function mixtureContexts(rows: ArrayLike<number>, components: number, dim: number, stride: number, h: ArrayLike<number>): Float64Array[] {
  return Array.from({ length: components }, (_, k) => {
    const context = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      const row = (k * dim + i) * stride;
      let z = 0;
      for (let j = 0; j < dim; j++) z += rows[row + j] * h[j];
      context[i] = Math.tanh(z);
    }
    return context;
  });
}

/** log π_k = log softmax(W h)_k, in float64. */
export function mixtureLogGates(rows: ArrayLike<number>, components: number, dim: number, stride: number, h: ArrayLike<number>): Float64Array {
  const logits = new Float64Array(components);
  for (let k = 0; k < components; k++) {
    const row = (components * dim + k) * stride;
    for (let j = 0; j < dim; j++) logits[k] += rows[row + j] * h[j];
  }
  const top = Math.max(...logits);
  let sum = 0;
  for (let k = 0; k < components; k++) sum += Math.exp(logits[k] - top);
  const log = Math.log(sum) + top;
  return logits.map((l) => l - log);
}

/** log Σ_k exp(x_k), without overflow. */
export function logSumExp(xs: ArrayLike<number>): number {
  let top = -Infinity;
  for (let k = 0; k < xs.length; k++) top = Math.max(top, xs[k]);
  if (top === -Infinity) return top;
  let sum = 0;
  for (let k = 0; k < xs.length; k++) sum += Math.exp(xs[k] - top);
  return top + Math.log(sum);
}
