import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { CHECKPOINT_VERSION, readCheckpoint, writeCheckpoint, type Checkpoint, type EpochTotals } from './checkpoint.js';
import { definedOnly } from './defined-only.js';
import { meanCodeLength } from './code-tree.js';
import { resolveCorpusFiles } from './corpus-files.js';
import { encodeCorpus, type EncodedCorpus, type ReadProgress } from './encoded-corpus.js';
import { UserError } from './errors.js';
import { registerTransientPath, releaseTransientPath } from './exit-cleanup.js';
import type { KernelKind } from './kernel/kernel.js';
import { chooseKernel, compileKernelModule } from './kernel/wasm.js';
import { buildLossTables } from './loss-tables.js';
import { EXACT_LOSSES, resolveTrainOptions, type TrainOptions } from './options.js';
import { describeObjective, type OutputLayer } from './output-layer.js';
import { refuseOverwritingInputs, type NamedPath } from './overwrite-guard.js';
import { Random, deriveSeed } from './random.js';
import { checkCorpusStamps, checkSameVocabulary, givenOptions, stampCorpusFiles } from './resume-checks.js';
import { createSharedMemory, planLayout, type MemoryLayout } from './shared-memory.js';
import { keepProbabilities } from './subsampling.js';
import { CompletionTracker, countTasks, planSchedule, plannedTasks, type CompletedTasks, type SchedulePlan } from './training-schedule.js';
import type { ChunkResult, ChunkTask, WorkerSetup } from './training-task.js';
import type { Vocabulary } from './vocabulary.js';

const WORKER_URL = new URL('../workers/train-worker.js', import.meta.url);

/**
 * piscina loads its worker file with require() first, which on Node versions that can require
 * ES modules takes a path that now and then aborts the whole process (an assertion in Node's
 * module loader, seen once in a test run). Where the flag exists, workers are started without
 * require(esm), so piscina's require throws and it imports the file instead, as on older Nodes.
 */
function workerExecArgv(): string[] {
  const flag = '--no-experimental-require-module';
  return process.allowedNodeEnvironmentFlags.has(flag) ? [...process.execArgv, flag] : [...process.execArgv];
}

export interface TrainingProgress {
  epoch: number;
  /** Words (before subsampling) processed so far, over all epochs. */
  wordsDone: number;
  wordsTotal: number;
  alpha: number;
  /** Mean loss per prediction over the tasks finished so far in this epoch. */
  loss: number;
  wordsPerSecond: number;
}

/** Callbacks for a caller that shows progress; all optional. */
export interface TrainingObserver {
  onPhase?(phase: 'read' | 'train', detail: string): void;
  /** While the corpus is read: file bytes read of the total (compressed bytes for .gz), tokens found. */
  onReadProgress?(read: ReadProgress): void;
  onProgress?(progress: TrainingProgress): void;
  onWarning?(message: string): void;
}

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
}

export interface TrainedModel {
  vocabulary: Vocabulary;
  dim: number;
  /** Input weights, row i for word i; rows are `stride` floats apart (padded for SIMD). */
  vectors: Float32Array;
  stride: number;
  /** The output layer: its weights, and the tree (hs) or bands (softmax, dsoftmax) they belong to. */
  output: OutputLayer;
  report: TrainingReport;
}

/** Stopping and checkpointing a run; all optional. */
export interface TrainingControl {
  /** Once aborted, no task starts; the running ones finish and the run returns with `report.stopped`. */
  stop?: AbortSignal;
  /**
   * Where checkpoints go. One is written when the run is stopped and, with `periodic`, at every
   * epoch end (the last one included) and every `everySeconds` (0: never on a clock).
   */
  checkpoint?: { path: string; periodic: boolean; everySeconds: number };
  /**
   * The files the caller writes when the run ends (the vectors, their report): a run is refused
   * before it reads anything when one of them, or the checkpoint, is one of its corpus files.
   */
  outputs?: readonly NamedPath[];
}

/**
 * Trains word vectors on the given corpus files or directories. The main process reads the
 * corpus once, builds the vocabulary and tables, lays out the shared memory, and schedules
 * chunk × epoch tasks on a pool of Hogwild workers; the weights never leave shared memory.
 */
export async function trainEmbeddings(
  inputs: string[],
  partialOptions: Partial<TrainOptions> = {},
  observer: TrainingObserver = {},
  control: TrainingControl = {},
): Promise<TrainedModel> {
  const options = resolveTrainOptions(partialOptions);
  const files = await resolveCorpusFiles(inputs);
  return train(files, options, observer, control);
}

