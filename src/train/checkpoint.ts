import { UserError } from '../base/errors.js';
import { float32At, readFramedFile, writeFramedFile, type FramedFileKind } from '../base/framed-file.js';
import type { TrainOptions } from '../model/options.js';
import type { ContinuedSummary } from './continued-model.js';
import type { InitialVectorsSummary } from './initial-vectors.js';
import type { CompletedTasks, SchedulePlan } from './training-schedule.js';

/**
 * A training checkpoint: everything a stopped run needs to go on as if it had not stopped.
 *
 * The file is framed as src/base/framed-file.ts describes, with the magic "W2VCKPT\0", a JSON
 * {@link CheckpointHeader}, and as payload the input layer (vocabSize × stride float32), then the
 * output layer (layout.outputFloats float32, vocabSize × stride where absent), and nothing after. Every field is checked on load, so a
 * truncated, mutated or foreign file is refused with one line naming it rather than trained on.
 */
export const CHECKPOINT_VERSION = 1;
const MAGIC = Buffer.from('W2VCKPT\0', 'latin1');

/** A corpus file as it was when training started: a changed size means a different corpus. */
export interface CorpusFileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

/** One epoch's running totals; the loss is lossSum / predictions. */
export interface EpochTotals {
  epoch: number;
  lossSum: number;
  predictions: number;
  wordsSeen: number;
  wordsTrained: number;
  seconds: number;
}

export interface CheckpointHeader {
  format: 'w2v-checkpoint';
  version: number;
  createdAt: string;
  options: TrainOptions;
  corpus: { files: CorpusFileStamp[]; corpusTokens: number; trainingWords: number };
  vocabulary: { words: string[]; counts: number[] };
  /** The task plan; pieceWords 0 stands for whole chunks (JSON has no Infinity). */
  plan: SchedulePlan;
  completed: CompletedTasks;
  /** Seconds spent training so far, over every run that led here. */
  trainSeconds: number;
  epochs: EpochTotals[];
  /** Checkpoints this run was resumed from, oldest first. */
  resumedFrom: string[];
  /** outputFloats: the output block's length where it is not vocabSize × stride (adaptive); absent in older checkpoints. */
  layout: { vocabSize: number; dim: number; stride: number; outputFloats?: number };
  /** The pretrained vectors the run started from, for the reports of the runs that resume it. */
  initVectors?: InitialVectorsSummary;
  /** The model the run trained on: its vocabulary, merged, is the checkpoint's, which a resumed run keeps. */
  continued?: ContinuedSummary;
}

export interface Checkpoint {
  header: CheckpointHeader;
  input: Float32Array;
  output: Float32Array;
}

const CHECKPOINT_FILE: FramedFileKind = { magic: MAGIC, version: CHECKPOINT_VERSION, what: 'checkpoint file' };

export async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  const { header, input, output } = checkpoint;
  const plan = { ...header.plan, pieceWords: Number.isFinite(header.plan.pieceWords) ? header.plan.pieceWords : 0 };
  await writeFramedFile(file, CHECKPOINT_FILE, { ...header, plan }, [input, output]);
}

/** Reads and checks a checkpoint; every problem is a one-line UserError naming the file. */
export async function readCheckpoint(file: string): Promise<Checkpoint> {
  const refuse = (why: string) => new UserError(`${file}: ${why}; it cannot be resumed`);
  const { header, payload } = await readFramedFile(file, CHECKPOINT_FILE, refuse, (parsed) => {
    checkHeader(parsed as CheckpointHeader, refuse);
    const { layout } = parsed as CheckpointHeader;
    return (layout.vocabSize * layout.stride + outputFloatsOf(layout)) * 4;
  });
  const checked = header as CheckpointHeader;
  if (checked.plan.pieceWords === 0) checked.plan.pieceWords = Infinity;
  const floats = checked.layout.vocabSize * checked.layout.stride;
  return { header: checked, input: float32At(payload, 0, floats), output: float32At(payload, floats * 4, outputFloatsOf(checked.layout)) };
}

function outputFloatsOf(layout: CheckpointHeader['layout']): number {
  return layout.outputFloats ?? layout.vocabSize * layout.stride;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The header passed its checksum, so this guards against files written by other versions or by hand. */
function checkHeader(header: CheckpointHeader, refuse: (why: string) => Error): void {
  const fail = (field: string) => {
    throw refuse(`its header has no valid ${field}`);
  };
  if (header === null || typeof header !== 'object' || header.format !== 'w2v-checkpoint') fail('format');
  if (header.version !== CHECKPOINT_VERSION) fail('version');
  if (header.options === null || typeof header.options !== 'object') fail('options');
  const { layout, vocabulary, plan, completed, corpus } = header;
  if (!layout || !isCount(layout.vocabSize) || !isCount(layout.dim) || !isCount(layout.stride) || layout.stride < layout.dim || layout.dim < 1) fail('layout');
  if (layout.vocabSize * layout.stride * 8 > Number.MAX_SAFE_INTEGER) fail('layout');
  if (layout.outputFloats !== undefined && (!isCount(layout.outputFloats) || layout.outputFloats * 4 > Number.MAX_SAFE_INTEGER)) fail('layout');
  if (!vocabulary || !Array.isArray(vocabulary.words) || !Array.isArray(vocabulary.counts)) fail('vocabulary');
  if (vocabulary.words.length !== layout.vocabSize || vocabulary.counts.length !== layout.vocabSize) fail('vocabulary (its size differs from the layout)');
  if (!vocabulary.words.every((w) => typeof w === 'string') || !vocabulary.counts.every(isCount)) fail('vocabulary');
  if (!corpus || !Array.isArray(corpus.files) || corpus.files.length === 0 || !isCount(corpus.corpusTokens) || !isCount(corpus.trainingWords)) fail('corpus');
  for (const f of corpus.files) if (!f || typeof f.path !== 'string' || !isCount(f.size) || !isFiniteNumber(f.mtimeMs)) fail('corpus file');
  if (!plan || !isCount(plan.epochs) || !isCount(plan.wordsTotal) || !isCount(plan.pieceWords) || !isCount(plan.seed)) fail('schedule');
  if (!completed || !isCount(completed.prefix) || !Array.isArray(completed.after) || !completed.after.every(isCount)) fail('schedule position');
  if (!isFiniteNumber(header.trainSeconds) || header.trainSeconds < 0) fail('training time');
  if (!Array.isArray(header.epochs)) fail('loss history');
  for (const e of header.epochs) {
    if (!e || !isCount(e.epoch) || !isFiniteNumber(e.lossSum) || !isCount(e.predictions) || !isCount(e.wordsSeen) || !isCount(e.wordsTrained) || !isFiniteNumber(e.seconds)) fail('loss history');
  }
  if (!Array.isArray(header.resumedFrom) || !header.resumedFrom.every((p) => typeof p === 'string')) fail('resume history');
  const init = header.initVectors;
  if (init !== undefined && (!init || typeof init.source !== 'string' || !isCount(init.words) || !isCount(init.found))) fail('pretrained start');
  const on = header.continued;
  if (on !== undefined && (!on || typeof on.source !== 'string' || !isCount(on.known) || !isCount(on.knownInText) || !isCount(on.joined))) fail('model trained on');
}
