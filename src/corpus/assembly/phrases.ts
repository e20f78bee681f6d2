// Phrase detection over the ids of a read corpus (C word2vec's word2phrase, gensim's Phrases):
// a table of the bigrams of adjacent words, every pair in it scored once, then a pass that
// writes the text with the phrases joined by "_". Compiled from AssemblyScript to plain
// WebAssembly; src/corpus/phrase-table.ts is its host and owns the order of calls, this module
// the layout of its memory: one block of input ids, the output bytes, the map of the part being
// read, the words' counts, bytes and flags, the pair table (last, so it grows in place), and
// the set of phrases.
//
// Ids are the corpus's words in one numbering (read-corpus.ts), so a pair is two u32s and no
// string is made for a bigram, as the byte tokenizer makes none for a token.

import { release, reserve } from './bump';
import { SENTENCE_END } from './ids';

/** No word before: the start of a line. */
const NONE: u32 = 0xffffffff;
/**
 * The pair table is open addressing with linear probing over slots of first id (u32), second id
 * (u32) and count (f64), a count of 0 marking an empty slot: a lookup reads one slot, and only
 * its cache line. At most half the slots are taken.
 */
const SLOT_BYTES: usize = 16;
const INITIAL_SLOTS: u32 = 1 << 16;

/** Word flags: it can be in a phrase at all, it is the first word of one, the second of one. */
const WORD_ELIGIBLE: u8 = 1;
const WORD_FIRST: u8 = 2;
const WORD_SECOND: u8 = 4;

const SCORING_C: u32 = 0;
const SCORING_NPMI: u32 = 1;

let input: usize = 0;
let blockEntries: usize = 0;
let output: usize = 0;
let outputCapacity: usize = 0;
let outputUsed: usize = 0;
let partIds: usize = 0;

let slots: usize = 0;
let slotMask: u32 = 0;
let pairCount: u32 = 0;
let maxPairs: u32 = 0;
/** Pairs seen this many times or fewer are dropped at the next prune (C's min_reduce). */
let minReduce: f64 = 1;
let prunes: u32 = 0;

// Counting: the word before, across blocks and parts (a line may go on into the next part).
let previous: u32 = NONE;

// Writing: the words' counts and bytes, the scoring, and the state carried across blocks.
let counts: usize = 0;
let starts: usize = 0;
let lengths: usize = 0;
let arena: usize = 0;
/** A byte of WORD_* flags per word. */
let wordFlags: usize = 0;
/**
 * The pairs that score as phrases, alone: slots of first id and second id (NONE: empty), small
 * enough to stay in cache while the text is written, and a byte per slot, set once it was joined.
 */
let phraseSlots: usize = 0;
let phraseMask: u32 = 0;
let phraseJoined: usize = 0;
let phraseCount: u32 = 0;
let scoring: u32 = SCORING_C;
let threshold: f64 = 0;
let minCount: f64 = 0;
let totalWords: f64 = 0;
/** The word before and its count; the count is 0 after a join, so a word joins one neighbour at most per pass. */
let before: u32 = NONE;
let beforeCount: f64 = 0;
let lineStarted: bool = false;
let blockAt: usize = 0;
let blockEnd: usize = 0;
let joinTotal: f64 = 0;
let distinctJoins: u32 = 0;

/**
 * Blocks of at most `entries` ids, output pieces of `outputBytes`, at most `pairs` pairs in the
 * table, parts of at most `partWords` words, `words` words of `bytes` bytes of text in all (their
 * counts, starts, lengths and bytes the host writes at countsAt() and the rest). The pair table
 * is reserved last, so that it can grow in place while pairs are counted.
 */
export function init(entries: u32, outputBytes: u32, pairs: u32, partWords: u32, words: u32, bytes: u32): void {
  blockEntries = entries;
  input = reserve(<usize>entries << 2);
  outputCapacity = outputBytes;
  output = reserve(outputCapacity);
  partIds = reserve(max<usize>(<usize>partWords, 1) << 2);
  counts = reserve(<usize>words << 3);
  starts = reserve(<usize>words << 2);
  lengths = reserve(<usize>words << 2);
  arena = reserve(max<usize>(bytes, 1));
  wordFlags = reserve(max<usize>(<usize>words, 1));
  maxPairs = pairs;
  slots = reserve(<usize>INITIAL_SLOTS * SLOT_BYTES);
  slotMask = INITIAL_SLOTS - 1;
}