/**
 * Continues the run a checkpoint was written by, on the same corpus files (a corpus whose size
 * or vocabulary changed is refused), with the same plan of tasks and learning rates. Only the
 * options that do not change the model may differ: the worker count and the kernel.
 */
export async function resumeEmbeddings(
  checkpointPath: string,
  overrides: Partial<Pick<TrainOptions, 'workers' | 'kernel'>> = {},
  observer: TrainingObserver = {},
  control: TrainingControl = {},
): Promise<TrainedModel> {
  const checkpoint = await readCheckpoint(checkpointPath);
  let options: TrainOptions;
  try {
    options = resolveTrainOptions({ ...givenOptions(checkpoint.header.options), ...definedOnly(overrides) });
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`${checkpointPath}: its options are not valid (${error.message})`);
    throw error;
  }
  await checkCorpusStamps(checkpointPath, checkpoint.header.corpus.files);
  return train(checkpoint.header.corpus.files.map((f) => f.path), options, observer, control, { path: checkpointPath, checkpoint });
}

async function train(
  files: string[],
  options: TrainOptions,
  observer: TrainingObserver,
  control: TrainingControl,
  resumed?: { path: string; checkpoint: Checkpoint },
): Promise<TrainedModel> {
  const checkpointOutput = control.checkpoint ? [{ name: 'the checkpoint', path: control.checkpoint.path }] : [];
  const corpusInputs = files.map((file) => ({ name: 'the corpus file', path: file }));
  await refuseOverwritingInputs(corpusInputs, [...(control.outputs ?? []), ...checkpointOutput]);
  const kernelChoice = chooseKernel(options.kernel);
  if (kernelChoice.warning) observer.onWarning?.(kernelChoice.warning);
  const corpusStamps = resumed ? resumed.checkpoint.header.corpus.files : await stampCorpusFiles(files);

  const workDirectory = mkdtempSync(path.join(os.tmpdir(), 'w2v-'));
  registerTransientPath(workDirectory);
  try {
    observer.onPhase?.('read', `reading ${files.length === 1 ? files[0] : `${files.length} files`}`);
    const corpus = await encodeCorpus(files, {
      minCount: options.minCount,
      maxVocab: options.maxVocab,
      maxSentenceLength: options.maxSentenceLength,
      chunkTokens: options.chunkTokens,
      workDirectory,
      encodingErrors: options.encodingErrors,
      // Reading uses as many threads as training will.
      readers: options.workers,
      onProgress: observer.onReadProgress,
    });
    if (resumed) checkSameVocabulary(resumed, corpus.vocabulary);
    const trainStart = performance.now();
    const plan = resumed ? resumed.checkpoint.header.plan : planSchedule(corpus.trainingWords, options);
    // A thread per task at most: on a corpus of a few tasks, more would only take time to start.
    const workers = Math.max(1, countTasks(corpus, plan, options.workers));
    const { layout, memory, tree, bands } = createModel(corpus, options, workers);
    const rows = corpus.vocabulary.words.length * layout.stride;
    const input = new Float32Array(memory.buffer, layout.inputWeights, rows);
    const output = new Float32Array(memory.buffer, layout.outputWeights, rows);
    const saved = resumed?.checkpoint;
    if (saved && (saved.header.layout.stride !== layout.stride || saved.input.length !== rows)) {
      throw new UserError(`${resumed!.path}: its weights do not fit the model its options describe; it cannot be resumed`);
    }
    const objective = describeObjective(options.loss, options.activation, options.margin);
    observer.onPhase?.(
      'train',
      `training ${options.model}/${lossLabel(options)} on ${corpus.vocabulary.words.length} words; loss: mean per prediction of ${objective}` +
        (resumed ? `, resumed from ${resumed.path}` : ''),
    );
    const resumedFrom = resumed ? [...resumed.checkpoint.header.resumedFrom, resumed.path] : [];
    const saveCheckpoint = control.checkpoint
      ? (state: ScheduleState) =>
          writeCheckpoint(control.checkpoint!.path, {
            header: {
              format: 'w2v-checkpoint',
              version: CHECKPOINT_VERSION,
              createdAt: new Date().toISOString(),
              options,
              corpus: { files: corpusStamps, corpusTokens: corpus.corpusTokens, trainingWords: corpus.trainingWords },
              vocabulary: { words: corpus.vocabulary.words, counts: Array.from(corpus.vocabulary.counts) },
              plan,
              completed: state.completed,
              trainSeconds: state.trainSeconds,
              epochs: state.epochs,
              resumedFrom,
              layout: { vocabSize: corpus.vocabulary.words.length, dim: options.dim, stride: layout.stride },
            },
            // Copies taken while no task runs, so training may go on while they are written.
            input: input.slice(),
            output: output.slice(),
          })
      : undefined;
    // The workers start (a thread each, the kernel instantiated: tens of milliseconds) while this
    // thread fills in the weights; no task is sent before the weights are in place.
    const pool = startWorkers(corpus, workers, kernelChoice.kind, layout, memory);
    let run: Awaited<ReturnType<typeof runEpochs>>;
    try {
      if (saved) {
        input.set(saved.input);
        output.set(saved.output);
      } else {
        initialiseInputWeights(input, layout.stride, options);
      }
      run = await runEpochs(pool, corpus, options, plan, layout, observer, {
        stop: control.stop,
        saveCheckpoint,
        periodic: control.checkpoint?.periodic ?? false,
        everyMs: control.checkpoint?.periodic ? control.checkpoint.everySeconds * 1000 : 0,
        start: saved
          ? { completed: saved.header.completed, epochs: saved.header.epochs, trainSeconds: saved.header.trainSeconds }
          : { completed: { prefix: 0, after: [] }, epochs: [], trainSeconds: 0 },
      });
    } finally {
      await pool.destroy();
    }
    const trainSeconds = (performance.now() - trainStart) / 1000;
    const epochs = run.epochs.map(epochReport);
    const report: TrainingReport = {
      options,
      kernel: kernelChoice.kind,
      corpusFiles: files,
      corpusTokens: corpus.corpusTokens,
      trainingWords: corpus.trainingWords,
      cutTokens: corpus.cutTokens,
      replacedSequences: corpus.replacedSequences,
      vocabularySize: corpus.vocabulary.words.length,
      chunks: corpus.chunks.length,
      workers,
      objective,
      meanCodeLength: tree ? meanCodeLength(tree, corpus.vocabulary.counts) : undefined,
      seconds: { readAndVocabulary: corpus.seconds.read, encode: corpus.seconds.encode, train: trainSeconds },
      // Words of the corpus (before the min-count cut) per second, as C word2vec and gensim count them.
      trainWordsPerSecond: (corpus.corpusTokens * (run.sessionWordsSeen / Math.max(1, corpus.trainingWords))) / trainSeconds,
      epochs,
      ...(resumedFrom.length > 0 ? { resumedFrom, trainSecondsInAll: run.trainSeconds } : {}),
      ...(control.checkpoint ? { checkpointsWritten: run.checkpointsWritten } : {}),
      ...(run.stopped ? { stopped: { checkpoint: control.checkpoint?.path } } : {}),
    };
    return {
      vocabulary: corpus.vocabulary,
      dim: options.dim,
      vectors: input,
      stride: layout.stride,
      output: {
        loss: options.loss,
        activation: options.activation,
        dim: options.dim,
        weights: output,
        stride: layout.stride,
        tree,
        bands: bands.length > 0 ? bands : undefined,
      },
      report,
    };
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
    releaseTransientPath(workDirectory);
  }
}

