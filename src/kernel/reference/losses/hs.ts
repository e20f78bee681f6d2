import { MAX_EXP } from '../../layout.js';
import { dot, tableLogLoss, tableSigmoid, updatePair } from '../lanes.js';
import { countPredictionForMerge } from '../output-copy.js';
import type { KernelState } from '../state.js';

// Hierarchical softmax; the twin of src/kernel/assembly/losses/hs.ts (which fuses each node's
// update with the next node's score; here they are two steps).

export function hierarchicalSoftmax(k: KernelState, input: number, word: number, alpha: number): void {
  const end = k.u32[k.treeOffsets0 + word + 1];
  const start = k.u32[k.treeOffsets0 + word];
  if (start === end) return;
  let loss = 0;
  for (let i = start; i < end; i++) {
    const output = k.trainedRow(k.u32[k.treePoints0 + i]);
    const label = k.u8[k.treeCodes0 + i] === 0;
    const f = dot(k.f32, input, output, k.stride);
    loss += tableLogLoss(k, label ? f : -f);
    // C word2vec leaves saturated nodes alone.
    if (f <= -MAX_EXP || f >= MAX_EXP) continue;
    const g = (label ? 1 : 0) - tableSigmoid(k, f);
    updatePair(k.f32, input, output, k.hiddenError0, Math.fround(g * alpha), k.stride);
  }
  k.addPrediction(loss);
  countPredictionForMerge(k);
}
