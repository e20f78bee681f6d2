// The training kernel: skip-gram and CBOW with hierarchical softmax or negative sampling,
// compiled from AssemblyScript to WebAssembly with SIMD (f32x4).
//
// Everything lives in the shared memory the host created; the host's src/shared-memory.ts owns
// the layout and writes every offset into a header block, which this kernel reads. The kernel
// allocates nothing and has no data segments (each worker instantiates it against the same
// memory, and a segment would be copied into it every time). Its logic, its order of random
// draws and its constants mirror src/kernel/reference.ts exactly: that file is the test oracle.

const EXP_TABLE_SIZE: i32 = 1000;
const MAX_EXP: f32 = 6.0;
const EXP_SCALE: f32 = <f32>EXP_TABLE_SIZE / MAX_EXP / 2.0;
const SENTENCE_END: u32 = 0xffffffff;
const FLAG_CBOW: u32 = 1;
const FLAG_HIERARCHICAL_SOFTMAX: u32 = 2;
const FLAG_SHARED_NEGATIVES: u32 = 4;
const UINT32_SCALE: f64 = 1.0 / 4294967296.0;

// Header fields (byte offsets), as in HeaderField of src/shared-memory.ts.
const H_VOCAB_SIZE: usize = 0;
const H_STRIDE: usize = 8;
const H_WINDOW: usize = 12;
const H_NEGATIVE: usize = 16;
const H_FLAGS: usize = 20;
const H_INPUT_WEIGHTS: usize = 24;
const H_OUTPUT_WEIGHTS: usize = 28;
const H_KEEP_PROBABILITY: usize = 32;
const H_ALIAS_PROBABILITY: usize = 36;
const H_ALIAS_INDEX: usize = 40;
const H_HUFFMAN_OFFSETS: usize = 44;
const H_HUFFMAN_CODES: usize = 48;
const H_HUFFMAN_POINTS: usize = 52;
const H_SIGMOID_TABLE: usize = 56;
const H_LOSS_TABLE: usize = 60;
const H_MAX_SENTENCE_LENGTH: usize = 64;

// Slot fields, as in SlotField of src/shared-memory.ts.
const S_WORDS_SEEN: usize = 0;
const S_WORDS_TRAINED: usize = 8;
const S_LOSS_SUM: usize = 16;
const S_LOSS_TERMS: usize = 24;
const S_HIDDEN: usize = 32;
const S_HIDDEN_ERROR: usize = 36;
const S_SENTENCE: usize = 40;
const S_TOKENS: usize = 44;
const S_NEGATIVES: usize = 48;

// Per-instance state: each worker has its own instance, so globals are thread-local.
let vocabSize: u32 = 0;
let rowBytes: usize = 0;
let lanes: i32 = 0;
let window: u32 = 0;
let negative: u32 = 0;
let flags: u32 = 0;
let inputWeights: usize = 0;
let outputWeights: usize = 0;
let keepProbability: usize = 0;
let aliasProbability: usize = 0;
let aliasIndex: usize = 0;
let huffmanOffsets: usize = 0;
let huffmanCodes: usize = 0;
let huffmanPoints: usize = 0;
let sigmoidTable: usize = 0;
let lossTable: usize = 0;
let hidden: usize = 0;
let hiddenError: usize = 0;
let negatives: usize = 0;
let random: u32 = 1;
let lossSum: f64 = 0;
let lossTerms: f64 = 0;

// xorshift32 (Marsaglia 2003: shifts 13, 17, 5), as in src/random.ts.
// @ts-ignore: decorator
@inline function nextRandom(): u32 {
  let x = random;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  random = x;
  return x;
}

// @ts-ignore: decorator
@inline function nextUnit(): f64 {
  return <f64>nextRandom() * UINT32_SCALE;
}

/** A negative sample from the unigram^0.75 alias table: one uniform draw, O(1). */
// @ts-ignore: decorator
@inline function drawNegative(): u32 {
  const x = nextUnit() * <f64>vocabSize;
  const column = <u32>x;
  const fraction = x - <f64>column;
  if (fraction < <f64>load<f32>(aliasProbability + (<usize>column << 2))) return column;
  return load<u32>(aliasIndex + (<usize>column << 2));
}

// @ts-ignore: decorator
@inline function dot(a: usize, b: usize): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let i: i32 = 0;
  const n = lanes;
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 4;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + o + 16), v128.load(b + o + 16)));
  }
  if (i < n) {
    const o = <usize>i << 4;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  const acc = f32x4.add(acc0, acc1);
  return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
}

/** error += g * output; output += g * input — the two axpys of one pair, fused into one pass. */
// @ts-ignore: decorator
@inline function updatePair(input: usize, output: usize, g: f32): void {
  const gv = f32x4.splat(g);
  const n = lanes;
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    const out = v128.load(output + o);
    v128.store(hiddenError + o, f32x4.add(v128.load(hiddenError + o), f32x4.mul(gv, out)));
    v128.store(output + o, f32x4.add(out, f32x4.mul(gv, v128.load(input + o))));
  }
}