function epochReport(totals: EpochTotals): EpochReport {
  const { epoch, lossSum, predictions, wordsSeen, wordsTrained, seconds } = totals;
  return { epoch, loss: predictions > 0 ? lossSum / predictions : 0, predictions, wordsSeen, wordsTrained, seconds };
}

/** `hs`, `hs (balanced)`, `softmax (taylor, margin 0.5)`, …: the loss with the options that shape it. */
function lossLabel(options: TrainOptions): string {
  const details: string[] = [];
  if (options.loss === 'hs' && options.hsTree !== 'huffman') details.push(options.hsTree);
  if (EXACT_LOSSES.includes(options.loss)) {
    if (options.activation !== 'exp') details.push(options.activation);
    if (options.margin > 0) details.push(`margin ${options.margin}`);
  }
  return details.length > 0 ? `${options.loss} (${details.join(', ')})` : options.loss;
}

/** Shared memory with the tables filled in; the weights are all zero. */
function createModel(corpus: EncodedCorpus, options: TrainOptions, workers: number) {
  const { vocabulary } = corpus;
  const vocabSize = vocabulary.words.length;
  const { tree, bands, aliasTable, noiseLog } = buildLossTables(options, vocabulary.counts);
  const layout = planLayout({
    vocabSize,
    dim: options.dim,
    model: options.model,
    loss: options.loss,
    activation: options.activation,
    margin: options.margin,
    bands,
    window: options.window,
    negative: options.negative,
    sharedNegatives: options.sharedNegatives,
    maxSentenceLength: options.maxSentenceLength,
    huffmanCodeTotal: tree ? tree.codes.length : 0,
    chunkCapacity: corpus.maxChunkEntries,
    slots: workers,
  });
  const memory = createSharedMemory(layout, {
    keepProbability: keepProbabilities(vocabulary.counts, vocabulary.totalCount, options.sample),
    aliasTable,
    noiseLog,
    tree,
  });
  return { layout, memory, tree, bands };
}

