// The training kernel: skip-gram and CBOW over every output layer w2v has, compiled from
// AssemblyScript to WebAssembly with SIMD (f32x4).
//
// Everything lives in the shared memory the host created; src/shared-memory.ts owns the layout
// and writes every offset into a header block, which state.ts reads. The kernel allocates
// nothing and has no data segments (each worker instantiates it against the same memory, and a
// segment would be copied into it every time). Each loss is one file in losses/, built from the
// helpers in lanes.ts. Logic, order of random draws and constants mirror src/kernel/reference/
// exactly: that is the test oracle.
import { FLAG_CBOW, FLAG_SHARED_NEGATIVES, LOSS_ADAPTIVE, LOSS_HS, LOSS_NCE, LOSS_NS, LOSS_SAMPLED, S_TOKENS, S_SENTENCE, S_WORDS_SEEN, S_WORDS_TRAINED, SENTENCE_END } from './layout';
import { addTo, addToThenAccumulate, clear, scale } from './lanes';
import { adaptiveSoftmax } from './losses/adaptive';
import { hierarchicalSoftmax } from './losses/hs';
import { mixtureSoftmax } from './losses/mixture';
import { noiseContrastiveEstimation } from './losses/nce';
import { negativeSampling } from './losses/ns';
import { sampledSoftmax } from './losses/sampled';
import { exactSoftmax } from './losses/softmax';
import { drawNoiseWords, nextRandom, nextUnit, seedRandom } from './noise';
import { beginOutputCopy, mergeOutputCopy } from './output-copy';
import {
  flags, hidden, hiddenError, inputWeights, keepProbability, lanes, loadState, lossKind, maxSentenceLength, mixtureComponents, outputCopy,
  rowBytes, storeLoss, window,
} from './state';

/** One prediction of `word` from the input vector; the input's gradient step goes to hiddenError. */
// @ts-ignore: decorator
@inline function predict(input: usize, word: u32, alpha: f32, shared: bool): void {
  const kind = lossKind;
  if (kind == LOSS_NS) negativeSampling(input, word, alpha, shared);
  else if (kind == LOSS_HS) hierarchicalSoftmax(input, word, alpha);
  else if (kind == LOSS_NCE) noiseContrastiveEstimation(input, word, alpha, shared);
  else if (kind == LOSS_SAMPLED) sampledSoftmax(input, word, alpha, shared);
  else if (kind == LOSS_ADAPTIVE) adaptiveSoftmax(input, word, alpha);
  else if (mixtureComponents > 1) mixtureSoftmax(input, word, alpha);
  else exactSoftmax(input, word, alpha);
}

// @ts-ignore: decorator
@inline function inputRow(word: u32): usize {
  return inputWeights + <usize>word * rowBytes;
}

// @ts-ignore: decorator
@inline function wordAt(sentence: usize, c: i32): u32 {
  return load<u32>(sentence + (<usize>c << 2));
}

/**
 * CBOW: the mean of the context rows predicts the centre word, and the context rows take the
 * step. One centre word's step and the next centre word's window sum are taken in one pass over
 * the rows of both windows (they share most of them): a row is updated, then added to the sum.
 * The next window's span is drawn after this centre's noise words, as one centre at a time would.
 * A word that sits twice in both windows enters the sum once before its second update, a
 * staleness of one step like any other worker's; the reference kernel does the same.
 */
function trainCbowSentence(sentence: usize, length: i32, alpha: f32): void {
  if (length == 0) return;
  // C word2vec's reduced window: a random span in 1..window on both sides (drawn for a lone
  // word too, which has no context, so that the draws are those of one centre at a time).
  let span = <i32>(window - nextRandom() % window);
  if (length == 1) return;
  let from: i32 = 0;
  let to: i32 = span >= length ? length - 1 : span;
  clear(hidden, lanes);
  for (let c: i32 = 1; c <= to; c++) addTo(hidden, inputRow(wordAt(sentence, c)), lanes);
  for (let i: i32 = 0; i < length; i++) {
    // The centre is inside its window, so the window holds to - from context words.
    scale(hidden, <f32>1 / <f32>(to - from), lanes);
    clear(hiddenError, lanes);
    predict(hidden, wordAt(sentence, i), alpha, false);
    const next = i + 1;
    if (next == length) {
      for (let c = from; c <= to; c++) if (c != i) addTo(inputRow(wordAt(sentence, c)), hiddenError, lanes);
      return;
    }
    span = <i32>(window - nextRandom() % window);
    const nextFrom = next - span < 0 ? 0 : next - span;
    const nextTo = next + span >= length ? length - 1 : next + span;
    clear(hidden, lanes);
    const first = from < nextFrom ? from : nextFrom;
    const last = to > nextTo ? to : nextTo;
    for (let c = first; c <= last; c++) {
      const row = inputRow(wordAt(sentence, c));
      const inThis = c >= from && c <= to && c != i;
      const inNext = c >= nextFrom && c <= nextTo && c != next;
      if (inThis && inNext) addToThenAccumulate(row, hiddenError, hidden, lanes);
      else if (inThis) addTo(row, hiddenError, lanes);
      else if (inNext) addTo(hidden, row, lanes);
    }
    from = nextFrom;
    to = nextTo;
  }
}

