import { readFileSync } from 'node:fs';
import { definesDistribution, logProbability, predictionInputs } from '../../src/model/output-layer.js';
import type { ModelType } from '../../src/model/options.js';
import type { ModelWeights } from '../../src/train/training-callbacks.js';

/**
 * Bands of the target word's frequency rank in the vocabulary, as Chen et al. 2016 report
 * perplexity: the most frequent 10% of the words, the next 30%, the rest.
 */
export const FREQUENCY_BANDS = [
  { id: 'frequent', label: 'most frequent 10% of words', upTo: 0.1 },
  { id: 'middle', label: 'next 30%', upTo: 0.4 },
  { id: 'rare', label: 'rarest 60%', upTo: 1 },
] as const;
export type BandId = (typeof FREQUENCY_BANDS)[number]['id'];

export interface Perplexities {
  /** exp of the mean -ln P(word | context) over the scored predictions. */
  perplexity: number;
  /** The same over the predictions whose target falls in each frequency band. */
  bands: Record<BandId, { perplexity: number; predictions: number }>;
}

export interface HeldOutScore extends Perplexities {
  predictions: number;
  /** A unigram model of the training counts on the same predictions: the line a model must beat to have learned from context. */
  unigram: Perplexities;
}

/** Held-out texts as vocabulary ids, read once per file and vocabulary. */
const idCache = new Map<string, { words: readonly string[]; ids: number[] }>();

function heldOutIds(file: string, words: readonly string[]): number[] {
  const cached = idCache.get(file);
  if (cached?.words === words) return cached.ids;
  const index = new Map(words.map((word, id) => [word, id]));
  const ids = readFileSync(file, 'utf8')
    .split(/\s+/)
    .map((w) => index.get(w))
    .filter((id): id is number => id !== undefined);
  idCache.set(file, { words, ids });
  return ids;
}

/** Sums of -ln P per band, turned into perplexities. */
class BandTotals {
  private readonly nll = new Float64Array(FREQUENCY_BANDS.length + 1);
  private readonly count = new Float64Array(FREQUENCY_BANDS.length + 1);

  add(band: number, nll: number): void {
    this.nll[band] += nll;
    this.count[band]++;
    this.nll[FREQUENCY_BANDS.length] += nll;
    this.count[FREQUENCY_BANDS.length]++;
  }

  perplexities(): Perplexities {
    const at = (b: number) => ({ perplexity: this.count[b] > 0 ? Math.exp(this.nll[b] / this.count[b]) : NaN, predictions: this.count[b] });
    return {
      perplexity: at(FREQUENCY_BANDS.length).perplexity,
      bands: Object.fromEntries(FREQUENCY_BANDS.map((band, b) => [band.id, at(b)])) as Perplexities['bands'],
    };
  }
}

/**
 * The exact held-out log-likelihood of a model: for evenly spaced positions of the held-out
 * text whose word is in the vocabulary, the model's own prediction of it from its full window
 * (CBOW: the context mean; skip-gram: each context word), under the distribution the output
 * layer defines, overall and by the target's frequency band, beside a unigram model's on the
 * same predictions. Out-of-vocabulary words are skipped as targets and as context, as training
 * skips them. Undefined for negative sampling, whose scores are not a distribution.
 */
export function heldOutLikelihood(model: ModelWeights, kind: ModelType, heldOutFile: string, window: number, maxPredictions: number): HeldOutScore | undefined {
  if (!definesDistribution(model.output.loss)) return undefined;
  const { words, counts } = model.vocabulary;
  const ids = heldOutIds(heldOutFile, words);
  // Frequency rank of every word (the vocabulary is sorted by count, but ties and a given
  // vocabulary need not be), then its band.
  const byCount = Array.from(words.keys()).sort((a, b) => counts[b] - counts[a] || a - b);
  const bandOf = new Uint8Array(words.length);
  byCount.forEach((word, rank) => (bandOf[word] = FREQUENCY_BANDS.findIndex((band) => rank < Math.ceil(band.upTo * words.length))));
  const total = counts.reduce((sum, c) => sum + c, 0);
  const perPosition = kind === 'sg' ? 2 * window : 1;
  const positions = Math.max(1, Math.floor(maxPredictions / perPosition));
  const step = Math.max(1, Math.floor((ids.length - 2 * window) / positions));
  const ours = new BandTotals();
  const unigram = new BandTotals();
  let count = 0;
  for (let position = window; position < ids.length - window && count < maxPredictions; position += step) {
    const target = ids[position];
    for (const h of predictionInputs(kind, ids, position, window, model.vectors, model.stride, model.dim)) {
      ours.add(bandOf[target], -logProbability(model.output, h, target));
      unigram.add(bandOf[target], -Math.log(counts[target] / total));
      count++;
    }
  }
  return { ...ours.perplexities(), predictions: count, unigram: unigram.perplexities() };
}
