import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainingKernel } from '../../src/kernel/kernel.js';
import { createReferenceKernel } from '../../src/kernel/reference/kernel.js';
import { compileKernelModule, instantiateWasmKernel, wasmSimdAvailable } from '../../src/kernel/wasm.js';
import { readSlotResults, type MemoryLayout } from '../../src/train/shared-memory.js';
import { LOSS_CASES, makeKernelModel, type KernelModel } from '../support/kernel-model.js';

const VOCAB = 61; // not a multiple of 4: the score passes' scalar tails run too
const DIM = 22; // not a multiple of 4: the padding must stay inert

function run(kernel: TrainingKernel, m: KernelModel) {
  // Several chunks in a row, so that errors would compound if the kernels diverged.
  for (let pass = 0; pass < 3; pass++) {
    kernel.trainChunk(m.layout.header, m.layout.slots[0], m.entries, m.words, 0.05, 0.01, 1234 + pass);
  }
  return readSlotResults(m.memory.buffer, m.layout.slots[0]);
}

/** The input rows, or the whole output block (a mixture's projections and gates after the output rows). */
function weightsOf(m: KernelModel, which: 'inputWeights' | 'outputWeights') {
  const floats = which === 'outputWeights' ? m.layout.outputFloats : VOCAB * m.layout.stride;
  return new Float32Array(m.memory.buffer, m.layout[which], floats);
}

function assertClose(x: Float32Array, y: Float32Array, layout: MemoryLayout, what: string) {
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < x.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
    maxAbs = Math.max(maxAbs, Math.abs(x[i]));
  }
  assert.ok(maxDiff <= 1e-4 * Math.max(1, maxAbs), `${what}: max difference ${maxDiff}`);
  for (let row = 0; row < x.length / layout.stride; row++) {
    for (let i = DIM; i < layout.stride; i++) assert.equal(y[row * layout.stride + i], 0, 'padding stays zero');
  }
}

describe('WebAssembly SIMD kernel matches the TypeScript reference', { skip: !wasmSimdAvailable() && 'no WebAssembly SIMD' }, () => {
  const module = compileKernelModule();
  for (const model of ['sg', 'cbow'] as const) {
    for (const { name, ...spec } of LOSS_CASES) {
      it(`${model} + ${name}: same updates within float tolerance`, () => {
        const make = () => makeKernelModel({ model, vocab: VOCAB, dim: DIM, ...spec });
        const a = make();
        const b = make();
        const before = Float32Array.from(weightsOf(a, 'inputWeights'));
        const reference = run(createReferenceKernel(a.memory), a);
        const simd = run(instantiateWasmKernel(module, b.memory), b);

        assert.equal(simd.wordsSeen, reference.wordsSeen);
        assert.equal(simd.wordsTrained, reference.wordsTrained, 'same subsampling draws');
        assert.equal(simd.predictions, reference.predictions, 'same windows');
        assert.ok(reference.predictions > 0);
        assert.ok(Math.abs(simd.lossSum - reference.lossSum) <= 1e-3 * reference.lossSum, `loss ${simd.lossSum} vs ${reference.lossSum}`);
        for (const which of ['inputWeights', 'outputWeights'] as const) assertClose(weightsOf(a, which), weightsOf(b, which), a.layout, which);

        // Training really moved the weights (a kernel that does nothing would also "agree").
        const after = weightsOf(b, 'inputWeights');
        let moved = 0;
        for (let i = 0; i < after.length; i++) moved = Math.max(moved, Math.abs(after[i] - before[i]));
        assert.ok(moved > 1e-3, `input weights moved by ${moved}`);
      });
    }
  }
});
