import { loadWasmModule } from '../base/wasm-module.js';
import { UserError } from '../base/errors.js';
import type { WordTable } from './word-table.js';

/** The exports of src/corpus/assembly/phrases.ts. */
interface PhrasesModule {
  memory: WebAssembly.Memory;
  init(blockEntries: number, outputBytes: number, maxPairs: number, partWords: number, words: number, bytes: number): void;
  mapAt(): number;
  inputAt(): number;
  countsAt(): number;
  startsAt(): number;
  lengthsAt(): number;
  arenaAt(): number;
  setScoring(kind: number, threshold: number, minCount: number, totalWords: number, words: number): void;
  countPairs(entries: number): void;
  markPhrases(): void;
  beginBlock(entries: number): void;
  emit(): number;
  blockDone(): number;
  outputAt(): number;
  pairs(): number;
  pruneCount(): number;
  prunedAtOrBelow(): number;
  joinCount(): number;
  distinctJoinCount(): number;
}

/** C word2phrase's score, (count(ab) − min_count) / (count(a) · count(b)) × total words, or gensim's normalised PMI. */
export type PhraseScoring = 'default' | 'npmi';
export const PHRASE_SCORINGS: readonly PhraseScoring[] = ['default', 'npmi'];

/** Bytes of text the module writes at a time. */
const OUTPUT_BYTES = 4 << 20;

/** What a trap throws (Node's typings for the ES2022 lib leave it out). */
const WasmRuntimeError = (WebAssembly as unknown as { RuntimeError: ErrorConstructor }).RuntimeError;

let compiled: WebAssembly.Module | undefined;

/**
 * The bigram table and the writing pass of `w2v phrases`, in WebAssembly
 * (src/corpus/assembly/phrases.ts), for the words of one read corpus. In order: `useScoring`;
 * the pairs counted over the whole corpus, block by block (`useMap` says how the part being read
 * numbers its words, and each block is copied into `input`); `markPhrases`; then `write` yields
 * the phrased text of each block, read again.
 */
export class PhraseTable {
  private readonly wasm: PhrasesModule;
  private readonly blockEntries: number;
  private readonly partWords: number;
  private readonly words: number;

  /** Blocks of `blockEntries` ids, at most `maxPairs` pairs, parts of at most `partWords` distinct words, the corpus's `words`. */
  constructor(blockEntries: number, maxPairs: number, partWords: number, words: WordTable) {
    compiled ??= loadWasmModule('phrases');
    this.wasm = new WebAssembly.Instance(compiled).exports as unknown as PhrasesModule;
    this.blockEntries = blockEntries;
    this.partWords = partWords;
    this.words = words.size;
    const { arena, starts, lengths } = words.bytes();
    this.trapsAsUserErrors(() => this.wasm.init(blockEntries, OUTPUT_BYTES, maxPairs, partWords, words.size, arena.length), maxPairs);
    const { buffer } = this.wasm.memory;
    new Float64Array(buffer, this.wasm.countsAt(), words.size).set(words.counts.subarray(0, words.size));
    new Int32Array(buffer, this.wasm.startsAt(), words.size).set(starts);
    new Int32Array(buffer, this.wasm.lengthsAt(), words.size).set(lengths);
    new Uint8Array(buffer, this.wasm.arenaAt(), arena.length).set(arena);
  }

  /** How pairs are scored; before any is counted, since it decides which words' pairs need counting. */
  useScoring(scoring: PhraseScoring, threshold: number, minCount: number, totalWords: number): void {
    this.wasm.setScoring(PHRASE_SCORINGS.indexOf(scoring), threshold, minCount, totalWords, this.words);
  }

  /** Uses `ids` (provisional id of the part → id in the corpus's word table) for the blocks that follow. */
  useMap(ids: Int32Array): void {
    if (ids.length > this.partWords) throw new RangeError(`a part of ${ids.length} words, more than the ${this.partWords} the table was made for`);
    new Int32Array(this.wasm.memory.buffer, this.wasm.mapAt(), ids.length).set(ids);
  }

  /** Where the next block goes; valid until the next call into the module (which may grow its memory). */
  get input(): Uint32Array {
    return new Uint32Array(this.wasm.memory.buffer, this.wasm.inputAt(), this.blockEntries);
  }

  /** Counts the pairs of adjacent words in the first `entries` of `input`. */
  countPairs(entries: number): void {
    this.trapsAsUserErrors(() => this.wasm.countPairs(entries));
  }

  /** Scores every pair counted and keeps the phrases; once, after the last block is counted. */
  markPhrases(): void {
    this.trapsAsUserErrors(() => this.wasm.markPhrases());
  }

  /** The text of the first `entries` of `input`, in pieces; each piece is valid until the next is asked for. */
  *write(entries: number): Generator<Uint8Array> {
    this.wasm.beginBlock(entries);
    do {
      const length = this.wasm.emit();
      yield new Uint8Array(this.wasm.memory.buffer, this.wasm.outputAt(), length);
    } while (!this.wasm.blockDone());
  }

  /** Distinct pairs in the table (of words that can be in a phrase). */
  get pairs(): number {
    return this.wasm.pairs();
  }

  /** Times the table reached its bound and dropped its rarest pairs. */
  get prunes(): number {
    return this.wasm.pruneCount();
  }

  /** Pairs seen this many times or fewer were dropped at some point, so their counts are low (0: never). */
  get prunedAtOrBelow(): number {
    return this.wasm.prunedAtOrBelow();
  }

  /** Pairs joined in the text written so far, and distinct ones among them. */
  get joins(): number {
    return this.wasm.joinCount();
  }

  get phrases(): number {
    return this.wasm.distinctJoinCount();
  }

  /** The module's only trap is running out of wasm32's 4 GiB; say which bound to lower. */
  private trapsAsUserErrors<T>(call: () => T, maxPairs?: number): T {
    try {
      return call();
    } catch (error) {
      if (!(error instanceof WasmRuntimeError)) throw error;
      const bound = maxPairs === undefined ? '' : ` (--max-pairs ${maxPairs} needs ${Math.ceil((maxPairs * 16) / 2 ** 20)} MiB for the pairs alone)`;
      throw new UserError(`the phrase table ran out of WebAssembly's 4 GiB of memory${bound}; give a smaller --max-pairs`, { cause: error });
    }
  }
}
