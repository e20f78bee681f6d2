import type { AnalogyMethod, Embeddings, Neighbor, UnknownWordError } from './embeddings.js';
import { distributionOf, type Model, type PredictedWord } from './model.js';
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

/** `w2v predict --json`'s answer and `/api/predict`'s. */
export interface PredictAnswer {
  context: string[];
  predictions: PredictedWord[];
  /** Context words not in the vocabulary, skipped. */
  unknown?: string[];
  /** How the probabilities are formed, for this model's loss. */
  distribution: string;
  /** hs: the inner nodes whose decision the tree search computed (of vocabulary size − 1). */
  nodesVisited?: number;
}

/**
 * The words that fit a context. A context with a blank (`_`, as the page's "fill the blank"
 * box sends it) predicts the blank from the words of the model's window around it; otherwise
 * every word is context. Throws a UserError when no context word is known.
 */
export function answerPrediction(model: Model, words: readonly string[], k: number): PredictAnswer {
  const blank = words.indexOf('_');
  const window = model.options.window;
  const context = blank < 0 ? words : words.filter((w, i) => w !== '_' && Math.abs(i - blank) <= window);
  const { context: known, predictions, unknown, scored } = model.predict(context, k);
  return {
    context: known,
    predictions,
    ...(unknown ? { unknown } : {}),
    distribution: distributionOf(model.options),
    ...(model.options.loss === 'hs' ? { nodesVisited: scored } : {}),
  };
}
