import os from 'node:os';
import { UserError } from './errors.js';

export type ModelType = 'sg' | 'cbow';
export type LossType = 'ns' | 'hs';
export type KernelChoice = 'auto' | 'wasm' | 'ts';
export type VectorFormat = 'bin' | 'text';

/** Everything that shapes a training run. The CLI and the library API share this type. */
export interface TrainOptions {
  /** Skip-gram predicts the context from the word; CBOW predicts the word from its context mean. */
  model: ModelType;
  /** Hierarchical softmax over a Huffman tree, or negative sampling from unigram^0.75. */
  loss: LossType;
  dim: number;
  /** Maximum distance to a context word; each position draws a reduced window in 1..window. */
  window: number;
  /** Negative samples per positive pair (negative sampling only). */
  negative: number;
  /**
   * Skip-gram + negative sampling: draw the noise words once per centre word and share them
   * across its context window (Ji et al. 2016), instead of fresh ones for every context word.
   */
  sharedNegatives: boolean;
  minCount: number;
  /** Keep at most this many most frequent words (0: no limit). */
  maxVocab: number;
  /** Subsampling threshold for frequent words (0 disables it). */
  sample: number;
  epochs: number;
  /** Starting learning rate; defaults to 0.025 for sg and 0.05 for cbow, as in C word2vec. */
  alpha: number;
  /** Learning rate reached at the end of the run; defaults to alpha * 1e-4, C word2vec's floor. */
  minAlpha: number;
  workers: number;
  seed: number;
  /** Sentences longer than this are cut; a corpus with no newlines becomes such pieces. */
  maxSentenceLength: number;
  kernel: KernelChoice;
  /** Tokens per scheduled task; small enough to balance load and report progress often. */
  chunkTokens: number;
}

export const DEFAULT_TRAIN_OPTIONS: Readonly<Omit<TrainOptions, 'alpha' | 'minAlpha'>> = Object.freeze({
  model: 'cbow',
  loss: 'ns',
  dim: 100,
  window: 5,
  negative: 5,
  sharedNegatives: true,
  minCount: 5,
  maxVocab: 0,
  sample: 1e-3,
  epochs: 5,
  workers: Math.max(1, os.availableParallelism()),
  seed: 1,
  maxSentenceLength: 10_000,
  kernel: 'auto',
  chunkTokens: 1 << 18,
});

export function defaultAlpha(model: ModelType): number {
  return model === 'sg' ? 0.025 : 0.05;
}

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UserError(`--${name} must be an integer between ${min} and ${max}, got ${value}`);
  }
}

function requireNumber(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UserError(`--${name} must be a number between ${min} and ${max}, got ${value}`);
  }
}

function requireChoice<T extends string>(name: string, value: string, choices: readonly T[]): asserts value is T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UserError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
}

/** Fills in defaults and validates once, at the public boundary; the core trusts the result. */
export function resolveTrainOptions(partial: Partial<TrainOptions> = {}): TrainOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<TrainOptions>;
  const base = { ...DEFAULT_TRAIN_OPTIONS, ...defined };
  requireChoice('model', base.model, ['sg', 'cbow'] as const);
  requireChoice('loss', base.loss, ['ns', 'hs'] as const);
  requireChoice('kernel', base.kernel, ['auto', 'wasm', 'ts'] as const);
  const alpha = defined.alpha ?? defaultAlpha(base.model);
  const minAlpha = defined.minAlpha ?? alpha * 1e-4;
  const options: TrainOptions = { ...base, alpha, minAlpha };
  requireInteger('dim', options.dim, 1, 4096);
  requireInteger('window', options.window, 1, 1000);
  requireInteger('negative', options.negative, options.loss === 'ns' ? 1 : 0, 1000);
  requireInteger('min-count', options.minCount, 1);
  requireInteger('max-vocab', options.maxVocab, 0);
  requireNumber('sample', options.sample, 0, 1);
  requireInteger('epochs', options.epochs, 1, 10_000);
  requireNumber('alpha', options.alpha, Number.MIN_VALUE, 10);
  requireNumber('min-alpha', options.minAlpha, 0, options.alpha);
  requireInteger('workers', options.workers, 1, 1024);
  requireInteger('seed', options.seed, 0, 0xffffffff);
  requireInteger('max-sentence-length', options.maxSentenceLength, 1, 1 << 24);
  requireInteger('chunk-tokens', options.chunkTokens, 1024, 1 << 26);
  return options;
}
