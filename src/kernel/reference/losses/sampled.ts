import { dot, exp32, updatePair } from '../lanes.js';
import type { KernelState } from '../state.js';

// Sampled softmax; the twin of src/kernel/assembly/losses/sampled.ts.

export function sampledSoftmax(k: KernelState, input: number, word: number, alpha: number, shared: boolean): void {
  if (!shared) k.drawNoiseWords();
  const score = (w: number) => Math.fround(dot(k.f32, input, k.outputRow(w), k.stride) - k.f32[k.noiseLog0 + w]);
  // The target first, then the proposals kept (a proposal equal to the target is dropped).
  const sample = [word];
  for (let d = 0; d < k.negative; d++) if (k.noiseWord(d) !== word) sample.push(k.noiseWord(d));
  const scores = sample.map(score);
  const top = Math.max(...scores);
  const exps = scores.map((s) => exp32(s - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  k.addPrediction(Math.log(sum) - (scores[0] - top));
  const inverse = Math.fround(1 / sum);
  sample.forEach((w, j) => {
    const p = Math.fround(exps[j] * inverse);
    updatePair(k.f32, input, k.outputRow(w), k.hiddenError0, Math.fround((j === 0 ? 1 - p : -p) * alpha), k.stride);
  });
}
