import { DEFAULT_CHUNK_BYTES } from './corpus-text.js';
import { SENTENCE_END } from './shared-memory.js';
import { FNV_OFFSET, FNV_PRIME, WordTable, finishHash, hashBytes } from './word-table.js';

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

/**
 * Splits UTF-8 text into tokens and lines at the byte level and numbers the tokens with a
 * WordTable, in order of first appearance. Tokens are separated by ASCII whitespace; a line
 * feed ends a line (a CR before it is whitespace like any other), and empty lines leave no
 * mark. Text arrives in chunks that end on character boundaries (see corpus-text.ts); a token
 * cut by a chunk end is carried over, so chunk boundaries are invisible. Each scan appends to
 * `ids` (word ids, and SENTENCE_END at line ends), which the caller drains with `take`.
 *
 * Long lines are not cut here: a line may start in another reader's part of the file, so only
 * the pass that sees every part in order (encoded-corpus.ts) knows where the cuts fall.
 */
export class TokenScanner {
  readonly table = new WordTable();
  /** Tokens seen, cut ones included. */
  tokens = 0;
  /** Tokens longer than MAX_TOKEN_BYTES, which were cut. */
  cutTokens = 0;
  // Sized for a whole chunk of text up front: growing it would free a large block, with the
  // effect on resident memory described at WordTable's INITIAL_WORDS.
  ids = new Uint32Array(DEFAULT_CHUNK_BYTES + 16);
  idCount = 0;
  /** Whether the line being read has a token yet. */
  private inLine = false;
  /** The start of a token that reached the end of the last chunk (MAX_TOKEN_BYTES + 1 kept). */
  private readonly pending = new Uint8Array(MAX_TOKEN_BYTES + 1);
  private pendingKept = 0;
  private pendingLength = 0;

  /** The ids and marks of the scans since the last take; valid until the next scan. */
  take(): Uint32Array {
    const taken = this.ids.subarray(0, this.idCount);
    this.idCount = 0;
    return taken;
  }

  scan(text: Uint8Array): void {
    // Chunks come as Buffers (file reads, gunzip) and held tokens as a Uint8Array: seeing both
    // would make every byte access and table lookup below polymorphic. A plain view of the same
    // bytes keeps them monomorphic: the whole scan runs about 12% faster.
    const bytes = new Uint8Array(text.buffer, text.byteOffset, text.length);
    const end = bytes.length;
    // Every entry needs a byte of its own (a held token and the mark after it: 2 more).
    if (this.ids.length < this.idCount + end + 4) {
      const ids = new Uint32Array(Math.max(this.ids.length * 2, this.idCount + end + 4));
      ids.set(this.ids.subarray(0, this.idCount));
      this.ids = ids;
    }
    let i = this.pendingLength > 0 ? this.continuePending(bytes) : 0;
    const ids = this.ids;
    const table = this.table;
    let n = this.idCount;
    let inLine = this.inLine;
    let tokens = this.tokens;
    while (i < end) {
      let b = bytes[i];
      if (isAsciiSpace(b)) {
        if (b === 10 && inLine) {
          ids[n++] = SENTENCE_END;
          inLine = false;
        }
        i++;
        continue;
      }
      const start = i;
      let h = FNV_OFFSET;
      for (;;) {
        h = Math.imul(h ^ b, FNV_PRIME);
        if (++i === end) break;
        b = bytes[i];
        if (b <= 32 && isAsciiSpace(b)) break;
      }
      if (i === end) {
        // Possibly cut by the chunk end: finished by the next chunk or by endFile.
        this.hold(bytes, start, end);
        break;
      }
      const length = i - start;
      ids[n++] = length <= MAX_TOKEN_BYTES ? table.count(bytes, start, length, finishHash(h)) : this.countCut(bytes, start, length);
      tokens++;
      inLine = true;
    }
    this.idCount = n;
    this.inLine = inLine;
    this.tokens = tokens;
  }

  /** Starts in the middle of a line, whose end must be marked even if no token comes first. */
  continueLine(): void {
    this.inLine = true;
  }

  /** Ends the current token and line: neither continues into the next file. */
  endFile(): void {
    if (this.pendingLength > 0) this.finishPending();
    if (this.inLine) {
      this.ids[this.idCount++] = SENTENCE_END;
      this.inLine = false;
    }
  }

  private hold(bytes: Uint8Array, start: number, end: number): void {
    const kept = Math.min(end - start, this.pending.length);
    this.pending.set(bytes.subarray(start, start + kept));
    this.pendingKept = kept;
    this.pendingLength = end - start;
  }

  /** Extends the held token with the chunk's first bytes; returns where scanning goes on. */
  private continuePending(bytes: Uint8Array): number {
    let i = 0;
    while (i < bytes.length && !isAsciiSpace(bytes[i])) i++;
    const room = Math.min(i, this.pending.length - this.pendingKept);
    this.pending.set(bytes.subarray(0, room), this.pendingKept);
    this.pendingKept += room;
    this.pendingLength += i;
    if (i < bytes.length) this.finishPending();
    return i;
  }

  private finishPending(): void {
    const { pending, pendingKept, pendingLength } = this;
    this.pendingKept = 0;
    this.pendingLength = 0;
    this.ids[this.idCount++] =
      pendingLength <= MAX_TOKEN_BYTES ? this.table.count(pending, 0, pendingKept, hashBytes(pending, 0, pendingKept)) : this.countCut(pending, 0, pendingKept);
    this.tokens++;
    this.inLine = true;
  }

  /** Counts the first MAX_TOKEN_BYTES bytes of an overlong token, backing off to a character start. */
  private countCut(bytes: Uint8Array, start: number, available: number): number {
    let length = MAX_TOKEN_BYTES;
    // A byte 10xxxxxx continues a character: cutting before it would split that character.
    while (length > 0 && length < available && (bytes[start + length] & 0xc0) === 0x80) length--;
    this.cutTokens++;
    return this.table.count(bytes, start, length, hashBytes(bytes, start, length));
  }
}
