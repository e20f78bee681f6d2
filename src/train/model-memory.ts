import { Random, deriveSeed } from '../base/random.js';
import type { EncodedCorpus } from '../corpus/encoded-corpus.js';
import { buildLossTables } from '../model/loss-tables.js';
import type { TrainOptions } from '../model/options.js';
import { keepProbabilities } from '../model/subsampling.js';
import { createSharedMemory, planLayout } from './shared-memory.js';

/** Shared memory with the tables filled in; the weights are all zero. */
export function createModel(corpus: EncodedCorpus, options: TrainOptions, workers: number) {
  const { vocabulary } = corpus;
  const vocabSize = vocabulary.words.length;
  const { tree, bands, aliasTable, noiseLog } = buildLossTables(options, vocabulary.counts);
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
  return { layout, memory, tree, bands };
}

/** Input weights uniform in [-0.5, 0.5) / dim, as C word2vec; output weights stay zero, and so does padding. */
export function initialiseInputWeights(weights: Float32Array, stride: number, options: TrainOptions): void {
  const random = new Random(deriveSeed(options.seed, 0x5eed));
  for (let base = 0; base < weights.length; base += stride) {
    for (let i = 0; i < options.dim; i++) weights[base + i] = (random.nextFloat() - 0.5) / options.dim;
  }
}

