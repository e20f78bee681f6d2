import { UserError } from '../base/errors.js';
import { paddedStride } from '../model/row-stride.js';
import type { AdaptiveLayout } from '../model/adaptive-clusters.js';
import type { AliasTable } from '../model/alias-table.js';
import type { BandLayout } from '../model/bands.js';
import type { CodeTree } from '../model/code-tree.js';
import { mixtureRowCount } from '../model/mixture.js';
import { CORRECTED_LOSSES, EXACT_LOSSES, SAMPLING_LOSSES, type Activation, type LossType, type ModelType } from '../model/options.js';
import {
  ActivationId, ADAPTIVE_CLUSTER_FIELDS, BAND_FIELDS, EXP_TABLE_SIZE, FLAG_CBOW, FLAG_SHARED_NEGATIVES, HEADER_BYTES, HeaderField, LossId, MAX_EXP, SlotField,
} from '../kernel/layout.js';

/** The kernel's ids, checked to cover every output layer and activation that the options offer. */
const LOSS_IDS: Readonly<Record<LossType, number>> = LossId;
const ACTIVATION_IDS: Readonly<Record<Activation, number>> = ActivationId;

/**
 * The byte layout of the one shared WebAssembly.Memory that holds the weights, the read-only
 * tables and one scratch slot per concurrently running task. The host owns the layout: this
 * module computes every offset, writes them into a small header block, and both kernels
 * (WebAssembly and the TypeScript reference) read the offsets from there. Nothing else in the
 * project hard-codes a position in memory.
 */

const SLOT_HEADER_BYTES = 112;

/**
 * Output rows that every prediction writes are where Hogwild workers collide: two threads
 * writing the same row spend their time moving its cache lines between cores. The exact softmax
 * losses write every row (4× slower on 2 cores than on one, measured); hierarchical softmax
 * writes the top of the tree on every prediction. So each worker trains on its own copy of those
 * rows and adds what it changed into the shared ones every `syncEvery` predictions and at the end
 * of a task: Hogwild with a bounded delay on the hot rows, plain Hogwild on the rest. With one
 * worker it is the same algorithm up to rounding.
 */
export interface PrivateRows {
  first: number;
  rows: number;
  syncEvery: number;
}

/** hs: the top levels of the tree (rows are numbered from the root down), merged every 128 predictions. */
export const HS_PRIVATE_ROWS = 63;

export function privateRowsFor(shape: Pick<ModelShape, 'loss' | 'vocabSize' | 'dim'> & Partial<Pick<ModelShape, 'mixture' | 'adaptive'>>): PrivateRows {
  // The whole output block. Exact softmax: every prediction writes every row, a mixture's
  // projections and gates after the output rows too. Adaptive: every prediction writes every head
  // row, and a prediction of a tail word writes its cluster's projection and every row of the
  // cluster (a softmax over it), so each part is as hot as the exact softmax's rows are, for the
  // share of predictions that reach it; the block is smaller than the exact softmax's V rows, so
  // the copy and its merges are too.
  if (EXACT_LOSSES.includes(shape.loss) || shape.loss === 'adaptive') return { first: 0, rows: outputFloats(shape) / paddedStride(shape.dim), syncEvery: 32 };
  if (shape.loss === 'hs') {
    // Inner nodes are rows 0..V-2, the root the last.
    const rows = Math.min(HS_PRIVATE_ROWS, Math.max(0, shape.vocabSize - 1));
    return { first: shape.vocabSize - 1 - rows, rows, syncEvery: 128 };
  }
  return { first: 0, rows: 0, syncEvery: 0 };
}

const WASM_PAGE = 65536;
/** wasm32 addresses 4 GiB; larger models cannot exist in one memory. */
const MAX_PAGES = 65536;

