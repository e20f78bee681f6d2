import type { KernelState } from './state.js';

// A worker's own copy of the hot output rows; the twin of src/kernel/assembly/output-copy.ts.

export function beginOutputCopy(k: KernelState): void {
  const from = k.output0 + k.copyFirstRow * k.stride;
  const n = k.copyRows * k.stride;
  k.f32.copyWithin(k.outputCopy0, from, from + n);
  k.f32.copyWithin(k.outputSnapshot0, from, from + n);
  k.sinceMerge = 0;
}

/** shared += copy - snapshot; then copy = snapshot = shared. */
export function mergeOutputCopy(k: KernelState): void {
  const { f32 } = k;
  const shared = k.output0 + k.copyFirstRow * k.stride;
  const n = k.copyRows * k.stride;
  for (let i = 0; i < n; i++) {
    const merged = Math.fround(f32[shared + i] + Math.fround(f32[k.outputCopy0 + i] - f32[k.outputSnapshot0 + i]));
    f32[shared + i] = merged;
    f32[k.outputCopy0 + i] = merged;
    f32[k.outputSnapshot0 + i] = merged;
  }
  k.sinceMerge = 0;
}

export function countPredictionForMerge(k: KernelState): void {
  if (++k.sinceMerge >= k.syncEvery) mergeOutputCopy(k);
}
