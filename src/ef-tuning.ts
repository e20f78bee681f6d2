import type { Embeddings } from './embeddings.js';
import type { NearestIndex } from './nearest.js';

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
function sampleRows(size: number, count: number): number[] {
  const n = Math.min(size, count);
  return Array.from({ length: n }, (_, i) => Math.floor(((i + 0.5) * size) / n));
}

/**
 * The smallest ef on the ladder whose recall@k, against exact cosine search, reaches the target
 * on a sample of the vocabulary's own words (each query leaving itself out, as `neighbors`
 * does). The right ef differs with every vocabulary, so it is measured rather than guessed.
 * When no ef reaches the target, the largest is kept and its recall reported.
 */
export function tuneEf(
  index: NearestIndex,
  embeddings: Embeddings,
  options: { targetRecall?: number; k?: number; sample?: number } = {},
): EfTuning {
  const targetRecall = options.targetRecall ?? DEFAULT_TARGET_RECALL;
  const k = Math.min(options.k ?? 10, embeddings.size - 1);
  const rows = sampleRows(embeddings.size, options.sample ?? 400);
  const truth = rows.map((row) => {
    const exact = embeddings.topOf(embeddings.cosines(embeddings.unitRow(row)), k, new Set([row]));
    return new Set(exact.map((n) => embeddings.indexOf(n.word)));
  });
  let chosen: EfTuning | undefined;
  for (const ef of EF_LADDER.filter((e) => e >= k)) {
    index.setEf(ef);
    let hits = 0;
    rows.forEach((row, q) => {
      for (const label of index.searchLabels(embeddings.unitRow(row), k + 1)) if (label !== row && truth[q].has(label)) hits++;
    });
    chosen = { targetRecall, recall: hits / (rows.length * k), ef, k, sample: rows.length };
    if (chosen.recall >= targetRecall) break;
  }
  index.setEf(chosen!.ef);
  return chosen!;
}
