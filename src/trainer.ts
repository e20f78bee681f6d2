import { mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { meanCodeLength } from './code-tree.js';
import { resolveCorpusFiles } from './corpus-files.js';
import { encodeCorpus, type EncodedCorpus } from './encoded-corpus.js';
import type { KernelKind } from './kernel/kernel.js';
import { chooseKernel, compileKernelModule } from './kernel/wasm.js';
import { buildLossTables } from './loss-tables.js';
import { EXACT_LOSSES, resolveTrainOptions, type TrainOptions } from './options.js';
import { describeObjective, type OutputLayer } from './output-layer.js';
import { Random, deriveSeed } from './random.js';
import { createSharedMemory, planLayout, type MemoryLayout } from './shared-memory.js';
import { keepProbabilities } from './subsampling.js';
import type { ChunkResult, ChunkTask, WorkerSetup } from './training-task.js';
import type { Vocabulary } from './vocabulary.js';

const WORKER_URL = new URL('../workers/train-worker.js', import.meta.url);

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
  onReadProgress?(read: { fileBytes: number; totalBytes: number; tokens: number }): void;
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
  /** What the per-epoch loss measures: the loss's own objective. */
  objective: string;
  /** Binary decisions per prediction, weighted by word counts (hs only). */
  meanCodeLength?: number;
  /** Wall seconds per phase; the caller adds `export`. */
  seconds: { readAndVocabulary: number; encode: number; train: number; export?: number; index?: number; total?: number };
  /** Corpus tokens (before the min-count cut) trained per second: tokens × epochs / seconds without --max-words. */
  trainWordsPerSecond: number;
  epochs: EpochReport[];
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

/**
 * Trains word vectors on the given corpus files or directories. The main process reads the
 * corpus once, builds the vocabulary and tables, lays out the shared memory, and schedules
 * chunk × epoch tasks on a pool of Hogwild workers; the weights never leave shared memory.
 */
export async function trainEmbeddings(
  inputs: string[],
  partialOptions: Partial<TrainOptions> = {},
  observer: TrainingObserver = {},
): Promise<TrainedModel> {
  const options = resolveTrainOptions(partialOptions);
  const files = await resolveCorpusFiles(inputs);
  const kernelChoice = chooseKernel(options.kernel);
  if (kernelChoice.warning) observer.onWarning?.(kernelChoice.warning);

  const workDirectory = mkdtempSync(path.join(os.tmpdir(), 'w2v-'));
  try {
    observer.onPhase?.('read', `reading ${files.length === 1 ? files[0] : `${files.length} files`}`);
    const totalBytes = await totalFileBytes(files);
    const corpus = await encodeCorpus(files, {
      minCount: options.minCount,
      maxVocab: options.maxVocab,
      maxSentenceLength: options.maxSentenceLength,
      chunkTokens: options.chunkTokens,
      workDirectory,
      encodingErrors: options.encodingErrors,
      // Reading uses as many threads as training will.
      readers: options.workers,
      onProgress: (read) => observer.onReadProgress?.({ ...read, totalBytes }),
    });
    const trainStart = performance.now();
    const { layout, memory, tree, bands } = prepareModel(corpus, options);
    const objective = describeObjective(options.loss, options.activation, options.margin);
    observer.onPhase?.(
      'train',
      `training ${options.model}/${lossLabel(options)} on ${corpus.vocabulary.words.length} words; loss: mean per prediction of ${objective}`,
    );
    const epochs = await runEpochs(corpus, options, kernelChoice.kind, layout, memory, observer);
    const trainSeconds = (performance.now() - trainStart) / 1000;
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
      objective,
      meanCodeLength: tree ? meanCodeLength(tree, corpus.vocabulary.counts) : undefined,
      seconds: { readAndVocabulary: corpus.seconds.read, encode: corpus.seconds.encode, train: trainSeconds },
      // Words of the corpus (before the min-count cut) per second, as C word2vec and gensim count them.
      trainWordsPerSecond: (corpus.corpusTokens * (wordsSeen(epochs) / Math.max(1, corpus.trainingWords))) / trainSeconds,
      epochs,
    };
    const rows = corpus.vocabulary.words.length * layout.stride;
    return {
      vocabulary: corpus.vocabulary,
      dim: options.dim,
      vectors: new Float32Array(memory.buffer, layout.inputWeights, rows),
      stride: layout.stride,
      output: {
        loss: options.loss,
        activation: options.activation,
        dim: options.dim,
        weights: new Float32Array(memory.buffer, layout.outputWeights, rows),
        stride: layout.stride,
        tree,
        bands: bands.length > 0 ? bands : undefined,
      },
      report,
    };
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

/** Words per task in a --max-seconds run: milliseconds for the sparse losses, under a second for the exact ones up to V ≈ 10k. */
const TIMED_PIECE_WORDS = 4096;

interface TaskPiece {
  chunk: number;
  /** Which piece of its chunk (0 when the chunk is whole). */
  part: number;
  offset: number;
  entries: number;
  words: number;
}

/**
 * One epoch's tasks: the chunks in order, each cut into equal pieces of at most `pieceWords`
 * words, until `budget` words are handed out (the last piece cut short). A piece boundary may
 * fall inside a sentence; the kernel then treats it as a sentence end. Words per piece are
 * estimated in proportion to its entries; the kernel counts the exact number.
 */
function* taskPieces(corpus: EncodedCorpus, budget: number, pieceWords: number): Generator<TaskPiece> {
  let left = budget;
  for (let chunk = 0; chunk < corpus.chunks.length && left > 0; chunk++) {
    const { offset, entries, words } = corpus.chunks[chunk];
    const parts = Number.isFinite(pieceWords) ? Math.max(1, Math.ceil(words / pieceWords)) : 1;
    for (let part = 0; part < parts && left > 0; part++) {
      const from = Math.floor((entries * part) / parts);
      let to = Math.floor((entries * (part + 1)) / parts);
      let pieceWordCount = parts === 1 ? words : Math.round((words * (to - from)) / entries);
      if (pieceWordCount > left) {
        to = from + Math.ceil(((to - from) * left) / pieceWordCount);
        pieceWordCount = left;
      }
      left -= pieceWordCount;
      yield { chunk, part, offset: offset + from, entries: to - from, words: pieceWordCount };
    }
  }
}

/** What the read-progress bar counts to. */
async function totalFileBytes(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await stat(file)).size;
  return total;
}

function wordsSeen(epochs: EpochReport[]): number {
  return epochs.reduce((sum, e) => sum + e.wordsSeen, 0);
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

/** Shared memory with tables filled in and input weights initialised as C word2vec does. */
function prepareModel(corpus: EncodedCorpus, options: TrainOptions) {
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
    slots: options.workers,
  });
  const memory = createSharedMemory(layout, {
    keepProbability: keepProbabilities(vocabulary.counts, vocabulary.totalCount, options.sample),
    aliasTable,
    noiseLog,
    tree,
  });
  // Uniform in [-0.5, 0.5) / dim, as C word2vec; output weights start at zero, padding stays zero.
  const random = new Random(deriveSeed(options.seed, 0x5eed));
  const weights = new Float32Array(memory.buffer, layout.inputWeights, vocabulary.words.length * layout.stride);
  for (let row = 0; row < vocabulary.words.length; row++) {
    const base = row * layout.stride;
    for (let i = 0; i < options.dim; i++) weights[base + i] = (random.nextFloat() - 0.5) / options.dim;
  }
  return { layout, memory, tree, bands };
}

