import { LOSS_CONFIGS } from '../losses/configs.js';
import type { TestTimeCell } from '../losses/test-time.js';
import { FREQUENCY_BANDS, type BandId, type Perplexities } from './heldout.js';
import { testTimeKey, type CurvePoint, type PartName, type StudyResults, type StudyRun } from './results.js';

/** Values over seeds. */
export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: number[]): Spread {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, min: Math.min(...values), max: Math.max(...values), n };
}

export interface Converged {
  perplexity: Spread;
  /** Each seed's epoch of best held-out perplexity. */
  bestEpochs: number[];
  /** Epochs trained. */
  epochs: number;
  bands: Record<BandId, Spread>;
}

/** The points of a run's curve that have a held-out score (negative sampling's have none). */
function scoredPoints(run: StudyRun): CurvePoint[] {
  return (run.curve ?? []).filter((p) => p.heldOut);
}

/** Lookups over results.json that the document and its literature comparison share. */
export class Facts {
  constructor(readonly results: StudyResults) {}

  runs(part: PartName, model?: string): StudyRun[] {
    return Object.values(this.results.runs).filter((r) => r.part === part && (model === undefined || r.model === model));
  }

  /** Vocabulary sizes measured in part 1, ascending. */
  sizes(model: string): number[] {
    return [...new Set(this.runs('cost', model).map((r) => r.vocabularySize))].sort((a, b) => a - b);
  }

  largest(model: string): number | undefined {
    return this.sizes(model).at(-1);
  }

  cost(model: string, id: string, vocabulary: number): StudyRun | undefined {
    return this.runs('cost', model).find((r) => r.id === id && r.vocabularySize === vocabulary);
  }

  /** words/s of `id` over the exact softmax's, same model and vocabulary. */
  speedUp(model: string, id: string, vocabulary: number | undefined): number | undefined {
    if (vocabulary === undefined) return undefined;
    const run = this.cost(model, id, vocabulary);
    const softmax = this.cost(model, 'softmax', vocabulary);
    return run && softmax ? run.wordsPerSecond / softmax.wordsPerSecond : undefined;
  }

  /** The learning-curve run of a loss. */
  curve(id: string): StudyRun | undefined {
    return this.runs('curves').find((r) => r.id === id);
  }

  /** A loss's held-out perplexity at the end of its learning curve. */
  curveEnd(id: string): number | undefined {
    return this.curve(id)?.curve?.at(-1)?.heldOut?.perplexity;
  }

  /** The unigram model's held-out perplexity on a part's predictions (the same for every loss of the part). */
  unigram(part: 'curves' | 'convergence'): Perplexities | undefined {
    for (const run of this.runs(part)) {
      const point = run.curve?.find((p) => p.heldOut);
      if (point?.heldOut) return point.heldOut.unigram;
    }
    return undefined;
  }

  /** The convergence runs of a loss, one per seed, in seed order. */
  seeds(id: string): StudyRun[] {
    return this.runs('convergence').filter((r) => r.id === id).sort((a, b) => a.seed - b.seed);
  }

  /**
   * A loss at convergence over its seeds: each seed's epoch of best held-out perplexity and
   * that perplexity (overall and per frequency band), with their spread.
   */
  converged(id: string): Converged | undefined {
    const best = this.seeds(id).flatMap((run) => {
      const scored = scoredPoints(run);
      if (scored.length === 0) return [];
      const point = scored.reduce((a, b) => (b.heldOut!.perplexity < a.heldOut!.perplexity ? b : a));
      return [{ epoch: point.epochsDone, last: scored.at(-1)!.epochsDone, heldOut: point.heldOut! }];
    });
    if (best.length === 0) return undefined;
    const bands = Object.fromEntries(FREQUENCY_BANDS.map((band) => [band.id, spread(best.map((b) => b.heldOut.bands[band.id].perplexity))])) as Converged['bands'];
    return { perplexity: spread(best.map((b) => b.heldOut.perplexity)), bestEpochs: best.map((b) => b.epoch), epochs: best[0].last, bands };
  }