/** Input weights uniform in [-0.5, 0.5) / dim, as C word2vec; output weights stay zero, and so does padding. */
function initialiseInputWeights(weights: Float32Array, stride: number, options: TrainOptions): void {
  const random = new Random(deriveSeed(options.seed, 0x5eed));
  for (let base = 0; base < weights.length; base += stride) {
    for (let i = 0; i < options.dim; i++) weights[base + i] = (random.nextFloat() - 0.5) / options.dim;
  }
}

/** The training worker pool, its threads started now; the caller destroys it. */
function startWorkers(corpus: EncodedCorpus, workers: number, kernel: KernelKind, layout: MemoryLayout, memory: WebAssembly.Memory): Piscina {
  const setup: WorkerSetup = {
    memory,
    module: kernel === 'wasm' ? compileKernelModule() : undefined,
    kernel,
    corpusPath: corpus.path,
    header: layout.header,
  };
  return new Piscina({
    filename: WORKER_URL.href,
    execArgv: workerExecArgv(),
    workerData: setup,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
  });
}

/** Where a run stands on its plan: what a checkpoint saves besides the weights. */
interface ScheduleState {
  completed: CompletedTasks;
  epochs: EpochTotals[];
  trainSeconds: number;
}

interface RunControl {
  stop?: AbortSignal;
  /** Called while no task runs; resolves once the checkpoint is on disk. */
  saveCheckpoint?: (state: ScheduleState) => Promise<void>;
  /** Checkpoints at epoch ends too, not only on stop. */
  periodic: boolean;
  /** With `periodic`, a checkpoint every this many milliseconds as well (0: none on a clock). */
  everyMs: number;
  /** The state to go on from: nothing done for a new run, the checkpoint's for a resumed one. */
  start: ScheduleState;
}

/**
 * The scheduler: the plan's tasks in order, each carrying the learning rate at its start and end
 * on the global linear decay (computed from the plan, so the decay is exact whatever the order
 * tasks finish in, and the same after a resume) and its seed. At most one task per scratch slot
 * is in flight; with one worker the tasks run in order and a rerun is bit-identical.
 *
 * A checkpoint is taken at a task boundary: submitting pauses, the running tasks finish, the
 * weights are copied, and training goes on while the copy is written. Elapsed training time
 * carries across a resume, so a --max-seconds budget counts only time spent training.
 */
