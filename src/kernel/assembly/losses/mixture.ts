// The mixture of softmaxes (Yang, Dai, Salakhutdinov & Cohen 2018; with sig, the mixture of
// sigsoftmaxes of Kanai et al. 2018): K components, each the exact softmax's passes (softmax.ts)
// over its own context h_k = tanh(P_k h), weighted by π = softmax(W h):
//   p(w) = Σ_k π_k p_k(w),   objective -log p(w).
// With r_k = π_k p_k(w) / p(w) (the component's share of the target), component k's rows take the
// plain softmax's step scaled by r_k, the gate logits W h take r_k - π_k, and h_k's step flows back
// through tanh and P_k into the input's. Every component's probability is needed before any step,
// so each keeps its scores and activations (K buffers, one per component) instead of scoring twice.
// P_k and W are rows after the V output rows and train in the same private copy (output-copy.ts).
import { clear, dot, exp32, log64, tanh32, updatePair } from '../lanes';
import { countPredictionForMerge, trainedRow } from '../output-copy';
import { activations, addPrediction, dim, hiddenError, lanes, mixtureComponents, mixtureContexts, mixtureErrors, mixtureGates, rowBytes, scores, vocabSize } from '../state';
import { componentLogProbability, normaliser, steps, updateAll } from './softmax';

// @ts-ignore: decorator
@inline function gate(slot: u32): usize {
  return mixtureGates + (<usize>slot << 3);
}

export function mixtureSoftmax(input: usize, word: u32, alpha: f32): void {
  const K = mixtureComponents;
  const d = dim;
  const V = vocabSize;
  const gateRows = V + K * d;
  const componentBytes = <usize>((V + 3) & ~3) << 2;
  // π = softmax(W h): gate k holds π_k.
  let topLogit: f32 = -3.4e38;
  for (let k: u32 = 0; k < K; k++) {
    const l = dot(input, trainedRow(gateRows + k), lanes);
    store<f64>(gate(k), <f64>l);
    topLogit = max(topLogit, l);
  }
  let gateSum: f64 = 0;
  for (let k: u32 = 0; k < K; k++) {
    const e = exp32(<f32>load<f64>(gate(k)) - topLogit);
    store<f64>(gate(k), <f64>e);
    gateSum += <f64>e;
  }
  for (let k: u32 = 0; k < K; k++) store<f64>(gate(k), load<f64>(gate(k)) / gateSum);

  // Each component's context, then its log p_k(w); gate 2K + k holds log π_k + log p_k(w).
  let top: f64 = -1.7e308;
  for (let k: u32 = 0; k < K; k++) {
    const context = mixtureContexts + <usize>k * rowBytes;
    clear(context, lanes);
    for (let i: u32 = 0; i < d; i++) store<f32>(context + (<usize>i << 2), tanh32(dot(input, trainedRow(V + k * d + i), lanes)));
    const logP = componentLogProbability(context, word, scores + <usize>k * componentBytes, activations + <usize>k * componentBytes);
    store<f64>(gate(K + k), normaliser);
    const joint = log64(load<f64>(gate(k))) + logP;
    store<f64>(gate(2 * K + k), joint);
    top = max(top, joint);
  }
  // log p(w) = log Σ_k exp(joint_k); then gate 2K + k holds r_k.
  let shares: f64 = 0;
  for (let k: u32 = 0; k < K; k++) {
    const q = <f64>exp32(<f32>(load<f64>(gate(2 * K + k)) - top));
    store<f64>(gate(2 * K + k), q);
    shares += q;
  }
  addPrediction(-(top + log64(shares)));

  for (let k: u32 = 0; k < K; k++) {
    const r = load<f64>(gate(2 * K + k)) / shares;
    store<f64>(gate(2 * K + k), r);
    const context = mixtureContexts + <usize>k * rowBytes;
    const error = mixtureErrors + <usize>k * rowBytes;
    const componentActivations = activations + <usize>k * componentBytes;
    steps(word, load<f64>(gate(K + k)), <f32>(<f64>alpha * r), scores + <usize>k * componentBytes, componentActivations);
    clear(error, lanes);
    updateAll(context, error, componentActivations);
    // Through tanh (dh_k/dz = 1 - h_k²) to P_k's rows and the input.
    for (let i: u32 = 0; i < d; i++) {
      const c = load<f32>(context + (<usize>i << 2));
      const step = load<f32>(error + (<usize>i << 2)) * (<f32>1 - c * c);
      updatePair(input, trainedRow(V + k * d + i), hiddenError, step, lanes);
    }
  }
  for (let k: u32 = 0; k < K; k++) {
    const step = <f32>(<f64>alpha * (load<f64>(gate(2 * K + k)) - load<f64>(gate(k))));
    updatePair(input, trainedRow(gateRows + k), hiddenError, step, lanes);
  }
  countPredictionForMerge();
}
