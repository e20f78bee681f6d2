import { DotKernel } from './dot-kernel.js';
import { UserError } from '../base/errors.js';
import { suggestSpellings } from './similar-words.js';
import { readVectorsFile } from '../vectors/read-vectors.js';
import type { WordVectors } from '../vectors/word2vec-format.js';

/** One answer of a similarity query: a vocabulary word and its cosine similarity to the query. */
export interface Neighbor {
  word: string;
  similarity: number;
}

export type AnalogyMethod = 'add' | 'mul';

/** A word the vectors do not have; the message offers close spellings from the vocabulary. */
export class UnknownWordError extends UserError {
  override name = 'UnknownWordError';
  constructor(
    readonly word: string,
    readonly suggestions: string[],
  ) {
    super(`"${word}" is not in the vocabulary${suggestions.length > 0 ? ` (did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?)` : ''}`);
  }
}

/**
 * Trained word vectors and the questions people ask of them. It depends on nothing from training,
 * so a vectors file from any tool can be queried (the role gensim's KeyedVectors plays).
 * Rows keep the file's order, which for word2vec files is most frequent first.
 */
export class Embeddings {
  readonly words: readonly string[];
  readonly dim: number;
  /** The vectors as given, one row of `dim` floats per word. */
  readonly vectors: Float32Array;
  /** The same rows scaled to unit length (zero rows stay zero), so a dot product is a cosine. */
  readonly unitVectors: Float32Array;
  private readonly indexByWord = new Map<string, number>();
  /** Built on the first search, so loading vectors only to convert them costs no extra copy. */
  private kernel: DotKernel | null | undefined;