async function runEpochs(
  pool: Piscina,
  corpus: EncodedCorpus,
  options: TrainOptions,
  plan: SchedulePlan,
  layout: MemoryLayout,
  observer: TrainingObserver,
  control: RunControl,
): Promise<ScheduleState & { stopped: boolean; sessionWordsSeen: number; checkpointsWritten: number }> {
  const start = performance.now();
  const { wordsTotal } = plan;
  const budgetMs = options.maxSeconds * 1000;
  const elapsedMs = () => control.start.trainSeconds * 1000 + performance.now() - start;
  // Progress on the learning-rate schedule: the share of the words, or of the time budget, spent.
  const alphaAt = (words: number) => {
    const progress = Math.max(words / Math.max(1, wordsTotal), budgetMs > 0 ? elapsedMs() / budgetMs : 0);
    return options.alpha - (options.alpha - options.minAlpha) * Math.min(1, progress);
  };
  const outOfTime = () => budgetMs > 0 && elapsedMs() >= budgetMs;
  const done = new CompletionTracker(control.start.completed);
  const epochs: EpochTotals[] = control.start.epochs.map((e) => ({ ...e }));
  // Seconds an epoch had before this session, and when this session first worked on it.
  const epochBase = new Map<number, { seconds: number; since: number }>();
  const freeSlots = layout.slots.slice().reverse();
  const inFlight = new Set<Promise<void>>();
  let wordsDone = epochs.reduce((sum, e) => sum + e.wordsSeen, 0);
  let sessionWordsSeen = 0;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let lastCheckpoint = performance.now();
  let writing: Promise<void> = Promise.resolve();
  let checkpointsWritten = 0;
  const state = (): ScheduleState => ({ completed: done.snapshot(), epochs: epochs.map((e) => ({ ...e })), trainSeconds: elapsedMs() / 1000 });
  const drain = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  };
  const checkpoint = async () => {
    if (!control.saveCheckpoint) return;
    await drain();
    // One write at a time; the weights are copied now, while no task runs.
    await writing;
    writing = control.saveCheckpoint(state());
    checkpointsWritten++;
    // A failed write fails the run at the next await of `writing`, not as an unhandled rejection.
    writing.catch((error: unknown) => {
      failure ??= { error };
    });
    lastCheckpoint = performance.now();
  };
  const totalsFor = (epoch: number): EpochTotals => {
    let totals = epochs.find((e) => e.epoch === epoch + 1);
    if (!totals) {
      totals = { epoch: epoch + 1, lossSum: 0, predictions: 0, wordsSeen: 0, wordsTrained: 0, seconds: 0 };
      epochs.push(totals);
    }
    if (!epochBase.has(epoch)) epochBase.set(epoch, { seconds: totals.seconds, since: performance.now() });
    return totals;
  };
  try {
    let previousEpoch = -1;
    for (const task of plannedTasks(corpus, plan)) {
      if (done.isDone(task.index)) continue;
      if (task.epoch !== previousEpoch) {
        // The epoch before ended in this session: checkpoint it.
        if (previousEpoch >= 0 && control.periodic) await checkpoint();
        previousEpoch = task.epoch;
      } else if (control.everyMs > 0 && performance.now() - lastCheckpoint >= control.everyMs) {
        await checkpoint();
      }
      while (freeSlots.length === 0 && !failure) await Promise.race(inFlight);
      if (failure) throw failure.error;
      if (control.stop?.aborted) {
        stopped = true;
        break;
      }
      if (outOfTime()) break;
      const report = totalsFor(task.epoch);
      const base = epochBase.get(task.epoch)!;
      const slot = freeSlots.pop()!;
      const chunkTask: ChunkTask = {
        slot,
        offset: task.offset,
        entries: task.entries,
        words: task.words,
        alphaStart: alphaAt(task.wordsBefore),
        alphaEnd: alphaAt(task.wordsBefore + task.words),
        seed: task.seed,
      };
      const running: Promise<void> = (pool.run(chunkTask) as Promise<ChunkResult>).then(
        (result) => {
          freeSlots.push(slot);
          inFlight.delete(running);
          done.markDone(task.index);
          wordsDone += result.wordsSeen;
          sessionWordsSeen += result.wordsSeen;
          report.wordsSeen += result.wordsSeen;
          report.wordsTrained += result.wordsTrained;
          report.lossSum += result.lossSum;
          report.predictions += result.predictions;
          report.seconds = base.seconds + (performance.now() - base.since) / 1000;
          observer.onProgress?.({
            epoch: task.epoch + 1,
            wordsDone,
            wordsTotal,
            // Tasks finish out of order; the rate at overall progress reads monotonically.
            alpha: alphaAt(wordsDone),
            loss: report.predictions > 0 ? report.lossSum / report.predictions : 0,
            wordsPerSecond: sessionWordsSeen / Math.max(1e-9, (performance.now() - start) / 1000),
          });
        },
        (error: unknown) => {
          // The first failing task fails the run; later ones (often aborted by the pool's
          // shutdown) must not surface as unhandled rejections.
          failure ??= { error: workerFailure(error) };
          inFlight.delete(running);
        },
      );
      inFlight.add(running);
    }
    // The end of the run (finished or out of time) is an epoch end.
    if (stopped || control.periodic) await checkpoint();
    await drain();
    await writing;
    if (failure) throw failure.error;
  } finally {
    // A failed run still lets a checkpoint being written finish (or remove its temporary file).
    await writing.catch(() => undefined);
  }
  return { ...state(), stopped, sessionWordsSeen, checkpointsWritten };
}

/** A task's error, or the exit of its worker thread, as one line that says a worker failed. */
function workerFailure(error: unknown): unknown {
  if (error instanceof UserError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`a training worker failed: ${message}`, { cause: error });
}
