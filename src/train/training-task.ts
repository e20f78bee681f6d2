import type { KernelKind } from '../kernel/kernel.js';

/** What every worker receives once, at start-up. Memory and Module are shared, not copied. */
export interface WorkerSetup {
  memory: WebAssembly.Memory;
  module?: WebAssembly.Module;
  kernel: KernelKind;
  corpusPath: string;
  header: number;
}

/** One chunk of one epoch: where it is, which scratch slot to use, its learning-rate range and seed. */
export interface ChunkTask {
  slot: number;
  offset: number;
  entries: number;
  words: number;
  alphaStart: number;
  alphaEnd: number;
  seed: number;
}

export interface ChunkResult {
  wordsSeen: number;
  wordsTrained: number;
  lossSum: number;
  predictions: number;
}
