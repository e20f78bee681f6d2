import type { KernelChoice } from '../options.js';

/**
 * One training call per chunk: the chunk's token ids are already in the slot's token buffer.
 * Both implementations (WebAssembly SIMD and the TypeScript reference) have this signature and
 * write their results into the slot (see SlotField in src/shared-memory.ts).
 */
export interface TrainingKernel {
  trainChunk(
    header: number,
    slot: number,
    tokenCount: number,
    chunkWords: number,
    alphaStart: number,
    alphaEnd: number,
    seed: number,
  ): void;
}

export type KernelKind = Exclude<KernelChoice, 'auto'>;