  constructor(data: WordVectors) {
    const { words, dim } = data;
    const stride = data.stride ?? dim;
    this.words = words;
    this.dim = dim;
    if (stride === dim) {
      this.vectors = data.vectors.subarray(0, words.length * dim);
    } else {
      this.vectors = new Float32Array(words.length * dim);
      for (let i = 0; i < words.length; i++) this.vectors.set(data.vectors.subarray(i * stride, i * stride + dim), i * dim);
    }
    this.unitVectors = new Float32Array(this.vectors.length);
    for (let i = 0; i < words.length; i++) {
      const base = i * dim;
      let norm = 0;
      for (let j = 0; j < dim; j++) norm += this.vectors[base + j] * this.vectors[base + j];
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = 0; j < dim; j++) this.unitVectors[base + j] = this.vectors[base + j] * scale;
      // A repeated word keeps its first (most frequent) row, as gensim does.
      if (!this.indexByWord.has(words[i])) this.indexByWord.set(words[i], i);
    }
  }

  /** Reads a word2vec .bin/.txt/.vec file or w2v's CSV export; `limit` keeps only the most frequent words. */
  static async load(path: string, options: { limit?: number } = {}): Promise<Embeddings> {
    return new Embeddings(await readVectorsFile(path, options));
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.indexByWord.has(word);
  }

  /** Row of `word`, or -1. */
  indexOf(word: string): number {
    return this.indexByWord.get(word) ?? -1;
  }

  /** Row of `word`; throws UnknownWordError with spelling suggestions when it is missing. */
  requireIndex(word: string): number {
    const index = this.indexByWord.get(word);
    if (index === undefined) throw new UnknownWordError(word, suggestSpellings(word, this.words));
    return index;
  }

  /** The word's vector as stored (a view: copy it before changing it). */
  vector(word: string): Float32Array {
    const i = this.requireIndex(word);
    return this.vectors.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** The word's vector scaled to unit length (a view). */
  unitVector(word: string): Float32Array {
    return this.unitRow(this.requireIndex(word));
  }

  unitRow(index: number): Float32Array {
    return this.unitVectors.subarray(index * this.dim, (index + 1) * this.dim);
  }

  /** Cosine similarity of two words. */
  similarity(a: string, b: string): number {
    return this.rowDot(this.requireIndex(a), this.unitRow(this.requireIndex(b)));
  }

  /** Dot product of a unit row with `query`. */
  rowDot(index: number, query: Float32Array): number {
    const u = this.unitVectors;
    const base = index * this.dim;
    let sum = 0;
    for (let j = 0; j < query.length; j++) sum += u[base + j] * query[j];
    return sum;
  }

  /**
   * The k words most similar to a word, to several words (the mean of their unit vectors), or to
   * a vector, by exact cosine over the whole vocabulary (or its first `restrict` rows). Query
   * words are left out of the answers, as are words in `exclude`.
   */
  mostSimilar(
    query: string | readonly string[] | Float32Array,
    k = 10,
    options: { exclude?: Iterable<string>; restrict?: number } = {},
  ): Neighbor[] {
    const excluded = new Set<number>();
    let target: Float32Array;
    if (query instanceof Float32Array) {
      if (query.length !== this.dim) throw new UserError(`query vector has ${query.length} values, the vectors have ${this.dim}`);
      target = normalized(query);
    } else {
      const words = typeof query === 'string' ? [query] : query;
      target = this.combine(words, []);
      for (const w of words) excluded.add(this.requireIndex(w));
    }
    for (const w of options.exclude ?? []) {
      const i = this.indexOf(w);
      if (i >= 0) excluded.add(i);
    }
    const rows = Math.min(this.size, options.restrict ?? this.size);
    return this.topOf(this.cosines(target, rows), k, excluded);
  }

  /**
   * Cosine of `unitQuery` with each of the first `rows` unit rows: all the cost of exact search.
   * WebAssembly SIMD where available; otherwise a flat loop with four accumulators.
   */
  cosines(unitQuery: Float32Array, rows = this.size): Float32Array | Float64Array {
    if (this.kernel === undefined) this.kernel = DotKernel.create(this.unitVectors, this.size, this.dim);
    if (this.kernel) return this.kernel.dots(unitQuery, rows);
    return this.cosinesPlain(unitQuery, rows);
  }

  /**
   * Cosines of q unit queries (q rows of `dim` floats, q ≤ MAX_QUERIES) with each of the first
   * `rows` unit rows, row by row: out[r · q + i] is row r with query i. The SIMD scan reads each
   * row once for all q; without it, the plain loop per query.
   */
  cosinesMany(unitQueries: Float32Array, q: number, rows = this.size): Float32Array {
    if (this.kernel === undefined) this.kernel = DotKernel.create(this.unitVectors, this.size, this.dim);
    if (this.kernel) return this.kernel.dotsMany(unitQueries, q, rows);
    // Single precision as the kernel's, so callers' loops see one array type.
    const out = new Float32Array(rows * q);
    for (let i = 0; i < q; i++) {
      const scores = this.cosinesPlain(unitQueries.subarray(i * this.dim, (i + 1) * this.dim), rows);
      for (let r = 0; r < rows; r++) out[r * q + i] = scores[r];
    }
    return out;
  }

  /** The portable twin of the SIMD kernel; also its test oracle. */
  cosinesPlain(unitQuery: Float32Array, rows = this.size): Float64Array {
    const u = this.unitVectors;
    const dim = this.dim;
    const q = unitQuery;
    const out = new Float64Array(rows);
    const tail = dim - (dim % 4);
    for (let i = 0, base = 0; i < rows; i++, base += dim) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j < tail; j += 4) {
        s0 += u[base + j] * q[j];
        s1 += u[base + j + 1] * q[j + 1];
        s2 += u[base + j + 2] * q[j + 2];
        s3 += u[base + j + 3] * q[j + 3];
      }
      for (; j < dim; j++) s0 += u[base + j] * q[j];
      out[i] = s0 + s1 + s2 + s3;
    }
    return out;
  }

  /**
   * Normalized sum of unit vectors, + for `positive` and − for `negative` (gensim's mean vector
   * for most_similar, whose scale does not change the ranking).
   */
  combine(positive: readonly string[], negative: readonly string[]): Float32Array {
    if (positive.length + negative.length === 0) throw new UserError('name at least one word to compare with');
    const sum = new Float32Array(this.dim);
    for (const [words, sign] of [[positive, 1], [negative, -1]] as const) {
      for (const w of words) {
        const row = this.unitRow(this.requireIndex(w));
        for (let j = 0; j < this.dim; j++) sum[j] += sign * row[j];
      }
    }
    return normalized(sum);
  }

  /**
   * "a is to b as c is to ?": 3CosAdd ranks by cos(x, b − a + c); 3CosMul (Levy & Goldberg 2014)
   * by cos'(x,b)·cos'(x,c) / (cos'(x,a) + ε) with cosines shifted to [0, 1], as gensim's
   * most_similar_cosmul does. The three input words never appear among the answers.
   */
  analogy(a: string, b: string, c: string, options: { method?: AnalogyMethod; k?: number; restrict?: number } = {}): Neighbor[] {
    const method = options.method ?? 'add';
    const k = options.k ?? 10;
    const ia = this.requireIndex(a);
    const ib = this.requireIndex(b);
    const ic = this.requireIndex(c);
    const excluded = new Set([ia, ib, ic]);
    const rows = Math.min(this.size, options.restrict ?? this.size);
    if (method === 'add') return this.topOf(this.cosines(this.combine([b, c], [a]), rows), k, excluded);
    const ca = this.cosines(this.unitRow(ia), rows);
    const cb = this.cosines(this.unitRow(ib), rows);
    const cc = this.cosines(this.unitRow(ic), rows);
    const epsilon = 1e-6;
    const scores = new Float64Array(rows);
    for (let i = 0; i < rows; i++) scores[i] = (((1 + cb[i]) / 2) * ((1 + cc[i]) / 2)) / ((1 + ca[i]) / 2 + epsilon);
    return this.topOf(scores, k, excluded);
  }

  /** Back to the plain file shape, e.g. to write it out again. */
  toWordVectors(limit = this.size): WordVectors {
    const n = Math.min(limit, this.size);
    return { words: this.words.slice(0, n), dim: this.dim, vectors: this.vectors.subarray(0, n * this.dim) };
  }

  /**
   * The k best-scoring rows, best first (ties: the lower row first). Keeps a small sorted list
   * and the score a row must beat to enter it: with k ≪ V almost every row fails that one
   * comparison, so this costs little beyond the scoring itself.
   */
  topOf(scores: ArrayLike<number>, k: number, excluded: ReadonlySet<number> = new Set()): Neighbor[] {
    if (!Number.isInteger(k) || k < 1) throw new UserError(`k must be a positive integer, got ${k}`);
    // No more room than there are rows: k may be far larger.
    const bestIndex = new Int32Array(Math.min(k, scores.length));
    const bestScore = new Float64Array(bestIndex.length);
    let filled = 0;
    let threshold = 0;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      if (filled === k && !(s > threshold)) continue;
      if (excluded.has(i)) continue;
      let at = filled < k ? filled++ : k - 1;
      while (at > 0 && bestScore[at - 1] < s) {
        bestScore[at] = bestScore[at - 1];
        bestIndex[at] = bestIndex[at - 1];
        at--;
      }
      bestScore[at] = s;
      bestIndex[at] = i;
      if (filled === k) threshold = bestScore[k - 1];
    }
    return Array.from({ length: filled }, (_, n) => ({ word: this.words[bestIndex[n]], similarity: bestScore[n] }));
  }
}

function normalized(v: Float32Array): Float32Array {
  let norm = 0;
  for (let j = 0; j < v.length; j++) norm += v[j] * v[j];
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const out = new Float32Array(v.length);
  for (let j = 0; j < v.length; j++) out[j] = v[j] * scale;
  return out;
}
