import type { Embeddings } from './embeddings.js';

/**
 * What tuning needs of an index: set its search ef, and search by label. The index owns its
 * tuning (nearest.ts imports this file), so the tuning names only the two calls it makes.
 */
export interface TunableIndex {
  setEf(ef: number): void;
  searchLabels(query: ArrayLike<number>, k: number): number[];
}

/** What `w2v index` measured when it chose the search ef, saved in the sidecar. */
export interface EfTuning {
  targetRecall: number;
  /** recall@k of the chosen ef against exact search on the sample */
  recall: number;
  ef: number;
  k: number;
  sample: number;
}

/** The ef values tried, smallest first: the search cost grows about linearly with ef. */
export const EF_LADDER: readonly number[] = [10, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 384, 512];

export const DEFAULT_TARGET_RECALL = 0.98;

/** Rows spread evenly over the vocabulary (frequent and rare words alike), at most `count`. */
export function sampleRows(size: number, count: number): number[] {
  const n = Math.min(size, count);
  return Array.from({ length: n }, (_, i) => Math.floor(((i + 0.5) * size) / n));
}

/** recall@k of the index at one ef on a sample, and the standard error of that estimate. */
export interface SampleRecall {
  recall: number;
  standardError: number;
}

/**
 * Measures recall@k against exact cosine search on `rows` (each query leaving itself out, as
 * `neighbors` does) at every ef asked for; the exact answers are computed once.
 */
export function recallSampler(index: TunableIndex, embeddings: Embeddings, rows: readonly number[], k: number): (ef: number) => SampleRecall {
  const truth = rows.map((row) => {
    const exact = embeddings.topOf(embeddings.cosines(embeddings.unitRow(row)), k, new Set([row]));
    return new Set(exact.map((n) => embeddings.indexOf(n.word)));
  });
  return (ef) => {
    index.setEf(ef);
    return sampleRecall(
      rows.map((row, q) => {
        let hits = 0;
        for (const label of index.searchLabels(embeddings.unitRow(row), k + 1)) if (label !== row && truth[q].has(label)) hits++;
        return hits / k;
      }),
    );
  };
}

/** The mean of per-query recalls, and the standard error of that mean. */
export function sampleRecall(recalls: readonly number[]): SampleRecall {
  const n = recalls.length;
  const recall = recalls.reduce((sum, r) => sum + r, 0) / n;
  const squares = recalls.reduce((sum, r) => sum + r * r, 0);
  const standardError = n > 1 ? Math.sqrt(Math.max(0, squares / n - recall ** 2) / (n - 1)) : 0;
  return { recall, standardError };
}

/**
 * Whether a sample shows the target reached: with one standard error to spare, or other
 * queries would see the chosen ef fall short about half the time.
 */
export function reachesTarget(measured: SampleRecall, targetRecall: number): boolean {
  return measured.recall - measured.standardError >= targetRecall;
}

/**
 * The smallest ef whose recall@k reaches the target (see reachesTarget) on a sample of the
 * vocabulary's own words spread over it: the first rung of the ladder that reaches it, then a
 * bisection down to the rung below, since the search cost grows with every step of ef. The
 * right ef differs with every vocabulary, so it is measured rather than guessed. When no ef
 * reaches the target, the largest is kept and its recall reported.
 */
export function tuneEf(
  index: TunableIndex,
  embeddings: Embeddings,
  options: { targetRecall?: number; k?: number; sample?: number } = {},
): EfTuning {
  const k = Math.min(options.k ?? 10, embeddings.size - 1);
  const rows = sampleRows(embeddings.size, options.sample ?? 400);
  return chooseEf(index, recallSampler(index, embeddings, rows, k), { k, sample: rows.length, targetRecall: options.targetRecall });
}

/**
 * The ladder and the bisection of tuneEf, for any index and any measure of its recall at an ef:
 * the nearest-neighbour index over the input vectors and the inner-product index over an output
 * layer are tuned alike.
 */
export function chooseEf(
  index: Pick<TunableIndex, 'setEf'>,
  sampler: (ef: number) => SampleRecall,
  options: { k: number; sample: number; targetRecall?: number },
): EfTuning {
  const targetRecall = options.targetRecall ?? DEFAULT_TARGET_RECALL;
  const { k } = options;
  const measure = (ef: number) => {
    const measured = sampler(ef);
    return { ef, recall: measured.recall, reached: reachesTarget(measured, targetRecall) };
  };
  const ladder = EF_LADDER.filter((e) => e >= k);
  let below = k - 1;
  let chosen = measure(ladder[0]);
  for (const ef of ladder.slice(1)) {
    if (chosen.reached) break;
    below = chosen.ef;
    chosen = measure(ef);
  }
  if (chosen.reached) {
    // Recall grows with ef (up to noise), so the smallest ef that reaches it lies in (below, chosen.ef].
    let low = below + 1;
    while (low < chosen.ef) {
      const middle = measure((low + chosen.ef) >> 1);
      if (middle.reached) chosen = middle;
      else low = middle.ef + 1;
    }
  }
  index.setEf(chosen.ef);
  return { targetRecall, recall: chosen.recall, ef: chosen.ef, k, sample: options.sample };
}
