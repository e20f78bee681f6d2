import { UserError } from '../base/errors.js';
import { paddedStride } from './row-stride.js';

/**
 * The adaptive softmax's clusters (Grave et al. 2016): the head holds the `shortlist` most
 * frequent words and one entry per tail cluster; tail cluster i holds the next words, scored in
 * a dimension divided by div^(i+1). All of its weights are one block of floats, in this order:
 *   head         (shortlist + clusters) rows × the model's stride   words first, then one row per cluster
 *   projections  per cluster, dim_i rows × the model's stride        row r gives coordinate r of h_i = P_i x
 *   tails        per cluster, its words × stride_i                   stride_i = dim_i padded to 4 floats
 * padded to a whole number of the model's rows, so that a worker's private copy is whole rows.
 */
export interface AdaptiveCluster {
  /** Words firstWord..endWord-1 (vocabulary order, most frequent first). */
  firstWord: number;
  endWord: number;
  /** The projected dimension, and the floats from one of its rows to the next. */
  dim: number;
  stride: number;
  /** Float offsets in the block: its projection's first row, its first word's row. */
  projection: number;
  rows: number;
}

export interface AdaptiveLayout {
  /** Words 0..shortlist-1 are scored by the head directly. */
  shortlist: number;
  clusters: AdaptiveCluster[];
  /** Floats in the block, a multiple of the model's stride. */
  floats: number;
}

/** PyTorch's default: each tail's dimension is the previous one's divided by 4. */
export const DEFAULT_DIV_VALUE = 4;

/**
 * Shares of the corpus's tokens the default cuts fall at: the head covers the words that make
 * 80% of the tokens, the first tail the next 15%, the last tail the rest. Cut by frequency, not
 * by word count, so that the same rule suits any vocabulary: the head (scored on every
 * prediction) stays a small part of it under Zipf's law, and 80% of predictions need the head alone.
 */
const DEFAULT_CUT_SHARES = [0.8, 0.95];

/** The default cutoffs for a vocabulary's counts (most frequent first): each cut where its share of the tokens is reached. */
export function defaultCutoffs(counts: ArrayLike<number>): number[] {
  const V = counts.length;
  let total = 0;
  for (let j = 0; j < V; j++) total += counts[j];
  const cutoffs: number[] = [];
  let covered = 0;
  let j = 0;
  for (const share of DEFAULT_CUT_SHARES) {
    while (j < V && covered < share * total) covered += counts[j++];
    // Every part keeps at least one word: a cut at 0, at V or at the previous cut is dropped.
    const previous = cutoffs.length > 0 ? cutoffs[cutoffs.length - 1] : 0;
    if (j > previous && j < V) cutoffs.push(j);
  }
  return cutoffs;
}

/** Tail i's dimension: dim / div^(i+1), rounded to the nearest integer, at least 1. */
export function tailDimension(dim: number, divValue: number, tail: number): number {
  return Math.max(1, Math.round(dim / divValue ** (tail + 1)));
}

/**
 * Lays out the clusters for `cutoffs` (increasing, each below the vocabulary size: the first is
 * the head's word count, each next one where a tail cluster ends; checked by
 * validateCutoffs). A cutoff at or above the vocabulary size would leave a cluster empty: that is a one-line error.
 */
export function planAdaptive(vocabSize: number, dim: number, cutoffs: readonly number[], divValue: number): AdaptiveLayout {
  const stride = paddedStride(dim);
  const last = cutoffs.length > 0 ? cutoffs[cutoffs.length - 1] : 0;
  if (last >= vocabSize) {
    throw new UserError(`--cutoffs: ${last} is not below the vocabulary size ${vocabSize}, so its cluster would be empty; give cutoffs below ${vocabSize} or drop --cutoffs for the default`);
  }
  // No cutoffs (a vocabulary too small to cut): the head is every word, an exact softmax.
  const ends = cutoffs.length > 0 ? [...cutoffs.slice(1), vocabSize] : [];
  const shortlist = cutoffs.length > 0 ? cutoffs[0] : vocabSize;
  let at = (shortlist + ends.length) * stride;
  const dims = ends.map((_, i) => tailDimension(dim, divValue, i));
  const projections = dims.map((d) => {
    const offset = at;
    at += d * stride;
    return offset;
  });
  const clusters = ends.map((endWord, i) => {
    const firstWord = i === 0 ? shortlist : ends[i - 1];
    const tailStride = paddedStride(dims[i]);
    const rows = at;
    at += (endWord - firstWord) * tailStride;
    return { firstWord, endWord, dim: dims[i], stride: tailStride, projection: projections[i], rows };
  });
  return { shortlist, clusters, floats: Math.ceil(at / stride) * stride };
}

/** The tail cluster of a word, or -1 for a word of the head. */
export function clusterOf(layout: AdaptiveLayout, word: number): number {
  return word < layout.shortlist ? -1 : layout.clusters.findIndex((c) => word < c.endWord);
}

/** Parses `--cutoffs 2000,10000`. */
export function parseCutoffs(text: string): number[] {
  return text.split(',').map((part) => {
    const value = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(value)) throw new UserError(`--cutoffs: cannot read ${JSON.stringify(part)}; give word counts, for example 2000,10000`);
    return value;
  });
}

/** The checks that need no vocabulary: positive integers, strictly increasing. */
export function validateCutoffs(cutoffs: readonly number[]): void {
  if (!Array.isArray(cutoffs) || cutoffs.length === 0) throw new UserError('--cutoffs needs at least one word count, for example 2000,10000');
  cutoffs.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 1) throw new UserError(`--cutoffs: every cutoff must be a whole number of words, at least 1, got ${c}`);
    if (i > 0 && c <= cutoffs[i - 1]) {
      throw new UserError(`--cutoffs must increase (${cutoffs[i - 1]} then ${c} would leave a cluster empty), for example 2000,10000`);
    }
  });
}