export interface ModelShape {
  vocabSize: number;
  dim: number;
  model: ModelType;
  loss: LossType;
  activation: Activation;
  /** The Taylor softmax's order (activation taylor). */
  taylorOrder: number;
  margin: number;
  /** Components of a mixture of softmaxes (1: the plain softmax). */
  mixture: number;
  window: number;
  negative: number;
  sharedNegatives: boolean;
  maxSentenceLength: number;
  /** Total length of all tree codes (hs only, else 0). */
  huffmanCodeTotal: number;
  /** Bands of the exact softmax losses (one for softmax), else empty. */
  bands: BandLayout[];
  /** The adaptive softmax's head and clusters (adaptive only). */
  adaptive?: AdaptiveLayout;
  /** Capacity of each slot's token buffer: the longest chunk, sentence marks included. */
  chunkCapacity: number;
  slots: number;
}

export interface MemoryLayout {
  shape: ModelShape;
  stride: number;
  header: number;
  inputWeights: number;
  /** The output block: the V output rows, then a mixture's rows; or the adaptive softmax's block. */
  outputWeights: number;
  /** Floats of the output block (see outputFloats). */
  outputFloats: number;
  keepProbability: number;
  aliasProbability: number;
  aliasIndex: number;
  huffmanOffsets: number;
  huffmanCodes: number;
  huffmanPoints: number;
  sigmoidTable: number;
  lossTable: number;
  noiseLog: number;
  bands: number;
  adaptiveClusters: number;
  slots: number[];
  slotTokens: number[];
  totalBytes: number;
  pages: number;
}

