import { UserError } from './errors.js';
import type { AliasTable } from './alias-table.js';
import type { HuffmanTree } from './huffman.js';
import type { LossType, ModelType } from './options.js';

/**
 * The byte layout of the one shared WebAssembly.Memory that holds the weights, the read-only
 * tables and one scratch slot per concurrently running task. The host owns the layout: this
 * module computes every offset, writes them into a small header block, and both kernels
 * (WebAssembly and the TypeScript reference) read the offsets from there. Nothing else in the
 * project hard-codes a position in memory.
 */

/** C word2vec's sigmoid table: 1000 entries over [-6, 6]. */
export const EXP_TABLE_SIZE = 1000;
export const MAX_EXP = 6;

/** Rows are padded to a multiple of 4 floats so every row starts 16-byte aligned for f32x4. */
export function paddedStride(dim: number): number {
  return (dim + 3) & ~3;
}

/** Marks the end of a sentence in the encoded corpus and in a chunk. */
export const SENTENCE_END = 0xffffffff;

/** Byte offsets of the fields of the header block (all u32). The kernels mirror these numbers. */
export const HeaderField = {
  vocabSize: 0,
  dim: 4,
  stride: 8,
  window: 12,
  negative: 16,
  /** bit 0: CBOW (else skip-gram); bit 1: hierarchical softmax (else negative sampling); bit 2: shared negatives */
  flags: 20,
  inputWeights: 24,
  outputWeights: 28,
  keepProbability: 32,
  aliasProbability: 36,
  aliasIndex: 40,
  huffmanOffsets: 44,
  huffmanCodes: 48,
  huffmanPoints: 52,
  sigmoidTable: 56,
  lossTable: 60,
  maxSentenceLength: 64,
} as const;
export const HEADER_BYTES = 128;

export const FLAG_CBOW = 1;
export const FLAG_HIERARCHICAL_SOFTMAX = 2;
/** Skip-gram with negative sampling draws the noise words once per centre word. */
export const FLAG_SHARED_NEGATIVES = 4;

/**
 * A scratch slot starts with the task's results (f64, written by the kernel) followed by the
 * offsets of its buffers (u32, written by the host).
 */
export const SlotField = {
  wordsSeen: 0,
  wordsTrained: 8,
  lossSum: 16,
  lossTerms: 24,
  hidden: 32,
  hiddenError: 36,
  sentence: 40,
  tokens: 44,
  negatives: 48,
} as const;
const SLOT_HEADER_BYTES = 64;

const WASM_PAGE = 65536;
/** wasm32 addresses 4 GiB; larger models cannot exist in one memory. */
const MAX_PAGES = 65536;

export interface ModelShape {
  vocabSize: number;
  dim: number;
  model: ModelType;
  loss: LossType;
  window: number;
  negative: number;
  sharedNegatives: boolean;
  maxSentenceLength: number;
  /** Total length of all Huffman codes (0 for negative sampling). */
  huffmanCodeTotal: number;
  /** Capacity of each slot's token buffer: the longest chunk, sentence marks included. */
  chunkCapacity: number;
  slots: number;
}

export interface MemoryLayout {
  shape: ModelShape;
  stride: number;
  header: number;
  inputWeights: number;
  outputWeights: number;
  keepProbability: number;
  aliasProbability: number;
  aliasIndex: number;
  huffmanOffsets: number;
  huffmanCodes: number;
  huffmanPoints: number;
  sigmoidTable: number;
  lossTable: number;
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

export function planLayout(shape: ModelShape): MemoryLayout {
  const stride = paddedStride(shape.dim);
  const V = shape.vocabSize;
  const hs = shape.loss === 'hs';
  const a = new Allocator();
  const header = a.take(HEADER_BYTES);
  const inputWeights = a.take(V * stride * 4);
  const outputWeights = a.take(V * stride * 4);
  const keepProbability = a.take(V * 4);
  const aliasProbability = a.take(hs ? 0 : V * 4);
  const aliasIndex = a.take(hs ? 0 : V * 4);
  const huffmanOffsets = a.take(hs ? (V + 1) * 4 : 0);
  const huffmanCodes = a.take(hs ? shape.huffmanCodeTotal : 0);
  const huffmanPoints = a.take(hs ? shape.huffmanCodeTotal * 4 : 0);
  const sigmoidTable = a.take(EXP_TABLE_SIZE * 4);
  const lossTable = a.take(EXP_TABLE_SIZE * 4);
  const slots: number[] = [];
  const slotTokens: number[] = [];
  for (let i = 0; i < shape.slots; i++) {
    slots.push(a.take(SLOT_HEADER_BYTES + 2 * stride * 4 + shape.maxSentenceLength * 4 + shape.negative * 4));
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
    shape, stride, header, inputWeights, outputWeights, keepProbability, aliasProbability, aliasIndex,
    huffmanOffsets, huffmanCodes, huffmanPoints, sigmoidTable, lossTable, slots, slotTokens, totalBytes, pages,
  };
}

export interface ModelTables {
  keepProbability: Float32Array;
  aliasTable?: AliasTable;
  huffman?: HuffmanTree;
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
  set(
    HeaderField.flags,
    (shape.model === 'cbow' ? FLAG_CBOW : 0) |
      (shape.loss === 'hs' ? FLAG_HIERARCHICAL_SOFTMAX : 0) |
      (shape.loss === 'ns' && shape.sharedNegatives ? FLAG_SHARED_NEGATIVES : 0),
  );
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
  if (shape.loss === 'ns') {
    if (!tables.aliasTable) throw new Error('negative sampling needs an alias table');
    new Float32Array(buffer, layout.aliasProbability, shape.vocabSize).set(tables.aliasTable.probability);
    new Uint32Array(buffer, layout.aliasIndex, shape.vocabSize).set(tables.aliasTable.alias);
  } else {
    if (!tables.huffman) throw new Error('hierarchical softmax needs a Huffman tree');
    new Uint32Array(buffer, layout.huffmanOffsets, shape.vocabSize + 1).set(tables.huffman.offsets);
    new Uint8Array(buffer, layout.huffmanCodes, shape.huffmanCodeTotal).set(tables.huffman.codes);
    new Uint32Array(buffer, layout.huffmanPoints, shape.huffmanCodeTotal).set(tables.huffman.points);
  }
  writeSigmoidTables(buffer, layout);
  for (let i = 0; i < layout.slots.length; i++) {
    const slot = layout.slots[i];
    const fields = new Uint32Array(buffer, slot, SLOT_HEADER_BYTES / 4);
    const hidden = slot + SLOT_HEADER_BYTES;
    fields[SlotField.hidden / 4] = hidden;
    fields[SlotField.hiddenError / 4] = hidden + layout.stride * 4;
    fields[SlotField.sentence / 4] = hidden + 2 * layout.stride * 4;
    fields[SlotField.tokens / 4] = layout.slotTokens[i];
    fields[SlotField.negatives / 4] = hidden + 2 * layout.stride * 4 + shape.maxSentenceLength * 4;
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
  return { wordsSeen: f64[0], wordsTrained: f64[1], lossSum: f64[2], lossTerms: f64[3] };
}

export function slotTokenOffset(buffer: ArrayBufferLike, slot: number): number {
  return new Uint32Array(buffer, slot, SLOT_HEADER_BYTES / 4)[SlotField.tokens / 4];
}
