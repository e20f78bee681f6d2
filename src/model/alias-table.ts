/**
 * Negative-sampling distribution (unigram counts raised to a power, 0.75 as in word2vec) as a
 * Walker/Vose alias table: O(1) per draw from a single uniform, and 8 bytes per word instead of
 * C word2vec's 100 M-entry unigram array (400 MB). The table lives in shared memory and is read by
 * the kernels, which apply the exact draw rule of {@link drawFromAliasTable}.
 */
export interface AliasTable {
  /** probability of keeping column i, in [0,1] */
  probability: Float32Array;
  alias: Uint32Array;
}

/**
 * Vose's method. Each column i starts with mass p_i = n * w_i / sum(w) (so the average is 1);
 * repeatedly an under-full column is topped up from an over-full one, which becomes its alias.
 *
 * Numerical care: the arithmetic is float64 and only the final probabilities are rounded to
 * float32; the donor's remaining mass is computed as (p_l + p_s) - 1, which loses less than
 * p_l - (1 - p_s); and whatever is left in either worklist at the end is set to probability 1
 * with itself as alias — those columns' masses are 1 up to rounding, and forcing 1 means no draw
 * can fall through to a meaningless alias.
 */
export function buildAliasTable(counts: ArrayLike<number>, power = 0.75): AliasTable {
  const n = counts.length;
  if (n === 0) throw new RangeError('buildAliasTable needs at least one count');
  const mass = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = counts[i];
    if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`count ${i} is ${c}; counts must be finite and non-negative`);
    // 0^0.75 = 0 keeps words with no occurrences out of the distribution.
    mass[i] = c === 0 ? 0 : Math.pow(c, power);
    total += mass[i];
  }
  if (!(total > 0) || !Number.isFinite(total)) throw new RangeError('buildAliasTable needs a positive, finite total weight');

  const scale = n / total;
  for (let i = 0; i < n; i++) mass[i] *= scale;

  const probability = new Float32Array(n);
  const alias = new Uint32Array(n);
  // Two stacks in one array: under-full columns grow from the front, over-full from the back.
  const work = new Uint32Array(n);
  let small = 0;
  let large = n;
  for (let i = 0; i < n; i++) {
    if (mass[i] < 1) work[small++] = i;
    else work[--large] = i;
  }
  while (small > 0 && large < n) {
    const s = work[--small];
    const l = work[large++];
    probability[s] = mass[s];
    alias[s] = l;
    mass[l] = mass[l] + mass[s] - 1;
    if (mass[l] < 1) work[small++] = l;
    else work[--large] = l;
  }
  while (small > 0) {
    const i = work[--small];
    probability[i] = 1;
    alias[i] = i;
  }
  while (large < n) {
    const i = work[large++];
    probability[i] = 1;
    alias[i] = i;
  }
  return { probability, alias };
}

/** One draw from one uniform u in [0,1): column = floor(u*n), fraction = u*n - column; keep the column when fraction < probability[column], else alias[column]. The kernels use this exact rule, so keep it. */
export function drawFromAliasTable(table: AliasTable, u: number): number {
  const n = table.probability.length;
  const x = u * n;
  // u * n can round up to n for u within 2^-53 of 1; the kernels' u = k / 2^32 never does.
  const column = Math.min(Math.floor(x), n - 1);
  return x - column < table.probability[column] ? column : table.alias[column];
}

/**
 * log(k · q(w)) for the noise distribution q = unigram^power normalised: the expected count of
 * w among k noise draws. NCE and the sampled softmax subtract it from a word's score (Mnih & Teh
 * 2012; Jean et al. 2015). Words with no occurrences get -Infinity's stand-in, a very low value.
 */
export function logExpectedNoiseCounts(counts: ArrayLike<number>, k: number, power = 0.75): Float32Array {
  const n = counts.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i] === 0 ? 0 : Math.pow(counts[i], power);
  const logs = new Float32Array(n);
  for (let i = 0; i < n; i++) logs[i] = counts[i] === 0 ? -1e30 : Math.log(k) + power * Math.log(counts[i]) - Math.log(total);
  return logs;
}
