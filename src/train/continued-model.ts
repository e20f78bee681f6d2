import { definedOnly } from '../base/defined-only.js';
import { UserError } from '../base/errors.js';
import { flagOf } from '../base/option-flag.js';
import type { Vocabulary } from '../corpus/vocabulary.js';
import { singleBand } from '../model/bands.js';
import type { CodeTree } from '../model/code-tree.js';
import { DEFAULT_TRAIN_OPTIONS, givenOptions, resolveTrainOptions, type TrainOptions } from '../model/options.js';
import type { OutputLayer } from '../model/output-layer.js';

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
  /** A mixture of softmaxes: its projections' rows, then its gates' (see mixture.ts), `stride` floats apart. */
  mixture?: Float32Array;
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
const MODEL_KEYS = ['model', 'loss', 'hsTree', 'activation', 'taylorOrder', 'margin', 'mixture', 'bands', 'dim', 'window', 'negative', 'sharedNegatives'] as const;
/** Options of a run, not of the model: they start from the defaults, not from the model's run. */
const RUN_KEYS = ['workers', 'kernel', 'maxWords', 'maxSeconds'] as const;

/**
 * The options of a run that trains `model` on: the model's own, with the given ones that may
 * change (epochs, alpha, min-count, sample, seed, workers…). A given option that would change
 * the model (its type, loss, dimension, window, tree, bands…) or its vocabulary (--max-vocab,
 * --read-vocab) is refused in one line. A new --alpha without --min-alpha decays to its own floor.
 */
