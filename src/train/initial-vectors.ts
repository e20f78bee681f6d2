import { UserError } from '../base/errors.js';
import type { Vocabulary } from '../corpus/vocabulary.js';

/**
 * Pretrained vectors that known words start from (fastText's -pretrainedVectors, gensim's
 * intersect_word2vec_format). The caller reads the file (vectors/ sits above train/), so any
 * format it reads will do: C word2vec's, gensim's, fastText's .vec.
 */
export interface InitialVectors {
  /** The file they were read from: named in the report and messages, and never written over. */
  source: string;
  words: readonly string[];
  dim: number;
  /** Row i for words[i], `stride` floats apart (dim when absent). */
  vectors: Float32Array;
  stride?: number;
}

/** What the report says of the pretrained start: how many vocabulary words it covered. */
export interface InitialVectorsSummary {
  source: string;
  /** Words in the pretrained file. */
  words: number;
  /** Vocabulary words that started from a pretrained vector; the others start at random. */
  found: number;
}

/** Pretrained vectors of another dimension cannot start this model: one line that says which to change. */
export function checkInitialDimension(initial: InitialVectors, dim: number): void {
  if (initial.dim !== dim) {
    throw new UserError(
      `--init-vectors ${initial.source} holds vectors of dimension ${initial.dim}, and the model has --dim ${dim}: ` +
        `give --dim ${initial.dim}, or vectors of dimension ${dim}`,
    );
  }
}

/**
 * Copies the pretrained vector of every vocabulary word that has one into its input row (rows
 * `stride` floats apart; padding stays zero), leaving the others as initialised. A word listed
 * twice in the file starts from its first row, as gensim keeps it.
 */
export function applyInitialVectors(input: Float32Array, stride: number, vocabulary: Vocabulary, initial: InitialVectors): InitialVectorsSummary {
  const rowOf = new Map<string, number>();
  initial.words.forEach((word, row) => {
    if (!rowOf.has(word)) rowOf.set(word, row);
  });
  const from = initial.stride ?? initial.dim;
  let found = 0;
  vocabulary.words.forEach((word, id) => {
    const row = rowOf.get(word);
    if (row === undefined) return;
    input.set(initial.vectors.subarray(row * from, row * from + initial.dim), id * stride);
    found++;
  });
  return { source: initial.source, words: initial.words.length, found };
}
