// A model laid out in shared memory exactly as the trainer lays it out, for kernel tests.
import { buildLossTables } from '../../src/model/loss-tables.js';
import { DEFAULT_BANDS, SAMPLING_LOSSES, type Activation, type Band, type HsTree, type LossType, type ModelType } from '../../src/model/options.js';
import { Random } from '../../src/base/random.js';
import { initialiseMixture, mixtureRowCount } from '../../src/model/mixture.js';
import { createSharedMemory, planLayout, slotTokenOffset, type MemoryLayout } from '../../src/train/shared-memory.js';
import { initialiseOutputWeights } from '../../src/train/model-memory.js';
import type { AdaptiveLayout } from '../../src/model/adaptive-clusters.js';
import { SENTENCE_END } from '../../src/corpus/id-file.js';
import { keepProbabilities } from '../../src/model/subsampling.js';

export interface KernelModelSpec {
  model: ModelType;
  loss: LossType;
  vocab: number;
  dim: number;
  activation?: Activation;
  taylorOrder?: number;
  margin?: number;
  /** Components of a mixture of softmaxes (1: none). */
  mixture?: number;
  hsTree?: HsTree;
  bands?: readonly Band[];
  /** adaptive: the cutoffs (default: by frequency) and the divisor of the tails' dimensions */
  cutoffs?: number[];
  divValue?: number;
  sharedNegatives?: boolean;
  negative?: number;
  window?: number;
  /** Subsampling threshold; 0 keeps every word. */
  sample?: number;
  /** Scale of the random output weights (0: zero, as training starts). */
  outputScale?: number;
  tokens?: number[];
  seed?: number;
}

export interface KernelModel {
  memory: WebAssembly.Memory;
  layout: MemoryLayout;
  counts: Float64Array;
  /** Entries (tokens and sentence marks) and words in slot 0's token buffer. */
  entries: number;
  words: number;
}

export function zipfCounts(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.round(5000 / (i + 1)) + 1);
}

export const LOSS_CASES: ReadonlyArray<{ name: string; loss: LossType } & Partial<KernelModelSpec>> = [
  { name: 'ns', loss: 'ns' },
  { name: 'ns (fresh noise per pair)', loss: 'ns', sharedNegatives: false },
  { name: 'hs', loss: 'hs' },
  { name: 'hs (balanced tree)', loss: 'hs', hsTree: 'balanced' },
  { name: 'nce', loss: 'nce' },
  { name: 'nce (fresh noise per pair)', loss: 'nce', sharedNegatives: false },
  { name: 'sampled', loss: 'sampled' },
  { name: 'sampled (fresh proposals per pair)', loss: 'sampled', sharedNegatives: false },
  { name: 'softmax', loss: 'softmax' },
  { name: 'softmax (soft margin)', loss: 'softmax', margin: 0.5 },
  { name: 'softmax (sigsoftmax)', loss: 'softmax', activation: 'sig' },
  { name: 'softmax (Taylor)', loss: 'softmax', activation: 'taylor' },
  { name: 'softmax (SM-Taylor)', loss: 'softmax', activation: 'taylor', margin: 0.5 },
  { name: 'softmax (Taylor, order 4)', loss: 'softmax', activation: 'taylor', taylorOrder: 4 },
  { name: 'softmax (Taylor, order 6)', loss: 'softmax', activation: 'taylor', taylorOrder: 6 },
  { name: 'softmax (Taylor, order 10)', loss: 'softmax', activation: 'taylor', taylorOrder: 10 },
  { name: 'softmax (SM-Taylor, order 4)', loss: 'softmax', activation: 'taylor', taylorOrder: 4, margin: 0.5 },
  { name: 'dsoftmax (Taylor, order 6)', loss: 'dsoftmax', activation: 'taylor', taylorOrder: 6 },
  { name: 'dsoftmax', loss: 'dsoftmax' },
  { name: 'dsoftmax (sigsoftmax)', loss: 'dsoftmax', activation: 'sig' },
  { name: 'mixture of 3 softmaxes', loss: 'softmax', mixture: 3 },
  { name: 'mixture of 2 sigsoftmaxes (soft margin)', loss: 'softmax', activation: 'sig', mixture: 2, margin: 0.5 },
];

/** The adaptive softmax's cases, for a vocabulary of a dozen words or more: its weights are not one row per word. */
export const ADAPTIVE_CASES: ReadonlyArray<{ name: string; loss: LossType } & Partial<KernelModelSpec>> = [
  { name: 'adaptive (default cutoffs)', loss: 'adaptive' },
  { name: 'adaptive (cutoffs 3,7, div 2)', loss: 'adaptive', cutoffs: [3, 7], divValue: 2 },
  { name: 'adaptive (cutoffs 5, div 4)', loss: 'adaptive', cutoffs: [5], divValue: 4 },
];

