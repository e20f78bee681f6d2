import { promises as fsp } from 'node:fs';
import { crc32 } from 'node:zlib';
import { writeAllBytes, writeFileAtomically } from '../base/atomic-file.js';
import { UserError, openFailure } from '../base/errors.js';
import type { TrainOptions } from '../model/options.js';
import type { InitialVectorsSummary } from './initial-vectors.js';
import type { CompletedTasks, SchedulePlan } from './training-schedule.js';

/**
 * A training checkpoint: everything a stopped run needs to go on as if it had not stopped.
 *
 * File layout (little-endian):
 *   bytes 0..7    magic "W2VCKPT\0"
 *   u32           format version
 *   u32           header length in bytes (UTF-8 JSON)
 *   u32           CRC-32 of the header
 *   u32           CRC-32 of the weights
 *   header        JSON: {@link CheckpointHeader}
 *   padding       zeros up to a multiple of 4 bytes
 *   weights       input layer, then output layer: vocabSize × stride float32 each
 * and nothing after. Every field is checked on load, so a truncated, mutated or foreign file is
 * refused with one line naming it rather than trained on.
 */
export const CHECKPOINT_VERSION = 1;
const MAGIC = Buffer.from('W2VCKPT\0', 'latin1');
const PREFIX_BYTES = 24;
/** JSON headers beyond this are not ours; refusing them early avoids reading a huge bogus length. */
const MAX_HEADER_BYTES = 1 << 30;

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
  layout: { vocabSize: number; dim: number; stride: number };
  /** The pretrained vectors the run started from, for the reports of the runs that resume it. */
  initVectors?: InitialVectorsSummary;
}

export interface Checkpoint {
  header: CheckpointHeader;
  input: Float32Array;
  output: Float32Array;
}

export async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  const { header, input, output } = checkpoint;
  const plan = { ...header.plan, pieceWords: Number.isFinite(header.plan.pieceWords) ? header.plan.pieceWords : 0 };
  const json = Buffer.from(JSON.stringify({ ...header, plan }), 'utf8');
  const padding = Buffer.alloc((4 - ((PREFIX_BYTES + json.length) % 4)) % 4);
  const inputBytes = bytesOf(input);
  const outputBytes = bytesOf(output);
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(CHECKPOINT_VERSION, 8);
  prefix.writeUInt32LE(json.length, 12);
  prefix.writeUInt32LE(crc32(json), 16);
  prefix.writeUInt32LE(crc32(outputBytes, crc32(inputBytes)), 20);
  await writeFileAtomically(file, async (handle) => {
    for (const part of [prefix, json, padding, inputBytes, outputBytes]) await writeAllBytes(handle, part);
  });
}

function bytesOf(array: Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Reads and checks a checkpoint; every problem is a one-line UserError naming the file. */
export async function readCheckpoint(file: string): Promise<Checkpoint> {
  const refuse = (why: string) => new UserError(`${file}: ${why}; it cannot be resumed`);
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(file);
  } catch (error) {
    throw openFailure(file, 'checkpoint file', error);
  }
  if (bytes.length < PREFIX_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) throw refuse('not a w2v checkpoint');
  const version = bytes.readUInt32LE(8);
  if (version !== CHECKPOINT_VERSION) throw refuse(`checkpoint format version ${version}, this w2v reads version ${CHECKPOINT_VERSION}`);
  const headerBytes = bytes.readUInt32LE(12);
  if (headerBytes > MAX_HEADER_BYTES || PREFIX_BYTES + headerBytes > bytes.length) throw refuse('the file is truncated (header)');
  const json = bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes);
  if (crc32(json) !== bytes.readUInt32LE(16)) throw refuse('the header is corrupt (checksum mismatch)');
  let header: CheckpointHeader;
  try {
    header = JSON.parse(json.toString('utf8')) as CheckpointHeader;
  } catch {
    throw refuse('the header is not valid JSON');
  }
  checkHeader(header, refuse);
  if (header.plan.pieceWords === 0) header.plan.pieceWords = Infinity;
  const weightsStart = PREFIX_BYTES + headerBytes + ((4 - ((PREFIX_BYTES + headerBytes) % 4)) % 4);
  const layerBytes = header.layout.vocabSize * header.layout.stride * 4;
  const expected = weightsStart + 2 * layerBytes;
  if (bytes.length < expected) throw refuse(`the file is truncated (${bytes.length} bytes, the header describes ${expected})`);
  if (bytes.length > expected) throw refuse(`${bytes.length - expected} unexpected bytes after the weights`);
  const weights = bytes.subarray(weightsStart);
  if (crc32(weights) !== bytes.readUInt32LE(20)) throw refuse('the weights are corrupt (checksum mismatch)');
  // Copies, aligned for Float32Array whatever the header's length.
  const input = new Float32Array(layerBytes / 4);
  const output = new Float32Array(layerBytes / 4);
  new Uint8Array(input.buffer).set(weights.subarray(0, layerBytes));
  new Uint8Array(output.buffer).set(weights.subarray(layerBytes, 2 * layerBytes));
  return { header, input, output };
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
}