/**
 * The scheduler: every epoch is cut into the corpus chunks; each task carries the learning
 * rate at its start and end on the global linear decay (computed here, from global progress,
 * so the decay is exact whatever the order tasks finish in) and a seed derived from
 * (seed, epoch, chunk). At most one task per scratch slot is in flight; with one worker the
 * tasks run in order and a rerun is bit-identical.
 */
async function runEpochs(
  corpus: EncodedCorpus,
  options: TrainOptions,
  kernel: KernelKind,
  layout: MemoryLayout,
  memory: WebAssembly.Memory,
  observer: TrainingObserver,
): Promise<EpochReport[]> {
  const setup: WorkerSetup = {
    memory,
    module: kernel === 'wasm' ? compileKernelModule() : undefined,
    kernel,
    corpusPath: corpus.path,
    header: layout.header,
  };
  const pool = new Piscina({
    filename: WORKER_URL.href,
    workerData: setup,
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
  });
  const start = performance.now();
  const wordsTotal = options.maxWords > 0 ? Math.min(options.maxWords, corpus.trainingWords * options.epochs) : corpus.trainingWords * options.epochs;
  // A --max-words run is cut into pieces small enough that every worker gets several; a
  // --max-seconds run into pieces short enough that the last one ends soon after the budget.
  const pieceWords = Math.min(
    options.maxWords > 0 ? Math.max(256, Math.ceil(wordsTotal / (options.workers * 8))) : Infinity,
    options.maxSeconds > 0 ? TIMED_PIECE_WORDS : Infinity,
  );
  const budgetMs = options.maxSeconds * 1000;
  const elapsedMs = () => performance.now() - start;
  // Progress on the learning-rate schedule: the share of the words, or of the time budget, spent.
  const alphaAt = (words: number) => {
    const progress = Math.max(words / Math.max(1, wordsTotal), budgetMs > 0 ? elapsedMs() / budgetMs : 0);
    return options.alpha - (options.alpha - options.minAlpha) * Math.min(1, progress);
  };
  const outOfTime = () => budgetMs > 0 && elapsedMs() >= budgetMs;
  const epochs: EpochReport[] = [];
  const freeSlots = layout.slots.slice().reverse();
  const inFlight = new Set<Promise<void>>();
  let wordsDone = 0;
  let wordsScheduled = 0;
  let failure: { error: unknown } | undefined;
  try {
    for (let epoch = 0; epoch < options.epochs && wordsScheduled < wordsTotal && !outOfTime(); epoch++) {
      const report: EpochReport = { epoch: epoch + 1, loss: 0, predictions: 0, wordsSeen: 0, wordsTrained: 0, seconds: 0 };
      epochs.push(report);
      const epochStart = performance.now();
      let lossSum = 0;
      for (const piece of taskPieces(corpus, wordsTotal - wordsScheduled, pieceWords)) {
        while (freeSlots.length === 0 && !failure) await Promise.race(inFlight);
        if (failure) throw failure.error;
        if (outOfTime()) break;
        const slot = freeSlots.pop()!;
        const task: ChunkTask = {
          slot,
          offset: piece.offset,
          entries: piece.entries,
          words: piece.words,
          alphaStart: alphaAt(wordsScheduled),
          alphaEnd: alphaAt(wordsScheduled + piece.words),
          seed: piece.part === 0 ? deriveSeed(options.seed, epoch, piece.chunk) : deriveSeed(options.seed, epoch, piece.chunk, piece.part),
        };
        wordsScheduled += piece.words;
        const running: Promise<void> = (pool.run(task) as Promise<ChunkResult>).then(
          (result) => {
            freeSlots.push(slot);
            inFlight.delete(running);
            wordsDone += result.wordsSeen;
            report.wordsSeen += result.wordsSeen;
            report.wordsTrained += result.wordsTrained;
            lossSum += result.lossSum;
            report.predictions += result.predictions;
            report.loss = report.predictions > 0 ? lossSum / report.predictions : 0;
            report.seconds = (performance.now() - epochStart) / 1000;
            observer.onProgress?.({
              epoch: epoch + 1,
              wordsDone,
              wordsTotal,
              // Tasks finish out of order; the rate at overall progress reads monotonically.
              alpha: alphaAt(wordsDone),
              loss: report.loss,
              wordsPerSecond: wordsDone / Math.max(1e-9, (performance.now() - start) / 1000),
            });
          },
          (error: unknown) => {
            // The first failing task fails the run; later ones (often aborted by the pool's
            // shutdown) must not surface as unhandled rejections.
            failure ??= { error };
            inFlight.delete(running);
          },
        );
        inFlight.add(running);
      }
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  } finally {
    await pool.destroy();
  }
  return epochs;
}
