import { dot, exp32, softplus, updatePair } from '../lanes.js';
import type { KernelState } from '../state.js';

// Noise-contrastive estimation; the twin of src/kernel/assembly/losses/nce.ts.

function contrastStep(k: KernelState, input: number, target: number, label: boolean, alpha: number): number {
  const output = k.outputRow(target);
  const delta = Math.fround(dot(k.f32, input, output, k.stride) - k.f32[k.noiseLog0 + target]);
  const p = Math.fround(1 / (1 + exp32(-delta)));
  const g = label ? 1 - p : -p;
  updatePair(k.f32, input, output, k.hiddenError0, Math.fround(g * alpha), k.stride);
  return softplus(label ? -delta : delta);
}

export function noiseContrastiveEstimation(k: KernelState, input: number, word: number, alpha: number, shared: boolean): void {
  let loss = contrastStep(k, input, word, true, alpha);
  for (let d = 0; d < k.negative; d++) loss += contrastStep(k, input, shared ? k.noiseWord(d) : k.drawNoise(), false, alpha);
  k.addPrediction(loss);
}
