import type { TrainOptions } from '../../src/model/options.js';
import { LOSS_CONFIGS, type LossConfig } from '../losses/configs.js';
import type { PartName, StudyResults, StudyRun } from './results.js';
import { runKey } from './results.js';

/** The grid of one study: which runs, on what, how long. --quick shrinks every number. */
export interface StudyPlan {
  sizes: number[];
  models: Array<'sg' | 'cbow'>;
  /** The vocabulary of the quality parts, and their model. */
  qualitySize: number;
  qualityModel: 'sg' | 'cbow';
  /** Seconds each exact-softmax cost run should train for; fast losses get fixed slices. */
  costSeconds: number;
  fastSlice: Record<'sg' | 'cbow', number>;
  /**
   * Runs behind each fast loss's cost cell, the median kept, one per pass over the grid: a slice
   * trains for about a second, so one slow moment of the machine would otherwise set the cell.
   */
  fastRepeats: number;
  /** The equal-time budget (part 2) and the target length of the exact softmax's epoch (part 3). */
  budgetSeconds: number;
  epochSeconds: number;
  pilotWords: number;
  heldOutTokens: number;
  heldOutPredictions: number;
  base: Partial<TrainOptions>;
}

export function makePlan(quick: boolean, workers: number, budgetSeconds?: number): StudyPlan {
  const base: Partial<TrainOptions> = { dim: quick ? 16 : 100, workers, window: 5, seed: 1 };
  if (quick) {
    return {
      sizes: [40, 0], models: ['sg', 'cbow'], qualitySize: 0, qualityModel: 'cbow', costSeconds: 0.05,
      fastSlice: { sg: 3000, cbow: 6000 }, fastRepeats: 3, budgetSeconds: budgetSeconds ?? 0.2, epochSeconds: 0.2, pilotWords: 300,
      heldOutTokens: 500, heldOutPredictions: 100, base,
    };
  }
  return {
    sizes: [1000, 3000, 10_000, 30_000, 0], models: ['sg', 'cbow'], qualitySize: 10_000, qualityModel: 'cbow', costSeconds: 2.5,
    fastSlice: { sg: 500_000, cbow: 1_500_000 }, fastRepeats: 3, budgetSeconds: budgetSeconds ?? 30, epochSeconds: 45, pilotWords: 2000,
    heldOutTokens: 100_000, heldOutPredictions: 2000, base,
  };
}

/** Vocabulary options for a requested size: the most frequent `size` words, or every word. */
export function vocabularyOptions(size: number): Partial<TrainOptions> {
  return size === 0 ? { minCount: 1, maxVocab: 0 } : { minCount: 1, maxVocab: size };
}

export const COST_CONFIGS: readonly LossConfig[] = LOSS_CONFIGS.filter((c) => !c.variantOf);

/** In-vocabulary words trained per second: the unit --max-words counts in. */
export function trainedWordsPerSecond(run: StudyRun): number {
  return run.wordsSeen / run.trainSeconds;
}

/**
 * In-vocabulary words per second expected of an exact loss at `vocabulary` words, from the same loss measured
 * at a smaller vocabulary: its work per prediction is linear in V.
 */
export function extrapolatedRate(results: StudyResults, model: string, id: string, vocabulary: number): number | undefined {
  const earlier = Object.values(results.runs)
    .filter((r) => r.part === 'cost' && r.model === model && r.id === id && r.vocabularySize < vocabulary)
    .sort((a, b) => b.vocabularySize - a.vocabularySize)[0];
  return earlier ? (trainedWordsPerSecond(earlier) * earlier.vocabularySize) / vocabulary : undefined;
}

/** The cost run a quality run's budget is sized from: the same loss (or the one it varies) at the quality vocabulary. */
export function costRunFor(results: StudyResults, plan: StudyPlan, config: LossConfig): StudyRun | undefined {
  return results.runs[runKey('cost', plan.qualityModel, config.variantOf ?? config.id, plan.qualitySize)];
}

export function partOf(key: string): PartName {
  return key.split('/')[0] as PartName;
}
