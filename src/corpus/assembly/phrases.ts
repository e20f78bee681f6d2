// Phrase detection over the ids of a read corpus (C word2vec's word2phrase, gensim's Phrases):
// a table of the bigrams of adjacent words, then a pass that scores each adjacent pair and
// writes the text with the pairs that pass joined by "_". Compiled from AssemblyScript to plain
// WebAssembly; src/corpus/phrase-pass.ts is its host and owns the order of calls, this module
// the layout of its memory: one block of input ids, the output bytes, the map of the part being
// read, the pair table, and the words' counts and bytes for the writing pass.
//
// Ids are the corpus's words in one numbering (read-corpus.ts), so a pair is two u32s and no
// string is made for a bigram, as the byte tokenizer makes none for a token.

import { reserve } from './bump';
import { SENTENCE_END } from './ids';

/** No word before: the start of a line. */
const NONE: u32 = 0xffffffff;
/** Pair records: first id (u32), second id (u32), count (f64). Slots hold record index + 1, 0 empty. */
const RECORD_BYTES: usize = 16;

const SCORING_C: u32 = 0;
const SCORING_NPMI: u32 = 1;

let input: usize = 0;
let blockEntries: usize = 0;
let output: usize = 0;
let outputCapacity: usize = 0;
let outputUsed: usize = 0;
let partIds: usize = 0;
let partCapacity: usize = 0;

let slots: usize = 0;
let slotMask: u32 = 0;
let records: usize = 0;
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
let joinedMarks: usize = 0;
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
let joins: f64 = 0;
let distinctJoins: u32 = 0;

/** Blocks of at most `entries` ids, output pieces of `outputBytes`, at most `pairs` pairs in the table. */
export function init(entries: u32, outputBytes: u32, pairs: u32): void {
  blockEntries = entries;
  input = reserve(<usize>entries << 2);
  outputCapacity = outputBytes;
  output = reserve(outputCapacity);
  maxPairs = pairs;
  // Records fill from the start, so their pages are touched only as pairs come; reserving the
  // bound at once saves the copies (and the regions left behind) of growing.
  records = reserve(<usize>pairs * RECORD_BYTES);
  const capacity: u32 = 1 << 16;
  slots = reserve(<usize>capacity << 2);
  slotMask = capacity - 1;
}

/** Room for the map of a part with `count` provisional ids; returns where the host writes it. */
export function mapFor(count: u32): usize {
  if (<usize>count > partCapacity) {
    partCapacity = max(<usize>count, partCapacity * 2);
    partIds = reserve(partCapacity << 2);
  }
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
    const at = slots + (<usize>slot << 2);
    const entry = load<u32>(at);
    if (entry == 0) return at;
    const record = records + <usize>(entry - 1) * RECORD_BYTES;
    if (load<u32>(record) == a && load<u32>(record, 4) == b) return at;
    slot = (slot + 1) & slotMask;
  }
  return 0;
}

/** Puts every record into empty slots of a table of `capacity` slots. */
function fillSlots(capacity: u32): void {
  slots = reserve(<usize>capacity << 2);
  slotMask = capacity - 1;
  for (let r: u32 = 0; r < pairCount; r++) {
    const record = records + <usize>r * RECORD_BYTES;
    store<u32>(slotOf(load<u32>(record), load<u32>(record, 4)), r + 1);
  }
}

/**
 * Drops the pairs seen minReduce times or fewer and raises minReduce, until the table is below
 * its bound again: C word2phrase's ReduceVocab (and gensim's prune_vocab). Counts of the pairs
 * dropped start again from zero, so a table that was pruned undercounts rare pairs.
 */
function prune(): void {
  while (pairCount >= maxPairs) {
    let kept: u32 = 0;
    for (let r: u32 = 0; r < pairCount; r++) {
      const from = records + <usize>r * RECORD_BYTES;
      if (load<f64>(from, 8) <= minReduce) continue;
      if (kept != r) memory.copy(records + <usize>kept * RECORD_BYTES, from, RECORD_BYTES);
      kept++;
    }
    pairCount = kept;
    minReduce += 1;
    prunes++;
  }
  // Cleared in place: a fresh region each prune would leave the old ones behind.
  memory.fill(slots, 0, (<usize>slotMask + 1) << 2);
  for (let r: u32 = 0; r < pairCount; r++) {
    const record = records + <usize>r * RECORD_BYTES;
    store<u32>(slotOf(load<u32>(record), load<u32>(record, 4)), r + 1);
  }
}