export function continuedOptions(model: ContinuedModel, partial: Partial<TrainOptions>): TrainOptions {
  // The adaptive softmax's rows belong to clusters cut from the counts: merged counts move the
  // cuts and the words between clusters of other widths, so no old row has a place to go.
  if (model.options.loss === 'adaptive') {
    throw new UserError(`${model.source} is an adaptive softmax model, which --init cannot train on (its clusters are cut from the old counts); train a new model, or start one from its vectors with --init-vectors`);
  }
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
 * counts; see keepInnerRows. The differentiated softmax's bands are cut again from the merged
 * ranks, so a word that changes band keeps only the dimensions its new band's block shares with
 * its old one: the rest of its old row was never read in the new band and starts at zero. A
 * mixture's projections and gates belong to no word: they follow the output rows, so they move
 * to their place after the merged vocabulary's rows.
 */
export function applyContinuedModel(
  input: Float32Array,
  output: Float32Array,
  stride: number,
  merged: { vocabulary: Vocabulary; knownIds: Int32Array },
  layer: Pick<OutputLayer, 'tree' | 'bands'>,
  model: ContinuedModel,
): ContinuedSummary {
  const dim = model.options.dim;
  const { knownIds, vocabulary } = merged;
  const { tree } = layer;
  // A word's output row is read in its band's block only; without bands, the whole row is one block.
  const bands = layer.bands ?? singleBand(vocabulary.words.length, dim);
  let band = 0;
  let knownInText = 0;
  knownIds.forEach((k, id) => {
    if (k < 0) return;
    input.set(model.vectors.subarray(k * model.stride, k * model.stride + dim), id * stride);
    if (!tree) {
      // Ids ascend, so the band walks forward with them.
      while (id >= bands[band].endWord) band++;
      const { dimOffset, dims } = bands[band];
      const from = k * model.stride + dimOffset;
      output.set(model.output.subarray(from, from + dims), id * stride + dimOffset);
    }
    if (vocabulary.counts[id] > model.counts[k]) knownInText++;
  });
  if (model.mixture) {
    const first = vocabulary.words.length * stride;
    for (let r = 0; r * model.stride < model.mixture.length; r++) {
      output.set(model.mixture.subarray(r * model.stride, r * model.stride + dim), first + r * stride);
    }
  }
  const known = model.words.length;
  const summary: ContinuedSummary = { source: model.source, known, knownInText, joined: vocabulary.words.length - known };
  if (tree && model.tree) {
    const innerRows = Math.max(1, vocabulary.words.length - 1);
    return { ...summary, innerRowsKept: keepInnerRows(output, stride, tree, merged, model), innerRows };
  }
  return summary;
}

/**
 * The share of a node's predictions (by merged count of the known words under it) whose branch
 * must be the one the old decision gives them, for the node to take the old row.
 */
export const INNER_ROW_AGREEMENT = 0.9;

/** Steps two root-first paths of the old tree share, up to `limit`. */
function sharedSteps(tree: CodeTree, a: number, b: number, limit: number): number {
  const pa = tree.offsets[a];
  const pb = tree.offsets[b];
  let i = 0;
  while (i < limit && tree.points[pa + i] === tree.points[pb + i] && tree.codes[pa + i] === tree.codes[pb + i]) i++;
  return i;
}

/**
 * hs: the tree cannot grow a leaf without changing the paths of others, so it is rebuilt over
 * the merged counts. An inner row is the decision between the words under a node's two
 * branches, so a row of the old tree is kept only where a node of the new tree makes that
 * decision still: for each new node, the old node that is the lowest common ancestor of the
 * known words under it decides, by the old row, which branch each of them takes; where at least
 * {@link INNER_ROW_AGREEMENT} of them (weighted by merged count, so by how many predictions pass
 * there) take the new node's branches as the old node sent them, the new node takes the old
 * row, negated where the two branches swapped sides (σ(-x) = 1 - σ(x)). New words do not count,
 * and a node with known words under one branch only keeps nothing. Every other inner row starts
 * at zero, as in any hs run: a row kept by its place or its code path would be another decision.
 * Returns how many rows were kept.
 */
function keepInnerRows(output: Float32Array, stride: number, tree: CodeTree, merged: { vocabulary: Vocabulary; knownIds: Int32Array }, model: ContinuedModel): number {
  const old = model.tree!;
  const { knownIds } = merged;
  const counts = merged.vocabulary.counts;
  const rows = Math.max(1, knownIds.length - 1);
  const depth = (k: number) => old.offsets[k + 1] - old.offsets[k];
  // First pass: a known word under each new node, and the steps all of them share with it.
  const representative = new Int32Array(rows).fill(-1);
  const shared = new Uint32Array(rows);
  knownIds.forEach((k, w) => {
    if (k < 0) return;
    for (let s = tree.offsets[w]; s < tree.offsets[w + 1]; s++) {
      const r = tree.points[s];
      if (representative[r] < 0) {
        representative[r] = k;
        shared[r] = depth(k);
      } else shared[r] = sharedSteps(old, representative[r], k, shared[r]);
    }
  });
  // Second pass: the weight of the known words that branch as the common ancestor sends them.
  const agreeing = new Float64Array(rows);
  const total = new Float64Array(rows);
  const sides = new Uint8Array(rows);
  knownIds.forEach((k, w) => {
    if (k < 0) return;
    for (let s = tree.offsets[w]; s < tree.offsets[w + 1]; s++) {
      const r = tree.points[s];
      if (shared[r] >= depth(representative[r])) continue;
      sides[r] |= 1 << tree.codes[s];
      total[r] += counts[w];
      if (old.codes[old.offsets[k] + shared[r]] === tree.codes[s]) agreeing[r] += counts[w];
    }
  });
  const dim = model.options.dim;
  let kept = 0;
  for (let r = 0; r < rows; r++) {
    if (sides[r] !== 3) continue;
    const share = agreeing[r] / total[r];
    const sign = share >= INNER_ROW_AGREEMENT ? 1 : share <= 1 - INNER_ROW_AGREEMENT ? -1 : 0;
    if (sign === 0) continue;
    const from = old.points[old.offsets[representative[r]] + shared[r]];
    for (let i = 0; i < dim; i++) output[r * stride + i] = sign * model.output[from * model.stride + i];
    kept++;
  }
  return kept;
}
