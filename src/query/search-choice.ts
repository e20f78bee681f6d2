/** How a neighbour query is answered. */
export type SearchWay = 'exact' | 'index';

/**
 * Up to this many vector components (words × dimensions), exact SIMD search answers a query
 * as fast as an HNSW index with a tuned ef: exact search is linear in the vocabulary, while a
 * query through hnswlib-node costs about 25 µs at any small size. Measured with
 * scripts/query-bench.ts at dimension 100: at 1,000 words the index already answers in 0.025 ms
 * against 0.036 ms (BENCHMARKS.md, "Query side").
 */
export const EXACT_SEARCH_MAX_COMPONENTS = 50_000;

export function chooseSearch(words: number, dim: number): SearchWay {
  return words * dim <= EXACT_SEARCH_MAX_COMPONENTS ? 'exact' : 'index';
}
