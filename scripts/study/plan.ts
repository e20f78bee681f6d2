import type { TrainOptions } from '../../src/model/options.js';
import { LOSS_CONFIGS, type LossConfig } from '../losses/configs.js';

/** The grid of one study: which runs, on what, how long. --quick shrinks every number. */
export interface StudyPlan {
  /** Part 1, cost: vocabulary sizes and models. */
  sizes: number[];
  models: Array<'sg' | 'cbow'>;
  /** Seconds each exact-softmax cost run should train for; fast losses get fixed slices. */
  costSeconds: number;
  fastSlice: Record<'sg' | 'cbow', number>;
  /**
   * Runs behind each fast loss's cost cell, the median kept, one per pass over the grid: a slice
   * trains for about a second, so one slow moment of the machine would otherwise set the cell.
   */
  fastRepeats: number;
  pilotWords: number;
  heldOutTokens: number;
  /**
   * Part 2, learning curves: every loss that is not a variant of another trains once for
   * `budgetSeconds` at `size` words (cost part's model and dimension), evaluated at `evaluateAt`
   * training seconds and at its end.
   */
  curves: { model: 'sg' | 'cbow'; size: number; budgetSeconds: number; evaluateAt: number[]; predictions: number };
  /**
   * Part 3, convergence: every loss, `epochs` epochs over the first `sliceTokens` tokens at
   * `size` words and learning rate `alpha` (times a loss's own rate), evaluated after each
   * epoch, once per seed. Part 4 (frequency) reads its runs.
   */
  convergence: { model: 'sg' | 'cbow'; size: number; dim: number; sliceTokens: number; epochs: number; alpha: number; seeds: number[]; predictions: number };
  /** Part 5, test time: vocabulary sizes, and the settings of scripts/losses/test-time.ts. */
  predict: { sizes: number[]; queries: number; agreementQueries: number; k: number };
  base: Partial<TrainOptions>;
}

/**
 * What the parts that score held-out perplexity train with beside `base`: no subsampling of
 * frequent words, since the perplexity counts every token and a model trained on a subsampled
 * stream learns to underrate the frequent words (below the unigram model).
 */
export const LIKELIHOOD_OPTIONS: Partial<TrainOptions> = { sample: 0 };

/** Training seconds from `first` to `last`, doubling: the points of a log-scaled time axis. */
export function logSpaced(first: number, last: number): number[] {
  const points: number[] = [];
  for (let t = first; t < last; t *= 2) points.push(Number(t.toPrecision(3)));
  return points;
}

export function makePlan(quick: boolean, workers: number, budgetSeconds?: number): StudyPlan {
  const base: Partial<TrainOptions> = { dim: quick ? 16 : 100, workers, window: 5, seed: 1 };
  if (quick) {
    const budget = budgetSeconds ?? 0.25;
    // Small vocabularies and a small slice, whatever the corpus: a check in a minute or two.
    return {
      sizes: [40, 200], models: ['sg', 'cbow'], costSeconds: 0.05, fastSlice: { sg: 3000, cbow: 6000 }, fastRepeats: 3, pilotWords: 300,
      heldOutTokens: 500,
      curves: { model: 'cbow', size: 200, budgetSeconds: budget, evaluateAt: logSpaced(budget / 8, budget), predictions: 100 },
      convergence: { model: 'cbow', size: 200, dim: 16, sliceTokens: 20_000, epochs: 2, alpha: 0.02, seeds: [1, 2], predictions: 300 },
      predict: { sizes: [40, 200], queries: 50, agreementQueries: 10, k: 10 },
      base,
    };
  }
  const budget = budgetSeconds ?? 90;
  return {
    sizes: [1000, 3000, 10_000, 30_000, 0], models: ['sg', 'cbow'], costSeconds: 2.5,
    fastSlice: { sg: 500_000, cbow: 1_500_000 }, fastRepeats: 3, pilotWords: 2000,
    heldOutTokens: 100_000,
    curves: { model: 'cbow', size: 10_000, budgetSeconds: budget, evaluateAt: logSpaced(1, budget), predictions: 800 },
    // Measured before choosing (softmax, seed 1): at CBOW's default rate, 0.05, its held-out
    // perplexity rose and fell from epoch to epoch over a 50,000-token slice, and 10 epochs over
    // 100,000 tokens (dimension 50) still gained 5.6% in the last; at 0.02, 20 epochs over
    // 80,000 tokens leave it flat over the last three (207, 207, 207).
    convergence: { model: 'cbow', size: 2000, dim: 32, sliceTokens: 80_000, epochs: 20, alpha: 0.02, seeds: [1, 2, 3], predictions: 2000 },
    predict: { sizes: [1000, 3000, 10_000, 30_000, 0], queries: 300, agreementQueries: 30, k: 10 },
    base,
  };
}

/** Vocabulary options for a requested size: the most frequent `size` words, or every word. */
export function vocabularyOptions(size: number): Partial<TrainOptions> {
  return size === 0 ? { minCount: 1, maxVocab: 0 } : { minCount: 1, maxVocab: size };
}

export const COST_CONFIGS: readonly LossConfig[] = LOSS_CONFIGS.filter((c) => !c.variantOf);

/**
 * Losses that get a learning curve: the same as part 1's, since a variant (a margin, another
 * Taylor order) differs in quality only, which the convergence part compares.
 */
export const CURVE_CONFIGS = COST_CONFIGS;
