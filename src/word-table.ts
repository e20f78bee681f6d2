import { fmix32 } from './random.js';

/** A word table's words, counts and hashes, by id, in arrays that can cross between threads. */
export interface WordBytes {
  size: number;
  arena: Uint8Array;
  starts: Int32Array;
  lengths: Int32Array;
  hashes: Int32Array;
  counts: Float64Array;
}

function wordOf(arena: Uint8Array, start: number, length: number): string {
  return Buffer.from(arena.buffer, arena.byteOffset + start, length).toString('utf8');
}

/**
 * Room for this many words before the arrays grow. Growing frees the old array, and glibc then
 * raises its mmap threshold to that size, so later blocks come from the heap and stay resident
 * after a reader thread ends; starting large (pages untouched until used cost nothing) keeps
 * the reading phase from adding to the training phase's peak memory on most corpora.
 */
const INITIAL_WORDS = 1 << 17;

/**
 * Distinct words as UTF-8 bytes, numbered in order of first appearance, with their counts.
 * An open-addressing hash table over an arena of word bytes: looking a token up hashes and
 * compares bytes where the tokenizer found them, so no string is made per token — only one per
 * word kept in the vocabulary, at the end. This is what lets reading keep pace with the disk and
 * keeps the garbage collector out of the tokenizing pass.
 */
export class WordTable {
  /** Slot → word id + 1 (0: empty). Linear probing; the load stays at or below one half. */
  private slots = new Int32Array(2 * INITIAL_WORDS);
  private mask = this.slots.length - 1;
  private hashes = new Int32Array(INITIAL_WORDS);
  private starts = new Int32Array(INITIAL_WORDS);
  private lengths = new Int32Array(INITIAL_WORDS);
  private arena = new Uint8Array(16 * INITIAL_WORDS);
  private arenaUsed = 0;
  counts = new Float64Array(INITIAL_WORDS);
  size = 0;

  /**
   * Counts one occurrence of the word bytes[start, start + length), whose hash is `hash` (see
   * hashBytes), adding it if it is new, and returns its id.
   */
  count(bytes: Uint8Array, start: number, length: number, hash: number): number {
    return this.countMany(bytes, start, length, hash, 1);
  }

  /** Adds `times` occurrences of the word, as `count` does one. */
  countMany(bytes: Uint8Array, start: number, length: number, hash: number, times: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === hash && this.lengths[id] === length && this.sameBytes(id, bytes, start, length)) {
        this.counts[id] += times;
        return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.insert(bytes, start, length, hash, slot);
    this.counts[id] = times;
    return id;
  }

  /** The word's bytes, decoded. */
  word(id: number): string {
    return wordOf(this.arena, this.starts[id], this.lengths[id]);
  }

  /** The table's contents in plain arrays, sized to fit: what a reader thread hands back. */
  contents(): WordBytes {
    const size = this.size;
    return {
      size,
      arena: this.arena.slice(0, this.arenaUsed),
      starts: this.starts.slice(0, size),
      lengths: this.lengths.slice(0, size),
      hashes: this.hashes.slice(0, size),
      counts: this.counts.slice(0, size),
    };
  }

  /** Adds every word of `words` with its count; returns, by id there, the id here. */
  merge(words: WordBytes): Int32Array {
    const ids = new Int32Array(words.size);
    for (let id = 0; id < words.size; id++) {
      ids[id] = this.countMany(words.arena, words.starts[id], words.lengths[id], words.hashes[id], words.counts[id]);
    }
    return ids;
  }

  private sameBytes(id: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    const at = this.starts[id];
    for (let k = 0; k < length; k++) if (arena[at + k] !== bytes[start + k]) return false;
    return true;
  }

  private insert(bytes: Uint8Array, start: number, length: number, hash: number, slot: number): number {
    const id = this.size++;
    if (id === this.hashes.length) this.growWords();
    if (this.arenaUsed + length > this.arena.length) this.growArena(length);
    this.arena.set(bytes.subarray(start, start + length), this.arenaUsed);
    this.hashes[id] = hash;
    this.starts[id] = this.arenaUsed;
    this.lengths[id] = length;
    this.arenaUsed += length;
    this.slots[slot] = id + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  private growWords(): void {
    const capacity = this.hashes.length * 2;
    this.hashes = grown(this.hashes, capacity);
    this.starts = grown(this.starts, capacity);
    this.lengths = grown(this.lengths, capacity);
    const counts = new Float64Array(capacity);
    counts.set(this.counts);
    this.counts = counts;
  }

  private growArena(atLeast: number): void {
    const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + atLeast));
    arena.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = arena;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function grown(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
}

/** FNV-1a's starting value and prime: the tokenizer folds bytes in as it scans them. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/**
 * FNV-1a mixes its last bytes into the low bits poorly, and the table takes the low bits: a
 * final avalanche spreads every input bit over them. Signed, as the Int32Array keeps it.
 */
export function finishHash(h: number): number {
  return fmix32(h) | 0;
}

/** The hash `count` expects, computed in one go (the tokenizer computes the same one as it scans). */
export function hashBytes(bytes: Uint8Array, start: number, length: number): number {
  let h = FNV_OFFSET;
  for (let k = 0; k < length; k++) h = Math.imul(h ^ bytes[start + k], FNV_PRIME);
  return finishHash(h);
}
