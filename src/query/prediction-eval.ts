import { logProbability } from '../model/output-layer.js';
import type { Model } from './model.js';

/** What `w2v predict --eval` measures on a held-out text. */
export interface PredictionScore {
  /** exp of the mean −ln P(target | context) over the predictions. */
  perplexity: number;
  /** Share of predictions whose target is the most probable word, and among the ten most probable. */
  top1: number;
  top10: number;
  predictions: number;
  /** Tokens of the text, and the share of them not in the vocabulary (skipped as targets and context). */
  tokens: number;
  oovShare: number;
  predictionsPerSecond: number;
  /** The same measures for a unigram model of the training counts: the line a model must beat. */
  unigram: { perplexity: number; top10: number };
}

/**
 * Predicts every in-vocabulary word of a held-out text from its window, as the model trained:
 * CBOW from the mean of the window's vectors (one prediction per word), skip-gram from each
 * window word's vector (one prediction per pair). Out-of-vocabulary tokens are dropped before
 * windows are taken, as training drops words under min-count. The window is the model's own,
 * whole (training shrinks it at random; here every prediction sees all of it).
 */
export async function scorePredictions(model: Model, sentences: AsyncIterable<string[]> | Iterable<string[]>): Promise<PredictionScore> {
  const { options } = model;
  const window = options.window;
  const counts = model.saved.counts;
  const total = counts.reduce((sum, c) => sum + c, 0);
  const topTenWords = new Set(Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a]).slice(0, 10));
  let tokens = 0;
  let oov = 0;
  let predictions = 0;
  let nll = 0;
  let hits1 = 0;
  let hits10 = 0;
  let unigramNll = 0;
  let unigramHits10 = 0;
  let searchMs = 0;

  const score = (rows: number[], target: number) => {
    const started = performance.now();
    const h = model.inputOf(rows);
    let logP: number;
    let rank: number;
    if (options.loss === 'hs') {
      const { top } = model.search.topK(h, 10);
      logP = logProbability(model.output, h, target);
      const at = top.findIndex((t) => t.word === target);
      rank = at < 0 ? 10 : at;
    } else {
      const all = model.search.logProbabilities(h);
      logP = all[target];
      rank = 0;
      for (let j = 0; j < all.length && rank < 10; j++) if (all[j] > logP) rank++;
    }
    searchMs += performance.now() - started;
    predictions++;
    nll -= logP;
    if (rank === 0) hits1++;
    if (rank < 10) hits10++;
    unigramNll -= Math.log(counts[target] / total);
    if (topTenWords.has(target)) unigramHits10++;
  };

  for await (const sentence of sentences) {
    tokens += sentence.length;
    const ids: number[] = [];
    for (const word of sentence) {
      const id = model.indexOf(word);
      if (id === undefined) oov++;
      else ids.push(id);
    }
    for (let p = 0; p < ids.length; p++) {
      const context: number[] = [];
      for (let c = Math.max(0, p - window); c <= Math.min(ids.length - 1, p + window); c++) if (c !== p) context.push(ids[c]);
      if (context.length === 0) continue;
      if (options.model === 'cbow') score(context, ids[p]);
      else for (const c of context) score([c], ids[p]);
    }
  }
  const mean = (x: number) => (predictions > 0 ? x / predictions : NaN);
  return {
    perplexity: Math.exp(mean(nll)),
    top1: mean(hits1),
    top10: mean(hits10),
    predictions,
    tokens,
    oovShare: tokens > 0 ? oov / tokens : 0,
    predictionsPerSecond: searchMs > 0 ? predictions / (searchMs / 1000) : 0,
    unigram: { perplexity: Math.exp(mean(unigramNll)), top10: mean(unigramHits10) },
  };
}
