import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAliasTable } from '../src/alias-table.js';
import { buildHuffmanTree } from '../src/huffman.js';
import type { TrainingKernel } from '../src/kernel/kernel.js';
import { createReferenceKernel } from '../src/kernel/reference.js';
import { compileKernelModule, instantiateWasmKernel, wasmSimdAvailable } from '../src/kernel/wasm.js';
import type { LossType, ModelType } from '../src/options.js';
import { Random } from '../src/random.js';
import {
  SENTENCE_END, createSharedMemory, planLayout, readSlotResults, slotTokenOffset, type MemoryLayout,
} from '../src/shared-memory.js';
import { keepProbabilities } from '../src/subsampling.js';

const VOCAB = 60;
const DIM = 22; // not a multiple of 4: the padding must stay inert

function zipfCounts(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.round(5000 / (i + 1)) + 1);
}

/** A model in shared memory with seeded weights and a chunk of random sentences in slot 0. */
function makeModel(model: ModelType, loss: LossType, sharedNegatives: boolean) {
  const counts = zipfCounts(VOCAB);
  const huffman = loss === 'hs' ? buildHuffmanTree(counts) : undefined;
  const tokens: number[] = [];
  const random = new Random(42);
  for (let s = 0; s < 40; s++) {
    const length = 3 + (random.nextUint32() % 20);
    for (let t = 0; t < length; t++) tokens.push(random.nextUint32() % VOCAB);
    tokens.push(SENTENCE_END);
  }
  const layout = planLayout({
    vocabSize: VOCAB, dim: DIM, model, loss, window: 4, negative: 5, sharedNegatives, maxSentenceLength: 1000,
    huffmanCodeTotal: huffman?.codes.length ?? 0, chunkCapacity: tokens.length, slots: 1,
  });
  const total = counts.reduce((a, b) => a + b, 0);
  const memory = createSharedMemory(layout, {
    keepProbability: keepProbabilities(counts, total, 1e-2),
    aliasTable: loss === 'ns' ? buildAliasTable(counts) : undefined,
    huffman,
  });
  const weights = new Float32Array(memory.buffer, layout.inputWeights, VOCAB * layout.stride);
  const init = new Random(7);
  for (let row = 0; row < VOCAB; row++) {
    for (let i = 0; i < DIM; i++) weights[row * layout.stride + i] = (init.nextFloat() - 0.5) / DIM;
  }
  new Uint32Array(memory.buffer, slotTokenOffset(memory.buffer, layout.slots[0]), tokens.length).set(tokens);
  const words = tokens.filter((t) => t !== SENTENCE_END).length;
  return { memory, layout, tokens: tokens.length, words };
}

function run(kernel: TrainingKernel, layout: MemoryLayout, tokens: number, words: number, memory: WebAssembly.Memory) {
  // Several chunks in a row, so that errors would compound if the kernels diverged.
  for (let pass = 0; pass < 3; pass++) {
    kernel.trainChunk(layout.header, layout.slots[0], tokens, words, 0.05, 0.01, 1234 + pass);
  }
  return readSlotResults(memory.buffer, layout.slots[0]);
}

function weightsOf(memory: WebAssembly.Memory, layout: MemoryLayout, which: 'inputWeights' | 'outputWeights') {
  return new Float32Array(memory.buffer, layout[which], VOCAB * layout.stride);
}

describe('WebAssembly SIMD kernel matches the TypeScript reference', { skip: !wasmSimdAvailable() && 'no WebAssembly SIMD' }, () => {
  const module = compileKernelModule();
  const combinations = [
    ['sg', 'ns', false], ['sg', 'ns', true], ['sg', 'hs', false], ['cbow', 'ns', false], ['cbow', 'hs', false],
  ] as const;
  for (const [model, loss, sharedNegatives] of combinations) {
    it(`${model} + ${loss}${sharedNegatives ? ' (shared negatives)' : ''}: same updates within float tolerance`, () => {
      const a = makeModel(model, loss, sharedNegatives);
      const b = makeModel(model, loss, sharedNegatives);
      const before = Float32Array.from(weightsOf(a.memory, a.layout, 'inputWeights'));
      const reference = run(createReferenceKernel(a.memory), a.layout, a.tokens, a.words, a.memory);
      const simd = run(instantiateWasmKernel(module, b.memory), b.layout, b.tokens, b.words, b.memory);

      assert.equal(simd.wordsSeen, reference.wordsSeen);
      assert.equal(simd.wordsTrained, reference.wordsTrained, 'same subsampling draws');
      assert.equal(simd.lossTerms, reference.lossTerms, 'same negative draws and windows');
      assert.ok(Math.abs(simd.lossSum - reference.lossSum) <= 1e-3 * reference.lossSum);

      for (const which of ['inputWeights', 'outputWeights'] as const) {
        const x = weightsOf(a.memory, a.layout, which);
        const y = weightsOf(b.memory, b.layout, which);
        let maxDiff = 0;
        let maxAbs = 0;
        for (let i = 0; i < x.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
          maxAbs = Math.max(maxAbs, Math.abs(x[i]));
        }
        assert.ok(maxDiff <= 1e-4 * Math.max(1, maxAbs), `${which}: max difference ${maxDiff}`);
        for (let row = 0; row < VOCAB; row++) {
          for (let i = DIM; i < a.layout.stride; i++) assert.equal(y[row * a.layout.stride + i], 0, 'padding stays zero');
        }
      }
      // Training really moved the weights (a kernel that does nothing would also "agree").
      const after = weightsOf(b.memory, b.layout, 'inputWeights');
      let moved = 0;
      for (let i = 0; i < after.length; i++) moved = Math.max(moved, Math.abs(after[i] - before[i]));
      assert.ok(moved > 1e-3, `input weights moved by ${moved}`);
    });
  }
});