  /**
   * Whether the convergence part's runs levelled off: the share by which the softmax's last epoch
   * still lowered its held-out perplexity (mean over seeds), and how many losses were at their
   * best at the last epoch. A last epoch that gains less than 1% counts as levelled off.
   */
  levelling(): { softmaxLastGain: number; bestAtLast: number; losses: number; levelled: boolean } | undefined {
    const gains = this.seeds('softmax').flatMap((run) => {
      const scored = scoredPoints(run);
      return scored.length >= 2 ? [1 - scored.at(-1)!.heldOut!.perplexity / scored.at(-2)!.heldOut!.perplexity] : [];
    });
    if (gains.length === 0) return undefined;
    const converged = LOSS_CONFIGS.flatMap((c) => {
      const x = this.converged(c.id);
      return x ? [x] : [];
    });
    const bestAtLast = converged.filter((x) => x.bestEpochs.every((e) => e === x.epochs)).length;
    const softmaxLastGain = gains.reduce((a, b) => a + b, 0) / gains.length;
    return { softmaxLastGain, bestAtLast, losses: converged.length, levelled: softmaxLastGain < 0.01 };
  }

  /** The test-time cell of a method at a vocabulary size (0: the whole vocabulary). */
  testTime(method: string, size: number): TestTimeCell | undefined {
    return this.results.testTime?.[testTimeKey(method, size)];
  }

  /** Vocabulary sizes (as asked) of the test-time part, smallest first, the whole vocabulary last. */
  testTimeSizes(): number[] {
    const sizes = new Set(Object.keys(this.results.testTime ?? {}).map((key) => Number(key.split('/')[2])));
    return [...sizes].sort((a, b) => (a === 0 ? 1 : b === 0 ? -1 : a - b));
  }

  label(id: string): string {
    return LOSS_CONFIGS.find((c) => c.id === id)?.label ?? id;
  }
}

export function times(x: number | undefined): string {
  if (x === undefined) return 'n/a';
  return x >= 10 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`;
}

/** A speed ratio (ours over a baseline's rate) in words: "3.2× faster", "2.0× slower", "as fast". */
export function speedAgainst(x: number | undefined): string {
  if (x === undefined) return 'n/a';
  if (x >= 0.95 && x <= 1.05) return 'as fast';
  return x > 1 ? `${times(x)} faster` : `${times(1 / x)} slower`;
}

/** How far `ours` lies from `base`, as a share of `base`: "4% lower", "12% higher". */
export function percentFrom(ours: number, base: number): string {
  const share = Math.abs(ours / base - 1) * 100;
  // Below 1%, one decimal: "0% higher" would read as no difference.
  return `${share < 1 ? share.toFixed(1) : Math.round(share)}% ${ours < base ? 'lower' : 'higher'}`;
}

export function count(x: number | undefined): string {
  return x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US');
}

/** Better, worse, or within the seeds' spread: the ranges of the two over the seeds overlap. */
export function againstSoftmax(c: Converged, softmax: Converged): string {
  if (c.perplexity.max < softmax.perplexity.min) return `better (${percentFrom(c.perplexity.mean, softmax.perplexity.mean)})`;
  if (c.perplexity.min > softmax.perplexity.max) return `worse (${percentFrom(c.perplexity.mean, softmax.perplexity.mean)})`;
  return 'within the seeds\' spread';
}

/** "123.4 ± 5.6" (mean ± sd over seeds; the mean alone for one seed). */
export function meanSd(x: Spread | undefined, digits = 1): string {
  if (!x) return 'n/a';
  return x.n > 1 ? `${x.mean.toFixed(digits)} ± ${x.sd.toFixed(digits)}` : x.mean.toFixed(digits);
}

export function decimal(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined ? 'n/a' : x.toFixed(digits);
}
