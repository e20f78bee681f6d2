import { definedOnly } from '../base/defined-only.js';
import { UserError } from '../base/errors.js';
import { flagOf } from '../base/option-flag.js';
import { fmix32 } from '../base/random.js';
import type { Vocabulary } from '../corpus/vocabulary.js';
import type { CodeTree } from '../model/code-tree.js';
import { DEFAULT_TRAIN_OPTIONS, givenOptions, resolveTrainOptions, type TrainOptions } from '../model/options.js';

/**
 * A finished model to train on (gensim's build_vocab(update=True), then train). The caller reads
 * the model file (vectors/ sits above train/) and hands its contents down.
 */
export interface ContinuedModel {
  /** The model file: named in the report and messages, and never written over. */
  source: string;
  options: TrainOptions;
  words: readonly string[];
  counts: readonly number[];
  /** Input rows, then output rows (word rows, or inner-node rows for hs), `stride` floats apart. */
  vectors: Float32Array;
  output: Float32Array;
  stride: number;
  /** hs: the tree the output rows belong to. */
  tree?: CodeTree;
}

/** What the report says of a run that trained a model on. */
export interface ContinuedSummary {
  source: string;
  /** Words of the model: all kept, with their vectors. */
  known: number;
  /** Of those, the words the new text has. */
  knownInText: number;
  /** Words of the new text at or above min-count that the model lacked: fresh vectors. */
  joined: number;
  /** hs: inner-node rows of the rebuilt tree that kept a row of the model's tree, of all of them. */
  innerRowsKept?: number;
  innerRows?: number;
}

/** Options that make the model what it is: they come from the model file, and a different value is refused. */
const MODEL_KEYS = ['model', 'loss', 'hsTree', 'activation', 'taylorOrder', 'margin', 'bands', 'dim', 'window', 'negative', 'sharedNegatives'] as const;
/** Options of a run, not of the model: they start from the defaults, not from the model's run. */
const RUN_KEYS = ['workers', 'kernel', 'maxWords', 'maxSeconds'] as const;

/**
 * The options of a run that trains `model` on: the model's own, with the given ones that may
 * change (epochs, alpha, min-count, sample, seed, workers…). A given option that would change
 * the model (its type, loss, dimension, window, tree, bands…) or its vocabulary (--max-vocab,
 * --read-vocab) is refused in one line. A new --alpha without --min-alpha decays to its own floor.
 */
export function continuedOptions(model: ContinuedModel, partial: Partial<TrainOptions>): TrainOptions {
  const given = definedOnly(partial);
  for (const key of MODEL_KEYS) {
    const value = given[key];
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(model.options[key])) {
      const text = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
      throw new UserError(`${flagOf(key)} ${text(value)} contradicts ${model.source}, a model of ${flagOf(key)} ${text(model.options[key])}: a model trained on keeps its options; drop it`);
    }
  }
  for (const key of ['maxVocab', 'readVocab'] as const) {
    if (given[key] !== undefined) throw new UserError(`${flagOf(key)} cannot be given with --init: the model's vocabulary is kept, and new words join at --min-count; drop it`);
  }
  const saved: Partial<TrainOptions> = givenOptions(model.options);
  for (const key of [...RUN_KEYS, 'readVocab', 'maxVocab'] as const) delete saved[key];
  if (given.alpha !== undefined) delete saved.minAlpha;
  try {
    resolveTrainOptions(saved);
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`${model.source}: its options are not valid (${error.message})`);
    throw error;
  }
  // The model's own run-only values were dropped; the defaults stand in for the ones not given.
  return resolveTrainOptions({ ...saved, ...given, maxVocab: DEFAULT_TRAIN_OPTIONS.maxVocab });
}

/**
 * Puts the model's rows in place, after every row has had its fresh start (C word2vec's random
 * input, zero output): a known word's input and output rows move to its id in the merged
 * vocabulary, joined words keep their fresh rows. With hs the tree was rebuilt over the merged
 * counts; see {@link keepInnerRows}.
 */
