import { DotKernel } from '../../src/query/dot-kernel.js';
import { Random } from '../../src/base/random.js';
import { trainEmbeddings, type TrainedModel } from '../../src/train/trainer.js';
import { DEFAULT_TRAIN_OPTIONS, defaultAlpha, type TrainOptions } from '../../src/model/options.js';
import type { TrainingControl } from '../../src/train/training-callbacks.js';
import { exactFlopsPerPrediction, type LossConfig } from './configs.js';

export interface LossRun {
  id: string;
  model: 'sg' | 'cbow';
  vocabularySize: number;
  wordsSeen: number;
  predictions: number;
  trainSeconds: number;
  /** Corpus words per second of training, as C word2vec and gensim count them. */
  wordsPerSecond: number;
  /** Mean objective per prediction over the run. */
  loss: number;
  objective: string;
  meanCodeLength?: number;
  /** Exact losses: the score and update passes' arithmetic rate. */
  gflops?: number;
}

/** Trains one configuration and measures it; the trained model is handed back for scoring. */
export async function runLoss(
  corpus: string,
  config: LossConfig,
  options: Partial<TrainOptions>,
  control: TrainingControl = {},
): Promise<{ run: LossRun; model: TrainedModel }> {
  const settings = { ...options, ...config.options };
  if (config.rate !== undefined) settings.alpha = (settings.alpha ?? defaultAlpha(settings.model ?? DEFAULT_TRAIN_OPTIONS.model)) * config.rate;
  const model = await trainEmbeddings([corpus], settings, {}, control);
  const { report } = model;
  const predictions = report.epochs.reduce((s, e) => s + e.predictions, 0);
  const lossSum = report.epochs.reduce((s, e) => s + e.loss * e.predictions, 0);
  const run: LossRun = {
    id: config.id,
    model: report.options.model,
    vocabularySize: report.vocabularySize,
    wordsSeen: report.epochs.reduce((s, e) => s + e.wordsSeen, 0),
    predictions,
    trainSeconds: report.seconds.train,
    wordsPerSecond: report.trainWordsPerSecond,
    loss: predictions > 0 ? lossSum / predictions : 0,
    objective: report.objective,
    meanCodeLength: report.meanCodeLength,
  };
  if (config.exact && model.output.bands) {
    run.gflops = (predictions * exactFlopsPerPrediction(model.output.bands, model.output.mixture?.components)) / report.seconds.train / 1e9;
  }
  return { run, model };
}

/**
 * The search kernel's rate on the same shape (V rows of `dim`), for comparison with the exact
 * softmax: 2·V·dim flops per query, best of a few timed blocks.
 */
export function dotKernelGflops(rows: number, dim: number): number | undefined {
  const random = new Random(3);
  const matrix = Float32Array.from({ length: rows * dim }, () => random.nextFloat() - 0.5);
  const kernel = DotKernel.create(matrix, rows, dim);
  if (!kernel) return undefined;
  const query = matrix.slice(0, dim);
  let best = Infinity;
  const queries = Math.max(20, Math.ceil(2e9 / (rows * dim * 2) / 10));
  for (let block = 0; block < 5; block++) {
    const start = performance.now();
    for (let q = 0; q < queries; q++) kernel.dots(query);
    best = Math.min(best, (performance.now() - start) / 1000 / queries);
  }
  return (2 * rows * dim) / best / 1e9;
}
