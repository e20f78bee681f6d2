import type { TrainOptions } from '../../src/model/options.js';

/** One output layer as the loss benchmark and the study train it. */
export interface LossConfig {
  /** Stable key, used in results.json and the charts. */
  id: string;
  label: string;
  options: Partial<TrainOptions>;
  /** Normalises over every word: O(V·d) per prediction, timed on a slice of the corpus. */
  exact: boolean;
  /**
   * Costs about the same as another config (a margin changes no work; a Taylor order adds O(V·n)
   * to the O(V·d) passes), or a known multiple of it (a mixture's K): left out of the study's
   * cost, learning-curve and test-time parts, compared at convergence.
   */
  variantOf?: string;
  /**
   * The share of the run's learning rate this loss trains at (1 when absent): a loss whose
   * dense shared rows (a mixture's P_k and gates) take a step at every prediction, where a word's
   * row takes one per occurrence, can need smaller steps than the rest to train stably.
   */
  rate?: number;
}

export const LOSS_CONFIGS: readonly LossConfig[] = [
  { id: 'softmax', label: 'softmax', options: { loss: 'softmax' }, exact: true },
  { id: 'sigsoftmax', label: 'sigsoftmax', options: { loss: 'softmax', activation: 'sig' }, exact: true },
  { id: 'taylor', label: 'Taylor softmax', options: { loss: 'softmax', activation: 'taylor' }, exact: true },
  { id: 'softmax-margin', label: 'soft-margin softmax (m 1)', options: { loss: 'softmax', margin: 1 }, exact: true, variantOf: 'softmax' },
  { id: 'taylor4', label: 'Taylor softmax, order 4', options: { loss: 'softmax', activation: 'taylor', taylorOrder: 4 }, exact: true, variantOf: 'taylor' },
  { id: 'taylor6', label: 'Taylor softmax, order 6', options: { loss: 'softmax', activation: 'taylor', taylorOrder: 6 }, exact: true, variantOf: 'taylor' },
  { id: 'taylor10', label: 'Taylor softmax, order 10', options: { loss: 'softmax', activation: 'taylor', taylorOrder: 10 }, exact: true, variantOf: 'taylor' },
  { id: 'sm-taylor', label: 'SM-Taylor softmax (m 1)', options: { loss: 'softmax', activation: 'taylor', margin: 1 }, exact: true, variantOf: 'taylor' },
  { id: 'dsoftmax', label: 'differentiated softmax', options: { loss: 'dsoftmax' }, exact: true },
  // K softmax passes per prediction: each costs about K times the softmax, so the study times and
  // draws the mixture of 2 only, and compares the others where quality is compared (the loss
  // bench times them all). A quarter of the rate: at the others' (CBOW 0.02, V = 2,000, 20 epochs
  // over 100,000 tokens) the mixture of 2's held-out perplexity swung between 206 and 306 from
  // epoch to epoch, at a quarter it fell every epoch; scaling the P_k steps alone by 0.1 steadied
  // it too, the gates' alone did not.
  { id: 'mixture2', label: 'mixture of 2 softmaxes', options: { loss: 'softmax', mixture: 2 }, exact: true, rate: 0.25 },
  { id: 'mixture4', label: 'mixture of 4 softmaxes', options: { loss: 'softmax', mixture: 4 }, exact: true, variantOf: 'mixture2', rate: 0.25 },
  { id: 'mixture2-sig', label: 'mixture of 2 sigsoftmaxes', options: { loss: 'softmax', activation: 'sig', mixture: 2 }, exact: true, variantOf: 'mixture2', rate: 0.25 },
  { id: 'hs', label: 'hs (Huffman)', options: { loss: 'hs' }, exact: false },
  { id: 'hs-balanced', label: 'hs (balanced)', options: { loss: 'hs', hsTree: 'balanced' }, exact: false },
  { id: 'ns', label: 'negative sampling', options: { loss: 'ns' }, exact: false },
  { id: 'nce', label: 'NCE', options: { loss: 'nce' }, exact: false },
  { id: 'sampled', label: 'sampled softmax', options: { loss: 'sampled' }, exact: false },
  // Its head costs O(head · d) per prediction, which grows with V: timed like the exact losses.
  { id: 'adaptive', label: 'adaptive softmax (cut by frequency)', options: { loss: 'adaptive' }, exact: true },
];

/**
 * The adaptive softmax at two fixed cuts of a 10,000-word vocabulary, for the loss benchmark
 * only: the study's vocabularies run from 1,000 words, where these cuts do not exist.
 */
export const ADAPTIVE_CONFIGS: readonly LossConfig[] = [
  { id: 'adaptive-2000', label: 'adaptive softmax (cutoffs 2000)', options: { loss: 'adaptive', cutoffs: [2000] }, exact: true, variantOf: 'adaptive' },
  { id: 'adaptive-1000-4000', label: 'adaptive softmax (cutoffs 1000,4000)', options: { loss: 'adaptive', cutoffs: [1000, 4000] }, exact: true, variantOf: 'adaptive' },
];

/** What `npm run bench:losses` can run. */
export const BENCH_CONFIGS: readonly LossConfig[] = [...LOSS_CONFIGS, ...ADAPTIVE_CONFIGS];

export function findConfig(id: string): LossConfig {
  const config = LOSS_CONFIGS.find((c) => c.id === id);
  if (!config) throw new Error(`unknown loss config ${id}`);
  return config;
}

/**
 * Multiply-adds of the exact softmax losses per prediction, counted as flops: the score pass
 * (2 per weight) and the fused update (error += g·out, out += g·h: 4 per weight), over each
 * band's words × its block width, once per component of a mixture. Activations and
 * normalisation are O(V), a mixture's projections O(K·d²): not counted.
 */
export function exactFlopsPerPrediction(bands: ReadonlyArray<{ firstWord: number; endWord: number; dims: number }>, components = 1): number {
  return components * bands.reduce((sum, b) => sum + 6 * (b.endWord - b.firstWord) * b.dims, 0);
}
