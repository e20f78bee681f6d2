import os from 'node:os';
import { ENCODING_ERRORS, type EncodingErrors } from '../corpus/corpus-text.js';
import { definedOnly } from '../base/defined-only.js';
import { UserError } from '../base/errors.js';
import type { KernelChoice } from '../kernel/kernel.js';
import { DEFAULT_DIV_VALUE, validateCutoffs } from './adaptive-clusters.js';
import { MAX_MIXTURE_COMPONENTS } from './mixture.js';

export type ModelType = 'sg' | 'cbow';
/**
 * The output layer, i.e. how the prediction of a target word from an input vector is scored:
 * ns negative sampling, hs hierarchical softmax, nce noise-contrastive estimation, sampled the
 * sampled (importance-sampled) softmax, softmax the exact softmax over every word, dsoftmax the
 * differentiated softmax (frequency bands scored against blocks of the input vector), adaptive
 * the adaptive softmax (a head of frequent words and clusters, tails in smaller dimensions).
 */
export type LossType = 'ns' | 'hs' | 'nce' | 'sampled' | 'softmax' | 'dsoftmax' | 'adaptive';
export const LOSS_TYPES = ['ns', 'hs', 'nce', 'sampled', 'softmax', 'dsoftmax', 'adaptive'] as const satisfies readonly LossType[];
/** Losses that draw noise words from the unigram^0.75 table (`--negative` of them per prediction). */
export const SAMPLING_LOSSES: readonly LossType[] = ['ns', 'nce', 'sampled'];
/** Sampling losses whose scores are corrected by log(k·q(w)), the noise's expected count. */
export const CORRECTED_LOSSES: readonly LossType[] = ['nce', 'sampled'];
/** Losses that normalise over the whole vocabulary, and so take an `--activation` and `--margin`. */
export const EXACT_LOSSES: readonly LossType[] = ['softmax', 'dsoftmax'];
export type HsTree = 'huffman' | 'balanced';
/** exp: softmax; sig: sigsoftmax, exp(z)·σ(z); taylor: Taylor softmax of order n, Σ_{k≤n} z^k/k! (n = 2: 1 + z + z²/2). */
export type Activation = 'exp' | 'sig' | 'taylor';
export const ACTIVATIONS = ['exp', 'sig', 'taylor'] as const satisfies readonly Activation[];

/** One frequency band of the differentiated softmax, as shares of the vocabulary and of the dimension. */
export interface Band {
  /** Share of the vocabulary, most frequent words first. */
  words: number;
  /** Share of the vector's dimensions that this band's output vectors use. */
  dims: number;
}
/** Chen et al. 2016's shape: the frequent tenth gets half the capacity. */
export const DEFAULT_BANDS: readonly Band[] = Object.freeze([
  { words: 0.1, dims: 0.5 },
  { words: 0.3, dims: 0.3 },
  { words: 0.6, dims: 0.2 },
]);
export type VectorFormat = 'bin' | 'text';

/** Everything that shapes a training run. The CLI and the library API share this type. */
export interface TrainOptions {
  /** Skip-gram predicts the context from the word; CBOW predicts the word from its context mean. */
  model: ModelType;
  /** The output layer; see {@link LossType}. */
  loss: LossType;
  /** hs only: the Huffman tree of C word2vec, or a balanced tree of depth ⌈log2 V⌉. */
  hsTree: HsTree;
  /** softmax and dsoftmax only: how scores become probabilities. */
  activation: Activation;
  /** activation taylor only: the order n, even from 2 to 10, so that the series is positive for every z. */
  taylorOrder: number;
  /** softmax and dsoftmax only: the target's score is lowered by this before normalising (soft-margin). */
  margin: number;
  /**
   * softmax with exp or sig only: a mixture of this many softmaxes (Yang et al. 2018; with sig,
   * Kanai et al. 2018), each over its own context tanh(P_k h), weighted by softmax(W h); 1 is the plain softmax.
   */
  mixture: number;
  /** dsoftmax only: the frequency bands, shares summing to 1. */
  bands: Band[];
  /**
   * adaptive only: the head's word count, then where each tail cluster ends (increasing, below
   * the vocabulary size); absent, cut where the words reach 80% and 95% of the tokens.
   */
  cutoffs?: readonly number[];
  /** adaptive only: tail i scores in dim / divValue^(i+1) dimensions. */
  divValue: number;
  dim: number;
  /** Maximum distance to a context word; each position draws a reduced window in 1..window. */
  window: number;
  /** Noise words per prediction (ns, nce, sampled). */
  negative: number;
  /**
   * Skip-gram with a sampling loss: draw the noise words once per centre word and share them
   * across its context window (Ji et al. 2016), instead of fresh ones for every context word.
   */
  sharedNegatives: boolean;
  minCount: number;
  /** Keep at most this many most frequent words (0: no limit). */
  maxVocab: number;
  /** Subsampling threshold for frequent words (0 disables it). */
  sample: number;
  epochs: number;
  /**
   * Stop after this many corpus words in all (0: no limit), for a fixed slice of a long run: the
   * learning rate then decays over these words, as it would over a corpus that size.
   */
  maxWords: number;
  /**
   * Stop after this many seconds of training (0: no limit): no task starts after it, and the
   * learning rate decays over it (or over the words, whichever runs out first).
   */
  maxSeconds: number;
  /** Starting learning rate; defaults to 0.025 for sg and 0.05 for cbow, as in C word2vec. */
  alpha: number;
  /** Learning rate reached at the end of the run; defaults to alpha * 1e-4, C word2vec's floor. */
  minAlpha: number;
  workers: number;
  seed: number;
  /** Sentences longer than this are cut; a corpus with no newlines becomes such pieces. */
  maxSentenceLength: number;
  /** Bytes that are not UTF-8 text (NUL, ill-formed sequences): an error, or replaced by U+FFFD. */
  encodingErrors: EncodingErrors;
  kernel: KernelChoice;
  /** Tokens per scheduled task; small enough to balance load and report progress often. */
  chunkTokens: number;
  /**
   * A vocabulary file in C word2vec's format: its words, counts and order make the vocabulary
   * (minCount and maxVocab still apply), and corpus words it lacks are out of vocabulary.
   */
  readVocab?: string;
}