export function makeKernelModel(spec: KernelModelSpec): KernelModel {
  const { vocab, dim, loss } = spec;
  const counts = zipfCounts(vocab);
  const negative = SAMPLING_LOSSES.includes(loss) ? (spec.negative ?? 5) : 0;
  const tables = buildLossTables(
    { loss, hsTree: spec.hsTree ?? 'huffman', bands: [...(spec.bands ?? DEFAULT_BANDS)], dim, negative, cutoffs: spec.cutoffs, divValue: spec.divValue ?? 4 },
    counts,
  );
  const { tree, bands, adaptive } = tables;
  const tokens = spec.tokens ?? randomSentences(vocab, spec.seed ?? 42);
  const layout = planLayout({
    vocabSize: vocab, dim, model: spec.model, loss, activation: spec.activation ?? 'exp', taylorOrder: spec.taylorOrder ?? 2, margin: spec.margin ?? 0, mixture: spec.mixture ?? 1, bands,
    window: spec.window ?? 4, negative, sharedNegatives: spec.sharedNegatives ?? true, maxSentenceLength: 1000,
    huffmanCodeTotal: tree?.codes.length ?? 0, chunkCapacity: Math.max(1, tokens.length), slots: 1, adaptive,
  });
  const total = counts.reduce((a, b) => a + b, 0);
  const memory = createSharedMemory(layout, { keepProbability: keepProbabilities(counts, total, spec.sample ?? 1e-2), ...tables });
  const init = new Random(7);
  const fill = (offset: number, scale: number) => {
    const weights = new Float32Array(memory.buffer, offset, vocab * layout.stride);
    for (let row = 0; row < vocab; row++) {
      for (let i = 0; i < dim; i++) weights[row * layout.stride + i] = (init.nextFloat() - 0.5) * scale;
    }
  };
  fill(layout.inputWeights, 1 / dim);
  const mixture = spec.mixture ?? 1;
  if (adaptive) {
    const output = new Float32Array(memory.buffer, layout.outputWeights, layout.outputFloats);
    if (spec.outputScale) fillAdaptive(output, layout.stride, dim, adaptive, () => (init.nextFloat() - 0.5) * spec.outputScale!);
    else initialiseOutputWeights(output, layout.stride, { seed: spec.seed ?? 42, dim, mixture }, adaptive);
  } else if (spec.outputScale) fill(layout.outputWeights, spec.outputScale);
  if (mixture > 1) {
    const rows = new Float32Array(memory.buffer, layout.outputWeights + vocab * layout.stride * 4, mixtureRowCount(mixture, dim) * layout.stride);
    initialiseMixture(rows, mixture, dim, layout.stride, 11);
    // Gates that differ, so the mixture's weights are not all equal.
    const gates = mixture * dim * layout.stride;
    for (let k = 0; k < mixture; k++) for (let i = 0; i < dim; i++) rows[gates + k * layout.stride + i] = (init.nextFloat() - 0.5) * (spec.outputScale ?? 0);
  }
  new Uint32Array(memory.buffer, slotTokenOffset(memory.buffer, layout.slots[0]), tokens.length).set(tokens);
  const words = tokens.filter((t) => t !== SENTENCE_END).length;
  return { memory, layout, counts, entries: tokens.length, words };
}

/** Every weight of an adaptive block (head, projections, tails) from `draw`; the padding stays zero. */
function fillAdaptive(output: Float32Array, stride: number, dim: number, adaptive: AdaptiveLayout, draw: () => number): void {
  const rows = (first: number, count: number, rowStride: number, width: number) => {
    for (let r = 0; r < count; r++) for (let i = 0; i < width; i++) output[first + r * rowStride + i] = draw();
  };
  rows(0, adaptive.shortlist + adaptive.clusters.length, stride, dim);
  for (const c of adaptive.clusters) {
    rows(c.projection, c.dim, stride, dim);
    rows(c.rows, c.endWord - c.firstWord, c.stride, c.dim);
  }
}

function randomSentences(vocab: number, seed: number): number[] {
  const tokens: number[] = [];
  const random = new Random(seed);
  for (let s = 0; s < 40; s++) {
    const length = 3 + (random.nextUint32() % 20);
    for (let t = 0; t < length; t++) tokens.push(random.nextUint32() % vocab);
    tokens.push(SENTENCE_END);
  }
  return tokens;
}
