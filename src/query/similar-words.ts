/**
 * Close spellings of a word that is not in the vocabulary, to put in the "unknown word" message.
 * A different letter case counts as closest; otherwise words within a small edit distance
 * (one edit for short words, two from five letters on), nearest first, then most frequent
 * first, since vocabularies are stored in frequency order.
 */
export function suggestSpellings(word: string, vocabulary: readonly string[], max = 3): string[] {
  const lower = word.toLowerCase();
  const limit = [...word].length >= 5 ? 2 : 1;
  const found: { word: string; distance: number; rank: number }[] = [];
  for (let rank = 0; rank < vocabulary.length; rank++) {
    const candidate = vocabulary[rank];
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const distance = candidate.toLowerCase() === lower ? 0 : boundedEditDistance(lower, candidate.toLowerCase(), limit);
    if (distance <= limit) found.push({ word: candidate, distance, rank });
  }
  found.sort((x, y) => x.distance - y.distance || x.rank - y.rank);
  return found.slice(0, max).map((f) => f.word);
}

/**
 * Levenshtein distance with adjacent transpositions counted as one edit (the usual typo), giving
 * up with `limit + 1` as soon as every path exceeds `limit`, which keeps a vocabulary scan cheap.
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let twoBack = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, twoBack[j - 2] + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length];
}