export const DEFAULT_TRAIN_OPTIONS: Readonly<Omit<TrainOptions, 'alpha' | 'minAlpha'>> = Object.freeze({
  model: 'cbow',
  loss: 'ns',
  hsTree: 'huffman',
  activation: 'exp',
  taylorOrder: 2,
  margin: 0,
  mixture: 1,
  bands: DEFAULT_BANDS as Band[],
  divValue: DEFAULT_DIV_VALUE,
  dim: 100,
  window: 5,
  negative: 5,
  sharedNegatives: true,
  minCount: 5,
  maxVocab: 0,
  sample: 1e-3,
  epochs: 5,
  maxWords: 0,
  maxSeconds: 0,
  workers: Math.max(1, os.availableParallelism()),
  seed: 1,
  maxSentenceLength: 10_000,
  encodingErrors: 'strict',
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

/** Options that only one kind of loss reads: given with another, they are a mistake worth a line. */
function refuseOutOfPlace(loss: LossType, defined: Partial<TrainOptions>): void {
  const only = (flag: string, losses: readonly LossType[]) => {
    if (!losses.includes(loss)) {
      throw new UserError(`--${flag} does not apply to --loss ${loss}: it is for --loss ${losses.join(' or ')}; drop it or change --loss`);
    }
  };
  if (defined.hsTree !== undefined) only('hs-tree', ['hs']);
  if (defined.activation !== undefined) only('activation', EXACT_LOSSES);
  if (defined.margin !== undefined) only('margin', EXACT_LOSSES);
  if (defined.taylorOrder !== undefined && (defined.activation ?? DEFAULT_TRAIN_OPTIONS.activation) !== 'taylor') {
    throw new UserError('--taylor-order is the order of the Taylor softmax: give it with --activation taylor, or drop it');
  }
  if (defined.bands !== undefined) only('bands', ['dsoftmax']);
  if (defined.mixture !== undefined) {
    only('mixture', ['softmax']);
    if (defined.activation === 'taylor') {
      throw new UserError('--mixture mixes softmaxes or sigsoftmaxes: give it with --activation exp or sig, not taylor');
    }
  }
  if (defined.cutoffs !== undefined) only('cutoffs', ['adaptive']);
  if (defined.divValue !== undefined) only('div-value', ['adaptive']);
  if (defined.negative !== undefined && defined.negative !== 0) only('negative', SAMPLING_LOSSES);
}

function validateBands(bands: Band[], dim: number): void {
  if (!Array.isArray(bands) || bands.length === 0) throw new UserError('--bands needs at least one band, for example 0.1:0.5,0.3:0.3,0.6:0.2');
  let words = 0;
  let dims = 0;
  for (const band of bands) {
    if (!(band.words > 0) || !(band.dims > 0)) throw new UserError('--bands: every share must be positive, for example 0.1:0.5,0.3:0.3,0.6:0.2');
    words += band.words;
    dims += band.dims;
  }
  if (Math.abs(words - 1) > 1e-6 || Math.abs(dims - 1) > 1e-6) {
    throw new UserError(`--bands: the word shares and the dimension shares must each sum to 1, got ${+words.toFixed(6)} and ${+dims.toFixed(6)}`);
  }
  // Each band's block of the input vector is whole SIMD lanes of 4 floats.
  if (dim < 4 * bands.length) throw new UserError(`--bands: ${bands.length} bands need --dim of at least ${4 * bands.length}`);
}

/** Parses `--bands 0.1:0.5,0.3:0.3,0.6:0.2` (vocabulary share : dimension share, most frequent band first). */
export function parseBands(text: string): Band[] {
  return text.split(',').map((part) => {
    const match = /^\s*([0-9.eE+-]+)\s*:\s*([0-9.eE+-]+)\s*$/.exec(part);
    if (!match) throw new UserError(`--bands: cannot read ${JSON.stringify(part)}; write shares as words:dims, for example 0.1:0.5,0.3:0.3,0.6:0.2`);
    return { words: Number(match[1]), dims: Number(match[2]) };
  });
}

/** Fills in defaults and validates once, at the public boundary; the core trusts the result. */
export function resolveTrainOptions(partial: Partial<TrainOptions> = {}): TrainOptions {
  const defined = definedOnly(partial);
  const base = { ...DEFAULT_TRAIN_OPTIONS, ...defined };
  requireChoice('model', base.model, ['sg', 'cbow'] as const);
  requireChoice('loss', base.loss, LOSS_TYPES);
  requireChoice('hs-tree', base.hsTree, ['huffman', 'balanced'] as const);
  requireChoice('activation', base.activation, ACTIVATIONS);
  refuseOutOfPlace(base.loss, defined);
  requireChoice('kernel', base.kernel, ['auto', 'wasm', 'ts'] as const);
  requireChoice('encoding-errors', base.encodingErrors, ENCODING_ERRORS);
  const alpha = defined.alpha ?? defaultAlpha(base.model);
  const minAlpha = defined.minAlpha ?? alpha * 1e-4;
  // A loss that draws no noise words has none: the report then says negative 0.
  const negative = SAMPLING_LOSSES.includes(base.loss) ? base.negative : 0;
  const options: TrainOptions = { ...base, negative, alpha, minAlpha };
  requireInteger('dim', options.dim, 1, 4096);
  requireInteger('window', options.window, 1, 1000);
  requireInteger('negative', options.negative, SAMPLING_LOSSES.includes(options.loss) ? 1 : 0, 1000);
  requireNumber('margin', options.margin, 0, 100);
  if (!Number.isInteger(options.taylorOrder) || options.taylorOrder < 2 || options.taylorOrder > 10 || options.taylorOrder % 2 !== 0) {
    throw new UserError(`--taylor-order must be even, from 2 to 10 (an odd order's series goes negative), got ${options.taylorOrder}`);
  }
  requireInteger('mixture', options.mixture, 1, MAX_MIXTURE_COMPONENTS);
  if (options.loss === 'dsoftmax') validateBands(options.bands, options.dim);
  if (options.cutoffs !== undefined) validateCutoffs(options.cutoffs);
  requireNumber('div-value', options.divValue, 1, 1e6);
  requireInteger('min-count', options.minCount, 1);
  requireInteger('max-vocab', options.maxVocab, 0);
  requireNumber('sample', options.sample, 0, 1);
  requireInteger('epochs', options.epochs, 1, 10_000);
  requireInteger('max-words', options.maxWords, 0);
  requireNumber('max-seconds', options.maxSeconds, 0, 1e9);
  requireNumber('alpha', options.alpha, Number.MIN_VALUE, 10);
  requireNumber('min-alpha', options.minAlpha, 0, options.alpha);
  requireInteger('workers', options.workers, 1, 1024);
  requireInteger('seed', options.seed, 0, 0xffffffff);
  requireInteger('max-sentence-length', options.maxSentenceLength, 1, 1 << 24);
  requireInteger('chunk-tokens', options.chunkTokens, 1024, 1 << 26);
  if (options.readVocab !== undefined && (typeof options.readVocab !== 'string' || options.readVocab === '')) {
    throw new UserError('--read-vocab needs the path of a vocabulary file');
  }
  return options;
}

/**
 * Resolved options as if given by hand: without the loss-specific ones the loss does not read,
 * which resolveTrainOptions refuses when given (it fills them in with their defaults again).
 */
export function givenOptions(saved: TrainOptions): Partial<TrainOptions> {
  const { hsTree, activation, taylorOrder, margin, bands, mixture, cutoffs, divValue, ...shared } = saved;
  return {
    ...shared,
    ...(saved.loss === 'hs' ? { hsTree } : {}),
    ...(EXACT_LOSSES.includes(saved.loss) ? { activation, margin } : {}),
    // Checkpoints written before the Taylor order existed have none: the order was 2.
    ...(EXACT_LOSSES.includes(saved.loss) && activation === 'taylor' ? { taylorOrder: taylorOrder ?? 2 } : {}),
    ...(saved.loss === 'dsoftmax' ? { bands } : {}),
    ...(saved.loss === 'adaptive' ? { cutoffs, divValue } : {}),
    // Checkpoints and model files written before mixtures existed have none: the softmax was plain.
    ...(mixture !== undefined && mixture > 1 ? { mixture } : {}),
  };
}
