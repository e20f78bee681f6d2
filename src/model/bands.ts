import type { Band } from './options.js';

/** One band of the differentiated softmax as the kernels read it: a word range and a block of dimensions. */
export interface BandLayout {
  /** Words firstWord..endWord-1 (vocabulary order, most frequent first). */
  firstWord: number;
  endWord: number;
  /** The block of the input vector (and of these words' output rows) the band scores with. */
  dimOffset: number;
  dims: number;
}

/**
 * Integer parts proportional to `shares` that sum to `total` (largest-remainder rounding, ties
 * to the earlier part), then raised to at least `minimum` each at the expense of the largest.
 * Needs total >= minimum * shares.length.
 */
function apportion(total: number, shares: number[], minimum: number): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (s / sum) * total);
  const parts = exact.map((x) => Math.floor(x));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k].i]++;
  for (let i = 0; i < parts.length; i++) {
    while (parts[i] < minimum) {
      parts[parts.indexOf(Math.max(...parts))]--;
      parts[i]++;
    }
  }
  return parts;
}

/**
 * Cuts the vocabulary and the vector into bands. Blocks are whole SIMD lanes (4 floats) so the
 * kernel's loads stay aligned; the last block ends at `dim` (its padding lanes are zero and
 * inert), so the widths sum to the dimension. Every band keeps at least one word and one lane.
 * A single band covering everything is the full softmax.
 */
export function planBands(vocabSize: number, dim: number, bands: readonly Band[]): BandLayout[] {
  const lanes = Math.ceil(dim / 4);
  const n = Math.min(bands.length, vocabSize, lanes);
  const used = bands.slice(0, n);
  const words = apportion(vocabSize, used.map((b) => b.words), 1);
  const laneCounts = apportion(lanes, used.map((b) => b.dims), 1);
  const layout: BandLayout[] = [];
  let firstWord = 0;
  let lane = 0;
  for (let b = 0; b < n; b++) {
    const dimOffset = lane * 4;
    const dimEnd = Math.min(dim, (lane + laneCounts[b]) * 4);
    layout.push({ firstWord, endWord: firstWord + words[b], dimOffset, dims: dimEnd - dimOffset });
    firstWord += words[b];
    lane += laneCounts[b];
  }
  return layout;
}

/** The full softmax as a band layout: every word against the whole vector. */
export function singleBand(vocabSize: number, dim: number): BandLayout[] {
  return [{ firstWord: 0, endWord: vocabSize, dimOffset: 0, dims: dim }];
}
