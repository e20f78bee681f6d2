import hnswlib from 'hnswlib-node';
import type { OutputLayer } from '../model/output-layer.js';
import { chooseEf, sampleRecall, type EfTuning } from './ef-tuning.js';
import { TopK } from './output-search.js';

/**
 * Approximate top-k over an output layer by maximum-inner-product search: an hnswlib index in
 * inner-product space over the output rows (the way `w2v index` serves the input vectors in
 * cosine space), then the candidates rescored exactly. It ranks by score, which orders the
 * probabilities for exp and sig activations and for nce, sampled and ns, and for dsoftmax too
 * (a band's row is zero outside its block). It does not serve hs (a tree, searched exactly) nor
 * the Taylor softmax, which ranks by |1 + z| and so is not monotone in the score. It gives the
 * ranking, not the normaliser: probabilities need the full pass.
 */
export class OutputIndex {
  private readonly hnsw: hnswlib.HierarchicalNSW;
  /** The search list size `topK` uses unless told otherwise; `tune` sets it. */
  ef = 64;

  constructor(private readonly layer: OutputLayer, readonly vocabSize: number, params: { M: number; efConstruction: number; seed: number } = { M: 16, efConstruction: 200, seed: 100 }) {
    if (layer.loss === 'hs') throw new RangeError('hierarchical softmax is searched on its tree, not by inner product');
    if ((layer.loss === 'softmax' || layer.loss === 'dsoftmax') && layer.activation === 'taylor') {
      throw new RangeError('the Taylor softmax is not monotone in the score: search it exactly');
    }
    this.hnsw = new hnswlib.HierarchicalNSW('ip', layer.dim);
    this.hnsw.initIndex(vocabSize, params.M, params.efConstruction, params.seed);
    const point = new Array<number>(layer.dim);
    for (let w = 0; w < vocabSize; w++) {
      for (let i = 0; i < layer.dim; i++) point[i] = layer.weights[w * layer.stride + i];
      this.hnsw.addPoint(point, w);
    }
  }

  /**
   * Sets the smallest ef whose recall@k against `exact` (the exact top-k of each query) reaches
   * the target on the sample of queries, as `w2v index` tunes its ef, and says what it measured.
   */
  tune(queries: readonly ArrayLike<number>[], exact: (h: ArrayLike<number>) => readonly number[], k: number, targetRecall?: number): EfTuning {
    const truth = queries.map((h) => new Set(exact(h)));
    const sampler = (ef: number) =>
      sampleRecall(queries.map((h, q) => this.topK(h, k, ef).filter((t) => truth[q].has(t.word)).length / k));
    return chooseEf({ setEf: (ef) => (this.ef = ef) }, sampler, { k, sample: queries.length, targetRecall });
  }

  /** The k highest-scoring words found with search list `ef`, rescored exactly (scores, not probabilities). */
  topK(h: ArrayLike<number>, k: number, ef = this.ef): { word: number; score: number }[] {
    this.hnsw.setEf(Math.max(ef, k));
    const { neighbors } = this.hnsw.searchKnn(Array.from(h), Math.min(Math.max(ef, k), this.vocabSize));
    const best = new TopK(k);
    const { weights, stride, dim } = this.layer;
    for (const w of neighbors) {
      let z = 0;
      for (let i = 0; i < dim; i++) z += h[i] * weights[w * stride + i];
      best.offer(w, z);
    }
    return best.items;
  }
}