function addPair(a: u32, b: u32): void {
  const at = slotOf(a, b);
  const entry = load<u32>(at);
  if (entry != 0) {
    const record = records + <usize>(entry - 1) * RECORD_BYTES;
    store<f64>(record, load<f64>(record, 8) + 1, 8);
    return;
  }
  const record = records + <usize>pairCount * RECORD_BYTES;
  store<u32>(record, a);
  store<u32>(record, b, 4);
  store<f64>(record, 1, 8);
  pairCount++;
  store<u32>(at, pairCount);
  // Linear probing stays short while at most half the slots are taken.
  if (<u64>pairCount * 2 > <u64>slotMask + 1) fillSlots((slotMask + 1) * 2);
  if (pairCount >= maxPairs) prune();
}

/** Counts the pairs of adjacent words in input[0, entries), mapped by the current part's map; a line end breaks a pair. */
export function countPairs(entries: u32): void {
  const end = input + (<usize>entries << 2);
  for (let i = input; i < end; i += 4) {
    const provisional = load<u32>(i);
    if (provisional == SENTENCE_END) {
      previous = NONE;
      continue;
    }
    const id = load<u32>(partIds + (<usize>provisional << 2));
    if (previous != NONE) addPair(previous, id);
    previous = id;
  }
}

/** Room for `words` words' counts (f64), starts and lengths (u32), and their `bytes` of text; returns the counts' address. */
export function wordsFor(words: u32, bytes: u32): usize {
  counts = reserve(<usize>words << 3);
  starts = reserve(<usize>words << 2);
  lengths = reserve(<usize>words << 2);
  arena = reserve(max<usize>(bytes, 1));
  // A bit per pair, to count each pair that is joined once.
  joinedMarks = reserve(((<usize>pairCount + 31) >> 5) << 2);
  return counts;
}

/** How the writing pass scores a pair: 0 C word2phrase's formula, 1 normalised PMI; joins above `limit`. */
export function setScoring(kind: u32, limit: f64, min: f64, total: f64): void {
  scoring = kind;
  threshold = limit;
  minCount = min;
  totalWords = total;
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

/** Whether the pair (a, b), a seen aCount times (0: a was just joined to the word before it), is a phrase. */
function isPhrase(a: u32, aCount: f64, b: u32): bool {
  if (aCount == 0) return false;
  const at = slotOf(a, b);
  const entry = load<u32>(at);
  if (entry == 0) return false;
  const record = records + <usize>(entry - 1) * RECORD_BYTES;
  const pab = load<f64>(record, 8);
  const pb = load<f64>(counts + (<usize>b << 3));
  let phrase: bool;
  if (scoring == SCORING_C) {
    // C's test and arithmetic: every count at least min_count, then single precision throughout,
    // (pab - min_count) / pa / pb * train_words, so scores at the threshold's edge fall as C's do.
    if (pab < minCount || aCount < minCount || pb < minCount) return false;
    const score = <f32>(pab - minCount) / <f32>aCount / <f32>pb * <f32>totalWords;
    phrase = score > <f32>threshold;
  } else {
    // gensim's npmi_scorer: ln(p(ab) / (p(a) p(b))) / -ln p(ab), for pairs seen min_count times or more.
    if (pab < minCount) return false;
    const p = pab / totalWords;
    const score = p >= 1 ? 1 : ln(p / ((aCount / totalWords) * (pb / totalWords))) / -ln(p);
    phrase = score > threshold;
  }
  if (phrase) {
    const index = entry - 1;
    const word = joinedMarks + (<usize>(index >> 5) << 2);
    const bit: u32 = 1 << (index & 31);
    const marks = load<u32>(word);
    if ((marks & bit) == 0) {
      store<u32>(word, marks | bit);
      distinctJoins++;
    }
  }
  return phrase;
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
      joined = before != NONE && isPhrase(before, beforeCount, id);
      store<u8>(output + outputUsed++, joined ? 95 : 32);
    }
    memory.copy(output + outputUsed, arena + <usize>load<u32>(starts + (<usize>id << 2)), length);
    outputUsed += length;
    if (joined) joins += 1;
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
  return joins;
}
export function distinctJoinCount(): u32 {
  return distinctJoins;
}
export function blockCapacity(): u32 {
  return <u32>blockEntries;
}
