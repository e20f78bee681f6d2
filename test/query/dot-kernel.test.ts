import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DotKernel, MAX_QUERIES } from '../../src/query/dot-kernel.js';
import { Embeddings } from '../../src/query/embeddings.js';

test('dotsMany scores up to MAX_QUERIES queries at once as the plain loop scores each, at awkward dimensions', () => {
  for (const dim of [1, 3, 8, 13, 100]) {
    const n = 37;
    const e = new Embeddings({ words: Array.from({ length: n }, (_, i) => `w${i}`), dim, vectors: Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 1.3)) });
    const kernel = DotKernel.create(e.unitVectors, n, dim);
    if (!kernel) return; // no WebAssembly SIMD here: the plain loop is all there is
    for (let q = 1; q <= MAX_QUERIES; q++) {
      const queries = e.unitVectors.slice(5 * dim, (5 + q) * dim);
      const many: Float32Array = kernel.dotsMany(queries, q, 30);
      assert.equal(many.length, 30 * q);
      for (let i = 0; i < q; i++) {
        const plain = e.cosinesPlain(queries.subarray(i * dim, (i + 1) * dim), 30);
        plain.forEach((v, r) => assert.ok(Math.abs(v - many[r * q + i]) < 1e-5, `dim ${dim}, ${q} queries: row ${r}, query ${i}`));
      }
      assert.deepEqual(e.cosinesMany(queries, q, 30), many, 'Embeddings.cosinesMany is the kernel\'s answer');
    }
    assert.throws(() => kernel.dotsMany(e.unitVectors, MAX_QUERIES + 1), /dotsMany takes 1 to 8 queries/);
  }
});
