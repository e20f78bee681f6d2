import type { AnalogyMethod, Embeddings, Neighbor, UnknownWordError } from './embeddings.js';
import type { NeighborSearch } from './neighbor-search.js';
import type { SearchWay } from './search-choice.js';

/**
 * The answers of the query commands as programs read them: `w2v neighbors --json` and `w2v
 * analogy --json` print them, and `w2v serve` returns the same objects from its API.
 */
export interface NeighborsAnswer {
  /** The query: one word, or several joined by spaces (their mean was searched). */
  word: string;
  search: SearchWay;
  neighbors: Neighbor[];
}

/** A query that named a word the vectors do not have. */
export interface UnknownWordAnswer {
  word: string;
  error: string;
}

export interface AnalogyAnswer {
  a: string;
  b: string;
  c: string;
  method: AnalogyMethod;
  answers: Neighbor[];
}

/** Throws UnknownWordError when a query word is missing; `unknownWordAnswer` turns that into an answer. */
export function answerNeighbors(search: NeighborSearch, words: readonly string[], k: number): NeighborsAnswer {
  return { word: words.join(' '), search: search.way, neighbors: search.search(words, k) };
}

export function unknownWordAnswer(query: string, error: UnknownWordError): UnknownWordAnswer {
  return { word: query, error: error.message };
}

/** "a is to b as c is to ?" by exact search; throws UnknownWordError when a word is missing. */
export function answerAnalogy(embeddings: Embeddings, a: string, b: string, c: string, method: AnalogyMethod, k: number): AnalogyAnswer {
  return { a, b, c, method, answers: embeddings.analogy(a, b, c, { method, k }) };
}
