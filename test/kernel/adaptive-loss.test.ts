import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainingKernel } from '../../src/kernel/kernel.js';
import { SlotField } from '../../src/kernel/layout.js';
import { createReferenceKernel } from '../../src/kernel/reference/kernel.js';
import { compileKernelModule, instantiateWasmKernel, wasmSimdAvailable } from '../../src/kernel/wasm.js';
import type { AdaptiveLayout } from '../../src/model/adaptive-clusters.js';
import { readSlotResults } from '../../src/train/shared-memory.js';
import { ADAPTIVE_CASES, makeKernelModel, type KernelModel, type KernelModelSpec } from '../support/kernel-model.js';

// The adaptive softmax's step, checked against the finite-difference gradient of its objective
// written out here from its definition (head rows, projections, tail rows and the input), and the
// SIMD kernel against the reference, one step and whole chunks.

const VOCAB = 13;
const DIM = 8;
const ALPHA = 1e-3;

function logSumExp(xs: number[]): number {
  const top = Math.max(...xs);
  return top + Math.log(xs.reduce((s, x) => s + Math.exp(x - top), 0));
}

/** -ln p(w) = -ln p_head(entry of w) - ln p_cluster(w | P_c h), in float64 from the block. */
function objective(block: Float64Array, h: Float64Array, layout: AdaptiveLayout, stride: number, word: number): number {
  const dot = (x: ArrayLike<number>, at: number, n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i] * block[at + i];
    return sum;
  };
  const { shortlist, clusters } = layout;
  const head = Array.from({ length: shortlist + clusters.length }, (_, j) => dot(h, j * stride, DIM));
  const c = clusters.findIndex((cluster) => word >= cluster.firstWord && word < cluster.endWord);
  const entry = c < 0 ? word : shortlist + c;
  let loss = logSumExp(head) - head[entry];
  if (c >= 0) {
    const cluster = clusters[c];
    const projected = Array.from({ length: cluster.dim }, (_, r) => dot(h, cluster.projection + r * stride, DIM));
    const tail = Array.from({ length: cluster.endWord - cluster.firstWord }, (_, k) => dot(projected, cluster.rows + k * cluster.stride, cluster.dim));
    loss += logSumExp(tail) - tail[word - cluster.firstWord];
  }
  return loss;
}

function slotAt(m: KernelModel, name: keyof typeof SlotField): number {
  return new Uint32Array(m.memory.buffer)[(m.layout.slots[0] + SlotField[name]) >> 2];
}

function blockOf(m: KernelModel): Float32Array {
  return new Float32Array(m.memory.buffer, m.layout.outputWeights, m.layout.outputFloats);
}

/** A model with random weights everywhere and a fixed input vector in the hidden buffer. */
function prepare(spec: Partial<KernelModelSpec>): KernelModel {
  const m = makeKernelModel({ model: 'sg', loss: 'adaptive', vocab: VOCAB, dim: DIM, outputScale: 0.8, tokens: [], ...spec });
  const f32 = new Float32Array(m.memory.buffer);
  const hidden = slotAt(m, 'hidden') >> 2;
  for (let i = 0; i < DIM; i++) f32[hidden + i] = Math.sin(3.7 * i + 1) * 0.8;
  return m;
}

describe('the adaptive softmax steps along the negative gradient of -log p(w)', () => {
  for (const { name, ...spec } of ADAPTIVE_CASES) {
    const layout = prepare(spec).layout.shape.adaptive!;
    // A word of the head, and the first and last word of every tail cluster.
    const targets = [0, ...layout.clusters.flatMap((c) => [c.firstWord, c.endWord - 1])];
    it(`${name}: clusters ${layout.clusters.map((c) => `${c.firstWord}..${c.endWord - 1} in ${c.dim}`).join(', ')}; every parameter, targets ${targets.join(', ')}`, () => {
      assert.ok(layout.clusters.length >= 1, 'at least one tail cluster');
      for (const word of targets) {
        const m = prepare(spec);
        const { stride } = m.layout;
        const f32 = new Float32Array(m.memory.buffer);
        const hidden = slotAt(m, 'hidden');
        const h = Float64Array.from(f32.subarray(hidden >> 2, (hidden >> 2) + DIM));
        const before = Float64Array.from(blockOf(m));
        const kernel = createReferenceKernel(m.memory);
        kernel.predictOnce(m.layout.header, m.layout.slots[0], hidden, word, 0, 1);
        const expected = objective(before, h, layout, stride, word);
        const measured = readSlotResults(m.memory.buffer, m.layout.slots[0]).lossSum;
        assert.ok(Math.abs(measured - expected) <= 1e-5 * Math.max(1, expected), `word ${word}: loss ${measured} vs objective ${expected}`);
        kernel.predictOnce(m.layout.header, m.layout.slots[0], hidden, word, ALPHA, 1);
        const after = blockOf(m);
        const error = f32.subarray(slotAt(m, 'hiddenError') >> 2, (slotAt(m, 'hiddenError') >> 2) + DIM);

        const eps = 1e-5;
        const check = (step: number, values: Float64Array, i: number, what: string) => {
          const x = values[i];
          values[i] = x + eps;
          const up = objective(before, h, layout, stride, word);
          values[i] = x - eps;
          const down = objective(before, h, layout, stride, word);
          values[i] = x;
          const gradient = (up - down) / (2 * eps);
          assert.ok(Math.abs(step / ALPHA + gradient) <= 2e-4 + 2e-3 * Math.abs(gradient), `word ${word}, ${what}: step/alpha ${step / ALPHA}, -gradient ${-gradient}`);
          return Math.abs(gradient);
        };
        let largest = { input: 0, head: 0, projection: 0, tail: 0 };
        for (let i = 0; i < DIM; i++) largest.input = Math.max(largest.input, check(error[i], h, i, `input[${i}]`));
        const part = (at: number): keyof typeof largest => {
          if (at < (layout.shortlist + layout.clusters.length) * stride) return 'head';
          return layout.clusters.some((c) => at >= c.projection && at < c.projection + c.dim * stride) ? 'projection' : 'tail';
        };
        for (let at = 0; at < before.length; at++) {
          const g = check(after[at] - before[at], before, at, `block[${at}] (${part(at)})`);
          largest = { ...largest, [part(at)]: Math.max(largest[part(at)], g) };
        }
        assert.ok(largest.input > 0.01 && largest.head > 0.01, `the head and the input take steps (${JSON.stringify(largest)})`);
        // (A cluster of one word gives it probability 1 whatever the weights: nothing to step.)
        const cluster = layout.clusters.find((c) => word >= c.firstWord && word < c.endWord);
        if (cluster && cluster.endWord - cluster.firstWord > 1) {
          assert.ok(largest.projection > 0.01 && largest.tail > 0.01, `a tail word moves its projection and cluster (${JSON.stringify(largest)})`);
        }
      }
    });
  }
});

