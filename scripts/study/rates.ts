import type { LossConfig } from '../losses/configs.js';
import type { StudyPlan } from './plan.js';
import { runKey, type StudyResults, type StudyRun } from './results.js';

// Training rates read from part 1's runs: what sizes the exact losses' slices and the learning
// curves' learning-rate plans.

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

/** The cost run a learning curve's learning-rate plan is sized from: the same loss at the curves' vocabulary. */
export function costRunFor(results: StudyResults, plan: StudyPlan, config: LossConfig): StudyRun | undefined {
  return results.runs[runKey('cost', plan.curves.model, config.variantOf ?? config.id, plan.curves.size)];
}

