import type { BandLayout } from './bands.js';
import type { CodeTree } from './code-tree.js';
import { logSumExp, mixtureContexts, mixtureLogGates } from './mixture.js';
import { EXACT_LOSSES, type Activation, type LossType, type ModelType } from './options.js';

/**
 * The trained output layer, as the library hands it out: enough to compute the model's own
 * probability of a word given an input vector, exactly, for every loss whose output defines a
 * distribution over the vocabulary.
 */
export interface OutputLayer {
  loss: LossType;
  /** How the exact softmax losses turn scores into probabilities (exp for the others). */
  activation: Activation;
  /** The Taylor softmax's order (activation taylor; 2 where absent). */
  taylorOrder?: number;
  dim: number;
  /** Row j (stride floats apart): word j's output vector, or inner node j's for hs. */
  weights: Float32Array;
  stride: number;
  /** hs: the code tree the rows belong to. */
  tree?: CodeTree;
  /** dsoftmax (and softmax, as one band): which block of the input each word scores against. */
  bands?: BandLayout[];
  /** A mixture of softmaxes (softmax with K > 1): its K·dim projection rows, then its K gate rows (see mixture.ts). */
  mixture?: { components: number; rows: Float32Array };
}

/** The objective each loss minimises, as the report names it; the figure is its mean per prediction. */
export function describeObjective(loss: LossType, activation: Activation, margin: number, taylorOrder = 2, mixture = 1): string {
  const shifted = margin > 0 ? `, target score lowered by ${margin}` : '';
  const normaliser = { exp: 'softmax', sig: 'sigsoftmax', taylor: `Taylor softmax of order ${taylorOrder}` }[activation];
  switch (loss) {
    case 'ns': return '-log σ(s_w) - Σ log σ(-s_n) over the noise words (negative sampling)';
    case 'hs': return '-log P(w) as the product of binary decisions on its tree path (hierarchical softmax)';
    case 'nce': return '-log σ(Δ_w) - Σ log σ(-Δ_n), Δ = s - log(k·q) (noise-contrastive estimation)';
    case 'sampled': return '-log of the target\'s share of a softmax over it and k proposals, scores corrected by -log(k·q) (sampled softmax)';
    case 'softmax': return mixture > 1
      ? `-log P(w) under a mixture of ${mixture} exact ${normaliser}es over the vocabulary${shifted}`
      : `-log P(w) under the exact ${normaliser} over the vocabulary${shifted}`;
    case 'dsoftmax': return `-log P(w) under the exact differentiated ${normaliser} over the vocabulary${shifted}`;
  }
}

/** Whether exp(score) normalised over the vocabulary is the model's distribution (not so for ns). */
export function definesDistribution(loss: LossType): boolean {
  return loss !== 'ns';
}

/**
 * ln P(word | h) under the layer's distribution, computed exactly: hs multiplies the decisions
 * on the word's path; the others normalise over every word (nce and sampled with exp, the
 * softmax losses with their activation; the training margin is not part of the model). Throws
 * for ns, whose scores are not normalised probabilities.
 */
export function logProbability(layer: OutputLayer, h: ArrayLike<number>, word: number): number {
  const { weights, stride } = layer;
  if (layer.loss === 'ns') throw new RangeError('negative sampling does not define a distribution over the vocabulary');
  if (layer.loss === 'hs') {
    const tree = layer.tree!;
    let logP = 0;
    for (let k = tree.offsets[word]; k < tree.offsets[word + 1]; k++) {
      const row = tree.points[k] * stride;
      let z = 0;
      for (let i = 0; i < layer.dim; i++) z += h[i] * weights[row + i];
      // Code 0 is the branch σ(z) predicts, as in training.
      logP -= softplus(tree.codes[k] === 0 ? -z : z);
    }
    return logP;
  }
  if (layer.mixture) {
    // log Σ_k π_k p_k(w), each component a softmax over its own context tanh(P_k h).
    const { components, rows } = layer.mixture;
    const logGates = mixtureLogGates(rows, components, layer.dim, stride, h);
    const contexts = mixtureContexts(rows, components, layer.dim, stride, h);
    return logSumExp(contexts.map((context, k) => logGates[k] + logSoftmax(layer, context, word)));
  }
  return logSoftmax(layer, h, word);
}

/** ln P(word | h) under one softmax (or sigsoftmax, Taylor, nce's and sampled's exp) over every word. */
function logSoftmax(layer: OutputLayer, h: ArrayLike<number>, word: number): number {
  const { weights, stride } = layer;
  const bands = layer.bands ?? [{ firstWord: 0, endWord: weights.length / stride, dimOffset: 0, dims: layer.dim }];
  const V = bands[bands.length - 1].endWord;
  const logA = new Float64Array(V);
  const activation = EXACT_LOSSES.includes(layer.loss) ? layer.activation : 'exp';
  for (const band of bands) {
    for (let j = band.firstWord; j < band.endWord; j++) {
      let z = 0;
      const row = j * stride + band.dimOffset;
      for (let i = 0; i < band.dims; i++) z += h[band.dimOffset + i] * weights[row + i];
      logA[j] = activation === 'exp' ? z : activation === 'sig' ? z - softplus(-z) : Math.log(taylorActivation(z, layer.taylorOrder ?? 2));
    }
  }
  return logA[word] - logSumExp(logA);
}

/** Σ_{k≤n} z^k/k!, the Taylor softmax's activation (positive for even n). */
export function taylorActivation(z: number, n: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k <= n; k++) {
    term *= z / k;
    sum += term;
  }
  return sum;
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** The input vector a model predicts from: the context word's (sg) or the context mean (cbow). */
export function predictionInputs(
  model: ModelType,
  sentence: ArrayLike<number>,
  position: number,
  window: number,
  vectors: Float32Array,
  stride: number,
  dim: number,
): Float64Array[] {
  const from = Math.max(0, position - window);
  const to = Math.min(sentence.length - 1, position + window);
  const rows: number[] = [];
  for (let c = from; c <= to; c++) if (c !== position) rows.push(sentence[c] * stride);
  if (model === 'sg') return rows.map((row) => Float64Array.from(vectors.subarray(row, row + dim)));
  if (rows.length === 0) return [];
  const mean = new Float64Array(dim);
  for (const row of rows) for (let i = 0; i < dim; i++) mean[i] += vectors[row + i] / rows.length;
  return [mean];
}
