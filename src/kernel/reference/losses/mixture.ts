import { dot, exp32, tanh32, updatePair } from '../lanes.js';
import { countPredictionForMerge } from '../output-copy.js';
import type { KernelState } from '../state.js';
import { componentLogProbability, updateAll } from './softmax.js';

// The mixture of softmaxes, one softmax per component over its own context; the twin of
// src/kernel/assembly/losses/mixture.ts, which explains the method.

export function mixtureSoftmax(k: KernelState, input: number, word: number, alpha: number): void {
  const { f32, stride, vocabSize: V, mixtureComponents: K, dim: d } = k;
  const gateRows = V + K * d;
  // π = softmax(W h).
  const logits = Array.from({ length: K }, (_, c) => dot(f32, input, k.trainedRow(gateRows + c), stride));
  const topLogit = Math.max(...logits);
  const e = logits.map((l) => exp32(Math.fround(l - topLogit)));
  const gateSum = e.reduce((sum, x) => sum + x, 0);
  const pi = e.map((x) => x / gateSum);

  const passes = [];
  const joint: number[] = [];
  for (let c = 0; c < K; c++) {
    const context = k.mixtureContexts0 + c * stride;
    f32.fill(0, context, context + stride);
    for (let i = 0; i < d; i++) f32[context + i] = tanh32(dot(f32, input, k.trainedRow(V + c * d + i), stride));
    const pass = componentLogProbability(k, context, word);
    passes.push(pass);
    joint.push(Math.log(pi[c]) + pass.logP);
  }
  const top = Math.max(...joint);
  const q = joint.map((x) => exp32(Math.fround(x - top)));
  const shares = q.reduce((sum, x) => sum + x, 0);
  k.addPrediction(-(top + Math.log(shares)));

  const r = q.map((x) => x / shares);
  for (let c = 0; c < K; c++) {
    const context = k.mixtureContexts0 + c * stride;
    const error = k.mixtureErrors0 + c * stride;
    f32.fill(0, error, error + stride);
    updateAll(k, context, error, word, passes[c], Math.fround(alpha * r[c]));
    // Through tanh (dh_k/dz = 1 - h_k²) to P_k's rows and the input.
    for (let i = 0; i < d; i++) {
      const h = f32[context + i];
      updatePair(f32, input, k.trainedRow(V + c * d + i), k.hiddenError0, Math.fround(f32[error + i] * Math.fround(1 - Math.fround(h * h))), stride);
    }
  }
  for (let c = 0; c < K; c++) updatePair(f32, input, k.trainedRow(gateRows + c), k.hiddenError0, Math.fround(alpha * (r[c] - pi[c])), stride);
  countPredictionForMerge(k);
}
