import { FLAG_CBOW, FLAG_SHARED_NEGATIVES, LossId, SlotField } from '../layout.js';
import { SENTENCE_END } from '../../corpus/id-file.js';
import type { TrainingKernel } from '../kernel.js';
import { addTo } from './lanes.js';
import { adaptiveSoftmax } from './losses/adaptive.js';
import { hierarchicalSoftmax } from './losses/hs.js';
import { mixtureSoftmax } from './losses/mixture.js';
import { noiseContrastiveEstimation } from './losses/nce.js';
import { negativeSampling } from './losses/ns.js';
import { sampledSoftmax } from './losses/sampled.js';
import { exactSoftmax } from './losses/softmax.js';
import { beginOutputCopy, mergeOutputCopy } from './output-copy.js';
import { KernelState } from './state.js';

/** One prediction of `word` from the vector at float index `input`; its step goes to hiddenError. */
function predict(k: KernelState, input: number, word: number, alpha: number, shared: boolean): void {
  switch (k.lossKind) {
    case LossId.ns: return negativeSampling(k, input, word, alpha, shared);
    case LossId.hs: return hierarchicalSoftmax(k, input, word, alpha);
    case LossId.nce: return noiseContrastiveEstimation(k, input, word, alpha, shared);
    case LossId.sampled: return sampledSoftmax(k, input, word, alpha, shared);
    case LossId.adaptive: return adaptiveSoftmax(k, input, word, alpha);
    default: return k.mixtureComponents > 1 ? mixtureSoftmax(k, input, word, alpha) : exactSoftmax(k, input, word, alpha);
  }
}

/**
 * CBOW: the mean of the context rows predicts the centre word, and the context rows take the
 * step. As in the SIMD kernel, one centre word's step and the next centre word's window sum
 * are taken in one walk over the rows of both windows: each row is updated, then added.
 */
function trainCbowSentence(k: KernelState, length: number, alpha: number): void {
  const { f32, u32, stride } = k;
  const row = (c: number) => k.inputRow(u32[k.sentence0 + c]);
  if (length === 0) return;
  // C word2vec's reduced window: a random span in 1..window on both sides (drawn for a lone
  // word too, which has no context, so that the draws are those of one centre at a time).
  let span = k.window - (k.nextRandom() % k.window);
  if (length === 1) return;
  let from = 0;
  let to = Math.min(length - 1, span);
  f32.fill(0, k.hidden0, k.hidden0 + stride);
  for (let c = 1; c <= to; c++) addTo(f32, k.hidden0, row(c), stride);
  for (let i = 0; i < length; i++) {
    const inverse = Math.fround(1 / (to - from));
    for (let j = 0; j < stride; j++) f32[k.hidden0 + j] *= inverse;
    f32.fill(0, k.hiddenError0, k.hiddenError0 + stride);
    predict(k, k.hidden0, u32[k.sentence0 + i], alpha, false);
    const next = i + 1;
    if (next === length) {
      for (let c = from; c <= to; c++) if (c !== i) addTo(f32, row(c), k.hiddenError0, stride);
      return;
    }
    span = k.window - (k.nextRandom() % k.window);
    const nextFrom = Math.max(0, next - span);
    const nextTo = Math.min(length - 1, next + span);
    f32.fill(0, k.hidden0, k.hidden0 + stride);
    for (let c = Math.min(from, nextFrom); c <= Math.max(to, nextTo); c++) {
      if (c >= from && c <= to && c !== i) addTo(f32, row(c), k.hiddenError0, stride);
      if (c >= nextFrom && c <= nextTo && c !== next) addTo(f32, k.hidden0, row(c), stride);
    }
    from = nextFrom;
    to = nextTo;
  }
}

function trainSentence(k: KernelState, length: number, alpha: number): void {
  if ((k.flags & FLAG_CBOW) !== 0) {
    trainCbowSentence(k, length, alpha);
    return;
  }
  const { f32, u32, stride } = k;
  const shared = (k.flags & FLAG_SHARED_NEGATIVES) !== 0;
  for (let i = 0; i < length; i++) {
    const word = u32[k.sentence0 + i];
    // C word2vec's reduced window: a random span in 1..window on both sides.
    const span = k.window - (k.nextRandom() % k.window);
    const from = Math.max(0, i - span);
    const to = Math.min(length - 1, i + span);
    // Shared noise (Ji et al. 2016): drawn once per centre word for its whole window.
    if (shared) k.drawNoiseWords();
    for (let c = from; c <= to; c++) {
      if (c === i) continue;
      // As in C word2vec and gensim: the context word's input vector predicts the centre word.
      const input = k.inputRow(u32[k.sentence0 + c]);
      f32.fill(0, k.hiddenError0, k.hiddenError0 + stride);
      predict(k, input, word, alpha, shared);
      addTo(f32, input, k.hiddenError0, stride);
    }
  }
}

function storeLoss(memory: WebAssembly.Memory, slot: number, k: KernelState): void {
  const f64 = new Float64Array(memory.buffer);
  f64[(slot + SlotField.lossSum) >> 3] = k.lossSum;
  f64[(slot + SlotField.predictions) >> 3] = k.predictions;
}

/**
 * The plain TypeScript kernel: the same algorithm, order of random draws and memory layout as
 * the WebAssembly kernel (src/kernel/assembly/), written for clarity, one loss per file as
 * there. It is the oracle the SIMD kernel is tested against, and the fallback where WebAssembly
 * SIMD is missing.
 */
export function createReferenceKernel(memory: WebAssembly.Memory): TrainingKernel {
  return {
    trainChunk(header, slot, tokenCount, chunkWords, alphaStart, alphaEnd, seed) {
      const k = new KernelState(memory, header, slot);
      const { u32, f32 } = k;
      k.seed(seed);
      if (k.outputCopy0 !== 0) beginOutputCopy(k);
      let position = 0;
      let wordsSeen = 0;
      let wordsTrained = 0;
      const perWord = chunkWords > 0 ? Math.fround(1 / chunkWords) : 0;
      while (position < tokenCount) {
        const alpha = Math.fround(alphaStart + (alphaEnd - alphaStart) * Math.fround(wordsSeen * perWord));
        let length = 0;
        while (position < tokenCount) {
          const word = u32[k.tokens0 + position];
          position++;
          if (word === SENTENCE_END) break;
          wordsSeen++;
          // Subsampling: frequent words are dropped with C word2vec's keep probability.
          const keep = f32[k.keep0 + word];
          if (keep < 1 && keep < k.nextUnit()) continue;
          if (length < k.maxSentenceLength) u32[k.sentence0 + length++] = word;
        }
        wordsTrained += length;
        trainSentence(k, length, alpha);
      }
      if (k.outputCopy0 !== 0) mergeOutputCopy(k);
      const f64 = new Float64Array(memory.buffer);
      f64[(slot + SlotField.wordsSeen) >> 3] = wordsSeen;
      f64[(slot + SlotField.wordsTrained) >> 3] = wordsTrained;
      storeLoss(memory, slot, k);
    },

    predictOnce(header, slot, input, word, alpha, seed) {
      const k = new KernelState(memory, header, slot);
      k.seed(seed);
      if (k.outputCopy0 !== 0) beginOutputCopy(k);
      k.f32.fill(0, k.hiddenError0, k.hiddenError0 + k.stride);
      predict(k, input >> 2, word, alpha, (k.flags & FLAG_SHARED_NEGATIVES) !== 0);
      if (k.outputCopy0 !== 0) mergeOutputCopy(k);
      storeLoss(memory, slot, k);
    },
  };
}
