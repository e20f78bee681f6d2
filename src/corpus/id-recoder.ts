import { loadWasmModule } from '../base/wasm-module.js';

/** The exports of src/kernel/assembly/recode.ts. */
interface RecodeModule {
  memory: WebAssembly.Memory;
  init(blockEntries: number, maxSentenceLength: number, chunkTokens: number): void;
  mapFor(count: number): number;
  recode(entries: number): number;
  inputAt(): number;
  outputAt(): number;
  closesAt(): number;
  closesInBlock(): number;
  openChunkWords(): number;
  trainingWordCount(): number;
}

let compiled: WebAssembly.Module | undefined;

/**
 * The re-encoding pass over id blocks, in WebAssembly (src/kernel/assembly/recode.ts): each
 * provisional id mapped to its final id, dropped words left out, lines longer than
 * maxSentenceLength tokens cut (counted before the vocabulary cut, as the text has them),
 * sentences emptied by the cut left out, and a chunk closed at the first sentence end after
 * chunkTokens words. Blocks are read into `input` and their output taken from `output`, both
 * views of the module's memory, so no block is copied on the way.
 */
export class IdRecoder {
  private readonly wasm: RecodeModule;
  private readonly blockEntries: number;

  constructor(blockEntries: number, maxSentenceLength: number, chunkTokens: number) {
    compiled ??= loadWasmModule('recode');
    this.wasm = new WebAssembly.Instance(compiled).exports as unknown as RecodeModule;
    this.wasm.init(blockEntries, maxSentenceLength, chunkTokens);
    this.blockEntries = blockEntries;
  }

  /** Uses `finalIds` (provisional id → final id, -1: dropped) for the blocks that follow. */
  useMap(finalIds: Int32Array): void {
    const at = this.wasm.mapFor(finalIds.length);
    new Int32Array(this.wasm.memory.buffer, at, finalIds.length).set(finalIds);
  }

  /** Where the next block is read to; valid until the next useMap. */
  get input(): Uint32Array {
    return new Uint32Array(this.wasm.memory.buffer, this.wasm.inputAt(), this.blockEntries);
  }

  /**
   * Re-encodes the first `entries` of `input`. Returns the output entries and, for each chunk
   * that closed, where it ends in them (just after its last sentence's mark) and its words.
   */
  recode(entries: number): { output: Uint32Array; closes: { end: number; words: number }[] } {
    const n = this.wasm.recode(entries);
    const { buffer } = this.wasm.memory;
    const pairs = new Uint32Array(buffer, this.wasm.closesAt(), 2 * this.wasm.closesInBlock());
    const closes: { end: number; words: number }[] = [];
    for (let k = 0; k < pairs.length; k += 2) closes.push({ end: pairs[k], words: pairs[k + 1] });
    return { output: new Uint32Array(buffer, this.wasm.outputAt(), n), closes };
  }

  /** Words written since the last chunk closed. */
  get openChunkWords(): number {
    return this.wasm.openChunkWords();
  }

  /** Words written in all, sentence marks not counted. */
  get trainingWords(): number {
    return this.wasm.trainingWordCount();
  }
}
