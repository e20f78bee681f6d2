// The re-encoding pass: every reader's provisional ids mapped to the vocabulary's final ids,
// rare words dropped, long lines cut, chunk bounds found. Compiled from AssemblyScript to plain
// WebAssembly; src/id-recoder.ts is its host and owns the order of calls, this module the
// layout of its memory: one block of input entries, twice as many output entries, the chunk
// closes of one block, then the map of the part being read (which grows with the vocabulary).
// With it the whole pass, reads and writes included, takes about half as long as with the same
// loop in JavaScript.

import { reserve } from './bump';
import { SENTENCE_END } from './ids';

let input: usize = 0;
let output: usize = 0;
let closes: usize = 0;
let finalIds: usize = 0;
let finalCapacity: usize = 0;

let maxSentenceLength: u32 = 0;
let chunkTokens: u32 = 0;
/** Tokens of the line since it started or was last cut, out-of-vocabulary ones included. */
let lineTokens: u32 = 0;
/** Kept words of the sentence being written, and of the chunk being filled. */
let sentenceWords: u32 = 0;
let chunkWords: u32 = 0;
let trainingWords: f64 = 0;
let closeCount: u32 = 0;

/** Sets the module up for blocks of at most `blockEntries`; call once, before anything else. */
export function init(blockEntries: u32, maxLine: u32, chunkWordsAtLeast: u32): void {
  maxSentenceLength = maxLine;
  chunkTokens = chunkWordsAtLeast;
  input = reserve(<usize>blockEntries << 2);
  // An input entry makes at most two: a word and the cut after it.
  output = reserve(<usize>blockEntries << 3);
  // A chunk needs a word and a mark, so a block closes at most half as many chunks as it has entries, and one more.
  closes = reserve(<usize>(blockEntries + 2) << 3);
}

/** Room for the map of a part with `count` provisional ids; returns where the host writes it. */
export function mapFor(count: u32): usize {
  if (<usize>count > finalCapacity) {
    finalCapacity = max(<usize>count, finalCapacity * 2);
    finalIds = reserve(finalCapacity << 2);
  }
  return finalIds;
}

/**
 * Re-encodes input[0, entries) with the current map into output; returns the output entries.
 * Chunks that close in this block leave (output position after the mark, words) pairs in the
 * closes region: closesInBlock() of them.
 */
export function recode(entries: u32): u32 {
  const end = input + (<usize>entries << 2);
  let i = input;
  let n: usize = 0;
  closeCount = 0;
  while (i < end) {
    // A run of tokens up to the next mark or line cut, in a loop that only maps ids and keeps
    // the known ones (n moves on unless the id is -1, without a branch).
    const runEnd = i + (min((end - i) >> 2, <usize>(maxSentenceLength - lineTokens)) << 2);
    const runStart = i;
    const kept = n;
    for (; i < runEnd; i += 4) {
      const provisional = load<u32>(i);
      if (provisional == SENTENCE_END) break;
      const id = load<i32>(finalIds + (<usize>provisional << 2));
      store<i32>(output + (n << 2), id);
      n += <usize>(1 + (id >> 31));
    }
    lineTokens += <u32>((i - runStart) >> 2);
    const added = <u32>(n - kept);
    sentenceWords += added;
    chunkWords += added;
    if (i < end && load<u32>(i) == SENTENCE_END) i += 4;
    else if (lineTokens != maxSentenceLength) continue; // the block ended inside the run
    // A line end, or a cut of a long line. Sentences emptied by the vocabulary cut leave nothing.
    lineTokens = 0;
    if (sentenceWords == 0) continue;
    store<u32>(output + (n << 2), SENTENCE_END);
    n++;
    trainingWords += <f64>sentenceWords;
    sentenceWords = 0;
    if (chunkWords >= chunkTokens) {
      const at = closes + (<usize>closeCount << 3);
      store<u32>(at, <u32>n);
      store<u32>(at, chunkWords, 4);
      closeCount++;
      chunkWords = 0;
    }
  }
  return <u32>n;
}

export function inputAt(): usize {
  return input;
}
export function outputAt(): usize {
  return output;
}
export function closesAt(): usize {
  return closes;
}
export function closesInBlock(): u32 {
  return closeCount;
}
/** Words of the chunk not yet closed. */
export function openChunkWords(): u32 {
  return chunkWords;
}
export function trainingWordCount(): f64 {
  return trainingWords;
}
