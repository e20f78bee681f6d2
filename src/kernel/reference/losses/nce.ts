import { dot, exp32, updatePair } from '../lanes.js';
import type { KernelState } from '../state.js';

// Noise-contrastive estimation; the twin of src/kernel/assembly/losses/nce.ts.

/** One term's step; returns its -log σ(±Δ). */
function contrastStep(k: KernelState, input: number, target: number, label: boolean, alpha: number): number {
  const output = k.outputRow(target);
  const delta = Math.fround(dot(k.f32, input, output, k.stride) - k.f32[k.noiseLog0 + target]);
  const e = exp32(-Math.abs(delta));
  const p = Math.fround(delta >= 0 ? 1 / (1 + e) : e / (1 + e));
  const g = label ? 1 - p : -p;
  updatePair(k.f32, input, output, k.hiddenError0, Math.fround(g * alpha), k.stride);
  const x = label ? -delta : delta;
  return Math.max(x, 0) + Math.log1p(e);
}

export function noiseContrastiveEstimation(k: KernelState, input: number, word: number, alpha: number, shared: boolean): void {
  let loss = contrastStep(k, input, word, true, alpha);
  for (let d = 0; d < k.negative; d++) loss += contrastStep(k, input, shared ? k.noiseWord(d) : k.drawNoise(), false, alpha);
  k.addPrediction(loss);
}
