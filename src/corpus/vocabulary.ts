import { UserError } from '../base/errors.js';

/** The words kept for training, most frequent first; a word's id is its index. */
export interface Vocabulary {
  words: string[];
  counts: Float64Array;
  /** sum of counts of kept words */
  totalCount: number;
}

/**
 * wordOf/counts are indexed by provisional id (order of first appearance in the corpus); only the
 * kept words are asked for, so strings are made for the vocabulary, not for every distinct word. Keeps
 * words with count >= minCount, sorts by count descending with ties broken by provisional id
 * (first appearance first) — deterministic; then keeps the maxVocab most frequent when
 * maxVocab > 0. Returns the vocabulary and remap: Int32Array, provisional id -> final id or -1
 * for dropped words. Empty result -> UserError suggesting a lower --min-count.
 *
 * Descending order is what the Huffman construction and C word2vec's file layout expect, and a
 * total order (not just "by count") is what makes ids, and so seeded training, reproducible.
 */
export function buildVocabulary(
  wordOf: (id: number) => string,
  counts: ArrayLike<number>,
  minCount: number,
  maxVocab: number,
): { vocabulary: Vocabulary; remap: Int32Array } {
  const n = counts.length;

  let kept = 0;
  let mostFrequent = 0;
  for (let i = 0; i < n; i++) {
    if (counts[i] >= minCount) kept++;
    if (counts[i] > mostFrequent) mostFrequent = counts[i];
  }
  if (kept === 0) {
    throw new UserError(n === 0
      ? 'The corpus contains no words; check that the input files hold whitespace-separated text'
      : `No word occurs at least ${minCount} times (the most frequent occurs ${mostFrequent} times); lower --min-count`);
  }

  const order = byCountThenId(counts, minCount, kept, mostFrequent);
  const size = maxVocab > 0 ? Math.min(maxVocab, kept) : kept;

  const remap = new Int32Array(n).fill(-1);
  const finalWords = new Array<string>(size);
  const finalCounts = new Float64Array(size);
  let totalCount = 0;
  for (let id = 0; id < size; id++) {
    const provisional = order[id];
    remap[provisional] = id;
    const word = wordOf(provisional);
    finalWords[id] = word;
    finalCounts[id] = counts[provisional];
    totalCount += counts[provisional];
  }
  return { vocabulary: { words: finalWords, counts: finalCounts, totalCount }, remap };
}

/**
 * The ids of the `kept` words with count >= minCount, by count descending, then by id. Where
 * (mostFrequent - count) and the id fit together in a double's 53 integer bits, as they do for
 * any real corpus, each word becomes one number and the native numeric sort orders them, which
 * is about three times faster than a comparator over the ids.
 */
function byCountThenId(counts: ArrayLike<number>, minCount: number, kept: number, mostFrequent: number): Uint32Array {
  const n = counts.length;
  const order = new Uint32Array(kept);
  const idRange = 2 ** Math.ceil(Math.log2(n + 1));
  if ((mostFrequent + 1) * idRange <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(kept);
    for (let i = 0, k = 0; i < n; i++) if (counts[i] >= minCount) keys[k++] = (mostFrequent - counts[i]) * idRange + i;
    keys.sort();
    for (let k = 0; k < kept; k++) order[k] = keys[k] % idRange;
    return order;
  }
  for (let i = 0, k = 0; i < n; i++) if (counts[i] >= minCount) order[k++] = i;
  return order.sort((a, b) => counts[b] - counts[a] || a - b);
}

/**
 * For a vocabulary fixed in advance (a vocabulary file): provisional id -> the id of the same
 * word in `vocabulary`, or -1 for a corpus word it does not have (out of vocabulary). Makes one
 * string per distinct corpus word, since the words are matched by their text.
 */
export function remapToVocabulary(wordOf: (id: number) => string, size: number, vocabulary: Vocabulary): Int32Array {
  const idOf = new Map<string, number>();
  vocabulary.words.forEach((word, id) => idOf.set(word, id));
  const remap = new Int32Array(size);
  for (let id = 0; id < size; id++) remap[id] = idOf.get(wordOf(id)) ?? -1;
  return remap;
}

/**
 * The vocabulary of a model trained on (gensim's build_vocab(update=True)): every word of
 * `known` stays, whether the new corpus has it or not, with the corpus count added to its own;
 * corpus words it lacks join when the corpus has them at least minCount times. The result is
 * sorted again by the merged counts, descending, ties broken by the known order and then by
 * first appearance, so that it is most frequent first as every vocabulary is (the Huffman
 * construction, the bands, the vocabulary file and evaluation's most-frequent-first cut rely on
 * it). Returns the vocabulary, the remap (provisional id -> final id, -1 for dropped words) and
 * `knownIds` (final id -> id in `known`, -1 for a word that joined).
 */
export function extendVocabulary(
  known: Vocabulary,
  wordOf: (id: number) => string,
  counts: ArrayLike<number>,
  minCount: number,
): { vocabulary: Vocabulary; remap: Int32Array; knownIds: Int32Array } {
  const n = counts.length;
  const inCorpus = remapToVocabulary(wordOf, n, known);
  const merged = Float64Array.from(known.counts);
  // Candidates: the known words (ids 0..K-1), then joining words by first appearance (K + provisional id).
  const K = known.words.length;
  const candidates: number[] = [];
  for (let id = 0; id < K; id++) candidates.push(id);
  for (let id = 0; id < n; id++) {
    if (inCorpus[id] >= 0) merged[inCorpus[id]] += counts[id];
    else if (counts[id] >= minCount) candidates.push(K + id);
  }
  const countOf = (c: number) => (c < K ? merged[c] : counts[c - K]);
  candidates.sort((a, b) => countOf(b) - countOf(a) || a - b);
  const finalOf = new Int32Array(K);
  const remap = new Int32Array(n).fill(-1);
  const knownIds = new Int32Array(candidates.length).fill(-1);
  const words = new Array<string>(candidates.length);
  const finalCounts = new Float64Array(candidates.length);
  let totalCount = 0;
  candidates.forEach((c, id) => {
    if (c < K) {
      finalOf[c] = id;
      knownIds[id] = c;
      words[id] = known.words[c];
    } else {
      remap[c - K] = id;
      words[id] = wordOf(c - K);
    }
    finalCounts[id] = countOf(c);
    totalCount += finalCounts[id];
  });
  for (let id = 0; id < n; id++) if (inCorpus[id] >= 0) remap[id] = finalOf[inCorpus[id]];
  return { vocabulary: { words, counts: finalCounts, totalCount }, remap, knownIds };
}
