import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LossRun } from '../losses/measure.js';
import type { TestTimeCell } from '../losses/test-time.js';
import type { HeldOutScore } from './heldout.js';
import type { StudyPlan } from './plan.js';

/** The parts that train or measure; the frequency bands are read from the convergence runs. */
export type PartName = 'cost' | 'curves' | 'convergence' | 'predict';

export interface Quality {
  analogy: number | null;
  ws353: number | null;
  mturk: number | null;
}

/** One evaluation of a training model: where training had got, and the held-out score there (absent for ns). */
export interface CurvePoint {
  trainSeconds: number;
  wordsSeen: number;
  epochsDone: number;
  heldOut?: HeldOutScore;
}

export interface StudyRun extends LossRun {
  part: PartName;
  /** Requested vocabulary size (0: every word of the corpus). */
  sizeAsked: number;
  /** Corpus words the run was given (its slice or budget). */
  wordsBudget: number;
  epochs: number;
  seed: number;
  /** Word-similarity scores of the final model (learning curves only). */
  quality?: Quality;
  /** Held-out scores while training: at log-spaced training seconds (curves), after every epoch (convergence). */
  curve?: CurvePoint[];
  /** Seconds the evaluations took, outside the training time. */
  evaluationSeconds?: number;
  /** Wall seconds of the whole step: reading, training, scoring (of the run kept). */
  stepSeconds: number;
  /** A cell measured more than once: corpus words/s of every run, in order; the median one is kept. */
  repeats?: number[];
  /** Those runs themselves, so that a later pass can add one and keep the median of all. */
  repeatRuns?: StudyRun[];
  finishedAt: string;
}

export interface StudyResults {
  version: 2;
  corpus: string;
  corpusDigest: string;
  quick: boolean;
  /** The grid the runs were measured on (scripts/study/plan.ts). */
  plan: StudyPlan;
  settings: Record<string, unknown>;
  machine: { cpus: number; cpuModel: string; node: string };
  /** Wall seconds each part took in the runs that produced these results. */
  partSeconds: Partial<Record<PartName, number>>;
  runs: Record<string, StudyRun>;
  /** The test-time part: one cell per method and vocabulary size, keyed by testTimeKey. */
  testTime: Record<string, TestTimeCell & { stepSeconds: number }>;
}

/** How many runs a cell holds. */
export function repeatCount(run: StudyRun): number {
  return run.repeatRuns?.length ?? run.repeats?.length ?? 1;
}

/** The cell with `next` added to `previous`'s runs: the run of median words/s among them (the lower one of two), with all of them. */
export function withRepeat(previous: StudyRun | undefined, next: StudyRun): StudyRun {
  const bare = ({ repeats: _rates, repeatRuns: _runs, ...run }: StudyRun): StudyRun => run;
  const runs = [...(previous ? previous.repeatRuns ?? [previous] : []), next].map(bare);
  if (runs.length === 1) return runs[0];
  const byRate = [...runs].sort((a, b) => a.wordsPerSecond - b.wordsPerSecond);
  return { ...byRate[Math.floor((runs.length - 1) / 2)], repeats: runs.map((r) => r.wordsPerSecond), repeatRuns: runs };
}

export function runKey(part: PartName, model: string, id: string, size: number, seed?: number): string {
  return `${part}/${model}/${id}/${size}${seed === undefined ? '' : `/seed${seed}`}`;
}

export function testTimeKey(method: string, size: number): string {
  return `predict/${method}/${size}`;
}

/** Results of this edition's format, or none (an older file is not resumed from). */
export function loadResults(file: string): StudyResults | undefined {
  if (!existsSync(file)) return undefined;
  const results = JSON.parse(readFileSync(file, 'utf8')) as StudyResults;
  return results.version === 2 ? results : undefined;
}

/** Written after every run, atomically, so a cut-short study resumes where it stopped. */
export function saveResults(file: string, results: StudyResults): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
