import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepProbabilities } from '../../src/model/subsampling.js';

describe('keepProbabilities', () => {
  it('follows C word2vec\'s formula on hand-computed values', () => {
    // total 1e6, sample 1e-3: t = 1000.
    //  c = 100t:  (sqrt(100) + 1) / 100 = 0.11
    //  c = 4t:    (2 + 1) / 4 = 0.75
    //  c = 9t:    (3 + 1) / 9 = 0.444...
    //  c = t:     (1 + 1) / 1 = 2 -> clamped to 1
    //  c = 1:     far above 1 -> 1
    const keep = keepProbabilities([100_000, 4000, 9000, 1000, 1], 1e6, 1e-3);
    assert.equal(keep[0], Math.fround(0.11));
    assert.equal(keep[1], 0.75);
    assert.equal(keep[2], Math.fround(4 / 9));
    assert.equal(keep[3], 1);
    assert.equal(keep[4], 1);
  });

  it('keeps every word when sample is 0', () => {
    const keep = keepProbabilities([1e9, 1e6, 1], 1e9 + 1e6 + 1, 0);
    assert.deepEqual(Array.from(keep), [1, 1, 1]);
  });

  it('keeps every word of an empty corpus instead of dividing by zero', () => {
    assert.deepEqual(Array.from(keepProbabilities([0, 0], 0, 1e-3)), [1, 1]);
  });

  it('is non-increasing in the count, within [0, 1], and crosses 1 where C\'s formula does', () => {
    const total = 17_000_000;
    const sample = 1e-4;
    const t = sample * total;
    const counts = Array.from({ length: 2000 }, (_, i) => Math.round(10 * 1.01 ** i));
    const keep = keepProbabilities(counts, total, sample);
    for (let i = 0; i < counts.length; i++) {
      assert.ok(keep[i] > 0 && keep[i] <= 1);
      if (i > 0) assert.ok(keep[i] <= keep[i - 1]);
      // (sqrt(x) + 1) / x = 1 at x = ((1 + sqrt 5) / 2)^2 ≈ 2.618.
      if (counts[i] < 2.6 * t) assert.equal(keep[i], 1);
      if (counts[i] > 2.64 * t) assert.ok(keep[i] < 1);
    }
  });

  it('returns float32 values for a typed-array input', () => {
    const keep = keepProbabilities(Float64Array.of(1e6, 10), 2e6, 1e-5);
    assert.ok(keep instanceof Float32Array);
    assert.equal(keep[0], Math.fround((Math.sqrt(1e6 / 20) + 1) * 20 / 1e6));
  });
});
