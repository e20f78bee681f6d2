import { promises as fsp } from 'node:fs';
import { UserError, errnoCode } from '../base/errors.js';
import type { KernelKind } from '../kernel/kernel.js';
import type { TrainOptions } from '../model/options.js';
import type { EpochTotals } from './checkpoint.js';
import type { ContinuedSummary } from './continued-model.js';
import type { InitialVectorsSummary } from './initial-vectors.js';

// The trainer's report of a run (the library returns it, `w2v train` saves it beside the vectors).

export interface EpochReport {
  epoch: number;
  /** Mean objective per prediction (the report's `objective` says which), measured while training. */
  loss: number;
  /** Predictions made: one per (input vector, target word) pair. */
  predictions: number;
  wordsSeen: number;
  wordsTrained: number;
  seconds: number;
}

export interface TrainingReport {
  options: TrainOptions;
  kernel: KernelKind;
  corpusFiles: string[];
  corpusTokens: number;
  trainingWords: number;
  /** Tokens longer than MAX_TOKEN_BYTES, cut to it. */
  cutTokens: number;
  /** NUL bytes and ill-formed UTF-8 sequences replaced by U+FFFD (--encoding-errors replace). */
  replacedSequences: number;
  vocabularySize: number;
  chunks: number;
  /** Worker threads that trained: `options.workers`, or fewer when the run has fewer tasks. */
  workers: number;
  /** What the per-epoch loss measures: the loss's own objective. */
  objective: string;
  /** Binary decisions per prediction, weighted by word counts (hs only). */
  meanCodeLength?: number;
  /** Wall seconds per phase; the caller adds `export`. */
  seconds: { readAndVocabulary: number; encode: number; train: number; export?: number; index?: number; total?: number };
  /** Corpus tokens (before the min-count cut) trained per second: tokens × epochs / seconds without --max-words. */
  trainWordsPerSecond: number;
  /** Loss history of every epoch so far, across resumes. */
  epochs: EpochReport[];
  /** Checkpoints this run continued from, oldest first (resumed runs only). */
  resumedFrom?: string[];
  /** Training seconds over the whole run, resumes included (resumed runs only; `seconds.train` is this session's). */
  trainSecondsInAll?: number;
  /** Checkpoints this session wrote (when it keeps one). */
  checkpointsWritten?: number;
  /** Present when the run was stopped before its end: where its checkpoint went. */
  stopped?: { checkpoint?: string };
  /** Where the vocabulary was written (TrainingControl.saveVocabulary). */
  savedVocabulary?: string;
  /** The pretrained vectors the run started from, and how many vocabulary words they covered. */
  initVectors?: InitialVectorsSummary;
  /** The model this run trained on, and how many of its words were known and new. */
  continued?: ContinuedSummary;
}

/** An epoch's totals as the report gives them: the mean objective per prediction. */
export function epochReport(totals: EpochTotals): EpochReport {
  const { epoch, lossSum, predictions, wordsSeen, wordsTrained, seconds } = totals;
  return { epoch, loss: predictions > 0 ? lossSum / predictions : 0, predictions, wordsSeen, wordsTrained, seconds };
}

/** What `w2v train` saves beside the vectors: the trainer's report and where the output went. */
export interface SavedTrainingReport extends TrainingReport {
  output: string;
  format: 'bin' | 'text';
  index?: string;
  finishedAt: string;
}

/** The report sits beside the vectors: `vectors.bin` → `vectors.bin.report.json`. */
export function reportPathFor(vectorsPath: string): string {
  return `${vectorsPath}.report.json`;
}

/** The report saved beside a vectors file, or null when there is none (vectors from another tool). */
export async function readTrainingReport(vectorsPath: string): Promise<SavedTrainingReport | null> {
  const file = reportPathFor(vectorsPath);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not valid JSON; train again or remove it`);
  }
  if (!report || typeof report !== 'object' || !Array.isArray((report as TrainingReport).epochs)) {
    throw new UserError(`${file}: not a w2v training report (no epochs); train again or remove it`);
  }
  return report as SavedTrainingReport;
}
