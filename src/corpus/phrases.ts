import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeAllBytes, writeFileAtomically } from '../base/atomic-file.js';
import { UserError } from '../base/errors.js';
import { registerTransientPath, releaseTransientPath } from '../base/exit-cleanup.js';
import { refuseOverwritingInputs } from '../base/overwrite-guard.js';
import { resolveCorpusFiles } from './corpus-files.js';
import { ENCODING_ERRORS, type EncodingErrors } from './corpus-text.js';
import { phrasePass, type PhrasePassReport } from './phrase-pass.js';
import { PHRASE_SCORINGS, type PhraseScoring } from './phrase-table.js';
import type { ReadProgress } from './read-corpus.js';

export interface PhraseOptions {
  scoring: PhraseScoring;
  /** One threshold per pass; pass k + 1 reads what pass k wrote, so pass k can join the phrases of pass k - 1. */
  thresholds: number[];
  minCount: number;
  maxPairs: number;
  encodingErrors: EncodingErrors;
  /** Reader threads. */
  workers: number;
}

/**
 * The last pass's threshold when none is given: C word2phrase's 100 for its score, and for
 * normalised PMI (which lies in [-1, 1]) 0.5, a pair seen together far more often than apart.
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<PhraseScoring, number>> = Object.freeze({ default: 100, npmi: 0.5 });

export const DEFAULT_PHRASE_OPTIONS = Object.freeze({
  scoring: 'default' as PhraseScoring,
  minCount: 5,
  // About 16 bytes a pair and up to 32 more for the slots leading to them: some 300-500 MB at the bound.
  maxPairs: 10_000_000,
  encodingErrors: 'strict' as EncodingErrors,
  workers: Math.max(1, os.availableParallelism()),
});

/** The most passes: each one joins at most pairs of what the one before wrote, so phrases of up to 2^passes words. */
export const MAX_PASSES = 10;

/**
 * The threshold of each pass. Given one per pass, they are used as given; given one, every pass
 * uses it. Given none, the last pass uses the default and, with the default scoring, each earlier
 * pass twice the threshold of the pass after it, as C word2vec's demo runs word2phrase (200, then
 * 100): the first pass joins only the strongest pairs, which the next can extend. NPMI does not
 * grow with the corpus as C's score does, so every pass uses its default.
 */
export function passThresholds(scoring: PhraseScoring, passes: number | undefined, given: readonly number[] | undefined): number[] {
  if (passes !== undefined && !(Number.isInteger(passes) && passes >= 1 && passes <= MAX_PASSES)) {
    throw new UserError(`--passes must be an integer between 1 and ${MAX_PASSES}, got ${passes}`);
  }
  if (given !== undefined && given.length > 1 && passes !== undefined && passes !== given.length) {
    throw new UserError(`--threshold gives ${given.length} thresholds and --passes is ${passes}: give one threshold, or one per pass`);
  }
  const count = passes ?? given?.length ?? 1;
  if (given !== undefined && given.length > 0) return given.length === 1 ? Array.from({ length: count }, () => given[0]) : [...given];
  const last = DEFAULT_THRESHOLDS[scoring];
  return Array.from({ length: count }, (_, k) => (scoring === 'default' ? last * 2 ** (count - 1 - k) : last));
}

export function resolvePhraseOptions(partial: Partial<PhraseOptions>): PhraseOptions {
  const options = { ...DEFAULT_PHRASE_OPTIONS, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) } as PhraseOptions;
  if (!PHRASE_SCORINGS.includes(options.scoring)) throw new UserError(`--scoring must be one of ${PHRASE_SCORINGS.join(', ')}, got ${JSON.stringify(options.scoring)}`);
  options.thresholds ??= passThresholds(options.scoring, undefined, undefined);
  for (const threshold of options.thresholds) {
    if (!Number.isFinite(threshold)) throw new UserError(`--threshold must be a number, got ${threshold}`);
    if (options.scoring === 'npmi' && !(threshold >= -1 && threshold < 1)) {
      throw new UserError(`--threshold ${threshold} is outside what --scoring npmi can pass: normalised PMI lies in [-1, 1]; give a threshold in [-1, 1), for example ${DEFAULT_THRESHOLDS.npmi}`);
    }
  }
  if (options.thresholds.length < 1 || options.thresholds.length > MAX_PASSES) throw new UserError(`give between 1 and ${MAX_PASSES} thresholds, one per pass`);
  const integer = (flag: string, value: number, min: number, max: number) => {
    if (!(Number.isInteger(value) && value >= min && value <= max)) throw new UserError(`--${flag} must be an integer between ${min} and ${max}, got ${value}`);
  };
  integer('min-count', options.minCount, 1, Number.MAX_SAFE_INTEGER);
  // 16 bytes a pair and the slots: beyond this the table would not fit wasm32's 4 GiB.
  integer('max-pairs', options.maxPairs, 1000, 100_000_000);
  integer('workers', options.workers, 1, 1024);
  if (!ENCODING_ERRORS.includes(options.encodingErrors)) {
    throw new UserError(`--encoding-errors must be one of ${ENCODING_ERRORS.join(', ')}, got ${JSON.stringify(options.encodingErrors)}`);
  }
  return options;
}

export interface PhraseObserver {
  onPass?(pass: number, passes: number, threshold: number): void;
  onReadProgress?(read: ReadProgress): void;
  onProgress?(step: 'count' | 'write', done: number, total: number): void;
}

export interface PhrasesReport {
  options: PhraseOptions;
  corpusFiles: string[];
  output: string;
  passes: PhrasePassReport[];
  seconds: number;
}

/**
 * Writes the corpus to `out` with its frequent collocations joined by "_", in as many passes as
 * there are thresholds: each pass reads the text the pass before wrote (kept in a temporary
 * folder until the next pass has read it), so pass two can join "new_york" and "times". The
 * output is one line per non-empty input line, words separated by one space; it replaces `out`
 * only once it is complete.
 */
export async function formPhrases(inputs: string[], out: string, partial: Partial<PhraseOptions> = {}, observer: PhraseObserver = {}): Promise<PhrasesReport> {
  const started = performance.now();
  const options = resolvePhraseOptions(partial);
  const files = await resolveCorpusFiles(inputs);
  await refuseOverwritingInputs(files.map((file) => ({ name: 'the corpus file', path: file })), [{ name: '--out', path: out }]);
  const workDirectory = mkdtempSync(path.join(os.tmpdir(), 'w2v-phrases-'));
  registerTransientPath(workDirectory);
  const passes: PhrasePassReport[] = [];
  try {
    let input = files;
    for (let k = 0; k < options.thresholds.length; k++) {
      const last = k === options.thresholds.length - 1;
      const target = last ? out : path.join(workDirectory, `pass${k + 1}.txt`);
      observer.onPass?.(k + 1, options.thresholds.length, options.thresholds[k]);
      await writeFileAtomically(target, async (handle) => {
        passes.push(
          await phrasePass(input, (text) => writeAllBytes(handle, text), {
            scoring: options.scoring,
            threshold: options.thresholds[k],
            minCount: options.minCount,
            maxPairs: options.maxPairs,
            workDirectory,
            encodingErrors: options.encodingErrors,
            readers: options.workers,
            onReadProgress: observer.onReadProgress,
            onProgress: observer.onProgress,
          }),
        );
      });
      if (k > 0) rmSync(input[0], { force: true });
      input = [target];
    }
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
    releaseTransientPath(workDirectory);
  }
  return { options, corpusFiles: files, output: out, passes, seconds: (performance.now() - started) / 1000 };
}
