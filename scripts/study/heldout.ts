import { readFileSync } from 'node:fs';
import { definesDistribution, logProbability, predictionInputs } from '../../src/model/output-layer.js';
import type { TrainedModel } from '../../src/train/trainer.js';

export interface HeldOutScore {
  /** Mean -ln P(word | context) over the scored predictions (nats). */
  nllPerPrediction: number;
  perplexity: number;
  predictions: number;
}

/**
 * The exact held-out log-likelihood of a trained model: for evenly spaced positions of the
 * held-out text whose word is in the vocabulary, the model's own prediction of it from its
 * full window (CBOW: the context mean; skip-gram: each context word), under the distribution the
 * output layer defines. Out-of-vocabulary words are skipped as targets and as context, as
 * training skips them. Undefined for negative sampling, whose scores are not a distribution.
 */
export function heldOutLikelihood(model: TrainedModel, heldOutFile: string, window: number, maxPredictions: number): HeldOutScore | undefined {
  if (!definesDistribution(model.output.loss)) return undefined;
  const index = new Map(model.vocabulary.words.map((word, id) => [word, id]));
  const ids = readFileSync(heldOutFile, 'utf8')
    .split(/\s+/)
    .map((w) => index.get(w))
    .filter((id): id is number => id !== undefined);
  const { model: kind } = model.report.options;
  const perPosition = kind === 'sg' ? 2 * window : 1;
  const positions = Math.max(1, Math.floor(maxPredictions / perPosition));
  const step = Math.max(1, Math.floor((ids.length - 2 * window) / positions));
  let total = 0;
  let count = 0;
  for (let position = window; position < ids.length - window && count < maxPredictions; position += step) {
    const inputs = predictionInputs(kind, ids, position, window, model.vectors, model.stride, model.dim);
    for (const h of inputs) {
      total -= logProbability(model.output, h, ids[position]);
      count++;
    }
  }
  const nll = count > 0 ? total / count : NaN;
  return { nllPerPrediction: nll, perplexity: Math.exp(nll), predictions: count };
}
