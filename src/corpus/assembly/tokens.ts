// The tokenizer and word table: the whole cost of reading a corpus. Compiled from
// AssemblyScript to plain WebAssembly (no SIMD needed); src/token-scanner.ts is its host.
//
// Text is split at ASCII whitespace (\t \n \v \f \r and space) and each token is counted in an
// open-addressing hash table over an arena of word bytes, numbered in order of first
// appearance. The same loop in JavaScript spent two thirds of each lookup in the byte compare
// of a found word; here the compare takes 8 bytes at a time, and the whole scan runs about
// twice as fast.
//
// Memory: the text region (the host writes each chunk there) and the ids region come first,
// then the table's regions, which this module allocates itself with a bump pointer. A region
// that must grow is copied to a new one at the end and the old one is left behind: growth
// doubles, so what is left behind never exceeds what is in use. Memory only grows, and the
// host re-reads its views after every call.

import { reserve } from './bump';
import { SENTENCE_END } from './ids';

/**
 * FNV-1a over the bytes, then murmur3's final avalanche: FNV mixes its last bytes into the low
 * bits poorly, and the table takes the low bits.
 */
const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;

/** Slots are (hash, id + 1) pairs, 0 meaning empty; records are (arena start, length, count f64). */
const SLOT_BYTES: usize = 8;
const RECORD_BYTES: usize = 16;

let maxTokenBytes: usize = 0;

let text: usize = 0;
let textCapacity: usize = 0;
let ids: usize = 0;

let slots: usize = 0;
let slotMask: u32 = 0;
let records: usize = 0;
let recordCapacity: u32 = 0;
let arena: usize = 0;
let arenaCapacity: usize = 0;
let arenaUsed: usize = 0;
let size: u32 = 0;

let tokens: f64 = 0;
let cutTokens: f64 = 0;
/** Line feed bytes, empty lines' included: C word2vec's count of its sentence word </s>. */
let lineFeeds: f64 = 0;
/** Whether the line being read has a token yet. */
let inLine: bool = false;
/** Inside the rest of an overlong token whose first bytes were already counted. */
let skipping: bool = false;
/** Bytes of an unfinished token moved to the front of the text region by the last scan. */
let tail: usize = 0;

/**
 * Sets the module up for chunks of at most `chunkBytes` and tokens cut at `maxToken` bytes, with
 * room for `words` words before the table grows. Call once, before anything else.
 */
export function init(chunkBytes: u32, maxToken: u32, words: u32): void {
  maxTokenBytes = maxToken;
  textCapacity = <usize>chunkBytes + maxToken;
  text = reserve(textCapacity);
  // Every entry needs a byte of its own, and the end of a file one more.
  ids = reserve((textCapacity + 2) << 2);
  let capacity: u32 = 16;
  while (capacity < words * 2) capacity <<= 1;
  slots = reserve(<usize>capacity * SLOT_BYTES);
  slotMask = capacity - 1;
  recordCapacity = capacity >> 1;
  records = reserve(<usize>recordCapacity * RECORD_BYTES);
  arenaCapacity = <usize>recordCapacity * 8;
  arena = reserve(arenaCapacity);
}

// @ts-ignore: decorator
@inline function isSpace(b: u32): bool {
  return b == 32 || b - 9 <= 4;
}

