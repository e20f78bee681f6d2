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
  /**
   * One prediction of `word` from the vector at byte offset `input`, as training makes it: the
   * output layer takes its step, the input's step is left in the slot's hidden error, and the
   * objective in the slot's loss fields. With shared noise the slot's noise buffer is used as
   * the caller filled it. For tests and diagnostics.
   */
  predictOnce(header: number, slot: number, input: number, word: number, alpha: number, seed: number): void;
}

/** `--kernel`: the SIMD kernel where the runtime has it (auto), or one of the two by name. */
export type KernelChoice = 'auto' | 'wasm' | 'ts';

export type KernelKind = Exclude<KernelChoice, 'auto'>;
