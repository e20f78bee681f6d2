/** How a neighbour query is answered. */
export type SearchWay = 'exact' | 'index';

/**
 * Up to this many vector components (words × dimensions), exact SIMD search answers a query
 * faster than an HNSW index does: exact search is linear in the vocabulary, while a call into
 * hnswlib-node costs about 10 µs before it searches and its graph walk grows slowly with V.
 * Measured with scripts/query-bench.ts (BENCHMARKS.md, "Query side").
 */
export const EXACT_SEARCH_MAX_COMPONENTS = 500_000;

export function chooseSearch(words: number, dim: number): SearchWay {
  return words * dim <= EXACT_SEARCH_MAX_COMPONENTS ? 'exact' : 'index';
}
