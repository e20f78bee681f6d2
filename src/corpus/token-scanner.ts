import { DEFAULT_CHUNK_BYTES } from './corpus-text.js';
import { UserError } from '../base/errors.js';
import { loadWasmModule } from '../base/wasm-module.js';
import type { WordBytes } from './word-table.js';

/**
 * Longer tokens are cut to this many bytes (on a character boundary) and counted. No real word
 * comes near it; the cap keeps a file with no whitespace (a mangled export, one giant line)
 * from growing one token without bound, so memory stays the same whatever the input.
 */
export const MAX_TOKEN_BYTES = 1000;

/** True for the six ASCII whitespace bytes: \t \n \v \f \r and space; they separate tokens. */
export function isAsciiSpace(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

/** Room for this many words before the module's word table first grows. */
const INITIAL_WORDS = 1 << 15;

/** A word's record in the module: arena start (u32), length (u32), count (f64); see tokens.ts. */
const RECORD_BYTES = 16;

/** The exports of src/kernel/assembly/tokens.ts. */
interface TokensModule {
  memory: WebAssembly.Memory;
  init(chunkBytes: number, maxToken: number, words: number): void;
  scan(length: number, last: boolean): number;
  continueLine(): void;
  textAt(): number;
  tailBytes(): number;
  idsAt(): number;
  words(): number;
  slotsAt(): number;
  slotCount(): number;
  recordsAt(): number;
  arenaAt(): number;
  arenaBytes(): number;
  tokenCount(): number;
  cutTokenCount(): number;
  lineFeedCount(): number;
}

/** What a trap throws (Node's typings for the ES2022 lib leave it out). */
const WasmRuntimeError = (WebAssembly as unknown as { RuntimeError: ErrorConstructor }).RuntimeError;

/** Compiled once per thread; each scanner instantiates it with a memory of its own. */
let compiled: WebAssembly.Module | undefined;

/**
 * Splits UTF-8 text into tokens and lines at the byte level and numbers the tokens in order of
 * first appearance, counting each word. Tokens are separated by ASCII whitespace; a line feed
 * ends a line (a CR before it is whitespace like any other), and empty lines leave no mark.
 * Text arrives in chunks that end on character boundaries (see corpus-text.ts); a token cut by
 * a chunk end is carried over, so chunk boundaries are invisible. Each scan appends to `ids`
 * (word ids, and SENTENCE_END at line ends), which the caller drains with `take`.
 *
 * The tokenizer and its word table run in WebAssembly (src/kernel/assembly/tokens.ts): no
 * string is made per token, only one per word asked for by `word` or `contents`.
 *
 * Long lines are not cut here: a line may start in another reader's part of the file, so only
 * the pass that sees every part in order (encoded-corpus.ts) knows where the cuts fall.
 */
export class TokenScanner {
  private readonly wasm: TokensModule;
  /** The most bytes one scan of the module takes: the rest of a longer chunk waits its turn. */
  private readonly pieceBytes: number;
  // Sized for a whole chunk of text up front: growing it would free a large block, and glibc
  // then raises its mmap threshold to that size, so later blocks stay resident after a reader
  // thread ends.
  ids = new Uint32Array(DEFAULT_CHUNK_BYTES + 16);
  idCount = 0;

  constructor(pieceBytes = DEFAULT_CHUNK_BYTES) {
    compiled ??= loadWasmModule('tokens');
    this.wasm = new WebAssembly.Instance(compiled).exports as unknown as TokensModule;
    this.wasm.init(pieceBytes, MAX_TOKEN_BYTES, INITIAL_WORDS);
    this.pieceBytes = pieceBytes;
  }

  /** Tokens seen, cut ones included. */
  get tokens(): number {
    return this.wasm.tokenCount();
  }

  /** Tokens longer than MAX_TOKEN_BYTES, which were cut. */
  get cutTokens(): number {
    return this.wasm.cutTokenCount();
  }

  /** Line feed bytes, those of empty lines included (C word2vec counts each as its word </s>). */
  get lineFeeds(): number {
    return this.wasm.lineFeedCount();
  }

  /** Distinct words so far. */
  get size(): number {
    return this.wasm.words();
  }

  /** The ids and marks of the scans since the last take; valid until the next scan. */
  take(): Uint32Array {
    const taken = this.ids.subarray(0, this.idCount);
    this.idCount = 0;
    return taken;
  }

  scan(text: Uint8Array): void {
    for (let from = 0; from < text.length; from += this.pieceBytes) {
      const piece = text.subarray(from, Math.min(text.length, from + this.pieceBytes));
      const tail = this.wasm.tailBytes();
      // Memory may have grown since the last call, which detaches the old buffer: a fresh view each time.
      new Uint8Array(this.wasm.memory.buffer, this.wasm.textAt() + tail, piece.length).set(piece);
      this.collect(this.run(tail + piece.length, false));
    }
  }

  /** Starts in the middle of a line, whose end must be marked even if no token comes first. */
  continueLine(): void {
    this.wasm.continueLine();
  }

  /** Ends the current token and line: neither continues into the next file. */
  endFile(): void {
    this.collect(this.run(this.wasm.tailBytes(), true));
  }

  /** The word with this id, decoded. */
  word(id: number): string {
    const record = new Uint32Array(this.wasm.memory.buffer, this.wasm.recordsAt() + RECORD_BYTES * id, 2);
    return Buffer.from(this.wasm.memory.buffer, this.wasm.arenaAt() + record[0], record[1]).toString('utf8');
  }

  /** The table's words, counts and hashes in plain arrays, sized to fit: what a reader thread hands back. */
  contents(): WordBytes {
    const { buffer } = this.wasm.memory;
    const size = this.wasm.words();
    const u32s = RECORD_BYTES / 4;
    const f64s = RECORD_BYTES / 8;
    const records = new Uint32Array(buffer, this.wasm.recordsAt(), u32s * size);
    const recordCounts = new Float64Array(buffer, this.wasm.recordsAt(), f64s * size);
    const starts = new Int32Array(size);
    const lengths = new Int32Array(size);
    const counts = new Float64Array(size);
    for (let id = 0; id < size; id++) {
      starts[id] = records[u32s * id];
      lengths[id] = records[u32s * id + 1];
      counts[id] = recordCounts[f64s * id + 1];
    }
    // Hashes live in the slots only, next to the ids they lead to.
    const hashes = new Int32Array(size);
    const slots = new Int32Array(buffer, this.wasm.slotsAt(), 2 * this.wasm.slotCount());
    for (let s = 0; s < slots.length; s += 2) if (slots[s + 1] !== 0) hashes[slots[s + 1] - 1] = slots[s];
    const arena = new Uint8Array(buffer, this.wasm.arenaAt(), this.wasm.arenaBytes()).slice();
    return { size, arena, starts, lengths, hashes, counts };
  }

  /** One scan in the module; its only trap is a word table that outgrew wasm32's 4 GiB. */
  private run(length: number, last: boolean): number {
    try {
      return this.wasm.scan(length, last);
    } catch (error) {
      if (!(error instanceof WasmRuntimeError)) throw error;
      throw new UserError(
        `the corpus holds more distinct tokens than a reader can count (${this.size} filled its 4 GiB word table); ` +
          'text rarely does: check that the input is tokenized text, or split it and train on less at once',
        { cause: error },
      );
    }
  }

  private collect(entries: number): void {
    if (this.ids.length < this.idCount + entries) {
      const ids = new Uint32Array(Math.max(this.ids.length * 2, this.idCount + entries));
      ids.set(this.ids.subarray(0, this.idCount));
      this.ids = ids;
    }
    this.ids.set(new Uint32Array(this.wasm.memory.buffer, this.wasm.idsAt(), entries), this.idCount);
    this.idCount += entries;
  }
}
