import { Random, deriveSeed } from '../base/random.js';
import { UserError } from '../base/errors.js';
import { MAX_QUERIES } from './dot-kernel.js';
import type { Embeddings } from './embeddings.js';

export interface WordClassOptions {
  k: number;
  /** Seeds the choice of the first centroids: the same seed on the same vectors gives the same classes. */
  seed: number;
  /** Rounds of assignment and update at most; the run stops earlier once no word changes class. */
  iterations: number;
  /** Scans of every word done (one per centroid or candidate scored) of `total`, the most there can be. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_WORD_CLASS_OPTIONS = Object.freeze({ seed: 1, iterations: 10 });

export interface WordClasses {
  /** Class of each word, by row; classes are numbered in order of their first word, so row 0 is in class 0. */
  classOf: Int32Array;
  k: number;
  dim: number;
  /** k unit vectors, class c's at c · dim: the normalised mean of its words' unit vectors. */
  centroids: Float32Array;
  /** Rounds run, and whether the last one moved no word. */
  iterations: number;
  converged: boolean;
  /** Mean cosine of a word with its class's centroid: what the rounds raise. */
  meanSimilarity: number;
}

/**
 * Word classes by spherical k-means on the unit vectors, as C word2vec's -classes computes them
 * (each word to the centroid of highest cosine, centroids the normalised means of their words),
 * but started by greedy k-means++ from `seed` rather than from word i in class i mod k, which
 * leaves every first class a mix of the most frequent words. Every score is
 * a cosine of one centroid with every word, through the query stage's SIMD scan
 * (Embeddings.cosines). A class left empty takes the word furthest from its own centroid.
 */
export function clusterWords(embeddings: Embeddings, options: WordClassOptions): WordClasses {
  const n = embeddings.size;
  const { k, dim } = { k: options.k, dim: embeddings.dim };
  if (!Number.isInteger(k) || k < 1) throw new UserError(`-k must be a positive integer, got ${k}`);
  if (k > n) throw new UserError(`-k ${k} asks for more classes than the ${n} words there are; give at most -k ${n}`);
  if (!Number.isInteger(options.iterations) || options.iterations < 1) throw new UserError(`--iterations must be a positive integer, got ${options.iterations}`);
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) throw new UserError(`--seed must be an integer between 0 and 4294967295, got ${options.seed}`);
  const total = 1 + (k - 1) * candidatesPerStep(k) + k * options.iterations;
  let done = 0;
  const progress = (scans: number) => options.onProgress?.((done += scans), total);

  const centroids = new Float32Array(k * dim);
  const best = new Float64Array(n);
  const classOf = new Int32Array(n);
  seedCentroids(embeddings, k, new Random(deriveSeed(options.seed, 0xc1a55e5)), centroids, best, classOf, progress);

  let iterations = 0;
  let converged = false;
  while (iterations < options.iterations && !converged) {
    iterations++;
    updateCentroids(embeddings, k, classOf, best, centroids);
    best.fill(-Infinity);
    const previous = classOf.slice();
    // Centroids a block at a time, each word read once per block; ties go to the lower class.
    for (let first = 0; first < k; first += MAX_QUERIES) {
      const q = Math.min(MAX_QUERIES, k - first);
      const scores = embeddings.cosinesMany(centroids.subarray(first * dim, (first + q) * dim), q);
      for (let w = 0, at = 0; w < n; w++) {
        for (let i = 0; i < q; i++, at++) {
          if (scores[at] > best[w]) {
            best[w] = scores[at];
            classOf[w] = first + i;
          }
        }
      }
      progress(q);
    }
    converged = classOf.every((c, w) => c === previous[w]);
  }
  // A run that converged early did fewer passes than it might have.
  if (done < total) options.onProgress?.(total, total);
  // The centroids of the classes as they ended, which is what the JSON output gives.
  updateCentroids(embeddings, k, classOf, best, centroids);
  let similarity = 0;
  for (let w = 0; w < n; w++) {
    const row = embeddings.unitRow(w);
    const at = classOf[w] * dim;
    for (let j = 0; j < dim; j++) similarity += row[j] * centroids[at + j];
  }
  return { ...renumbered(classOf, centroids, k, dim), k, dim, iterations, converged, meanSimilarity: similarity / n };
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007; the form scikit-learn uses): the first centroid
 * a word drawn at random; for each next one, 2 + ⌊ln k⌋ candidate words drawn with probability
 * proportional to their squared distance from the nearest centroid so far (for unit vectors
 * 2 − 2 cos), of which the one that leaves the smallest sum of those distances is kept. Plain
 * k-means++ (one candidate) often misses a small group among large ones, whose members then
 * never get a centroid of their own. Leaves each word's best cosine and class for the first update.
 */