/** Where the host writes the map of the next part (provisional id → corpus id). */
export function mapAt(): usize {
  return partIds;
}

// @ts-ignore: decorator
@inline function hashOf(a: u32, b: u32): u32 {
  let h = a * 0x9e3779b1 ^ b;
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

/** The slot of pair (a, b): the one that holds it, or the empty one where it would go. */
function slotOf(a: u32, b: u32): usize {
  let slot = hashOf(a, b) & slotMask;
  for (;;) {
    const at = slots + <usize>slot * SLOT_BYTES;
    if (load<f64>(at, 8) == 0) return at;
    if (load<u32>(at) == a && load<u32>(at, 4) == b) return at;
    slot = (slot + 1) & slotMask;
  }
  return 0;
}

/**
 * Moves the pairs seen more than `keepAbove` times into a fresh table of `capacity` slots. The
 * old table is the last region while pairs are counted, so the fresh one is copied down into
 * its place and the memory above given back: growing leaves nothing behind.
 */
function rebuild(capacity: u32, keepAbove: f64): void {
  const old = slots;
  const oldSlots = <usize>slotMask + 1;
  const bytes = <usize>capacity * SLOT_BYTES;
  const fresh = reserve(bytes);
  slots = fresh;
  slotMask = capacity - 1;
  pairCount = 0;
  for (let s: usize = 0; s < oldSlots; s++) {
    const from = old + s * SLOT_BYTES;
    const count = load<f64>(from, 8);
    if (count <= keepAbove) continue;
    const a = load<u32>(from);
    const b = load<u32>(from, 4);
    const to = slotOf(a, b);
    store<u32>(to, a);
    store<u32>(to, b, 4);
    store<f64>(to, count, 8);
    pairCount++;
  }
  if (fresh == ((old + oldSlots * SLOT_BYTES + 15) & ~(<usize>15))) {
    memory.copy(old, fresh, bytes);
    slots = old;
    release(old + bytes);
  }
}

/**
 * Drops the pairs seen minReduce times or fewer and raises minReduce, until the table is below
 * its bound again: C word2phrase's ReduceVocab (and gensim's prune_vocab). Counts of the pairs
 * dropped start again from zero, so a table that was pruned undercounts rare pairs.
 */
function prune(): void {
  while (pairCount >= maxPairs) {
    rebuild(slotMask + 1, minReduce);
    minReduce += 1;
    prunes++;
  }
}

function addPair(a: u32, b: u32): void {
  const at = slotOf(a, b);
  const count = load<f64>(at, 8);
  store<f64>(at, count + 1, 8);
  if (count != 0) return;
  store<u32>(at, a);
  store<u32>(at, b, 4);
  pairCount++;
  if (<u64>pairCount * 2 > <u64>slotMask + 1) rebuild((slotMask + 1) * 2, 0);
  if (pairCount >= maxPairs) prune();
}

/**
 * Counts the pairs of adjacent words in input[0, entries), mapped by the current part's map; a
 * line end breaks a pair. Only pairs of two words that can be in a phrase (setScoring) are
 * counted: the others could never be joined, and leaving them out keeps the table small.
 */
export function countPairs(entries: u32): void {
  const end = input + (<usize>entries << 2);
  for (let i = input; i < end; i += 4) {
    const provisional = load<u32>(i);
    if (provisional == SENTENCE_END) {
      previous = NONE;
      continue;
    }
    const id = load<u32>(partIds + (<usize>provisional << 2));
    if ((load<u8>(wordFlags + <usize>id) & WORD_ELIGIBLE) == 0) {
      previous = NONE;
      continue;
    }
    if (previous != NONE) addPair(previous, id);
    previous = id;
  }
}

/**
 * How pairs are scored: 0 C word2phrase's formula, 1 normalised PMI; a pair is a phrase above
 * `limit`. Call after the words' counts are written and before any pair is counted: it marks
 * the words that can be in a phrase. A pair is never seen more often than either of its words,
 * so a word seen fewer than min-count times is in none; and C's score is below total / count(b)
 * for every a, so with a positive threshold a word seen total / threshold times or more is in
 * none either ("the", "of" and the like; the bound keeps a margin for single precision).
 */
export function setScoring(kind: u32, limit: f64, min: f64, total: f64, words: u32): void {
  scoring = kind;
  threshold = limit;
  minCount = min;
  totalWords = total;
  const bounded = kind == SCORING_C && limit > 0;
  for (let w: usize = 0; w < <usize>words; w++) {
    const count = load<f64>(counts + (w << 3));
    const eligible = count >= min && (!bounded || count * limit < total * (1 + 1e-6));
    store<u8>(wordFlags + w, eligible ? WORD_ELIGIBLE : 0);
  }
}

/**
 * Scores every counted pair, once, keeps those above the threshold in the phrase set and marks
 * their words, so that writing looks up only the pairs whose two words could make one, in a set
 * of phrases rather than of every pair.
 */
export function markPhrases(): void {
  phraseCount = 0;
  for (let pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      let capacity: u32 = 16;
      while (capacity < phraseCount * 2) capacity <<= 1;
      phraseSlots = reserve(<usize>capacity << 3);
      memory.fill(phraseSlots, 0xff, <usize>capacity << 3);
      phraseMask = capacity - 1;
      phraseJoined = reserve(<usize>capacity);
    }
    for (let s: usize = 0; s <= <usize>slotMask; s++) {
      const slot = slots + s * SLOT_BYTES;
      const pab = load<f64>(slot, 8);
      if (pab == 0) continue;
      const a = load<u32>(slot);
      const b = load<u32>(slot, 4);
      if (!scoresAsPhrase(pab, load<f64>(counts + (<usize>a << 3)), load<f64>(counts + (<usize>b << 3)))) continue;
      if (pass == 0) {
        phraseCount++;
        continue;
      }
      const at = phraseSlotOf(a, b);
      store<u32>(at, a);
      store<u32>(at, b, 4);
      store<u8>(wordFlags + <usize>a, load<u8>(wordFlags + <usize>a) | WORD_FIRST);
      store<u8>(wordFlags + <usize>b, load<u8>(wordFlags + <usize>b) | WORD_SECOND);
    }
  }
}

