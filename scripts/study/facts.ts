import { LOSS_CONFIGS } from '../losses/configs.js';
import type { PartName, StudyResults, StudyRun } from './results.js';

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

  quality(part: 'time' | 'epochs', id: string): StudyRun | undefined {
    return this.runs(part).find((r) => r.id === id);
  }

  /** The loss with the best value of a quality metric (lowest perplexity, highest otherwise). */
  best(part: 'time' | 'epochs', metric: 'analogy' | 'ws353' | 'mturk' | 'perplexity'): StudyRun | undefined {
    const scored = this.runs(part).filter((r) => typeof r.quality?.[metric] === 'number');
    const sign = metric === 'perplexity' ? -1 : 1;
    return scored.sort((a, b) => sign * ((b.quality![metric] as number) - (a.quality![metric] as number)))[0];
  }

  label(id: string): string {
    return LOSS_CONFIGS.find((c) => c.id === id)?.label ?? id;
  }
}

export function times(x: number | undefined): string {
  if (x === undefined) return 'n/a';
  return x >= 10 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`;
}

export function count(x: number | undefined): string {
  return x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US');
}

export function decimal(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined ? 'n/a' : x.toFixed(digits);
}
