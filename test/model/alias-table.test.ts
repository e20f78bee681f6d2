import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAliasTable, drawFromAliasTable, type AliasTable } from '../../src/model/alias-table.js';
import { Random } from '../../src/base/random.js';

function target(counts: ArrayLike<number>, power: number): Float64Array {
  const w = Float64Array.from(counts, (c) => (c === 0 ? 0 : c ** power));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/** The exact probability of each outcome under the draw rule, summed over the whole table. */
function impliedProbabilities(table: AliasTable): Float64Array {
  const n = table.probability.length;
  const implied = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    implied[i] += table.probability[i] / n;
    implied[table.alias[i]] += (1 - table.probability[i]) / n;
  }
  return implied;
}

function zipf(n: number, exponent: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.max(1, Math.round(1e6 / (i + 1) ** exponent)));
}

/** Wilson–Hilferty approximation of the chi-square quantile for z standard deviations. */
function chiSquareQuantile(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

describe('buildAliasTable', () => {
  it('builds the hand-computed table for counts 3 1 with power 1', () => {
    // Masses n*w/sum = 1.5 and 0.5: column 1 keeps itself half the time and aliases to 0; column
    // 0 is left with exactly 1.
    const table = buildAliasTable([3, 1], 1);
    assert.deepEqual(Array.from(table.probability), [1, 0.5]);
    assert.equal(table.alias[1], 0);
    assert.equal(drawFromAliasTable(table, 0.3), 0);
    assert.equal(drawFromAliasTable(table, 0.6), 1); // column 1, fraction 0.2 < 0.5
    assert.equal(drawFromAliasTable(table, 0.8), 0); // column 1, fraction 0.6 -> alias
  });

  it('implies exactly counts^0.75 (within 1e-6 per column) on a skewed Zipf distribution', () => {
    const counts = zipf(5000, 1.1);
    const table = buildAliasTable(counts);
    const implied = impliedProbabilities(table);
    const expected = target(counts, 0.75);
    for (let i = 0; i < counts.length; i++) {
      assert.ok(Math.abs(implied[i] - expected[i]) < 1e-6, `column ${i}: ${implied[i]} vs ${expected[i]}`);
      assert.ok(table.probability[i] >= 0 && table.probability[i] <= 1);
      assert.ok(table.alias[i] < counts.length);
    }
  });

  it('stays exact under extreme skew and many zero-weight columns', () => {
    const counts = new Float64Array(100_000).fill(1);
    counts[0] = 1e12;
    counts[1] = 1e9;
    for (let i = 50_000; i < 60_000; i++) counts[i] = 0;
    for (const power of [0.75, 1]) {
      const table = buildAliasTable(counts, power);
      const implied = impliedProbabilities(table);
      const expected = target(counts, power);
      let worst = 0;
      for (let i = 0; i < counts.length; i++) worst = Math.max(worst, Math.abs(implied[i] - expected[i]));
      assert.ok(worst < 1e-6, `power ${power}: worst error ${worst}`);
      for (let i = 50_000; i < 60_000; i++) assert.equal(table.probability[i], 0, 'a zero count keeps nothing');
    }
  });

  it('passes a chi-square goodness-of-fit test with 2e5 seeded draws', () => {
    const counts = zipf(100, 1.07);
    const table = buildAliasTable(counts);
    const expected = target(counts, 0.75);
    const random = new Random(31337);
    const draws = 200_000;
    const observed = new Float64Array(counts.length);
    for (let i = 0; i < draws; i++) observed[drawFromAliasTable(table, random.nextFloat())]++;
    let chi2 = 0;
    for (let i = 0; i < counts.length; i++) {
      const e = draws * expected[i];
      chi2 += (observed[i] - e) ** 2 / e;
    }
    const critical = chiSquareQuantile(counts.length - 1, 3.09); // p = 0.001
    assert.ok(chi2 < critical, `chi-square ${chi2.toFixed(1)} >= ${critical.toFixed(1)}`);
    // The draws must also follow the power, not the raw counts: the head is visibly flattened.
    assert.ok(observed[0] / draws < target(counts, 1)[0] - 0.05);
  });

  it('gives power 0 a uniform table', () => {
    const table = buildAliasTable([1000, 10, 1], 0);
    assert.deepEqual(Array.from(table.probability), [1, 1, 1]);
  });

  it('draws the only column of a one-word table', () => {
    const table = buildAliasTable([7]);
    for (const u of [0, 0.5, 0.999999]) assert.equal(drawFromAliasTable(table, u), 0);
  });

  it('never draws past the last column, even for u next to 1', () => {
    const table = buildAliasTable([5, 4, 3]);
    assert.ok(drawFromAliasTable(table, 1 - 2 ** -53) < 3);
    assert.ok(drawFromAliasTable(table, 0xffffffff / 2 ** 32) < 3);
  });

  it('rejects empty, negative, non-finite and all-zero counts', () => {
    assert.throws(() => buildAliasTable([]), RangeError);
    assert.throws(() => buildAliasTable([1, -1]), RangeError);
    assert.throws(() => buildAliasTable([1, Number.NaN]), RangeError);
    assert.throws(() => buildAliasTable([0, 0]), RangeError);
  });
});
