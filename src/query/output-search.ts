import type { BandLayout } from '../model/bands.js';
import { singleBand } from '../model/bands.js';
import { logSumExp, mixtureContexts, mixtureLogGates } from '../model/mixture.js';
import { EXACT_LOSSES } from '../model/options.js';
import { adaptiveHeadLogProbabilities, adaptiveTailLogProbabilities, logNormalise, taylorActivation, type OutputLayer } from '../model/output-layer.js';
import { DotKernel } from './dot-kernel.js';

/** One predicted word: its row, and its probability under the model's output layer. */
export interface ScoredWord {
  word: number;
  logProbability: number;
}

export interface OutputSearchResult {
  /** The k most probable words, most probable first. */
  top: ScoredWord[];
  /** hs: inner nodes whose decision was computed; the others: words (and adaptive: head entries) scored. */
  scored: number;
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * The k best entries offered so far, kept sorted: a partial selection, so a pass over V
 * candidates costs O(V) comparisons against the k-th best, not a sort of all V.
 */
export class TopK {
  readonly items: { word: number; score: number }[] = [];
  constructor(private readonly k: number) {}

  /** The score an entry must beat to get in (−∞ until k are held). */
  get threshold(): number {
    return this.items.length < this.k ? -Infinity : this.items[this.items.length - 1].score;
  }

  offer(word: number, score: number): void {
    if (score <= this.threshold) return;
    let i = this.items.length < this.k ? this.items.length : this.k - 1;
    if (i === this.items.length) this.items.push({ word, score });
    while (i > 0 && this.items[i - 1].score < score) {
      this.items[i] = this.items[i - 1];
      i--;
    }
    this.items[i] = { word, score };
  }

  /** The entries, best first, their scores read as log-probabilities. */
  asLogProbabilities(): ScoredWord[] {
    return this.items.map((t) => ({ word: t.word, logProbability: t.score }));
  }
}

/** An hs tree as children: child ≥ 0 is an inner node's row, child < 0 the leaf of word −child − 1. */
interface TreeChildren {
  root: number;
  /** children[2n + branch] of inner node n */
  children: Int32Array;
}

function treeChildren(layer: OutputLayer, vocabSize: number): TreeChildren {
  const tree = layer.tree!;
  const children = new Int32Array(2 * Math.max(1, vocabSize - 1));
  let root = 0;
  for (let w = 0; w < vocabSize; w++) {
    const start = tree.offsets[w];
    const end = tree.offsets[w + 1];
    if (end > start) root = tree.points[start];
    for (let k = start; k < end; k++) {
      children[2 * tree.points[k] + tree.codes[k]] = k + 1 < end ? tree.points[k + 1] : -(w + 1);
    }
  }
  return { root, children };
}

/**
 * Top-k prediction under a trained output layer, exactly:
 *  - hs: branch-and-bound depth-first search of the tree. A path's log-probability only falls as
 *    it goes down, so a subtree is left as soon as its prefix cannot beat the k-th best leaf
 *    found so far; the likelier branch is taken first, so good leaves come early.
 *  - the softmax family, nce, sampled and ns (its scores normalised as a softmax): one SIMD pass
 *    of dot products per band (dsoftmax scores each band against its block of the input only),
 *    the activation, a float64 log-sum-exp, and a partial selection; a mixture makes that pass
 *    once per component and sums the components' probabilities, weighted by their gates.
 *  - adaptive: the head's scan, then each cluster's scan, likeliest cluster first, each word's
 *    log-probability its cluster's head entry plus its own within the cluster. A word's
 *    probability is at most its cluster's, so a cluster whose head entry cannot beat the k-th
 *    best word found so far is not scanned.
 */
export class OutputSearch {
  private readonly bands: BandLayout[];
  private readonly kernels: (DotKernel | null)[] = [];
  private readonly tree?: TreeChildren;
  private readonly activation: 'exp' | 'sig' | 'taylor';

  constructor(private readonly layer: OutputLayer, readonly vocabSize: number) {
    this.activation = EXACT_LOSSES.includes(layer.loss) ? layer.activation : 'exp';
    this.bands = layer.bands ?? singleBand(vocabSize, layer.dim);
    if (layer.loss === 'hs') {
      this.tree = treeChildren(layer, vocabSize);
    } else if (!layer.adaptive) {
      for (const band of this.bands) {
        const rows = band.endWord - band.firstWord;
        const block = new Float32Array(rows * band.dims);
        for (let j = 0; j < rows; j++) {
          const from = (band.firstWord + j) * layer.stride + band.dimOffset;
          block.set(layer.weights.subarray(from, from + band.dims), j * band.dims);
        }
        this.kernels.push(DotKernel.create(block, rows, band.dims));
      }
    }
  }

  /** ln of the activation of score z: what is normalised over the vocabulary. */
  private logActivation(z: number): number {
    if (this.activation === 'exp') return z;
    if (this.activation === 'sig') return z - softplus(-z);
    return Math.log(taylorActivation(z, this.layer.taylorOrder ?? 2));
  }