/** updatePair, then input · next, in one pass; `next` is read after `output` is written. */
// @ts-ignore: decorator
@inline function updatePairThenDot(input: usize, output: usize, g: f32, next: usize): f32 {
  const gv = f32x4.splat(g);
  let acc = f32x4.splat(0);
  const n = lanes;
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    const x = v128.load(input + o);
    const out = v128.load(output + o);
    v128.store(hiddenError + o, f32x4.add(v128.load(hiddenError + o), f32x4.mul(gv, out)));
    v128.store(output + o, f32x4.add(out, f32x4.mul(gv, x)));
    acc = f32x4.add(acc, f32x4.mul(x, v128.load(next + o)));
  }
  return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
}

// @ts-ignore: decorator
@inline function addTo(target: usize, source: usize): void {
  const n = lanes;
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(target + o, f32x4.add(v128.load(target + o), v128.load(source + o)));
  }
}

// @ts-ignore: decorator
@inline function clear(target: usize): void {
  const zero = f32x4.splat(0);
  const n = lanes;
  for (let i: i32 = 0; i < n; i++) v128.store(target + (<usize>i << 4), zero);
}

// @ts-ignore: decorator
@inline function scale(target: usize, factor: f32): void {
  const fv = f32x4.splat(factor);
  const n = lanes;
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(target + o, f32x4.mul(v128.load(target + o), fv));
  }
}

/** -log P(label | f), from the host-computed table; beyond the table, the linear tail. */
// @ts-ignore: decorator
@inline function pairLoss(f: f32, label: bool): f32 {
  const z = label ? f : -f;
  if (z >= MAX_EXP) return 0;
  if (z <= -MAX_EXP) return -z;
  return load<f32>(lossTable + (<usize><i32>((z + MAX_EXP) * EXP_SCALE) << 2));
}

/** One logistic-regression step of negative sampling: does `input` predict `target` (label)? */
// @ts-ignore: decorator
@inline function samplePair(input: usize, target: u32, label: bool, alpha: f32): void {
  const output = outputWeights + <usize>target * rowBytes;
  const f = dot(input, output);
  let g: f32;
  if (f >= MAX_EXP) g = label ? 0 : -1;
  else if (f <= -MAX_EXP) g = label ? 1 : 0;
  else g = (label ? <f32>1 : <f32>0) - load<f32>(sigmoidTable + (<usize><i32>((f + MAX_EXP) * EXP_SCALE) << 2));
  lossSum += <f64>pairLoss(f, label);
  lossTerms += 1;
  updatePair(input, output, g * alpha);
}

/** Negative sampling for one (input vector, target word) pair: one positive, `negative` fresh noise words. */
function negativeSampling(input: usize, word: u32, alpha: f32): void {
  samplePair(input, word, true, alpha);
  for (let d: u32 = 0; d < negative; d++) {
    const target = drawNegative();
    if (target != word) samplePair(input, target, false, alpha);
  }
}

/**
 * The same with the noise words drawn once per centre word and shared by its whole context
 * window (Ji et al. 2016): their output rows stay in cache across the window.
 */
function sharedNegativeSampling(input: usize, word: u32, alpha: f32): void {
  samplePair(input, word, true, alpha);
  for (let d: u32 = 0; d < negative; d++) {
    const target = load<u32>(negatives + (<usize>d << 2));
    if (target != word) samplePair(input, target, false, alpha);
  }
}

/** Hierarchical softmax: one binary decision per inner node on the word's Huffman path. */
function hierarchicalSoftmaxUpdate(input: usize, word: u32, alpha: f32): void {
  const start = load<u32>(huffmanOffsets + (<usize>word << 2));
  const end = load<u32>(huffmanOffsets + (<usize>(word + 1) << 2));
  if (start == end) return;
  let output = outputWeights + <usize>load<u32>(huffmanPoints + (<usize>start << 2)) * rowBytes;
  let f = dot(input, output);
  for (let k = start; k < end; k++) {
    const label = load<u8>(huffmanCodes + <usize>k) == 0;
    const hasNext = k + 1 < end;
    const next = hasNext ? outputWeights + <usize>load<u32>(huffmanPoints + (<usize>(k + 1) << 2)) * rowBytes : 0;
    lossSum += <f64>pairLoss(f, label);
    lossTerms += 1;
    if (f <= -MAX_EXP || f >= MAX_EXP) {
      // C word2vec leaves saturated nodes alone.
      if (hasNext) f = dot(input, next);
    } else {
      const g = ((label ? <f32>1 : <f32>0) - load<f32>(sigmoidTable + (<usize><i32>((f + MAX_EXP) * EXP_SCALE) << 2))) * alpha;
      // The next node's score is taken in the same pass over the lanes as this node's update:
      // the input row is loaded once for both.
      if (hasNext) f = updatePairThenDot(input, output, g, next);
      else updatePair(input, output, g);
    }
    output = next;
  }
}

