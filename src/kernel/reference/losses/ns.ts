import { MAX_EXP } from '../../layout.js';
import { dot, tableLogLoss, tableSigmoid, updatePair } from '../lanes.js';
import type { KernelState } from '../state.js';

// Negative sampling; the twin of src/kernel/assembly/losses/ns.ts.

function logisticStep(k: KernelState, input: number, target: number, label: boolean, alpha: number): number {
  const output = k.outputRow(target);
  const f = dot(k.f32, input, output, k.stride);
  let g: number;
  if (f >= MAX_EXP) g = label ? 0 : -1;
  else if (f <= -MAX_EXP) g = label ? 1 : 0;
  else g = (label ? 1 : 0) - tableSigmoid(k, f);
  updatePair(k.f32, input, output, k.hiddenError0, Math.fround(g * alpha), k.stride);
  return tableLogLoss(k, label ? f : -f);
}

export function negativeSampling(k: KernelState, input: number, word: number, alpha: number, shared: boolean): void {
  let loss = logisticStep(k, input, word, true, alpha);
  for (let d = 0; d < k.negative; d++) {
    const target = shared ? k.noiseWord(d) : k.drawNoise();
    if (target !== word) loss += logisticStep(k, input, target, false, alpha);
  }
  k.addPrediction(loss);
}
