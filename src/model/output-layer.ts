import { clusterOf, type AdaptiveLayout } from './adaptive-clusters.js';
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
  /** Row j (stride floats apart): word j's output vector, or inner node j's for hs; adaptive: the block its layout describes. */
  weights: Float32Array;
  stride: number;
  /** hs: the code tree the rows belong to. */
  tree?: CodeTree;
  /** dsoftmax (and softmax, as one band): which block of the input each word scores against. */
  bands?: BandLayout[];
  /** A mixture of softmaxes (softmax with K > 1): its K·dim projection rows, then its K gate rows (see mixture.ts). */
  mixture?: { components: number; rows: Float32Array };
  /** adaptive: the head, the clusters, and where their rows and projections lie in `weights`. */
  adaptive?: AdaptiveLayout;
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
    case 'adaptive': return '-log P(w) = -log p_head(w, or its cluster) - log p_cluster(w) (adaptive softmax)';
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
  if (layer.adaptive) {
    const cluster = clusterOf(layer.adaptive, word);
    const head = adaptiveHeadLogProbabilities(layer, h)[cluster < 0 ? word : layer.adaptive.shortlist + cluster];
    return cluster < 0 ? head : head + adaptiveTailLogProbabilities(layer, h, cluster)[word - layer.adaptive.clusters[cluster].firstWord];
  }
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
  return logNormalise(logA)[word];
}

/** Log-activations made log-probabilities, in place: each less the log of their exp's sum. */
export function logNormalise(logA: Float64Array): Float64Array {
  const logZ = logSumExp(logA);
  for (let j = 0; j < logA.length; j++) logA[j] -= logZ;
  return logA;
}

/** Scores of `count` rows of `width` floats, `rowStride` apart from `first`, against x (float64). */
function scoreRows(weights: Float32Array, first: number, rowStride: number, count: number, x: ArrayLike<number>, width: number): Float64Array {
  const z = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    let sum = 0;
    for (let i = 0; i < width; i++) sum += x[i] * weights[first + j * rowStride + i];
    z[j] = sum;
  }
  return z;
}

/** Adaptive softmax: ln p_head of each head entry (the shortlist's words, then one per cluster). */
export function adaptiveHeadLogProbabilities(layer: OutputLayer, h: ArrayLike<number>): Float64Array {
  const { shortlist, clusters } = layer.adaptive!;
  return logNormalise(scoreRows(layer.weights, 0, layer.stride, shortlist + clusters.length, h, layer.dim));
}

/** Adaptive softmax: ln p(w | cluster) of each word of the cluster, scored against h projected into it. */
export function adaptiveTailLogProbabilities(layer: OutputLayer, h: ArrayLike<number>, cluster: number): Float64Array {
  const c = layer.adaptive!.clusters[cluster];
  const projected = scoreRows(layer.weights, c.projection, layer.stride, c.dim, h, layer.dim);
  return logNormalise(scoreRows(layer.weights, c.rows, c.stride, c.endWord - c.firstWord, projected, c.dim));
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