class Allocator {
  // The first page is left unused: a WebAssembly module may place its own statics low in memory.
  next = WASM_PAGE;
  take(bytes: number): number {
    const at = this.next;
    this.next = align16(at + bytes);
    return at;
  }
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/**
 * Scores one prediction keeps at once: every word (exact softmax; every word of every component
 * for a mixture, whose steps need all components' probabilities first), the target and its
 * proposals (sampled), the head's entries or the largest cluster's words (adaptive).
 */
export function scoreCapacity(shape: Pick<ModelShape, 'loss' | 'vocabSize' | 'negative' | 'mixture' | 'adaptive'>): number {
  if (EXACT_LOSSES.includes(shape.loss)) return shape.mixture * paddedStride(shape.vocabSize);
  if (shape.loss === 'sampled') return paddedStride(shape.negative + 1);
  if (shape.loss === 'adaptive') {
    const { shortlist, clusters } = shape.adaptive!;
    return paddedStride(Math.max(shortlist + clusters.length, ...clusters.map((c) => c.endWord - c.firstWord)));
  }
  return 0;
}

/**
 * Floats of the output block: a row per word (or inner node), then a mixture's projections and
 * gates (see mixtureRowCount); or the adaptive softmax's head, projections and tails.
 */
export function outputFloats(shape: Pick<ModelShape, 'vocabSize' | 'dim'> & Partial<Pick<ModelShape, 'mixture' | 'adaptive'>>): number {
  if (shape.adaptive) return shape.adaptive.floats;
  return (shape.vocabSize + mixtureRowCount(shape.mixture ?? 1, shape.dim)) * paddedStride(shape.dim);
}

/** The adaptive softmax's projected input and its step: floats of the widest cluster's rows. */
function projectedFloats(shape: ModelShape): number {
  return Math.max(0, ...(shape.adaptive?.clusters.map((c) => c.stride) ?? []));
}

/** A worker's copy of its private rows (and as much again for their snapshot). */
function outputCopyBytes(shape: ModelShape): number {
  return privateRowsFor(shape).rows * paddedStride(shape.dim) * 4;
}

export function planLayout(shape: ModelShape): MemoryLayout {
  const stride = paddedStride(shape.dim);
  const V = shape.vocabSize;
  const hs = shape.loss === 'hs';
  const sampling = SAMPLING_LOSSES.includes(shape.loss);
  const corrected = CORRECTED_LOSSES.includes(shape.loss);
  const scores = scoreCapacity(shape);
  const a = new Allocator();
  const header = a.take(HEADER_BYTES);
  const inputWeights = a.take(V * stride * 4);
  const outputWeights = a.take(outputFloats(shape) * 4);
  const keepProbability = a.take(V * 4);
  const aliasProbability = a.take(sampling ? V * 4 : 0);
  const aliasIndex = a.take(sampling ? V * 4 : 0);
  const huffmanOffsets = a.take(hs ? (V + 1) * 4 : 0);
  const huffmanCodes = a.take(hs ? shape.huffmanCodeTotal : 0);
  const huffmanPoints = a.take(hs ? shape.huffmanCodeTotal * 4 : 0);
  const sigmoidTable = a.take(EXP_TABLE_SIZE * 4);
  const lossTable = a.take(EXP_TABLE_SIZE * 4);
  const noiseLog = a.take(corrected ? V * 4 : 0);
  const bands = a.take(shape.bands.length * BAND_FIELDS * 4);
  const adaptiveClusters = a.take((shape.adaptive?.clusters.length ?? 0) * ADAPTIVE_CLUSTER_FIELDS * 4);
  const slots: number[] = [];
  const slotTokens: number[] = [];
  for (let i = 0; i < shape.slots; i++) {
    slots.push(a.take(slotBytes(stride, shape, scores, outputCopyBytes(shape), projectedFloats(shape)).total));
    slotTokens.push(a.take(shape.chunkCapacity * 4));
  }
  const totalBytes = a.next;
  const pages = Math.ceil(totalBytes / WASM_PAGE);
  if (pages > MAX_PAGES) {
    const gib = (totalBytes / 2 ** 30).toFixed(1);
    throw new UserError(
      `the model needs ${gib} GiB of weights and tables, above the 4 GiB a WebAssembly memory can address: ` +
        'lower --dim, raise --min-count or set --max-vocab',
    );
  }
  return {
    shape, stride, header, inputWeights, outputWeights, outputFloats: outputFloats(shape), keepProbability, aliasProbability, aliasIndex,
    huffmanOffsets, huffmanCodes, huffmanPoints, sigmoidTable, lossTable, noiseLog, bands, adaptiveClusters, slots, slotTokens, totalBytes, pages,
  };
}

/** Offsets of a slot's buffers from its start; each 16-byte aligned, for f32x4 loads. */
function slotBytes(stride: number, shape: Pick<ModelShape, 'maxSentenceLength' | 'negative' | 'mixture'>, scores: number, copyBytes: number, projected: number) {
  const hidden = SLOT_HEADER_BYTES;
  const hiddenError = hidden + stride * 4;
  const sentence = hiddenError + stride * 4;
  const negatives = align16(sentence + shape.maxSentenceLength * 4);
  const scoreAt = align16(negatives + shape.negative * 4);
  const activations = scoreAt + scores * 4;
  const outputCopy = align16(activations + scores * 4);
  const outputSnapshot = outputCopy + copyBytes;
  // The adaptive softmax's projected input and its step (projected floats each).
  const projectedAt = outputSnapshot + copyBytes;
  const projectedError = projectedAt + projected * 4;
  // A mixture's K contexts and their errors (stride floats each), and its K gates, normalisers and log p_k(w) (f64).
  const components = shape.mixture > 1 ? shape.mixture : 0;
  const mixtureContexts = projectedError + projected * 4;
  const mixtureErrors = mixtureContexts + components * stride * 4;
  const mixtureGates = mixtureErrors + components * stride * 4;
  const total = mixtureGates + components * 3 * 8;
  return {
    hidden, hiddenError, sentence, negatives, scores: scoreAt, activations, outputCopy, outputSnapshot, projected: projectedAt, projectedError,
    mixtureContexts, mixtureErrors, mixtureGates, total,
  };
}

export interface ModelTables {
  keepProbability: Float32Array;
  aliasTable?: AliasTable;
  /** log(k·q(w)) for nce and sampled */
  noiseLog?: Float32Array;
  tree?: CodeTree;
}

/**
 * Allocates the shared memory for a layout and fills the header, the tables and the slot
 * offsets. Weights are left zero; the trainer initialises the input weights.
 */
export function createSharedMemory(layout: MemoryLayout, tables: ModelTables): WebAssembly.Memory {
  const memory = new WebAssembly.Memory({ initial: layout.pages, maximum: layout.pages, shared: true });
  const buffer = memory.buffer;
  const { shape } = layout;
  const header = new Uint32Array(buffer, layout.header, HEADER_BYTES / 4);
  const set = (field: number, value: number) => {
    header[field / 4] = value;
  };
  set(HeaderField.vocabSize, shape.vocabSize);
  set(HeaderField.dim, shape.dim);
  set(HeaderField.stride, layout.stride);
  set(HeaderField.window, shape.window);
  set(HeaderField.negative, shape.negative);
  const sampling = SAMPLING_LOSSES.includes(shape.loss);
  set(
    HeaderField.flags,
    (shape.model === 'cbow' ? FLAG_CBOW : 0) | (sampling && shape.sharedNegatives ? FLAG_SHARED_NEGATIVES : 0),
  );
  set(HeaderField.loss, LOSS_IDS[shape.loss]);
  set(HeaderField.activation, ACTIVATION_IDS[shape.activation]);
  new Float32Array(buffer, layout.header + HeaderField.margin, 1)[0] = shape.margin;
  set(HeaderField.noiseLog, layout.noiseLog);
  set(HeaderField.bands, layout.bands);
  set(HeaderField.bandCount, shape.bands.length);
  const privateRows = privateRowsFor(shape);
  set(HeaderField.syncEvery, privateRows.syncEvery);
  set(HeaderField.copyFirstRow, privateRows.first);
  set(HeaderField.copyRows, privateRows.rows);
  set(HeaderField.taylorOrder, shape.taylorOrder);
  set(HeaderField.mixtureComponents, shape.mixture);
  set(HeaderField.adaptiveClusters, layout.adaptiveClusters);
  set(HeaderField.adaptiveClusterCount, shape.adaptive?.clusters.length ?? 0);
  set(HeaderField.adaptiveShortlist, shape.adaptive?.shortlist ?? 0);
  set(HeaderField.inputWeights, layout.inputWeights);
  set(HeaderField.outputWeights, layout.outputWeights);
  set(HeaderField.keepProbability, layout.keepProbability);
  set(HeaderField.aliasProbability, layout.aliasProbability);
  set(HeaderField.aliasIndex, layout.aliasIndex);
  set(HeaderField.huffmanOffsets, layout.huffmanOffsets);
  set(HeaderField.huffmanCodes, layout.huffmanCodes);
  set(HeaderField.huffmanPoints, layout.huffmanPoints);
  set(HeaderField.sigmoidTable, layout.sigmoidTable);
  set(HeaderField.lossTable, layout.lossTable);
  set(HeaderField.maxSentenceLength, shape.maxSentenceLength);

  new Float32Array(buffer, layout.keepProbability, shape.vocabSize).set(tables.keepProbability);
  if (sampling) {
    if (!tables.aliasTable) throw new Error(`${shape.loss} needs an alias table`);
    new Float32Array(buffer, layout.aliasProbability, shape.vocabSize).set(tables.aliasTable.probability);
    new Uint32Array(buffer, layout.aliasIndex, shape.vocabSize).set(tables.aliasTable.alias);
  }
  if (CORRECTED_LOSSES.includes(shape.loss)) {
    if (!tables.noiseLog) throw new Error(`${shape.loss} needs the noise log-probabilities`);
    new Float32Array(buffer, layout.noiseLog, shape.vocabSize).set(tables.noiseLog);
  }
  if (shape.loss === 'hs') {
    if (!tables.tree) throw new Error('hierarchical softmax needs a code tree');
    new Uint32Array(buffer, layout.huffmanOffsets, shape.vocabSize + 1).set(tables.tree.offsets);
    new Uint8Array(buffer, layout.huffmanCodes, shape.huffmanCodeTotal).set(tables.tree.codes);
    new Uint32Array(buffer, layout.huffmanPoints, shape.huffmanCodeTotal).set(tables.tree.points);
  }
  const bandTable = new Uint32Array(buffer, layout.bands, shape.bands.length * BAND_FIELDS);
  shape.bands.forEach((band, b) => {
    // The kernels work in whole lanes: a block's first lane and lane count.
    bandTable.set([band.firstWord, band.endWord, band.dimOffset / 4, Math.ceil((band.dimOffset + band.dims) / 4) - band.dimOffset / 4], b * BAND_FIELDS);
  });
  shape.adaptive?.clusters.forEach((c, i) => {
    // Offsets in bytes from the start of the output block (or of a worker's copy of it).
    const fields = [c.firstWord, c.endWord, c.stride / 4, c.dim, c.projection * 4, c.rows * 4];
    new Uint32Array(buffer, layout.adaptiveClusters, shape.adaptive!.clusters.length * ADAPTIVE_CLUSTER_FIELDS).set(fields, i * ADAPTIVE_CLUSTER_FIELDS);
  });
  writeSigmoidTables(buffer, layout);
  const within = slotBytes(layout.stride, shape, scoreCapacity(shape), outputCopyBytes(shape), projectedFloats(shape));
  for (let i = 0; i < layout.slots.length; i++) {
    const slot = layout.slots[i];
    const fields = new Uint32Array(buffer, slot, SLOT_HEADER_BYTES / 4);
    fields[SlotField.hidden / 4] = slot + within.hidden;
    fields[SlotField.hiddenError / 4] = slot + within.hiddenError;
    fields[SlotField.sentence / 4] = slot + within.sentence;
    fields[SlotField.tokens / 4] = layout.slotTokens[i];
    fields[SlotField.negatives / 4] = slot + within.negatives;
    fields[SlotField.scores / 4] = slot + within.scores;
    fields[SlotField.activations / 4] = slot + within.activations;
    const copies = outputCopyBytes(shape) > 0;
    fields[SlotField.outputCopy / 4] = copies ? slot + within.outputCopy : 0;
    fields[SlotField.outputSnapshot / 4] = copies ? slot + within.outputSnapshot : 0;
    fields[SlotField.projected / 4] = slot + within.projected;
    fields[SlotField.projectedError / 4] = slot + within.projectedError;
    const mixture = shape.mixture > 1;
    fields[SlotField.mixtureContexts / 4] = mixture ? slot + within.mixtureContexts : 0;
    fields[SlotField.mixtureErrors / 4] = mixture ? slot + within.mixtureErrors : 0;
    fields[SlotField.mixtureGates / 4] = mixture ? slot + within.mixtureGates : 0;
  }
  return memory;
}

/**
 * sigmoid(x) and -log(sigmoid(x)) sampled where C word2vec samples its table; computed here
 * because the kernel has no transcendental functions (and must carry no data segment).
 */
function writeSigmoidTables(buffer: ArrayBufferLike, layout: MemoryLayout): void {
  const sigmoid = new Float32Array(buffer, layout.sigmoidTable, EXP_TABLE_SIZE);
  const loss = new Float32Array(buffer, layout.lossTable, EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const x = ((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP;
    const e = Math.exp(x);
    sigmoid[i] = e / (e + 1);
    loss[i] = Math.log1p(Math.exp(-x));
  }
}

/** Views of one slot's results, read by the worker after the kernel ran. */
export function readSlotResults(buffer: ArrayBufferLike, slot: number) {
  const f64 = new Float64Array(buffer, slot, 4);
  return { wordsSeen: f64[0], wordsTrained: f64[1], lossSum: f64[2], predictions: f64[3] };
}

export function slotTokenOffset(buffer: ArrayBufferLike, slot: number): number {
  return new Uint32Array(buffer, slot, SLOT_HEADER_BYTES / 4)[SlotField.tokens / 4];
}
