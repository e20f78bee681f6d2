import { ActivationId } from '../../layout.js';
import { exp32, sigmoid32, softplus } from '../lanes.js';
import { countPredictionForMerge } from '../output-copy.js';
import type { KernelState } from '../state.js';
import { activateExp, maxScore, scoreRows, softmaxSteps, updateRows } from './softmax-rows.js';

// The exact softmax and the differentiated softmax (bands); the twin of
// src/kernel/assembly/losses/softmax.ts, which explains the method.

/** Σ_{k≤n} z^k/k!, by Horner's rule in float32, as the SIMD kernel computes it. */
export function taylorSeries(z: number, n: number): number {
  let p = 1;
  for (let i = n; i >= 1; i--) p = Math.fround(1 + Math.fround(Math.fround(z * p) / i));
  return p;
}

/** z^n/n! in float32, as the SIMD kernel computes it. */
export function taylorTerm(z: number, n: number): number {
  let t = 1;
  for (let i = 1; i <= n; i++) t = Math.fround(Math.fround(t * z) / i);
  return t;
}

/** One softmax over the vocabulary: activations a, factors d = d log a / dz (none for exp), their sum, log p_w. */
export interface ComponentPass {
  a: Float32Array;
  d: Float32Array | undefined;
  sum: number;
  logP: number;
}

/** Passes 1 and 2 for the input vector at float index `input` (the mixture runs them per component). */
export function componentLogProbability(k: KernelState, input: number, word: number): ComponentPass {
  const { f32, vocabSize: V } = k;
  const z = new Float32Array(V);
  for (const band of k.bands) {
    scoreRows(f32, input + band.offset, k.trainedRow(band.first) + band.offset, k.stride, band.end - band.first, band.width, z, band.first);
  }
  z[word] = Math.fround(z[word] - k.margin);
  const top = maxScore(z);

  // a: the unnormalised probability; d: d log a / dz.
  const a = new Float32Array(V);
  let d: Float32Array | undefined;
  let sum = 0;
  if (k.activation === ActivationId.exp) {
    sum = activateExp(z, top, a);
  } else {
    d = new Float32Array(V);
    for (let j = 0; j < V; j++) {
      if (k.activation === ActivationId.sig) {
        const s = sigmoid32(z[j]);
        a[j] = exp32(z[j] - top) * s;
        d[j] = 2 - s;
      } else {
        // f_n(z) = Σ_{k≤n} z^k/k! > 0 for even n; d log f_n / dz = f_{n-1} / f_n.
        const below = taylorSeries(z[j], k.taylorOrder - 1);
        a[j] = Math.fround(below + taylorTerm(z[j], k.taylorOrder));
        d[j] = below / a[j];
      }
      sum += a[j];
    }
  }
  let logTarget: number;
  if (k.activation === ActivationId.exp) logTarget = z[word] - top;
  else if (k.activation === ActivationId.sig) logTarget = z[word] - top - softplus(-z[word]);
  else logTarget = Math.log(a[word]);
  return { a, d, sum, logP: logTarget - Math.log(sum) };
}

/** Pass 3: g_j = alpha · ([j = w] - p_j) · d_j, every row's step, the input's into `error`. */
export function updateAll(k: KernelState, input: number, error: number, word: number, pass: ComponentPass, alpha: number): void {
  const g = softmaxSteps(pass.a, pass.d, pass.sum, word, alpha);
  for (const band of k.bands) {
    updateRows(k.f32, input + band.offset, k.trainedRow(band.first) + band.offset, k.stride, band.end - band.first, band.width, error + band.offset, g, band.first);
  }
}

export function exactSoftmax(k: KernelState, input: number, word: number, alpha: number): void {
  const pass = componentLogProbability(k, input, word);
  k.addPrediction(-pass.logP);
  updateAll(k, input, k.hiddenError0, word, pass, alpha);
  countPredictionForMerge(k);
}
