import { dot, updatePair } from '../lanes.js';
import { countPredictionForMerge } from '../output-copy.js';
import type { KernelState } from '../state.js';
import { activateExp, maxScore, scoreRows, softmaxSteps, updateRows } from './softmax-rows.js';

// The adaptive softmax; the twin of src/kernel/assembly/losses/adaptive.ts, which explains the method.

/**
 * One exp softmax over `count` rows `rowStride` floats apart, scored against x over `width`
 * floats: the rows take their steps and the error its part. Returns -log p(target).
 */
function softmaxOverRows(k: KernelState, x: number, row0: number, rowStride: number, count: number, width: number, target: number, alpha: number, error: number): number {
  const { f32 } = k;
  const z = new Float32Array(count);
  scoreRows(f32, x, row0, rowStride, count, width, z);
  const top = maxScore(z);
  const a = new Float32Array(count);
  const sum = activateExp(z, top, a);
  updateRows(f32, x, row0, rowStride, count, width, error, softmaxSteps(a, undefined, sum, target, alpha));
  return Math.log(sum) - (z[target] - top);
}

export function adaptiveSoftmax(k: KernelState, input: number, word: number, alpha: number): void {
  const { f32, stride } = k;
  const block = k.trainedRow(0);
  const shortlist = k.adaptiveShortlist;
  const clusterIndex = word < shortlist ? -1 : k.adaptiveClusters.findIndex((c) => word < c.end);
  const headTarget = clusterIndex < 0 ? word : shortlist + clusterIndex;
  let loss = softmaxOverRows(k, input, block, stride, shortlist + k.adaptiveClusters.length, stride, headTarget, alpha, k.hiddenError0);
  if (clusterIndex >= 0) {
    const cluster = k.adaptiveClusters[clusterIndex];
    const projection = block + cluster.projection;
    // h_c = P_c x, its padding zero.
    f32.fill(0, k.projected0, k.projected0 + cluster.width);
    for (let r = 0; r < cluster.dim; r++) f32[k.projected0 + r] = dot(f32, input, projection + r * stride, stride);
    f32.fill(0, k.projectedError0, k.projectedError0 + cluster.width);
    loss += softmaxOverRows(k, k.projected0, block + cluster.rows, cluster.width, cluster.end - cluster.first, cluster.width, word - cluster.first, alpha, k.projectedError0);
    for (let r = 0; r < cluster.dim; r++) updatePair(f32, input, projection + r * stride, k.hiddenError0, f32[k.projectedError0 + r], stride);
  }
  k.addPrediction(loss);
  countPredictionForMerge(k);
}
