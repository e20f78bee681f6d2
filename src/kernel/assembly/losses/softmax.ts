// The exact softmax over every word, and the differentiated softmax (Chen, Grangier & Auli 2016),
// which is the same computation over frequency bands: band b's words score against block b of
// the input vector only. The full softmax is one band of every word and the whole vector.
//
// Three passes, each a straight sweep: (1) every score, four output rows at a time so each input
// lane is loaded once per four rows; (2) the activation of every score and their sum, in float64;
// (3) every row's step, again four rows at a time. The activation turns a score z into an
// unnormalised probability: exp (softmax), exp(z)·σ(z) (sigsoftmax, Kanai et al. 2018), or
// Σ_{k≤n} z^k/k! (Taylor softmax of even order n: de Brébisson & Vincent 2016 used n = 2,
// Banerjee et al. 2020 up to ten terms); the margin lowers the target's score before
// normalising (soft-margin softmax; with taylor, SM-Taylor softmax).
// Objective per prediction: -log p_w. The rows are this worker's copy of the output layer,
// merged into the shared one every few predictions (output-copy.ts).
// The passes take their buffers as arguments: the mixture of softmaxes (mixture.ts) runs them
// once per component, each over its own context vector, scores and activations.
import { ACTIVATION_EXP, ACTIVATION_SIG } from '../layout';
import { exp32, exp4, log64, sigmoid32, sigmoid4, softplus } from '../lanes';
import { countPredictionForMerge, trainedRow } from '../output-copy';
import { activation, activations, addPrediction, bandCount, bands, hiddenError, margin, rowBytes, scores, taylorOrder, vocabSize } from '../state';
import { activateExp, at, maxScore, scoreRows, softmaxSteps, updateRows, widen } from './softmax-rows';

/** Σ a_j of the last componentLogProbability, for its steps. */
export let normaliser: f64 = 0;

// @ts-ignore: decorator
@inline function bandField(band: u32, field: u32): u32 {
  return load<u32>(bands + ((<usize>band * 4 + <usize>field) << 2));
}

/** Pass 1: every word's score against its band's block of the input. */
function scoreAll(input: usize, scores: usize): void {
  for (let b: u32 = 0; b < bandCount; b++) {
    const first = bandField(b, 0);
    const offset = <usize>bandField(b, 2) << 4;
    scoreRows(input + offset, trainedRow(first) + offset, rowBytes, bandField(b, 1) - first, <i32>bandField(b, 3), at(scores, first));
  }
}

/**
 * Pass 2: activations a_j into the activation buffer and, where the activation is not exp, the
 * factor d_j = d log a_j / dz_j into the score buffer. Returns Σ a_j (float64).
 */
function activate(top: f32, scores: usize, activations: usize): f64 {
  const V = vocabSize;
  const kind = activation;
  if (kind == ACTIVATION_EXP) return activateExp(top, V, scores, activations);
  const groups = V & ~3;
  const topv = f32x4.splat(top);
  const one = f32x4.splat(1);
  let acc = f64x2.splat(0);
  let sum: f64 = 0;
  if (kind == ACTIVATION_SIG) {
    // exp(z)·σ(z), scaled by exp(-top) like the softmax; d log a / dz = 2 - σ(z).
    for (let j: u32 = 0; j < groups; j += 4) {
      const z = v128.load(at(scores, j));
      const s = sigmoid4(z);
      const a = f32x4.mul(exp4(f32x4.sub(z, topv)), s);
      v128.store(at(activations, j), a);
      v128.store(at(scores, j), f32x4.sub(f32x4.splat(2), s));
      acc = widen(a, acc);
    }
    for (let j = groups; j < V; j++) {
      const z = load<f32>(at(scores, j));
      const s = sigmoid32(z);
      const a = exp32(z - top) * s;
      store<f32>(at(activations, j), a);
      store<f32>(at(scores, j), <f32>2 - s);
      sum += <f64>a;
    }
  } else {
    // f_n(z) = Σ_{k≤n} z^k/k! > 0 for even n (n = 2: 1 + z + z²/2 ≥ 1/2); d log a / dz = f_{n-1} / f_n.
    // f_{n-1} by Horner's rule, then the last term z^n/n!, in the order of the TypeScript twin.
    const n = taylorOrder;
    for (let j: u32 = 0; j < groups; j += 4) {
      const z = v128.load(at(scores, j));
      let below = one;
      for (let i = n - 1; i >= 1; i--) below = f32x4.add(one, f32x4.div(f32x4.mul(z, below), f32x4.splat(<f32>i)));
      let term = one;
      for (let i: u32 = 1; i <= n; i++) term = f32x4.div(f32x4.mul(term, z), f32x4.splat(<f32>i));
      const a = f32x4.add(below, term);
      v128.store(at(activations, j), a);
      v128.store(at(scores, j), f32x4.div(below, a));
      acc = widen(a, acc);
    }
    for (let j = groups; j < V; j++) {
      const z = load<f32>(at(scores, j));
      let below: f32 = 1;
      for (let i = n - 1; i >= 1; i--) below = <f32>1 + (z * below) / <f32>i;
      let term: f32 = 1;
      for (let i: u32 = 1; i <= n; i++) term = (term * z) / <f32>i;
      const a = below + term;
      store<f32>(at(activations, j), a);
      store<f32>(at(scores, j), below / a);
      sum += <f64>a;
    }
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) + sum;
}

/** Pass 3: every row's step, against its band's block of the input and of `error`. */
export function updateAll(input: usize, error: usize, activations: usize): void {
  for (let b: u32 = 0; b < bandCount; b++) {
    const first = bandField(b, 0);
    const offset = <usize>bandField(b, 2) << 4;
    updateRows(input + offset, trainedRow(first) + offset, rowBytes, bandField(b, 1) - first, <i32>bandField(b, 3), error + offset, at(activations, first));
  }
}

/**
 * Passes 1 and 2 for the input vector: log p_w, with the activations in `activations`, the
 * factors d_j in `scores` (activations other than exp) and Σ a_j in `normaliser`.
 */
export function componentLogProbability(input: usize, word: u32, scores: usize, activations: usize): f64 {
  scoreAll(input, scores);
  const target = load<f32>(at(scores, word)) - margin;
  store<f32>(at(scores, word), target);
  const top = maxScore(scores, vocabSize);
  const sum = activate(top, scores, activations);
  normaliser = sum;
  // log a_w, from the score where the activation allows it (exact even if a_w underflows).
  let logTarget: f64;
  if (activation == ACTIVATION_EXP) logTarget = <f64>(target - top);
  else if (activation == ACTIVATION_SIG) logTarget = <f64>(target - top) - softplus(-target);
  else logTarget = log64(<f64>load<f32>(at(activations, word)));
  return logTarget - log64(sum);
}

/** Steps g_j = alpha · ([j = w] - p_j) · d_j, written over the activations; `sum` is their Σ a_j. */
export function steps(word: u32, sum: f64, alpha: f32, scores: usize, activations: usize): void {
  softmaxSteps(vocabSize, word, sum, alpha, activation == ACTIVATION_EXP, scores, activations);
}

export function exactSoftmax(input: usize, word: u32, alpha: f32): void {
  addPrediction(-componentLogProbability(input, word, scores, activations));
  steps(word, normaliser, alpha, scores, activations);
  updateAll(input, hiddenError, activations);
  countPredictionForMerge();
}
