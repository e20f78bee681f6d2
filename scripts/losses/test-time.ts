import { Random } from '../../src/base/random.js';
import { logProbability } from '../../src/model/output-layer.js';
import { OutputIndex } from '../../src/query/output-index.js';
import { OutputSearch } from '../../src/query/output-search.js';
import type { TrainOptions } from '../../src/model/options.js';
import { trainEmbeddings, type TrainedModel } from '../../src/train/trainer.js';
import { LOSS_CONFIGS, findConfig, type LossConfig } from './configs.js';

// What each output layer costs at test time: µs per exact top-k prediction by the library's own
// search (OutputSearch: a scan of every word, dsoftmax's bands, hs's branch-and-bound over the
// tree), and by an inner-product index over the softmax's rows, with how often each agrees with
// the exact top-k of the same model. `npm run bench:predict` and the study's test-time part share it.

/**
 * The losses whose output layer is searched its own way: every config that is not a variant of
 * another, less those that score the softmax's rows with exp (ns, nce, sampled: their search is
 * the softmax's scan, at the same cost).
 */
export const TEST_TIME_CONFIGS: readonly LossConfig[] = LOSS_CONFIGS.filter(
  (c) => !c.variantOf && !['ns', 'nce', 'sampled'].includes(c.options.loss ?? ''),
);

/** The index is one more method: hnswlib's inner-product search over the softmax's rows. */
export const INDEX_METHOD = { id: 'index', label: 'softmax, hnswlib inner-product index (ef 64)' } as const;

export interface TestTimeCell {
  /** A config id, or `index`. */
  method: string;
  label: string;
  vocabularySize: number;
  /** µs per top-k prediction. */
  microseconds: number;
  /** Nodes (hs) or words (the others) scored per prediction; absent for the index. */
  scored?: number;
  /** Share of the exact top-k of the same model found, over the agreement queries. */
  recall: number;
  /** Share of queries whose first word is the exact first word. */
  top1: number;
  queries: number;
  agreementQueries: number;
}

export interface TestTimeSettings {
  dim: number;
  k: number;
  queries: number;
  /** Queries whose answer is checked against a brute-force top-k (hs's costs O(V·log V·d) each). */
  agreementQueries: number;
  workers: number;
}

/** Contexts as CBOW forms them: the mean of four input rows, drawn at random. */
function contextsOf(model: TrainedModel, count: number, seed: number): Float64Array[] {
  const random = new Random(seed);
  const V = model.vocabulary.words.length;
  return Array.from({ length: count }, () => {
    const h = new Float64Array(model.dim);
    for (let c = 0; c < 4; c++) {
      const row = random.nextUint32() % V;
      for (let i = 0; i < model.dim; i++) h[i] += model.vectors[row * model.stride + i] / 4;
    }
    return h;
  });
}

/** µs per query of `run` over `count` queries: the best of three passes after an untimed one (the JIT's warm-up). */
function microseconds(run: () => void, count: number): number {
  run();
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return (best * 1000) / count;
}

/** The exact top-k by brute force: every word's probability (hs: each word's path), then the k best. */
function bruteForceTopK(model: TrainedModel, search: OutputSearch, h: Float64Array, k: number): number[] {
  const V = model.vocabulary.words.length;
  const logP = model.output.loss === 'hs'
    ? Float64Array.from({ length: V }, (_, w) => logProbability(model.output, h, w))
    : search.logProbabilities(h);
  return Array.from(logP.keys()).sort((a, b) => logP[b] - logP[a]).slice(0, k);
}

function agreement(found: number[][], exact: number[][], k: number): { recall: number; top1: number } {
  let hits = 0;
  let firsts = 0;
  exact.forEach((words, q) => {
    hits += found[q].filter((w) => words.includes(w)).length;
    if (found[q][0] === words[0]) firsts++;
  });
  return { recall: hits / (k * exact.length), top1: firsts / exact.length };
}

/**
 * Trains each method's model at one vocabulary size and times its top-k search. The exact
 * softmax family trains on a slice that keeps each run within seconds (test-time cost does not
 * depend on how well it trained); hs trains a full epoch, since its search prunes by the trained
 * probabilities.
 */
export async function measureTestTime(corpus: string, size: number, settings: TestTimeSettings, onCell?: (cell: TestTimeCell) => void): Promise<TestTimeCell[]> {
  const maxVocab = size === 0 ? 0 : size;
  const base: Partial<TrainOptions> = { model: 'cbow', dim: settings.dim, minCount: 1, maxVocab, workers: settings.workers, epochs: 1, seed: 1 };
  const slice = Math.round(4e9 / ((maxVocab || 80_000) * settings.dim));
  const train = (config: LossConfig) => trainEmbeddings([corpus], { ...base, ...config.options, ...(config.exact ? { maxWords: slice } : {}) });
  const softmax = await train(findConfig('softmax'));
  const V = softmax.vocabulary.words.length;
  const queries = contextsOf(softmax, settings.queries, 7);
  const checked = queries.slice(0, settings.agreementQueries);
  const k = Math.min(settings.k, V);
  const cells: TestTimeCell[] = [];
  const add = (cell: Omit<TestTimeCell, 'vocabularySize' | 'queries' | 'agreementQueries'>) => {
    const full = { ...cell, vocabularySize: V, queries: queries.length, agreementQueries: checked.length };
    cells.push(full);
    onCell?.(full);
  };
  for (const config of TEST_TIME_CONFIGS) {
    const model = config.id === 'softmax' ? softmax : await train(config);
    const search = new OutputSearch(model.output, V);
    let scored = 0;
    const us = microseconds(() => queries.forEach((h) => (scored += search.topK(h, k).scored)), queries.length);
    const found = checked.map((h) => search.topK(h, k).top.map((t) => t.word));
    add({ method: config.id, label: config.label, microseconds: us, scored: scored / (4 * queries.length), ...agreement(found, checked.map((h) => bruteForceTopK(model, search, h, k)), k) });
  }
  const scan = new OutputSearch(softmax.output, V);
  const index = OutputIndex.build(softmax.output, softmax.vocabulary.words);
  index.setEf(64);
  const us = microseconds(() => queries.forEach((h) => index.topK(h, k)), queries.length);
  const found = checked.map((h) => index.topK(h, k).map((t) => t.word));
  add({ method: INDEX_METHOD.id, label: INDEX_METHOD.label, microseconds: us, ...agreement(found, checked.map((h) => scan.topK(h, k).top.map((t) => t.word)), k) });
  return cells;
}