function trainChunks(kernel: TrainingKernel, m: KernelModel) {
  for (let pass = 0; pass < 3; pass++) kernel.trainChunk(m.layout.header, m.layout.slots[0], m.entries, m.words, 0.05, 0.01, 1234 + pass);
  return readSlotResults(m.memory.buffer, m.layout.slots[0]);
}

function maxDifference(x: Float32Array, y: Float32Array): { diff: number; scale: number } {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(x[i]));
  }
  return { diff, scale };
}

describe('the SIMD adaptive softmax matches the reference', { skip: !wasmSimdAvailable() && 'no WebAssembly SIMD' }, () => {
  const module = compileKernelModule();
  for (const { name, ...spec } of ADAPTIVE_CASES) {
    it(`${name}: one step of a tail word`, () => {
      const a = prepare(spec);
      const b = prepare(spec);
      const word = VOCAB - 1;
      createReferenceKernel(a.memory).predictOnce(a.layout.header, a.layout.slots[0], slotAt(a, 'hidden'), word, 0.1, 5);
      instantiateWasmKernel(module, b.memory).predictOnce(b.layout.header, b.layout.slots[0], slotAt(b, 'hidden'), word, 0.1, 5);
      const ra = readSlotResults(a.memory.buffer, a.layout.slots[0]);
      const rb = readSlotResults(b.memory.buffer, b.layout.slots[0]);
      assert.ok(Math.abs(ra.lossSum - rb.lossSum) <= 1e-5 * Math.max(1, ra.lossSum), `loss ${rb.lossSum} vs ${ra.lossSum}`);
      assert.ok(maxDifference(blockOf(a), blockOf(b)).diff <= 1e-6, 'output block');
    });
    for (const model of ['sg', 'cbow'] as const) {
      it(`${model} + ${name}: same training within float tolerance, padding inert`, () => {
        // 61 words and dimension 22: the passes' scalar tails run, and the rows have padding.
        const make = () => makeKernelModel({ model, vocab: 61, dim: 22, ...spec, cutoffs: spec.cutoffs?.map((c) => c * 5) });
        const a = make();
        const b = make();
        const inputBefore = Float32Array.from(new Float32Array(a.memory.buffer, a.layout.inputWeights, 61 * a.layout.stride));
        const reference = trainChunks(createReferenceKernel(a.memory), a);
        const simd = trainChunks(instantiateWasmKernel(module, b.memory), b);
        assert.equal(simd.predictions, reference.predictions, 'same windows');
        assert.ok(reference.predictions > 0);
        assert.ok(Math.abs(simd.lossSum - reference.lossSum) <= 1e-3 * reference.lossSum, `loss ${simd.lossSum} vs ${reference.lossSum}`);
        for (const which of ['inputWeights', 'outputWeights'] as const) {
          const floats = which === 'inputWeights' ? 61 * a.layout.stride : a.layout.outputFloats;
          const { diff, scale } = maxDifference(new Float32Array(a.memory.buffer, a.layout[which], floats), new Float32Array(b.memory.buffer, b.layout[which], floats));
          assert.ok(diff <= 1e-4 * scale, `${which}: max difference ${diff}`);
        }
        const block = blockOf(b);
        const { stride } = b.layout;
        for (const c of b.layout.shape.adaptive!.clusters) {
          for (let r = 0; r < c.dim; r++) for (let i = 22; i < stride; i++) assert.equal(block[c.projection + r * stride + i], 0, 'projection padding');
          for (let k = 0; k < c.endWord - c.firstWord; k++) for (let i = c.dim; i < c.stride; i++) assert.equal(block[c.rows + k * c.stride + i], 0, 'tail padding');
          let moved = 0;
          for (let k = 0; k < (c.endWord - c.firstWord) * c.stride; k++) moved = Math.max(moved, Math.abs(block[c.rows + k]));
          assert.ok(moved > 1e-4, `cluster ${c.firstWord}..${c.endWord - 1} trained (largest weight ${moved})`);
        }
        const inputAfter = new Float32Array(b.memory.buffer, b.layout.inputWeights, 61 * b.layout.stride);
        assert.ok(maxDifference(inputBefore, inputAfter).diff > 1e-3, 'input weights moved');
      });
    }
  }
});
