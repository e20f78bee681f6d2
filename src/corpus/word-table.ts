/** A word table's words, counts and hashes, by id, in arrays that can cross between threads. */
export interface WordBytes {
  size: number;
  arena: Uint8Array;
  starts: Int32Array;
  lengths: Int32Array;
  /** Each word's hash as the tokenizer computed it (src/kernel/assembly/tokens.ts). */
  hashes: Int32Array;
  counts: Float64Array;
}

/**
 * Room for this many words before the arrays grow. Growing frees the old array, and glibc then
 * raises its mmap threshold to that size, so later blocks come from the heap and stay resident;
 * starting large (pages untouched until used cost nothing) keeps the merge from adding to the
 * training phase's peak memory on most corpora.
 */
const INITIAL_WORDS = 1 << 17;

/** Arenas larger than this are decoded word by word: V8 strings end at 2^29 characters. */
const MAX_ARENA_TEXT = 1 << 28;

/**
 * The words of every reader's part in one numbering: an open-addressing hash table over an
 * arena of word bytes. Words are compared as bytes under the hashes the readers computed, so no
 * string is made per word until the vocabulary asks for the kept ones.
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
  /** The arena decoded as Latin-1, made on the first `word` call after the arena last grew. */
  private arenaText: string | undefined;
  counts = new Float64Array(INITIAL_WORDS);
  size = 0;

  /**
   * Adds every word of `words` with its count; returns, by id there, the id here. New words are
   * numbered in their order in `words`, so merging the parts in corpus order numbers every word
   * by its first appearance in the corpus.
   */
  merge(words: WordBytes): Int32Array {
    if (this.size === 0) return this.adopt(words);
    const ids = new Int32Array(words.size);
    for (let id = 0; id < words.size; id++) {
      ids[id] = this.countMany(words.arena, words.starts[id], words.lengths[id], words.hashes[id], words.counts[id]);
    }
    return ids;
  }

  /**
   * The word's bytes, decoded. ASCII words (nearly all, in most corpora) are cut from one
   * Latin-1 decoding of the whole arena, which is several times faster than decoding each.
   */
  word(id: number): string {
    const at = this.starts[id];
    const end = at + this.lengths[id];
    const arena = this.arena;
    let ascii = this.arenaUsed <= MAX_ARENA_TEXT;
    for (let k = at; k < end && ascii; k++) ascii = arena[k] < 0x80;
    if (!ascii) return Buffer.from(arena.buffer, arena.byteOffset + at, end - at).toString('utf8');
    this.arenaText ??= Buffer.from(arena.buffer, arena.byteOffset, this.arenaUsed).toString('latin1');
    return this.arenaText.slice(at, end);
  }

  /** Every word's bytes, as views: word id's are arena[starts[id], starts[id] + lengths[id]). Valid until the table grows. */
  bytes(): { arena: Uint8Array; starts: Int32Array; lengths: Int32Array } {
    return { arena: this.arena.subarray(0, this.arenaUsed), starts: this.starts.subarray(0, this.size), lengths: this.lengths.subarray(0, this.size) };
  }

  /** Into an empty table, every word is new and keeps its id: no lookups needed. */
  private adopt(words: WordBytes): Int32Array {
    const size = words.size;
    while (this.hashes.length < size) this.growWords();
    while (2 * size > this.slots.length) this.growSlots();
    if (words.arena.length > this.arena.length) this.growArena(words.arena.length);
    this.arena.set(words.arena);
    this.arenaUsed = words.arena.length;
    this.arenaText = undefined;
    this.hashes.set(words.hashes);
    this.starts.set(words.starts);
    this.lengths.set(words.lengths);
    this.counts.set(words.counts);
    this.size = size;
    this.fillSlots();
    return Int32Array.from({ length: size }, (_, id) => id);
  }

  /** Adds `times` occurrences of the word bytes[start, start + length) whose hash is `hash`; returns its id. */
  private countMany(bytes: Uint8Array, start: number, length: number, hash: number, times: number): number {
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

  private sameBytes(id: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    const at = this.starts[id];
    for (let k = 0; k < length; k++) if (arena[at + k] !== bytes[start + k]) return false;
    return true;
  }

  private insert(bytes: Uint8Array, start: number, length: number, hash: number, slot: number): number {
    const id = this.size++;
    if (id === this.hashes.length) this.growWords();
    if (this.arenaUsed + length > this.arena.length) this.growArena(this.arenaUsed + length);
    const arena = this.arena;
    const at = this.arenaUsed;
    for (let k = 0; k < length; k++) arena[at + k] = bytes[start + k];
    this.arenaText = undefined;
    this.hashes[id] = hash;
    this.starts[id] = at;
    this.lengths[id] = length;
    this.arenaUsed += length;
    this.slots[slot] = id + 1;
    if (this.size * 2 > this.slots.length) {
      this.growSlots();
      this.fillSlots();
    }
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
    const arena = new Uint8Array(Math.max(this.arena.length * 2, atLeast));
    arena.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = arena;
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
  }

  /** Puts every word into the (empty) slots by its hash. */
  private fillSlots(): void {
    const slots = this.slots;
    const mask = this.mask;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
  }
}

function grown(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
}
