// A worker's own copy of the output rows that every prediction writes (all of them for the
// exact softmax losses, the top of the tree for hs; PrivateRows in src/shared-memory.ts says
// why): the loss trains on the copy, and what it changed since the last merge is added into the
// shared rows every `syncEvery` predictions and at the end of the task.
import { copyFirstRow, copyRows, outputCopy, outputSnapshot, outputWeights, rowBytes, syncEvery } from './state';

let sinceMerge: u32 = 0;

// @ts-ignore: decorator
@inline function sharedCopied(): usize {
  return outputWeights + <usize>copyFirstRow * rowBytes;
}

/** The row a copying loss trains: this worker's copy where it has one, else the shared row. */
// @ts-ignore: decorator
@inline export function trainedRow(row: u32): usize {
  return row >= copyFirstRow && outputCopy != 0
    ? outputCopy + <usize>(row - copyFirstRow) * rowBytes
    : outputWeights + <usize>row * rowBytes;
}

/** copy = snapshot = shared, at the start of a task. */
export function beginOutputCopy(): void {
  const bytes = <usize>copyRows * rowBytes;
  memory.copy(outputCopy, sharedCopied(), bytes);
  memory.copy(outputSnapshot, sharedCopied(), bytes);
  sinceMerge = 0;
}

/** shared += copy - snapshot; then copy = snapshot = shared (which holds the other workers' steps too). */
export function mergeOutputCopy(): void {
  const bytes = <usize>copyRows * rowBytes;
  const shared = sharedCopied();
  for (let o: usize = 0; o < bytes; o += 16) {
    const merged = f32x4.add(v128.load(shared + o), f32x4.sub(v128.load(outputCopy + o), v128.load(outputSnapshot + o)));
    v128.store(shared + o, merged);
    v128.store(outputCopy + o, merged);
    v128.store(outputSnapshot + o, merged);
  }
  sinceMerge = 0;
}

// @ts-ignore: decorator
@inline export function countPredictionForMerge(): void {
  if (++sinceMerge >= syncEvery) mergeOutputCopy();
}
