import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { definedOnly } from '../base/defined-only.js';
import { UserError } from '../base/errors.js';
import { registerTransientPath, releaseTransientPath } from '../base/exit-cleanup.js';
import { refuseOverwritingInputs } from '../base/overwrite-guard.js';
import { resolveCorpusFiles } from '../corpus/corpus-files.js';
import { encodeCorpus } from '../corpus/encoded-corpus.js';
import { chooseKernel } from '../kernel/wasm.js';
import { meanCodeLength } from '../model/code-tree.js';
import type { AdaptiveLayout } from '../model/adaptive-clusters.js';
import { EXACT_LOSSES, givenOptions, resolveTrainOptions, type TrainOptions } from '../model/options.js';
import { describeObjective, type OutputLayer } from '../model/output-layer.js';
import { writeVocabularyFile } from '../corpus/vocabulary-file.js';
import { CHECKPOINT_VERSION, readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.js';
import { givenVocabulary } from './given-vocabulary.js';
import { applyContinuedModel, continuedOptions, type ContinuedSummary } from './continued-model.js';
import { applyInitialVectors, checkInitialDimension, type InitialVectorsSummary } from './initial-vectors.js';
import { createModel, initialiseInputWeights, initialiseOutputWeights } from './model-memory.js';
import { checkCorpusStamps, checkSameVocabulary, stampCorpusFiles } from './resume-checks.js';
import { runEpochs, type ScheduleState } from './scheduler.js';
import type { ModelWeights, TrainingControl, TrainingObserver } from './training-callbacks.js';
import { epochReport, type TrainingReport } from './training-report.js';
import { countTasks, planSchedule } from './training-schedule.js';
import { startWorkers } from './worker-pool.js';

export interface TrainedModel extends ModelWeights {
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
  control: TrainingControl = {},
): Promise<TrainedModel> {
  const options = control.continued ? continuedOptions(control.continued, partialOptions) : resolveTrainOptions(partialOptions);
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
  const vocabularyInput = options.readVocab !== undefined && !resumed ? [{ name: 'the --read-vocab file', path: options.readVocab }] : [];
  const vectorsInput = control.initialVectors ? [{ name: 'the --init-vectors file', path: control.initialVectors.source }] : [];
  if (control.continued) vectorsInput.push({ name: 'the --init model', path: control.continued.source });
  const vocabularyOutput = control.saveVocabulary !== undefined ? [{ name: '--save-vocab', path: control.saveVocabulary }] : [];
  await refuseOverwritingInputs([...corpusInputs, ...vocabularyInput, ...vectorsInput], [...(control.outputs ?? []), ...checkpointOutput, ...vocabularyOutput]);
  if (control.initialVectors) {
    if (resumed) throw new UserError(`--init-vectors cannot be given with --resume: the checkpoint holds the weights; drop it`);
    checkInitialDimension(control.initialVectors, options.dim);
  }
  if (control.continued && (resumed || control.initialVectors)) {
    throw new UserError(`--init cannot be given with ${resumed ? '--resume: the checkpoint holds the weights' : '--init-vectors: the model holds the vectors'}; drop one`);
  }
  const given = await givenVocabulary(options, resumed);
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
      vocabulary: given?.vocabulary,
      extend: control.continued && {
        words: [...control.continued.words],
        counts: Float64Array.from(control.continued.counts),
        totalCount: control.continued.counts.reduce((a, b) => a + b, 0),
      },
      onProgress: observer.onReadProgress,
    });
    if (resumed) checkSameVocabulary(resumed, corpus);
    if (control.saveVocabulary !== undefined) {
      await writeVocabularyFile(control.saveVocabulary, corpus.vocabulary, given?.sentenceEnds ?? corpus.lineFeeds);
    }
    const trainStart = performance.now();
    const plan = resumed ? resumed.checkpoint.header.plan : planSchedule(corpus.trainingWords, options);
    // A thread per task at most: on a corpus of a few tasks, more would only take time to start.
    const workers = Math.max(1, countTasks(corpus, plan, options.workers));
    const { layout, memory, tree, bands, adaptive } = createModel(corpus, options, workers);
    const rows = corpus.vocabulary.words.length * layout.stride;
    const input = new Float32Array(memory.buffer, layout.inputWeights, rows);
    // The whole output block (checkpoints keep it): the output rows, then a mixture's projections
    // and gates; or the adaptive softmax's head, projections and tails.
    const output = new Float32Array(memory.buffer, layout.outputWeights, layout.outputFloats);
    const saved = resumed?.checkpoint;
    if (saved && (saved.header.layout.stride !== layout.stride || saved.input.length !== rows || saved.output.length !== layout.outputFloats)) {
      throw new UserError(`${resumed!.path}: its weights do not fit the model its options describe; it cannot be resumed`);
    }
    const objective = describeObjective(options.loss, options.activation, options.margin, options.taylorOrder, options.mixture);
    observer.onPhase?.(
      'train',
      `training ${options.model}/${lossLabel(options, adaptive)} on ${corpus.vocabulary.words.length} words; loss: mean per prediction of ${objective}` +
        (resumed ? `, resumed from ${resumed.path}` : ''),
    );
    const resumedFrom = resumed ? [...resumed.checkpoint.header.resumedFrom, resumed.path] : [];
    // Filled in with the weights below, before any task (and so any checkpoint) can run.
    let initVectors: InitialVectorsSummary | undefined = resumed?.checkpoint.header.initVectors;
    let continued: ContinuedSummary | undefined = resumed?.checkpoint.header.continued;
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
              layout: { vocabSize: corpus.vocabulary.words.length, dim: options.dim, stride: layout.stride, outputFloats: layout.outputFloats },
              ...(initVectors ? { initVectors } : {}),
              ...(continued ? { continued } : {}),
            },
            // Copies taken while no task runs, so training may go on while they are written.
            input: input.slice(),
            output: output.slice(),
          })
      : undefined;
    const outputLayer = (weights: Float32Array): OutputLayer => ({
      loss: options.loss,
      activation: options.activation,
      taylorOrder: options.taylorOrder,
      dim: options.dim,
      // A mixture's rows are its own part of the layer.
      weights: options.mixture > 1 ? weights.subarray(0, rows) : weights,
      stride: layout.stride,
      tree,
      bands: bands.length > 0 ? bands : undefined,
      mixture: options.mixture > 1 ? { components: options.mixture, rows: weights.subarray(rows) } : undefined,
      adaptive,
    });
    const evaluation = control.evaluate;
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
        initialiseOutputWeights(output, layout.stride, options, adaptive);
        if (control.initialVectors) initVectors = applyInitialVectors(input, layout.stride, corpus.vocabulary, control.initialVectors);
        if (control.continued) {
          continued = applyContinuedModel(input, output, layout.stride, { vocabulary: corpus.vocabulary, knownIds: corpus.knownIds! }, outputLayer(output), control.continued);
        }
      }
      run = await runEpochs(pool, corpus, options, plan, layout, observer, {
        stop: control.stop,
        saveCheckpoint,
        periodic: control.checkpoint?.periodic ?? false,
        everyMs: control.checkpoint?.periodic ? control.checkpoint.everySeconds * 1000 : 0,
        start: saved
          ? { completed: saved.header.completed, epochs: saved.header.epochs, trainSeconds: saved.header.trainSeconds }
          : { completed: { prefix: 0, after: [] }, epochs: [], trainSeconds: 0 },
        evaluate: evaluation && {
          seconds: evaluation.seconds ?? [],
          epochEnds: evaluation.epochEnds ?? false,
          // Copies, taken while no task runs: the evaluation may keep them.
          run: async (at) => {
            const model = { vocabulary: corpus.vocabulary, dim: options.dim, vectors: input.slice(), stride: layout.stride, output: outputLayer(output.slice()) };
            await evaluation.evaluate({ model, ...at });
          },
        },
      });
    } finally {
      await pool.destroy();
    }
    // Evaluations paused training: their time is not training time.
    const trainSeconds = (performance.now() - trainStart) / 1000 - run.evaluationSeconds;
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
      seconds: { readAndVocabulary: corpus.seconds.read, encode: corpus.seconds.encode, train: trainSeconds, ...(evaluation ? { evaluation: run.evaluationSeconds } : {}) },
      // Words of the corpus (before the min-count cut) per second, as C word2vec and gensim count them.
      trainWordsPerSecond: (corpus.corpusTokens * (run.sessionWordsSeen / Math.max(1, corpus.trainingWords))) / trainSeconds,
      epochs,
      ...(resumedFrom.length > 0 ? { resumedFrom, trainSecondsInAll: run.trainSeconds } : {}),
      ...(control.checkpoint ? { checkpointsWritten: run.checkpointsWritten } : {}),
      ...(run.stopped ? { stopped: { checkpoint: control.checkpoint?.path } } : {}),
      ...(control.saveVocabulary !== undefined ? { savedVocabulary: control.saveVocabulary } : {}),
      ...(initVectors ? { initVectors } : {}),
      ...(continued ? { continued } : {}),
    };
    return {
      vocabulary: corpus.vocabulary,
      dim: options.dim,
      vectors: input,
      stride: layout.stride,
      output: outputLayer(output),
      report,
    };
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
    releaseTransientPath(workDirectory);
  }
}

/** `hs`, `hs (balanced)`, `softmax (taylor, margin 0.5)`, …: the loss with the options that shape it. */
function lossLabel(options: TrainOptions, adaptive?: AdaptiveLayout): string {
  const details: string[] = [];
  if (options.loss === 'hs' && options.hsTree !== 'huffman') details.push(options.hsTree);
  if (EXACT_LOSSES.includes(options.loss)) {
    if (options.activation !== 'exp') details.push(options.activation === 'taylor' && options.taylorOrder !== 2 ? `taylor order ${options.taylorOrder}` : options.activation);
    if (options.margin > 0) details.push(`margin ${options.margin}`);
    if (options.mixture > 1) details.push(`mixture of ${options.mixture}`);
  }
  if (adaptive) {
    const cutoffs = [adaptive.shortlist, ...adaptive.clusters.slice(0, -1).map((c) => c.endWord)].slice(0, adaptive.clusters.length);
    const dims = adaptive.clusters.map((c) => c.dim).join(',');
    details.push(`cutoffs ${cutoffs.join(',') || 'none'}${options.cutoffs ? '' : ' by frequency'}, tail dims ${dims || 'none'}`);
  }
  return details.length > 0 ? `${options.loss} (${details.join(', ')})` : options.loss;
}

