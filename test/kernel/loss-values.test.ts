import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createReferenceKernel } from '../../src/kernel/reference/kernel.js';
import { compileKernelModule, instantiateWasmKernel, wasmSimdAvailable } from '../../src/kernel/wasm.js';
import type { TrainingKernel } from '../../src/kernel/kernel.js';
import { readSlotResults } from '../../src/train/shared-memory.js';
import { HeaderField, SlotField } from '../../src/kernel/layout.js';
import { makeKernelModel } from '../support/kernel-model.js';

// A worked example, by hand: V = 4, h = (1, 0, 0, 0), so each word's score is the first
// component of its output row: z = (0.5, -1, 2, 0). Two noise draws (k = 2) with
// k·q = (0.5, 1, 0.25, 0.25); target word 0, noise words 1 and 2.
//   Δ = z - ln(k·q):  Δ0 = 0.5 + ln 2 = 1.193147,  Δ1 = -1,  Δ2 = 2 + ln 4 = 3.386294
// NCE: ln(1 + e^-Δ0) + ln(1 + e^Δ1) + ln(1 + e^Δ2) = 0.264873 + 0.313262 + 3.419568 = 3.997703
//   steps per unit alpha: 1 - σ(Δ0) = 0.232697, -σ(Δ1) = -0.268941, -σ(Δ2) = -0.967273
// sampled: e^Δ = (3.297443, 0.367879, 29.556224), sum 33.221546;
//   -ln(e^Δ0 / sum) = 3.503198 - 1.193147 = 2.310051
//   steps: 1 - p0 = 0.900744, -p1 = -0.011074, -p2 = -0.889670
const Z = [0.5, -1, 2, 0];
const K_Q = [0.5, 1, 0.25, 0.25];
const EXAMPLES = {
  nce: { loss: 3.997703, steps: [0.232697, -0.268941, -0.967273, 0] },
  sampled: { loss: 2.310051, steps: [0.900744, -0.011074, -0.88967, 0] },
} as const;

function runExample(loss: 'nce' | 'sampled', makeKernel: (memory: WebAssembly.Memory) => TrainingKernel) {
  const m = makeKernelModel({ model: 'sg', loss, vocab: 4, dim: 4, negative: 2, tokens: [] });
  const f32 = new Float32Array(m.memory.buffer);
  const u32 = new Uint32Array(m.memory.buffer);
  const slot = m.layout.slots[0];
  const hidden = u32[(slot + SlotField.hidden) >> 2];
  f32.set([1, 0, 0, 0], hidden >> 2);
  Z.forEach((z, j) => (f32[(m.layout.outputWeights >> 2) + j * m.layout.stride] = z));
  const noiseLog = u32[(m.layout.header + HeaderField.noiseLog) >> 2] >> 2;
  K_Q.forEach((kq, j) => (f32[noiseLog + j] = Math.log(kq)));
  u32.set([1, 2], u32[(slot + SlotField.negatives) >> 2] >> 2);
  const kernel = makeKernel(m.memory);
  kernel.predictOnce(m.layout.header, slot, hidden, 0, 0, 1);
  const value = readSlotResults(m.memory.buffer, slot).lossSum;
  kernel.predictOnce(m.layout.header, slot, hidden, 0, 1, 1);
  const steps = Z.map((z, j) => f32[(m.layout.outputWeights >> 2) + j * m.layout.stride] - z);
  return { value, steps };
}

describe('NCE and sampled softmax on a hand-computed example', () => {
  const kernels: Array<[string, (memory: WebAssembly.Memory) => TrainingKernel]> = [['reference', createReferenceKernel]];
  if (wasmSimdAvailable()) {
    const module = compileKernelModule();
    kernels.push(['SIMD', (memory) => instantiateWasmKernel(module, memory)]);
  }
  for (const [kernelName, makeKernel] of kernels) {
    for (const loss of ['nce', 'sampled'] as const) {
      it(`${loss} (${kernelName} kernel): loss and steps as worked out by hand`, () => {
        const { value, steps } = runExample(loss, makeKernel);
        const expected = EXAMPLES[loss];
        assert.ok(Math.abs(value - expected.loss) < 2e-6, `loss ${value}, by hand ${expected.loss}`);
        steps.forEach((step, j) => assert.ok(Math.abs(step - expected.steps[j]) < 2e-6, `word ${j}: step ${step}, by hand ${expected.steps[j]}`));
      });
    }
  }
});