  /** ln of every word's activation (not yet normalised), band by band. */
  logActivations(h: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.vocabSize);
    const { weights, stride } = this.layer;
    this.bands.forEach((band, b) => {
      const kernel = this.kernels[b];
      if (kernel) {
        const scores = kernel.dots(Float32Array.from({ length: band.dims }, (_, i) => h[band.dimOffset + i]));
        for (let j = 0; j < scores.length; j++) out[band.firstWord + j] = this.logActivation(scores[j]);
        return;
      }
      for (let j = band.firstWord; j < band.endWord; j++) {
        let z = 0;
        const row = j * stride + band.dimOffset;
        for (let i = 0; i < band.dims; i++) z += h[band.dimOffset + i] * weights[row + i];
        out[j] = this.logActivation(z);
      }
    });
    return out;
  }

  /** ln P(w | h) of every word (not for hs, where the search below avoids the full pass). */
  logProbabilities(h: ArrayLike<number>): Float64Array {
    const { mixture, adaptive, dim, stride } = this.layer;
    if (adaptive) {
      const { shortlist, clusters } = adaptive;
      const head = adaptiveHeadLogProbabilities(this.layer, h);
      const out = new Float64Array(this.vocabSize);
      out.set(head.subarray(0, shortlist));
      clusters.forEach((c, i) => {
        const tail = adaptiveTailLogProbabilities(this.layer, h, i);
        for (let j = 0; j < tail.length; j++) out[c.firstWord + j] = head[shortlist + i] + tail[j];
      });
      return out;
    }
    if (!mixture) return logNormalise(this.logActivations(h));
    // A mixture: log Σ_k π_k p_k(w), one pass over the rows per component's context tanh(P_k h).
    const logGates = mixtureLogGates(mixture.rows, mixture.components, dim, stride, h);
    const parts = mixtureContexts(mixture.rows, mixture.components, dim, stride, h).map((context, k) => {
      const logP = logNormalise(this.logActivations(context));
      for (let j = 0; j < logP.length; j++) logP[j] += logGates[k];
      return logP;
    });
    return Float64Array.from({ length: this.vocabSize }, (_, j) => logSumExp(parts.map((logP) => logP[j])));
  }

  /** The k most probable words given input h, with their exact log-probabilities. */
  topK(h: ArrayLike<number>, k: number): OutputSearchResult {
    const best = new TopK(Math.min(k, this.vocabSize));
    if (this.tree) {
      const scored = this.searchTree(h, best);
      return { top: best.asLogProbabilities(), scored };
    }
    if (this.layer.adaptive) {
      const scored = this.searchClusters(h, best);
      return { top: best.asLogProbabilities(), scored };
    }
    const logP = this.logProbabilities(h);
    for (let j = 0; j < logP.length; j++) best.offer(j, logP[j]);
    return { top: best.asLogProbabilities(), scored: this.vocabSize };
  }

  private searchClusters(h: ArrayLike<number>, best: TopK): number {
    const { shortlist, clusters } = this.layer.adaptive!;
    const head = adaptiveHeadLogProbabilities(this.layer, h);
    for (let j = 0; j < shortlist; j++) best.offer(j, head[j]);
    let scored = head.length;
    const order = clusters.map((_, i) => i).sort((a, b) => head[shortlist + b] - head[shortlist + a]);
    for (const i of order) {
      const logCluster = head[shortlist + i];
      if (logCluster <= best.threshold) break;
      const tail = adaptiveTailLogProbabilities(this.layer, h, i);
      for (let j = 0; j < tail.length; j++) best.offer(clusters[i].firstWord + j, logCluster + tail[j]);
      scored += tail.length;
    }
    return scored;
  }

  private searchTree(h: ArrayLike<number>, best: TopK): number {
    const { children, root } = this.tree!;
    const { weights, stride, dim } = this.layer;
    if (this.vocabSize === 1) {
      best.offer(0, 0);
      return 0;
    }
    let visited = 0;
    const visit = (node: number, logPrefix: number): void => {
      visited++;
      let z = 0;
      const row = node * stride;
      for (let i = 0; i < dim; i++) z += h[i] * weights[row + i];
      // Code 0 is the branch σ(z) predicts, as in training; the likelier branch goes first.
      const logP0 = logPrefix - softplus(-z);
      const logP1 = logPrefix - softplus(z);
      const first = logP0 >= logP1 ? 0 : 1;
      this.descend(children[2 * node + first], first === 0 ? logP0 : logP1, best, visit);
      this.descend(children[2 * node + 1 - first], first === 0 ? logP1 : logP0, best, visit);
    };
    visit(root, 0);
    return visited;
  }

  /** Follows one branch unless its path can no longer beat the k-th best leaf. */
  private descend(child: number, logP: number, best: TopK, visit: (node: number, logPrefix: number) => void): void {
    if (logP <= best.threshold) return;
    if (child < 0) best.offer(-child - 1, logP);
    else visit(child, logP);
  }
}