/** The phrase set's slot of (a, b): the one that holds it, or the empty one where it would go. */
function phraseSlotOf(a: u32, b: u32): usize {
  let slot = hashOf(a, b) & phraseMask;
  for (;;) {
    const at = phraseSlots + (<usize>slot << 3);
    const first = load<u32>(at);
    if (first == NONE || (first == a && load<u32>(at, 4) == b)) return at;
    slot = (slot + 1) & phraseMask;
  }
  return 0;
}

/**
 * ln x for x > 0, without AssemblyScript's Math (its tables would be data segments, which the
 * bump allocator does not leave room for): x = m · 2^e with m in [√½, √2), and
 * ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172, summed to s^23 (error below 1e-17).
 */
function ln(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let e = <i64>((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e++;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum: f64 = 0;
  for (let k = 1; k <= 23; k += 2) {
    sum += term / <f64>k;
    term *= s2;
  }
  return 2 * sum + <f64>e * 0.6931471805599453;
}

/** Whether a pair seen pab times, of words seen pa and pb times, scores above the threshold. */
function scoresAsPhrase(pab: f64, pa: f64, pb: f64): bool {
  if (scoring == SCORING_C) {
    // C's test and arithmetic: every count at least min_count, then single precision throughout,
    // (pab - min_count) / pa / pb * train_words, so scores at the threshold's edge fall as C's do.
    if (pab < minCount || pa < minCount || pb < minCount) return false;
    const score = <f32>(pab - minCount) / <f32>pa / <f32>pb * <f32>totalWords;
    return score > <f32>threshold;
  }
  // gensim's npmi_scorer: ln(p(ab) / (p(a) p(b))) / -ln p(ab), for pairs seen min_count times or more.
  if (pab < minCount) return false;
  const p = pab / totalWords;
  const score = p >= 1 ? 1 : ln(p / ((pa / totalWords) * (pb / totalWords))) / -ln(p);
  return score > threshold;
}

/**
 * Whether word b joins word a before it, a seen aCount times (0 when a was just joined to the
 * word before it: a word joins one neighbour at most per pass, as in C). Counts each pair the
 * first time it is joined.
 */
function joins(a: u32, aCount: f64, b: u32): bool {
  if (aCount == 0 || (load<u8>(wordFlags + <usize>a) & WORD_FIRST) == 0 || (load<u8>(wordFlags + <usize>b) & WORD_SECOND) == 0) return false;
  const slot = phraseSlotOf(a, b);
  if (load<u32>(slot) == NONE) return false;
  const joined = phraseJoined + ((slot - phraseSlots) >> 3);
  if (load<u8>(joined) == 0) {
    store<u8>(joined, 1);
    distinctJoins++;
  }
  return true;
}

/**
 * Copies a word's bytes: 8 at a time, then one at a time. Words are a few bytes long, and
 * memory.copy is a call out of the module each time, which costs more than such a copy.
 */
// @ts-ignore: decorator
@inline function copyWord(to: usize, from: usize, length: usize): void {
  let k: usize = 0;
  for (; k + 8 <= length; k += 8) store<u64>(to + k, load<u64>(from + k));
  for (; k < length; k++) store<u8>(to + k, load<u8>(from + k));
}

/** Starts writing input[0, entries), mapped by the current part's map. */
export function beginBlock(entries: u32): void {
  blockAt = input;
  blockEnd = input + (<usize>entries << 2);
}

/**
 * Writes the text of the block's next ids into the output until it is full or the block ends;
 * returns the bytes written. A word follows the one before it after "_" when the pair scores as a
 * phrase, after a space otherwise; a line end is a line feed.
 */
export function emit(): u32 {
  outputUsed = 0;
  while (blockAt < blockEnd) {
    const provisional = load<u32>(blockAt);
    if (provisional == SENTENCE_END) {
      if (outputUsed + 1 > outputCapacity) break;
      if (lineStarted) store<u8>(output + outputUsed++, 10);
      lineStarted = false;
      before = NONE;
      blockAt += 4;
      continue;
    }
    const id = load<u32>(partIds + (<usize>provisional << 2));
    const length = <usize>load<u32>(lengths + (<usize>id << 2));
    if (outputUsed + length + 1 > outputCapacity) break;
    let joined = false;
    if (lineStarted) {
      joined = before != NONE && joins(before, beforeCount, id);
      store<u8>(output + outputUsed++, joined ? 95 : 32);
    }
    copyWord(output + outputUsed, arena + <usize>load<u32>(starts + (<usize>id << 2)), length);
    outputUsed += length;
    if (joined) joinTotal += 1;
    before = id;
    beforeCount = joined ? 0 : load<f64>(counts + (<usize>id << 3));
    lineStarted = true;
    blockAt += 4;
  }
  return <u32>outputUsed;
}

/** Whether the block begun last has been written whole. */
export function blockDone(): bool {
  return blockAt >= blockEnd;
}

export function inputAt(): usize {
  return input;
}
export function outputAt(): usize {
  return output;
}
export function countsAt(): usize {
  return counts;
}
export function startsAt(): usize {
  return starts;
}
export function lengthsAt(): usize {
  return lengths;
}
export function arenaAt(): usize {
  return arena;
}
export function pairs(): u32 {
  return pairCount;
}
export function pruneCount(): u32 {
  return prunes;
}
/** Pairs seen this many times or fewer were dropped from the table at some point (0: never pruned). */
export function prunedAtOrBelow(): f64 {
  return minReduce - 1;
}
export function joinCount(): f64 {
  return joinTotal;
}
export function distinctJoinCount(): u32 {
  return distinctJoins;
}
export function blockCapacity(): u32 {
  return <u32>blockEntries;
}
