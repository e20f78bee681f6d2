import { Random, deriveSeed } from '../base/random.js';
import type { EncodedCorpus } from '../corpus/encoded-corpus.js';
import { buildLossTables } from '../model/loss-tables.js';
import type { AdaptiveLayout } from '../model/adaptive-clusters.js';
import { initialiseMixture, mixtureRowCount } from '../model/mixture.js';
import type { TrainOptions } from '../model/options.js';
import { keepProbabilities } from '../model/subsampling.js';
import { createSharedMemory, planLayout } from './shared-memory.js';

/** Shared memory with the tables filled in; the weights are all zero. */
export function createModel(corpus: EncodedCorpus, options: TrainOptions, workers: number) {
  const { vocabulary } = corpus;
  const vocabSize = vocabulary.words.length;
  const { tree, bands, aliasTable, noiseLog, adaptive } = buildLossTables(options, vocabulary.counts);
  const layout = planLayout({
    vocabSize,
    dim: options.dim,
    model: options.model,
    loss: options.loss,
    activation: options.activation,
    taylorOrder: options.taylorOrder,
    margin: options.margin,
    mixture: options.mixture,
    bands,
    adaptive,
    window: options.window,
    negative: options.negative,
    sharedNegatives: options.sharedNegatives,
    maxSentenceLength: options.maxSentenceLength,
    huffmanCodeTotal: tree ? tree.codes.length : 0,
    chunkCapacity: corpus.maxChunkEntries,
    slots: workers,
  });
  const memory = createSharedMemory(layout, {
    keepProbability: keepProbabilities(vocabulary.counts, vocabulary.totalCount, options.sample),
    aliasTable,
    noiseLog,
    tree,
  });
  return { layout, memory, tree, bands, adaptive };
}

/** Input weights uniform in [-0.5, 0.5) / dim, as C word2vec; output weights stay zero, and so does padding. */
export function initialiseInputWeights(weights: Float32Array, stride: number, options: TrainOptions): void {
  const random = new Random(deriveSeed(options.seed, 0x5eed));
  for (let base = 0; base < weights.length; base += stride) {
    for (let i = 0; i < options.dim; i++) weights[base + i] = (random.nextFloat() - 0.5) / options.dim;
  }
}


/**
 * The output block's start. C word2vec's output rows start at zero, and so do the adaptive
 * softmax's head and tail rows; its projections cannot: with P = 0 and tail rows 0, the projected
 * input is 0, so the tail rows' step (∝ h_c) and the projection's (∝ the tail rows) are both 0
 * and neither ever moves. They start as PyTorch's nn.Linear does, uniform in ±1/√dim, which keeps
 * h_c = P x on the scale of x (each coordinate a sum of dim terms). A mixture's projections and
 * gates, the block's last rows, start as initialiseMixture says why.
 */
export function initialiseOutputWeights(weights: Float32Array, stride: number, options: Pick<TrainOptions, 'seed' | 'dim' | 'mixture'>, adaptive?: AdaptiveLayout): void {
  if (options.mixture > 1) {
    const rows = mixtureRowCount(options.mixture, options.dim) * stride;
    initialiseMixture(weights.subarray(weights.length - rows), options.mixture, options.dim, stride, deriveSeed(options.seed, 0x313c));
  }
  if (!adaptive) return;
  const random = new Random(deriveSeed(options.seed, 0xada9));
  const bound = 1 / Math.sqrt(options.dim);
  for (const cluster of adaptive.clusters) {
    for (let r = 0; r < cluster.dim; r++) {
      const row = cluster.projection + r * stride;
      for (let i = 0; i < options.dim; i++) weights[row + i] = (2 * random.nextFloat() - 1) * bound;
    }
  }
}
