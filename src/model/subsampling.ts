/**
 * Per-word probabilities of keeping a token, for subsampling frequent words.
 *
 * C word2vec's formula (not the paper's 1 - sqrt(t / f)): with threshold t = sample * totalCount,
 * a word seen c times is kept with probability (sqrt(c / t) + 1) * t / c, clamped to 1. Words
 * rarer than about 2.6 t are always kept; very frequent words are kept about sqrt(t / c) of the
 * time. Using C's variant keeps results comparable with the original tool and gensim, which
 * adopted it too. The result is float32 because the kernels compare it to a float32 uniform.
 *
 * sample = 0 (or an empty corpus) keeps everything; so does a count of 0, which cannot occur
 * in the corpus anyway.
 */
export function keepProbabilities(counts: ArrayLike<number>, totalCount: number, sample: number): Float32Array {
  const n = counts.length;
  const keep = new Float32Array(n).fill(1);
  const threshold = sample * totalCount;
  if (!(threshold > 0)) return keep;
  for (let i = 0; i < n; i++) {
    const c = counts[i];
    if (c > 0) {
      const p = (Math.sqrt(c / threshold) + 1) * threshold / c;
      if (p < 1) keep[i] = p;
    }
  }
  return keep;
}
