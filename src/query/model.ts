import { UserError } from '../base/errors.js';
import type { TrainOptions } from '../model/options.js';
import type { OutputLayer } from '../model/output-layer.js';
import { isModelFile, readModelFile, type SavedModel } from '../vectors/model-file.js';
import { Embeddings } from './embeddings.js';
import { OutputSearch } from './output-search.js';

/** A predicted word and its probability under the model's own output layer. */
export interface PredictedWord {
  word: string;
  probability: number;
}

export interface PredictionAnswer {
  /** The context words the prediction used (known ones, in the order given). */
  context: string[];
  predictions: PredictedWord[];
  /** Context words not in the vocabulary, skipped. */
  unknown?: string[];
  /** hs: inner nodes whose decision the search computed; the other losses score every word. */
  scored: number;
}

/**
 * How each loss's probabilities are formed, as `w2v predict` says it: every loss but ns defines
 * a distribution over the vocabulary; for ns the scores are normalised as a softmax, as gensim's
 * predict_output_word does, which is not what negative sampling trained.
 */
export function distributionOf(options: Pick<TrainOptions, 'loss' | 'activation' | 'taylorOrder'> & Partial<Pick<TrainOptions, 'mixture'>>): string {
  switch (options.loss) {
    case 'hs': return 'hierarchical softmax: the product of the decisions on the word\'s tree path';
    case 'ns': return 'negative sampling scores normalised as a softmax over the vocabulary (gensim\'s predict_output_word); ns does not train a distribution';
    case 'nce': return 'noise-contrastive estimation: exp(score) normalised over the vocabulary';
    case 'sampled': return 'sampled softmax: exp(score) normalised over the vocabulary';
    case 'adaptive': return 'adaptive softmax: the head\'s probability of the word, or of its cluster times the word\'s within the cluster';
    default: {
      const name = { exp: 'softmax', sig: 'sigsoftmax', taylor: `Taylor softmax of order ${options.taylorOrder ?? 2}` }[options.activation];
      const mixture = options.mixture ?? 1;
      if (mixture > 1) return `a mixture of ${mixture} ${name}es over the vocabulary, each over its own context tanh(P_k h), weighted by softmax(W h) (the margin is left out)`;
      return `${options.loss === 'dsoftmax' ? 'differentiated ' : ''}${name} over the vocabulary, normalised as trained (the margin is left out)`;
    }
  }
}

/**
 * A trained model read from a model file: the word vectors, the output layer and the options
 * they were trained with, and prediction under that layer. No training code is involved.
 */
export class Model {
  readonly search: OutputSearch;
  private readonly indexByWord = new Map<string, number>();

  constructor(readonly saved: SavedModel) {
    saved.words.forEach((word, i) => {
      if (!this.indexByWord.has(word)) this.indexByWord.set(word, i);
    });
    this.search = new OutputSearch(saved.output, saved.words.length);
  }

  static async load(path: string): Promise<Model> {
    return new Model(await readModelFile(path));
  }

  get options(): TrainOptions {
    return this.saved.options;
  }

  get words(): readonly string[] {
    return this.saved.words;
  }

  get output(): OutputLayer {
    return this.saved.output;
  }

  indexOf(word: string): number | undefined {
    return this.indexByWord.get(word);
  }

  /** The input the model predicts from: the mean of the context words' vectors. */
  inputOf(rows: readonly number[]): Float64Array {
    const { dim, stride, vectors } = this.saved;
    const h = new Float64Array(dim);
    for (const row of rows) for (let i = 0; i < dim; i++) h[i] += vectors[row * stride + i] / rows.length;
    return h;
  }

  /**
   * The k most probable words given context words. CBOW predicts the word from the mean of its
   * context vectors, as it trains; skip-gram predicts from one word's vector the words around
   * it (with several words, from their mean, as gensim's predict_output_word does). Unknown
   * words are named and skipped; with none known there is nothing to predict from.
   */
  predict(context: readonly string[], k: number): PredictionAnswer {
    const known: string[] = [];
    const rows: number[] = [];
    const unknown: string[] = [];
    for (const word of context) {
      const row = this.indexOf(word);
      if (row === undefined) unknown.push(word);
      else {
        known.push(word);
        rows.push(row);
      }
    }
    if (rows.length === 0) {
      const named = unknown.map((u) => JSON.stringify(u)).join(', ');
      throw new UserError(context.length === 0 ? 'no context words to predict from' : `none of the context words is in the vocabulary (${named})`);
    }
    const { top, scored } = this.search.topK(this.inputOf(rows), k);
    return {
      context: known,
      predictions: top.map((t) => ({ word: this.saved.words[t.word], probability: Math.exp(t.logProbability) })),
      ...(unknown.length > 0 ? { unknown } : {}),
      scored,
    };
  }
}

/**
 * The vectors a query command answers from, and the model when the file is a model file (which
 * `w2v serve` then also predicts with); the file is read once either way.
 */
export async function loadVectorsOrModel(path: string): Promise<{ embeddings: Embeddings; model?: Model }> {
  if (!(await isModelFile(path))) return { embeddings: await Embeddings.load(path) };
  const model = await Model.load(path);
  const { words, dim, vectors, stride } = model.saved;
  return { embeddings: new Embeddings({ words, dim, vectors, stride }), model };
}
