import { UserError } from './errors.js';

/** The words kept for training, most frequent first; a word's id is its index. */
export interface Vocabulary {
  words: string[];
  counts: Float64Array;
  /** sum of counts of kept words */
  totalCount: number;
  index: Map<string, number>;
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

  // Sorting a typed array of ids with a comparator avoids allocating an object per word.
  const order = new Uint32Array(kept);
  for (let i = 0, k = 0; i < n; i++) if (counts[i] >= minCount) order[k++] = i;
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  const size = maxVocab > 0 ? Math.min(maxVocab, kept) : kept;

  const remap = new Int32Array(n).fill(-1);
  const finalWords = new Array<string>(size);
  const finalCounts = new Float64Array(size);
  const index = new Map<string, number>();
  let totalCount = 0;
  for (let id = 0; id < size; id++) {
    const provisional = order[id];
    remap[provisional] = id;
    const word = wordOf(provisional);
    finalWords[id] = word;
    finalCounts[id] = counts[provisional];
    index.set(word, id);
    totalCount += counts[provisional];
  }
  return { vocabulary: { words: finalWords, counts: finalCounts, totalCount, index }, remap };
}