// @ts-ignore: decorator
@inline function predict(input: usize, word: u32, alpha: f32): void {
  if (flags & FLAG_HIERARCHICAL_SOFTMAX) hierarchicalSoftmaxUpdate(input, word, alpha);
  else negativeSampling(input, word, alpha);
}

function trainSentence(sentence: usize, length: i32, alpha: f32): void {
  const cbow = (flags & FLAG_CBOW) != 0;
  for (let i: i32 = 0; i < length; i++) {
    const word = load<u32>(sentence + (<usize>i << 2));
    // C word2vec's reduced window: a random span in 1..window on both sides.
    const span = <i32>(window - nextRandom() % window);
    const from = i - span < 0 ? 0 : i - span;
    const to = i + span >= length ? length - 1 : i + span;
    if (cbow) {
      clear(hidden);
      let count: i32 = 0;
      for (let c = from; c <= to; c++) {
        if (c == i) continue;
        addTo(hidden, inputWeights + <usize>load<u32>(sentence + (<usize>c << 2)) * rowBytes);
        count++;
      }
      if (count == 0) continue;
      scale(hidden, <f32>1 / <f32>count);
      clear(hiddenError);
      predict(hidden, word, alpha);
      for (let c = from; c <= to; c++) {
        if (c == i) continue;
        addTo(inputWeights + <usize>load<u32>(sentence + (<usize>c << 2)) * rowBytes, hiddenError);
      }
    } else {
      const shared = (flags & (FLAG_SHARED_NEGATIVES | FLAG_HIERARCHICAL_SOFTMAX)) == FLAG_SHARED_NEGATIVES;
      if (shared) {
        for (let d: u32 = 0; d < negative; d++) store<u32>(negatives + (<usize>d << 2), drawNegative());
      }
      for (let c = from; c <= to; c++) {
        if (c == i) continue;
        // As in C word2vec and gensim: the context word's input vector predicts the centre word.
        const input = inputWeights + <usize>load<u32>(sentence + (<usize>c << 2)) * rowBytes;
        clear(hiddenError);
        if (shared) sharedNegativeSampling(input, word, alpha);
        else predict(input, word, alpha);
        addTo(input, hiddenError);
      }
    }
  }
}

/**
 * Trains on one chunk of the encoded corpus that the host put in the slot's token buffer.
 * The learning rate moves linearly from alphaStart to alphaEnd across the chunk's words.
 * Results (words seen, words kept after subsampling, loss sum, loss terms) go to the slot.
 */
export function trainChunk(header: usize, slot: usize, tokenCount: u32, chunkWords: u32, alphaStart: f32, alphaEnd: f32, seed: u32): void {
  vocabSize = load<u32>(header + H_VOCAB_SIZE);
  const stride = load<u32>(header + H_STRIDE);
  rowBytes = <usize>stride << 2;
  lanes = <i32>(stride >> 2);
  window = load<u32>(header + H_WINDOW);
  negative = load<u32>(header + H_NEGATIVE);
  flags = load<u32>(header + H_FLAGS);
  inputWeights = load<u32>(header + H_INPUT_WEIGHTS);
  outputWeights = load<u32>(header + H_OUTPUT_WEIGHTS);
  keepProbability = load<u32>(header + H_KEEP_PROBABILITY);
  aliasProbability = load<u32>(header + H_ALIAS_PROBABILITY);
  aliasIndex = load<u32>(header + H_ALIAS_INDEX);
  huffmanOffsets = load<u32>(header + H_HUFFMAN_OFFSETS);
  huffmanCodes = load<u32>(header + H_HUFFMAN_CODES);
  huffmanPoints = load<u32>(header + H_HUFFMAN_POINTS);
  sigmoidTable = load<u32>(header + H_SIGMOID_TABLE);
  lossTable = load<u32>(header + H_LOSS_TABLE);
  const maxSentenceLength = <i32>load<u32>(header + H_MAX_SENTENCE_LENGTH);
  hidden = load<u32>(slot + S_HIDDEN);
  hiddenError = load<u32>(slot + S_HIDDEN_ERROR);
  negatives = load<u32>(slot + S_NEGATIVES);
  const sentence: usize = load<u32>(slot + S_SENTENCE);
  const tokens: usize = load<u32>(slot + S_TOKENS);
  random = seed == 0 ? 1 : seed;
  lossSum = 0;
  lossTerms = 0;

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
  store<f64>(slot + S_WORDS_SEEN, <f64>wordsSeen);
  store<f64>(slot + S_WORDS_TRAINED, wordsTrained);
  store<f64>(slot + S_LOSS_SUM, lossSum);
  store<f64>(slot + S_LOSS_TERMS, lossTerms);
}
