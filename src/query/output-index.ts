import type { OutputLayer } from '../model/output-layer.js';
import { chooseEf, sampleRecall, sampleRows, type EfTuning } from './ef-tuning.js';
import type { Model } from './model.js';
import { NearestIndex, refuseIndexOverVectors, staleReason, type IndexBuildProgress } from './nearest.js';
import { TopK } from './output-search.js';

/** Where the inner-product index of a model file's output layer is kept: beside the model. */
export function outputIndexPath(modelPath: string): string {
  return `${modelPath}.output.hnsw`;
}

/** Contexts the ef is tuned on: the input vectors of words spread over the vocabulary. */
const TUNING_CONTEXTS = 200;

/**
 * Approximate top-k over an output layer by maximum-inner-product search: an hnswlib index in
 * inner-product space over the output rows (the index `w2v index` builds over the input vectors,
 * in the other space), then the candidates rescored exactly. It ranks by score, which orders the
 * probabilities for exp and sig activations and for nce, sampled and ns, and for dsoftmax too (a
 * band's row is zero outside its block). It does not serve hs (a tree, searched exactly), the
 * adaptive softmax (its tail rows live in smaller, projected spaces), nor the
 * Taylor softmax, whose 1 + z + z²/2 grows again below z = −1, so it does not rank by the score.
 * It gives the ranking, not the normaliser: probabilities need the full pass.
 */
export class OutputIndex {
  private constructor(
    private readonly index: NearestIndex,
    private readonly layer: OutputLayer,
  ) {}

  /** Builds the index over every output row (labels are word rows). */
  static build(layer: OutputLayer, words: readonly string[], params: { M?: number; efConstruction?: number } = {}, onProgress?: IndexBuildProgress): OutputIndex {
    if (layer.loss === 'hs') throw new RangeError('hierarchical softmax is searched on its tree, not by inner product');
    if (layer.mixture) throw new RangeError(`a mixture of ${layer.mixture.components} softmaxes is not one inner product with the output rows: search it exactly`);
    if (layer.adaptive) throw new RangeError('the adaptive softmax scores its tails in other dimensions than its head, so no one inner-product index holds it: search it exactly');
    if ((layer.loss === 'softmax' || layer.loss === 'dsoftmax') && layer.activation === 'taylor') {
      throw new RangeError('the Taylor softmax is not monotone in the score: search it exactly');
    }
    const rows = { words, dim: layer.dim, row: (i: number) => layer.weights.subarray(i * layer.stride, i * layer.stride + layer.dim) };
    return new OutputIndex(NearestIndex.fromRows('ip', rows, { M: 16, ...params }, onProgress), layer);
  }

  /**
   * The index of a model file, read from beside it when it is there and current; otherwise built,
   * its ef tuned to recall@k against the exact top-k, and saved with what was measured in its
   * sidecar, as `w2v index` saves its own.
   */
  static async open(modelPath: string, model: Model, k: number, onProgress?: IndexBuildProgress): Promise<{ index: OutputIndex; tuning?: EfTuning; built: boolean }> {
    const indexPath = outputIndexPath(modelPath);
    if ((await staleReason(indexPath, modelPath, { dim: model.output.dim, size: model.words.length }, 'ip')) === null) {
      const { index, sidecar } = await NearestIndex.load(indexPath);
      return { index: new OutputIndex(index, model.output), tuning: sidecar.tuning, built: false };
    }
    await refuseIndexOverVectors(modelPath, indexPath);
    const index = OutputIndex.build(model.output, model.words, {}, onProgress);
    const queries = sampleRows(model.words.length, TUNING_CONTEXTS).map((row) => model.inputOf([row]));
    const tuning = index.tune(queries, (h) => model.search.topK(h, k).top.map((t) => t.word), Math.min(k, model.words.length));
    await index.index.save(indexPath, modelPath, undefined, tuning);
    return { index, tuning, built: true };
  }

  get ef(): number {
    return this.index.params.ef;
  }

  /** Candidates per search: the recall/latency dial. */
  setEf(ef: number): void {
    this.index.setEf(ef);
  }

  /**
   * Sets the smallest ef whose recall@k against `exact` (the exact top-k of each query) reaches
   * the target on the sample of queries, as `w2v index` tunes its ef, and says what it measured.
   */
  tune(queries: readonly ArrayLike<number>[], exact: (h: ArrayLike<number>) => readonly number[], k: number, targetRecall?: number): EfTuning {
    const truth = queries.map((h) => new Set(exact(h)));
    const sampler = (ef: number) => {
      this.index.setEf(ef);
      return sampleRecall(queries.map((h, q) => this.topK(h, k).filter((t) => truth[q].has(t.word)).length / k));
    };
    return chooseEf(this.index, sampler, { k, sample: queries.length, targetRecall });
  }

  /** The k highest-scoring words among the index's `ef` candidates, rescored exactly (scores, not probabilities). */
  topK(h: ArrayLike<number>, k: number): { word: number; score: number }[] {
    const candidates = this.index.searchLabels(Float32Array.from(h), Math.max(this.ef, k));
    const best = new TopK(k);
    const { weights, stride, dim } = this.layer;
    for (const w of candidates) {
      let z = 0;
      for (let i = 0; i < dim; i++) z += h[i] * weights[w * stride + i];
      best.offer(w, z);
    }
    return best.items;
  }
}