function trainSentence(sentence: usize, length: i32, alpha: f32): void {
  if ((flags & FLAG_CBOW) != 0) {
    trainCbowSentence(sentence, length, alpha);
    return;
  }
  const shared = (flags & FLAG_SHARED_NEGATIVES) != 0;
  for (let i: i32 = 0; i < length; i++) {
    const word = wordAt(sentence, i);
    // C word2vec's reduced window: a random span in 1..window on both sides.
    const span = <i32>(window - nextRandom() % window);
    const from = i - span < 0 ? 0 : i - span;
    const to = i + span >= length ? length - 1 : i + span;
    // Shared noise (Ji et al. 2016): drawn once per centre word for its whole window, so the
    // noise words' output rows stay in cache across it.
    if (shared) drawNoiseWords();
    for (let c = from; c <= to; c++) {
      if (c == i) continue;
      // As in C word2vec and gensim: the context word's input vector predicts the centre word.
      const input = inputRow(wordAt(sentence, c));
      clear(hiddenError, lanes);
      predict(input, word, alpha, shared);
      addTo(input, hiddenError, lanes);
    }
  }
}

/**
 * Trains on one chunk of the encoded corpus that the host put in the slot's token buffer.
 * The learning rate moves linearly from alphaStart to alphaEnd across the chunk's words.
 * Results (words seen, words kept after subsampling, objective sum, predictions) go to the slot.
 */
export function trainChunk(header: usize, slot: usize, tokenCount: u32, chunkWords: u32, alphaStart: f32, alphaEnd: f32, seed: u32): void {
  loadState(header, slot);
  seedRandom(seed);
  if (outputCopy != 0) beginOutputCopy();
  const sentence: usize = load<u32>(slot + S_SENTENCE);
  const tokens: usize = load<u32>(slot + S_TOKENS);
  let position: u32 = 0;
  let wordsSeen: u32 = 0;
  let wordsTrained: f64 = 0;
  const alphaSpan = alphaEnd - alphaStart;
  const perWord: f32 = chunkWords > 0 ? <f32>1 / <f32>chunkWords : 0;
  while (position < tokenCount) {
    const alpha = alphaStart + alphaSpan * (<f32>wordsSeen * perWord);
    let length: i32 = 0;
    while (position < tokenCount) {
      const word = load<u32>(tokens + (<usize>position << 2));
      position++;
      if (word == SENTENCE_END) break;
      wordsSeen++;
      // Subsampling: frequent words are dropped with C word2vec's keep probability.
      const keep = load<f32>(keepProbability + (<usize>word << 2));
      if (keep < 1 && <f64>keep < nextUnit()) continue;
      if (length < maxSentenceLength) {
        store<u32>(sentence + (<usize>length << 2), word);
        length++;
      }
    }
    wordsTrained += <f64>length;
    trainSentence(sentence, length, alpha);
  }
  if (outputCopy != 0) mergeOutputCopy();
  store<f64>(slot + S_WORDS_SEEN, <f64>wordsSeen);
  store<f64>(slot + S_WORDS_TRAINED, wordsTrained);
  storeLoss(slot);
}

/**
 * One prediction of `word` from the vector at `input`, as training makes it (hiddenError is
 * cleared first and holds the input's step after; the input itself is not moved). With shared
 * noise the caller has filled the slot's noise buffer. For tests and diagnostics.
 */
export function predictOnce(header: usize, slot: usize, input: usize, word: u32, alpha: f32, seed: u32): void {
  loadState(header, slot);
  seedRandom(seed);
  if (outputCopy != 0) beginOutputCopy();
  clear(hiddenError, lanes);
  predict(input, word, alpha, (flags & FLAG_SHARED_NEGATIVES) != 0);
  if (outputCopy != 0) mergeOutputCopy();
  storeLoss(slot);
}
