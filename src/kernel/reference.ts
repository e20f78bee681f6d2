import { xorshift32 } from '../random.js';
import {
  EXP_TABLE_SIZE, FLAG_CBOW, FLAG_HIERARCHICAL_SOFTMAX, FLAG_SHARED_NEGATIVES, HeaderField, MAX_EXP, SENTENCE_END, SlotField,
} from '../shared-memory.js';
import type { TrainingKernel } from './kernel.js';

const EXP_SCALE = EXP_TABLE_SIZE / MAX_EXP / 2;
const UINT32_SCALE = 1 / 4294967296;

/**
 * The plain TypeScript kernel: the same algorithm, order of random draws and memory layout as
 * the WebAssembly kernel (src/kernel/assembly/kernel.ts), written for clarity. It is the
 * oracle the SIMD kernel is tested against, and the fallback where WebAssembly SIMD is missing.
 */
export function createReferenceKernel(memory: WebAssembly.Memory): TrainingKernel {
  const buffer = memory.buffer;
  const u32 = new Uint32Array(buffer);
  const f32 = new Float32Array(buffer);
  const u8 = new Uint8Array(buffer);
  const f64 = new Float64Array(buffer);

  return {
    trainChunk(header, slot, tokenCount, chunkWords, alphaStart, alphaEnd, seed) {
      const field = (name: keyof typeof HeaderField) => u32[(header + HeaderField[name]) >> 2];
      const vocabSize = field('vocabSize');
      const stride = field('stride');
      const window = field('window');
      const negative = field('negative');
      const flags = field('flags');
      const input0 = field('inputWeights') >> 2;
      const output0 = field('outputWeights') >> 2;
      const keep0 = field('keepProbability') >> 2;
      const aliasProbability0 = field('aliasProbability') >> 2;
      const aliasIndex0 = field('aliasIndex') >> 2;
      const huffmanOffsets0 = field('huffmanOffsets') >> 2;
      const huffmanCodes0 = field('huffmanCodes');
      const huffmanPoints0 = field('huffmanPoints') >> 2;
      const sigmoid0 = field('sigmoidTable') >> 2;
      const loss0 = field('lossTable') >> 2;
      const maxSentenceLength = field('maxSentenceLength');
      const hidden0 = u32[(slot + SlotField.hidden) >> 2] >> 2;
      const hiddenError0 = u32[(slot + SlotField.hiddenError) >> 2] >> 2;
      const sentence0 = u32[(slot + SlotField.sentence) >> 2] >> 2;
      const tokens0 = u32[(slot + SlotField.tokens) >> 2] >> 2;
      const negatives0 = u32[(slot + SlotField.negatives) >> 2] >> 2;
      const cbow = (flags & FLAG_CBOW) !== 0;
      const hierarchical = (flags & FLAG_HIERARCHICAL_SOFTMAX) !== 0;
      const sharedNegatives = (flags & FLAG_SHARED_NEGATIVES) !== 0;

      let random = seed === 0 ? 1 : seed >>> 0;
      const nextRandom = () => (random = xorshift32(random));
      const nextUnit = () => nextRandom() * UINT32_SCALE;
      let lossSum = 0;
      let lossTerms = 0;

      const drawNegative = (): number => {
        const x = nextUnit() * vocabSize;
        const column = Math.floor(x);
        return x - column < f32[aliasProbability0 + column] ? column : u32[aliasIndex0 + column];
      };
      const dot = (a: number, b: number): number => {
        let sum = 0;
        for (let i = 0; i < stride; i++) sum += f32[a + i] * f32[b + i];
        return Math.fround(sum);
      };
      const updatePair = (input: number, output: number, g: number): void => {
        for (let i = 0; i < stride; i++) {
          const out = f32[output + i];
          f32[hiddenError0 + i] += g * out;
          f32[output + i] = out + g * f32[input + i];
        }
      };
      const tableIndex = (f: number) => Math.trunc(Math.fround((f + MAX_EXP) * EXP_SCALE));
      const pairLoss = (f: number, label: boolean): number => {
        const z = label ? f : -f;
        if (z >= MAX_EXP) return 0;
        if (z <= -MAX_EXP) return -z;
        return f32[loss0 + tableIndex(z)];
      };
      const samplePair = (input: number, target: number, label: boolean, alpha: number): void => {
        const output = output0 + target * stride;
        const f = dot(input, output);
        let g: number;
        if (f >= MAX_EXP) g = label ? 0 : -1;
        else if (f <= -MAX_EXP) g = label ? 1 : 0;
        else g = (label ? 1 : 0) - f32[sigmoid0 + tableIndex(f)];
        lossSum += pairLoss(f, label);
        lossTerms += 1;
        updatePair(input, output, Math.fround(g * alpha));
      };
      const negativeSampling = (input: number, word: number, alpha: number): void => {
        samplePair(input, word, true, alpha);
        for (let d = 0; d < negative; d++) {
          const target = drawNegative();
          if (target !== word) samplePair(input, target, false, alpha);
        }
      };
      // Noise words drawn once per centre word and shared by its context window (Ji et al. 2016).
      const sharedNegativeSampling = (input: number, word: number, alpha: number): void => {
        samplePair(input, word, true, alpha);
        for (let d = 0; d < negative; d++) {
          const target = u32[negatives0 + d];
          if (target !== word) samplePair(input, target, false, alpha);
        }
      };
      const hierarchicalSoftmax = (input: number, word: number, alpha: number): void => {
        const end = u32[huffmanOffsets0 + word + 1];
        for (let k = u32[huffmanOffsets0 + word]; k < end; k++) {
          const output = output0 + u32[huffmanPoints0 + k] * stride;
          const label = u8[huffmanCodes0 + k] === 0;
          const f = dot(input, output);
          lossSum += pairLoss(f, label);
          lossTerms += 1;
          // C word2vec leaves saturated nodes alone.
          if (f <= -MAX_EXP || f >= MAX_EXP) continue;
          const g = (label ? 1 : 0) - f32[sigmoid0 + tableIndex(f)];
          updatePair(input, output, Math.fround(g * alpha));
        }
      };
      const predict = hierarchical ? hierarchicalSoftmax : negativeSampling;
      const addTo = (target: number, source: number) => {
        for (let i = 0; i < stride; i++) f32[target + i] += f32[source + i];
      };

      const trainSentence = (length: number, alpha: number): void => {
        for (let i = 0; i < length; i++) {
          const word = u32[sentence0 + i];
          // C word2vec's reduced window: a random span in 1..window on both sides.
          const span = window - (nextRandom() % window);
          const from = Math.max(0, i - span);
          const to = Math.min(length - 1, i + span);
          if (cbow) {
            f32.fill(0, hidden0, hidden0 + stride);
            let count = 0;
            for (let c = from; c <= to; c++) {
              if (c === i) continue;
              addTo(hidden0, input0 + u32[sentence0 + c] * stride);
              count++;
            }
            if (count === 0) continue;
            const inverse = Math.fround(1 / count);
            for (let j = 0; j < stride; j++) f32[hidden0 + j] *= inverse;
            f32.fill(0, hiddenError0, hiddenError0 + stride);
            predict(hidden0, word, alpha);
            for (let c = from; c <= to; c++) {
              if (c !== i) addTo(input0 + u32[sentence0 + c] * stride, hiddenError0);
            }
          } else {
            const shared = sharedNegatives && !hierarchical;
            if (shared) {
              for (let d = 0; d < negative; d++) u32[negatives0 + d] = drawNegative();
            }
            for (let c = from; c <= to; c++) {
              if (c === i) continue;
              // As in C word2vec and gensim: the context word's input vector predicts the centre word.
              const input = input0 + u32[sentence0 + c] * stride;
              f32.fill(0, hiddenError0, hiddenError0 + stride);
              (shared ? sharedNegativeSampling : predict)(input, word, alpha);
              addTo(input, hiddenError0);
            }
          }
        }
      };

      let position = 0;
      let wordsSeen = 0;
      let wordsTrained = 0;
      const perWord = chunkWords > 0 ? Math.fround(1 / chunkWords) : 0;
      while (position < tokenCount) {
        const alpha = Math.fround(alphaStart + (alphaEnd - alphaStart) * Math.fround(wordsSeen * perWord));
        let length = 0;
        while (position < tokenCount) {
          const word = u32[tokens0 + position];
          position++;
          if (word === SENTENCE_END) break;
          wordsSeen++;
          // Subsampling: frequent words are dropped with C word2vec's keep probability.
          const keep = f32[keep0 + word];
          if (keep < 1 && keep < nextUnit()) continue;
          if (length < maxSentenceLength) u32[sentence0 + length++] = word;
        }
        wordsTrained += length;
        trainSentence(length, alpha);
      }
      f64[(slot + SlotField.wordsSeen) >> 3] = wordsSeen;
      f64[(slot + SlotField.wordsTrained) >> 3] = wordsTrained;
      f64[(slot + SlotField.lossSum) >> 3] = lossSum;
      f64[(slot + SlotField.lossTerms) >> 3] = lossTerms;
    },
  };
}