function seedCentroids(
  embeddings: Embeddings,
  k: number,
  random: Random,
  centroids: Float32Array,
  best: Float64Array,
  classOf: Int32Array,
  progress: (scans: number) => void,
): void {
  const n = embeddings.size;
  const dim = embeddings.dim;
  const distance = new Float64Array(n);
  const cumulative = new Float64Array(n);
  const candidates = candidatesPerStep(k);
  const rows = new Float32Array(MAX_QUERIES * dim);
  const potentials = new Float64Array(MAX_QUERIES);
  let chosen = Math.floor(random.nextFloat() * n);
  // The chosen word's cosines with every word: column `column` of rows of `width` scores.
  let chosenScores = embeddings.cosinesMany(embeddings.unitRow(chosen), 1);
  let width = 1;
  let column = 0;
  progress(1);
  best.fill(-Infinity);
  for (let c = 0; ; c++) {
    centroids.set(embeddings.unitRow(chosen), c * dim);
    for (let w = 0, at = column; w < n; w++, at += width) {
      if (chosenScores[at] > best[w]) {
        best[w] = chosenScores[at];
        classOf[w] = c;
      }
    }
    if (c === k - 1) return;
    let sum = 0;
    for (let w = 0; w < n; w++) {
      distance[w] = Math.max(0, 2 - 2 * best[w]);
      sum += distance[w];
      cumulative[w] = sum;
    }
    // Every word at distance 0 (repeated vectors) leaves nothing to draw: take the furthest.
    const drawnWords = Array.from({ length: candidates }, () => (sum > 0 ? drawn(cumulative, random.nextFloat() * sum) : argmin(best)));
    let lowest = Infinity;
    for (let first = 0; first < candidates; first += MAX_QUERIES) {
      const q = Math.min(MAX_QUERIES, candidates - first);
      for (let i = 0; i < q; i++) rows.set(embeddings.unitRow(drawnWords[first + i]), i * dim);
      const scores = embeddings.cosinesMany(rows, q);
      potentials.fill(0);
      for (let w = 0, at = 0; w < n; w++) {
        const d = distance[w];
        for (let i = 0; i < q; i++, at++) {
          const e = 2 - 2 * scores[at];
          potentials[i] += e < d ? (e > 0 ? e : 0) : d;
        }
      }
      for (let i = 0; i < q; i++) {
        if (potentials[i] < lowest) {
          lowest = potentials[i];
          chosen = drawnWords[first + i];
          chosenScores = scores;
          width = q;
          column = i;
        }
      }
      progress(q);
    }
  }
}

/** Candidates drawn for each centroid after the first (scikit-learn's choice). */
export function candidatesPerStep(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** The first index whose running sum exceeds `target`: a draw with probability proportional to each weight. */
function drawn(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle] > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Each centroid the normalised sum of its words' unit vectors; an empty class takes the word furthest from its own. */
function updateCentroids(embeddings: Embeddings, k: number, classOf: Int32Array, best: Float64Array, centroids: Float32Array): void {
  const n = embeddings.size;
  const dim = embeddings.dim;
  const sums = new Float64Array(k * dim);
  const sizes = new Int32Array(k);
  for (let w = 0; w < n; w++) {
    const c = classOf[w];
    sizes[c]++;
    const row = embeddings.unitRow(w);
    for (let j = 0; j < dim; j++) sums[c * dim + j] += row[j];
  }
  for (let c = 0; c < k; c++) {
    if (sizes[c] > 0) continue;
    // The word least like its centroid, from a class that keeps a word without it.
    let far = -1;
    for (let w = 0; w < n; w++) if (sizes[classOf[w]] > 1 && (far < 0 || best[w] < best[far])) far = w;
    if (far < 0) continue;
    const row = embeddings.unitRow(far);
    const from = classOf[far];
    for (let j = 0; j < dim; j++) {
      sums[from * dim + j] -= row[j];
      sums[c * dim + j] = row[j];
    }
    sizes[from]--;
    sizes[c] = 1;
    classOf[far] = c;
    best[far] = 1;
  }
  for (let c = 0; c < k; c++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += sums[c * dim + j] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j] * scale;
  }
}

function argmin(values: Float64Array): number {
  let at = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[at]) at = i;
  return at;
}

/** Classes renumbered by their first word's row, so the numbering does not depend on the order the centroids were drawn in. */
function renumbered(classOf: Int32Array, centroids: Float32Array, k: number, dim: number): Pick<WordClasses, 'classOf' | 'centroids'> {
  const number = new Int32Array(k).fill(-1);
  let next = 0;
  const out = new Int32Array(classOf.length);
  classOf.forEach((c, w) => {
    if (number[c] < 0) number[c] = next++;
    out[w] = number[c];
  });
  // Classes no word ended in (only where vectors repeat) come last.
  for (let c = 0; c < k; c++) if (number[c] < 0) number[c] = next++;
  const moved = new Float32Array(k * dim);
  for (let c = 0; c < k; c++) moved.set(centroids.subarray(c * dim, (c + 1) * dim), number[c] * dim);
  return { classOf: out, centroids: moved };
}