// @ts-ignore: decorator
@inline function finish(h: u32): u32 {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

function hashOf(start: usize, length: usize): u32 {
  let h = FNV_OFFSET;
  for (let k: usize = 0; k < length; k++) h = (h ^ <u32>load<u8>(start + k)) * FNV_PRIME;
  return finish(h);
}

function sameBytes(a: usize, b: usize, length: usize): bool {
  let k: usize = 0;
  for (; k + 8 <= length; k += 8) if (load<u64>(a + k) != load<u64>(b + k)) return false;
  for (; k < length; k++) if (load<u8>(a + k) != load<u8>(b + k)) return false;
  return true;
}

/** Counts one occurrence of the word at [start, start + length), adding it if new; returns its id. */
// @ts-ignore: decorator
@inline function count(start: usize, length: usize, hash: u32): u32 {
  let slot = hash & slotMask;
  for (;;) {
    const at = slots + <usize>slot * SLOT_BYTES;
    const entry = load<u32>(at, 4);
    if (entry == 0) break;
    if (load<u32>(at) == hash) {
      const record = records + <usize>(entry - 1) * RECORD_BYTES;
      if (<usize>load<u32>(record, 4) == length && sameBytes(arena + <usize>load<u32>(record), start, length)) {
        store<f64>(record, load<f64>(record, 8) + 1, 8);
        return entry - 1;
      }
    }
    slot = (slot + 1) & slotMask;
  }
  return insert(start, length, hash, slot);
}

function insert(start: usize, length: usize, hash: u32, slot: u32): u32 {
  if (size == recordCapacity) {
    const moved = reserve(<usize>recordCapacity * 2 * RECORD_BYTES);
    memory.copy(moved, records, <usize>size * RECORD_BYTES);
    records = moved;
    recordCapacity *= 2;
  }
  if (arenaUsed + length > arenaCapacity) {
    const capacity = max(arenaCapacity * 2, arenaUsed + length);
    const moved = reserve(capacity);
    memory.copy(moved, arena, arenaUsed);
    arena = moved;
    arenaCapacity = capacity;
  }
  const id = size++;
  const at = slots + <usize>slot * SLOT_BYTES;
  store<u32>(at, hash);
  store<u32>(at, id + 1, 4);
  const record = records + <usize>id * RECORD_BYTES;
  store<u32>(record, <u32>arenaUsed);
  store<u32>(record, <u32>length, 4);
  store<f64>(record, 1, 8);
  memory.copy(arena + arenaUsed, start, length);
  arenaUsed += length;
  // Linear probing stays short while at most half the slots are taken.
  if (<u64>size * 2 > <u64>slotMask + 1) rehash();
  return id;
}

function rehash(): void {
  const capacity = (slotMask + 1) * 2;
  const moved = reserve(<usize>capacity * SLOT_BYTES);
  const mask = capacity - 1;
  for (let old: u32 = 0; old <= slotMask; old++) {
    const from = slots + <usize>old * SLOT_BYTES;
    const entry = load<u32>(from, 4);
    if (entry == 0) continue;
    const hash = load<u32>(from);
    let slot = hash & mask;
    while (load<u32>(moved + <usize>slot * SLOT_BYTES, 4) != 0) slot = (slot + 1) & mask;
    store<u32>(moved + <usize>slot * SLOT_BYTES, hash);
    store<u32>(moved + <usize>slot * SLOT_BYTES, entry, 4);
  }
  slots = moved;
  slotMask = mask;
}

/** Counts the first maxTokenBytes bytes of an overlong token, backing off to a character start. */
function countCut(start: usize, available: usize): u32 {
  let length = maxTokenBytes;
  // A byte 10xxxxxx continues a character: cutting before it would split that character.
  while (length > 0 && length < available && (load<u8>(start + length) & 0xc0) == 0x80) length--;
  cutTokens += 1;
  return count(start, length, hashOf(start, length));
}

/**
 * Tokenizes text[0, length) and writes its word ids, and SENTENCE_END at each line end that
 * follows a token, to the ids region; returns how many. Unless `last`, a token that reaches the
 * end may go on in the next chunk: its bytes are moved to the front of the text region (see
 * tailBytes), where the host appends the next chunk. A token longer than maxTokenBytes is
 * counted cut as soon as that is known, and the rest of it is skipped, however many chunks it
 * spans. With `last`, the text ends a file: the last token is counted, and an unfinished line is
 * ended.
 */
export function scan(length: u32, last: bool): u32 {
  const end = text + <usize>length;
  let i = text;
  let n: usize = 0;
  let found: u32 = 0;
  tail = 0;
  if (skipping) {
    while (i < end && !isSpace(<u32>load<u8>(i))) i++;
    skipping = i == end && !last;
  }
  while (i < end) {
    let b = <u32>load<u8>(i);
    if (isSpace(b)) {
      if (b == 10) {
        lineFeeds += 1;
        if (inLine) {
          store<u32>(ids + (n++ << 2), SENTENCE_END);
          inLine = false;
        }
      }
      i++;
      continue;
    }
    const start = i;
    let h = FNV_OFFSET;
    for (;;) {
      h = (h ^ b) * FNV_PRIME;
      if (++i == end) break;
      b = <u32>load<u8>(i);
      if (b <= 32 && isSpace(b)) break;
    }
    const tokenLength = i - start;
    let id: u32;
    if (tokenLength <= maxTokenBytes) {
      if (i == end && !last) {
        memory.copy(text, start, tokenLength);
        tail = tokenLength;
        break;
      }
      id = count(start, tokenLength, finish(h));
    } else {
      id = countCut(start, tokenLength);
      skipping = i == end && !last;
    }
    store<u32>(ids + (n++ << 2), id);
    found++;
    inLine = true;
  }
  if (last) {
    if (inLine) store<u32>(ids + (n++ << 2), SENTENCE_END);
    inLine = false;
    skipping = false;
  }
  tokens += <f64>found;
  return <u32>n;
}

/** The next scan starts inside a line: a line feed first thing must still end it. */
export function continueLine(): void {
  inLine = true;
}

export function textAt(): usize {
  return text;
}
export function tailBytes(): usize {
  return tail;
}
export function idsAt(): usize {
  return ids;
}
export function words(): u32 {
  return size;
}
export function slotsAt(): usize {
  return slots;
}
export function slotCount(): u32 {
  return slotMask + 1;
}
export function recordsAt(): usize {
  return records;
}
export function arenaAt(): usize {
  return arena;
}
export function arenaBytes(): usize {
  return arenaUsed;
}
export function tokenCount(): f64 {
  return tokens;
}
export function cutTokenCount(): f64 {
  return cutTokens;
}
export function lineFeedCount(): f64 {
  return lineFeeds;
}
