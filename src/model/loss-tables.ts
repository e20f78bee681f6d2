import { defaultCutoffs, planAdaptive, type AdaptiveLayout } from './adaptive-clusters.js';
import { buildAliasTable, logExpectedNoiseCounts, type AliasTable } from './alias-table.js';
import { buildBalancedTree } from './balanced-tree.js';
import { planBands, singleBand, type BandLayout } from './bands.js';
import type { CodeTree } from './code-tree.js';
import { buildHuffmanTree } from './huffman.js';
import { CORRECTED_LOSSES, SAMPLING_LOSSES, type TrainOptions } from './options.js';

/** The read-only tables an output layer needs beside its weights; a loss gets only its own. */
export interface LossTables {
  /** hs: Huffman or balanced code tree */
  tree?: CodeTree;
  /** softmax: one band of everything; dsoftmax: the frequency bands; else empty */
  bands: BandLayout[];
  /** ns, nce, sampled: the unigram^0.75 noise table */
  aliasTable?: AliasTable;
  /** nce, sampled: log(k·q(w)) */
  noiseLog?: Float32Array;
  /** adaptive: the head, the clusters and where their weights lie */
  adaptive?: AdaptiveLayout;
}

/** Builds them from the vocabulary's counts (most frequent first). */
export function buildLossTables(
  options: Pick<TrainOptions, 'loss' | 'hsTree' | 'bands' | 'dim' | 'negative' | 'cutoffs' | 'divValue'>,
  counts: Float64Array,
): LossTables {
  const { loss } = options;
  const V = counts.length;
  let tree: CodeTree | undefined;
  if (loss === 'hs') tree = options.hsTree === 'balanced' ? buildBalancedTree(V) : buildHuffmanTree(counts);
  const bands = loss === 'softmax' ? singleBand(V, options.dim) : loss === 'dsoftmax' ? planBands(V, options.dim, options.bands) : [];
  return {
    tree,
    bands,
    aliasTable: SAMPLING_LOSSES.includes(loss) ? buildAliasTable(counts) : undefined,
    noiseLog: CORRECTED_LOSSES.includes(loss) ? logExpectedNoiseCounts(counts, options.negative) : undefined,
    adaptive: loss === 'adaptive' ? planAdaptive(V, options.dim, options.cutoffs ?? defaultCutoffs(counts), options.divValue) : undefined,
  };
}
