// A worker's own copy of the output layer, for the exact softmax losses (see
// EXACT_SYNC_PREDICTIONS in src/shared-memory.ts for why): it trains on the copy and adds what
// it changed since the last merge into the shared rows every `syncEvery` predictions.
import { outputCopy, outputSnapshot, rowBytes, sharedOutputWeights, syncEvery, vocabSize } from './state';

let sinceMerge: u32 = 0;

/** copy = snapshot = shared, at the start of a task. */
export function beginOutputCopy(): void {
  const bytes = <usize>vocabSize * rowBytes;
  memory.copy(outputCopy, sharedOutputWeights, bytes);
  memory.copy(outputSnapshot, sharedOutputWeights, bytes);
  sinceMerge = 0;
}

/** shared += copy - snapshot; then copy = snapshot = shared (which holds the other workers' steps too). */
export function mergeOutputCopy(): void {
  const bytes = <usize>vocabSize * rowBytes;
  for (let o: usize = 0; o < bytes; o += 16) {
    const merged = f32x4.add(v128.load(sharedOutputWeights + o), f32x4.sub(v128.load(outputCopy + o), v128.load(outputSnapshot + o)));
    v128.store(sharedOutputWeights + o, merged);
    v128.store(outputCopy + o, merged);
    v128.store(outputSnapshot + o, merged);
  }
  sinceMerge = 0;
}

// @ts-ignore: decorator
@inline export function countPredictionForMerge(): void {
  if (++sinceMerge >= syncEvery) mergeOutputCopy();
}