export function applyContinuedModel(
  input: Float32Array,
  output: Float32Array,
  stride: number,
  merged: { vocabulary: Vocabulary; knownIds: Int32Array },
  tree: CodeTree | undefined,
  model: ContinuedModel,
): ContinuedSummary {
  const dim = model.options.dim;
  const { knownIds, vocabulary } = merged;
  let knownInText = 0;
  knownIds.forEach((k, id) => {
    if (k < 0) return;
    input.set(model.vectors.subarray(k * model.stride, k * model.stride + dim), id * stride);
    if (!tree) output.set(model.output.subarray(k * model.stride, k * model.stride + dim), id * stride);
    if (vocabulary.counts[id] > model.counts[k]) knownInText++;
  });
  const known = model.words.length;
  const summary: ContinuedSummary = { source: model.source, known, knownInText, joined: vocabulary.words.length - known };
  if (tree && model.tree) {
    const innerRows = Math.max(1, vocabulary.words.length - 1);
    return { ...summary, innerRowsKept: keepInnerRows(output, stride, tree, knownIds, model), innerRows };
  }
  return summary;
}

// An inner node as the set of known words down each of its two branches: count and two sums of
// 32-bit word hashes per branch, so two nodes of different sets share a signature with odds of 2^-64.
const SIGNATURE = 6;

function branchSignatures(tree: CodeTree, words: number, keyOf: (word: number) => number): Uint32Array {
  const signatures = new Uint32Array(Math.max(1, words - 1) * SIGNATURE);
  for (let w = 0; w < words; w++) {
    const key = keyOf(w);
    if (key < 0) continue;
    const a = fmix32(key + 1);
    const b = fmix32(a ^ 0x9e3779b9);
    for (let k = tree.offsets[w]; k < tree.offsets[w + 1]; k++) {
      const at = tree.points[k] * SIGNATURE + tree.codes[k] * 3;
      signatures[at] += 1;
      signatures[at + 1] = (signatures[at + 1] + a) >>> 0;
      signatures[at + 2] = (signatures[at + 2] + b) >>> 0;
    }
  }
  return signatures;
}

const sideKey = (s: Uint32Array, row: number, side: number) => s.subarray(row * SIGNATURE + side * 3, row * SIGNATURE + side * 3 + 3).join(',');

/**
 * hs: the tree cannot grow a leaf without changing the paths of others, so it is rebuilt over
 * the merged counts, and an inner-node row is kept only where it still means the same decision:
 * a node of the new tree whose branches split the known words exactly as a node of the model's
 * tree did (new words aside) takes that node's row, negated when the branches swapped sides
 * (σ(-x) = 1 - σ(x)). Every other inner row starts at zero, as any inner row does. Returns how
 * many rows were kept.
 */
function keepInnerRows(output: Float32Array, stride: number, tree: CodeTree, knownIds: Int32Array, model: ContinuedModel): number {
  const dim = model.options.dim;
  const before = branchSignatures(model.tree!, model.words.length, (w) => w);
  const oldRowOf = new Map<string, number>();
  for (let row = 0; row < before.length / SIGNATURE; row++) {
    if (before[row * SIGNATURE] > 0 && before[row * SIGNATURE + 3] > 0) oldRowOf.set(`${sideKey(before, row, 0)}|${sideKey(before, row, 1)}`, row);
  }
  const after = branchSignatures(tree, knownIds.length, (w) => knownIds[w]);
  let kept = 0;
  for (let row = 0; row < after.length / SIGNATURE; row++) {
    const left = sideKey(after, row, 0);
    const right = sideKey(after, row, 1);
    const same = oldRowOf.get(`${left}|${right}`);
    const swapped = same === undefined ? oldRowOf.get(`${right}|${left}`) : undefined;
    const from = same ?? swapped;
    if (from === undefined) continue;
    const sign = same !== undefined ? 1 : -1;
    for (let i = 0; i < dim; i++) output[row * stride + i] = sign * model.output[from * model.stride + i];
    kept++;
  }
  return kept;
}
