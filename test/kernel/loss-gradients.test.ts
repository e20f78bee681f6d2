import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createReferenceKernel } from '../../src/kernel/reference/kernel.js';
import { compileKernelModule, instantiateWasmKernel, wasmSimdAvailable } from '../../src/kernel/wasm.js';
import { readSlotResults } from '../../src/train/shared-memory.js';
import { HeaderField, SlotField } from '../../src/kernel/layout.js';
import type { Activation, LossType } from '../../src/model/options.js';
import { LOSS_CASES, makeKernelModel, type KernelModel, type KernelModelSpec } from '../support/kernel-model.js';
import { taylorActivation } from '../../src/model/output-layer.js';

// Each loss's step, checked against the finite-difference gradient of its objective written out
// here independently, in float64, straight from its definition.

const VOCAB = 13;
const DIM = 8;
const TARGET = 3;
/** Noise words for the sampling losses; one equals the target (dropped by ns and sampled, kept by nce). */
const NOISE = [5, 7, TARGET, 9, 0];
const ALPHA = 1e-3;

interface Snapshot {
  h: Float64Array;
  out: Float64Array[];
  tree?: { offsets: Uint32Array; codes: Uint8Array; points: Uint32Array };
  noiseLog?: Float64Array;
  bands: Array<{ first: number; end: number; offset: number; width: number }>;
  /** A mixture of softmaxes: the K·DIM rows of P_1..P_K, then the K rows of W. */
  mixture?: { P: Float64Array[]; W: Float64Array[] };
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function logSumExp(xs: number[]): number {
  const top = Math.max(...xs);
  return top + Math.log(xs.reduce((s, x) => s + Math.exp(x - top), 0));
}

function dotRange(a: Float64Array, b: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += a[i] * b[i];
  return sum;
}

/** The objective of one prediction of TARGET, by definition. */
function objective(loss: LossType, activation: Activation, margin: number, s: Snapshot, taylorOrder = 2): number {
  const z = (j: number) => dotRange(s.h, s.out[j], 0, DIM);
  switch (loss) {
    case 'ns':
      return softplus(-z(TARGET)) + NOISE.filter((n) => n !== TARGET).reduce((sum, n) => sum + softplus(z(n)), 0);
    case 'hs': {
      const t = s.tree!;
      let sum = 0;
      for (let k = t.offsets[TARGET]; k < t.offsets[TARGET + 1]; k++) {
        const f = z(t.points[k]);
        sum += softplus(t.codes[k] === 0 ? -f : f);
      }
      return sum;
    }
    case 'nce': {
      const delta = (j: number) => z(j) - s.noiseLog![j];
      return softplus(-delta(TARGET)) + NOISE.reduce((sum, n) => sum + softplus(delta(n)), 0);
    }
    case 'sampled': {
      const corrected = [TARGET, ...NOISE.filter((n) => n !== TARGET)].map((j) => z(j) - s.noiseLog![j]);
      return logSumExp(corrected) - corrected[0];
    }
    default: {
      const logP = (h: Float64Array) => {
        const logA: number[] = [];
        for (const band of s.bands) {
          for (let j = band.first; j < band.end; j++) {
            let score = dotRange(h, s.out[j], band.offset, Math.min(DIM, band.offset + band.width));
            if (j === TARGET) score -= margin;
            logA[j] = activation === 'exp' ? score : activation === 'sig' ? score - softplus(-score) : Math.log(taylorActivation(score, taylorOrder));
          }
        }
        return logA[TARGET] - logSumExp(logA);
      };
      if (!s.mixture) return -logP(s.h);
      // -log Σ_k π_k p_k(w), π = softmax(W h), p_k over the context tanh(P_k h).
      const { P, W } = s.mixture;
      const logits = W.map((row) => dotRange(s.h, row, 0, DIM));
      const logPi = logits.map((l) => l - logSumExp(logits));
      const joint = W.map((_, k) => {
        const context = Float64Array.from({ length: DIM }, (_, i) => Math.tanh(dotRange(s.h, P[k * DIM + i], 0, DIM)));
        return logPi[k] + logP(context);
      });
      return -logSumExp(joint);
    }
  }
}

/** Reads the input vector (slot's hidden buffer) and output rows as float64. */
function snapshot(m: KernelModel, spec: KernelModelSpec): Snapshot {
  const f32 = new Float32Array(m.memory.buffer);
  const u32 = new Uint32Array(m.memory.buffer);
  const { layout } = m;
  const slotField = (name: keyof typeof SlotField) => u32[(layout.slots[0] + SlotField[name]) >> 2];
  const header = (name: keyof typeof HeaderField) => u32[(layout.header + HeaderField[name]) >> 2];
  const h = Float64Array.from(f32.subarray(slotField('hidden') >> 2, (slotField('hidden') >> 2) + DIM));
  const out = Array.from({ length: VOCAB }, (_, j) => {
    const row = (layout.outputWeights >> 2) + j * layout.stride;
    return Float64Array.from(f32.subarray(row, row + DIM));
  });
  const bands0 = header('bands') >> 2;
  const bands = Array.from({ length: header('bandCount') }, (_, b) => ({
    first: u32[bands0 + 4 * b], end: u32[bands0 + 4 * b + 1], offset: u32[bands0 + 4 * b + 2] * 4, width: u32[bands0 + 4 * b + 3] * 4,
  }));
  const snap: Snapshot = { h, out, bands };
  const K = spec.mixture ?? 1;
  if (K > 1) {
    const row = (r: number) => {
      const at = (layout.outputWeights >> 2) + (VOCAB + r) * layout.stride;
      return Float64Array.from(f32.subarray(at, at + DIM));
    };
    snap.mixture = { P: Array.from({ length: K * DIM }, (_, r) => row(r)), W: Array.from({ length: K }, (_, k) => row(K * DIM + k)) };
  }
  if (spec.loss === 'hs') {
    const offsets = Uint32Array.from(u32.subarray(header('huffmanOffsets') >> 2, (header('huffmanOffsets') >> 2) + VOCAB + 1));
    const total = offsets[VOCAB];
    snap.tree = {
      offsets,
      codes: Uint8Array.from(new Uint8Array(m.memory.buffer, header('huffmanCodes'), total)),
      points: Uint32Array.from(u32.subarray(header('huffmanPoints') >> 2, (header('huffmanPoints') >> 2) + total)),
    };
  }
  if (spec.loss === 'nce' || spec.loss === 'sampled') {
    snap.noiseLog = Float64Array.from(f32.subarray(header('noiseLog') >> 2, (header('noiseLog') >> 2) + VOCAB));
  }
  return snap;
}

/** A model with a random input vector in the hidden buffer and the test's noise words in the noise buffer. */
function prepare(spec: KernelModelSpec): KernelModel {
  const m = makeKernelModel(spec);
  const f32 = new Float32Array(m.memory.buffer);
  const u32 = new Uint32Array(m.memory.buffer);
  const slot = m.layout.slots[0];
  const hidden = u32[(slot + SlotField.hidden) >> 2] >> 2;
  for (let i = 0; i < DIM; i++) f32[hidden + i] = Math.sin(3.7 * i + 1) * 0.8;
  const negatives = u32[(slot + SlotField.negatives) >> 2] >> 2;
  NOISE.forEach((n, d) => (u32[negatives + d] = n));
  return m;
}

function hiddenOffset(m: KernelModel): number {
  return new Uint32Array(m.memory.buffer)[(m.layout.slots[0] + SlotField.hidden) >> 2];
}

describe('every loss steps along the negative gradient of its objective', () => {
  for (const { name, ...lossSpec } of LOSS_CASES.filter((c) => c.sharedNegatives !== false)) {
    const spec: KernelModelSpec = {
      model: 'sg', vocab: VOCAB, dim: DIM, outputScale: 0.6, negative: NOISE.length, tokens: [],
      ...lossSpec,
      ...(lossSpec.loss === 'dsoftmax' ? { bands: [{ words: 0.4, dims: 0.5 }, { words: 0.6, dims: 0.5 }] } : {}),
    };
    // ns and hs use C word2vec's sigmoid table (steps of 0.012 in the score): their steps match
    // the exact gradient to table precision; the others use exact functions.
    const tabled = spec.loss === 'ns' || spec.loss === 'hs';
    const tolerance = tabled ? { abs: 0.012, rel: 0.02 } : { abs: 2e-4, rel: 2e-3 };

    it(`${name}: step = -alpha × finite-difference gradient, loss = objective`, () => {
      const m = prepare(spec);
      const before = snapshot(m, spec);
      const activation = spec.activation ?? 'exp';
      const margin = spec.margin ?? 0;
      const expected = objective(spec.loss, activation, margin, before, spec.taylorOrder);

      const kernel = createReferenceKernel(m.memory);
      // A step of size 0 measures the objective where it stands (later terms of a sequential
      // loss would otherwise see earlier terms' steps).
      kernel.predictOnce(m.layout.header, m.layout.slots[0], hiddenOffset(m), TARGET, 0, 99);
      const results = readSlotResults(m.memory.buffer, m.layout.slots[0]);
      assert.equal(results.predictions, 1);
      assert.ok(Math.abs(results.lossSum - expected) <= (tabled ? 0.02 : 1e-5) * Math.max(1, expected), `loss ${results.lossSum} vs objective ${expected}`);
      kernel.predictOnce(m.layout.header, m.layout.slots[0], hiddenOffset(m), TARGET, ALPHA, 99);

      const after = snapshot(m, spec);
      const f32 = new Float32Array(m.memory.buffer);
      const error0 = new Uint32Array(m.memory.buffer)[(m.layout.slots[0] + SlotField.hiddenError) >> 2] >> 2;
      const eps = 1e-5;
      // slack: what float32 can resolve of a step of a weight near 1 (a projection's diagonal), in units of the step.
      const check = (actualStep: number, read: () => number, write: (v: number) => void, what: string, slack = 0) => {
        const x = read();
        write(x + eps);
        const up = objective(spec.loss, activation, margin, before, spec.taylorOrder);
        write(x - eps);
        const down = objective(spec.loss, activation, margin, before, spec.taylorOrder);
        write(x);
        const gradient = (up - down) / (2 * eps);
        const step = actualStep / ALPHA;
        assert.ok(
          Math.abs(step + gradient) <= tolerance.abs + tolerance.rel * Math.abs(gradient) + slack,
          `${what}: step/alpha ${step}, -gradient ${-gradient}`,
        );
        return Math.abs(gradient);
      };
      let largest = 0;
      for (let i = 0; i < DIM; i++) {
        largest = Math.max(largest, check(f32[error0 + i], () => before.h[i], (v) => (before.h[i] = v), `input[${i}]`));
      }
      for (let j = 0; j < VOCAB; j++) {
        for (let i = 0; i < DIM; i++) {
          const moved = after.out[j][i] - before.out[j][i];
          largest = Math.max(largest, check(moved, () => before.out[j][i], (v) => (before.out[j][i] = v), `output[${j}][${i}]`));
        }
      }
      if (before.mixture) {
        const { P, W } = before.mixture;
        const moved = after.mixture!;
        let mixtureLargest = 0;
        const rows = [...P.map((row, r) => ({ row, to: moved.P[r], what: `P_${Math.floor(r / DIM)}[${r % DIM}]` })), ...W.map((row, k) => ({ row, to: moved.W[k], what: `W[${k}]` }))];
        for (const { row, to, what } of rows) {
          for (let i = 0; i < DIM; i++) {
            // The copy and the merge round the weight three times: a few units in its last place.
            const slack = (4 * Math.abs(row[i]) * 2 ** -23) / ALPHA;
            mixtureLargest = Math.max(mixtureLargest, check(to[i] - row[i], () => row[i], (v) => (row[i] = v), `${what}[${i}]`, slack));
          }
        }
        assert.ok(mixtureLargest > 0.01, `the objective depends on the projections and gates (largest gradient ${mixtureLargest})`);
      }
      assert.ok(largest > 0.05, `the objective depends on the weights (largest gradient ${largest})`);
    });
  }
});

describe('the SIMD kernel takes the same single steps', { skip: !wasmSimdAvailable() && 'no WebAssembly SIMD' }, () => {
  const module = compileKernelModule();
  for (const { name, ...lossSpec } of LOSS_CASES.filter((c) => c.sharedNegatives !== false)) {
    it(name, () => {
      const spec: KernelModelSpec = { model: 'sg', vocab: VOCAB, dim: DIM, outputScale: 0.6, negative: NOISE.length, tokens: [], ...lossSpec };
      const a = prepare(spec);
      const b = prepare(spec);
      createReferenceKernel(a.memory).predictOnce(a.layout.header, a.layout.slots[0], hiddenOffset(a), TARGET, 0.1, 5);
      instantiateWasmKernel(module, b.memory).predictOnce(b.layout.header, b.layout.slots[0], hiddenOffset(b), TARGET, 0.1, 5);
      const ra = readSlotResults(a.memory.buffer, a.layout.slots[0]);
      const rb = readSlotResults(b.memory.buffer, b.layout.slots[0]);
      assert.ok(Math.abs(ra.lossSum - rb.lossSum) <= 1e-5 * Math.max(1, ra.lossSum), `loss ${rb.lossSum} vs ${ra.lossSum}`);
      // The whole output block: a mixture's projections and gates too.
      const x = new Float32Array(a.memory.buffer, a.layout.outputWeights, a.layout.outputFloats);
      const y = new Float32Array(b.memory.buffer, b.layout.outputWeights, b.layout.outputFloats);
      for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-6, `output weight ${i}: ${y[i]} vs ${x[i]}`);
    });
  }
});
