import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Embeddings, UnknownWordError } from '../../src/query/embeddings.js';
import { boundedEditDistance, suggestSpellings } from '../../src/query/similar-words.js';

// Axes: royalty, male, female, fruit. king − man + woman lands exactly on queen.
const words = ['man', 'woman', 'king', 'queen', 'apple', 'pear'];
const rows = [
  [0, 1, 0, 0.1],
  [0, 0, 1, 0.1],
  [1, 1, 0, 0],
  [1, 0, 1, 0],
  [0, 0, 0, 1],
  [0, 0.1, 0, 1],
];
const toy = new Embeddings({ words, dim: 4, vectors: Float32Array.from(rows.flat()) });

test('vector, similarity and unit rows', () => {
  assert.deepEqual(Array.from(toy.vector('king')), [1, 1, 0, 0]);
  assert.ok(Math.abs(toy.similarity('king', 'queen') - 0.5) < 1e-6);
  assert.ok(Math.abs(toy.similarity('apple', 'apple') - 1) < 1e-6);
  const u = toy.unitVector('king');
  assert.ok(Math.abs(u[0] - Math.SQRT1_2) < 1e-6 && Math.abs(u[1] - Math.SQRT1_2) < 1e-6);
});

test('most similar leaves the query out and sorts by cosine', () => {
  const result = toy.mostSimilar('apple', 2);
  assert.deepEqual(result.map((n) => n.word), ['pear', 'man']);
  assert.ok(result[0].similarity > result[1].similarity);
  assert.deepEqual(toy.mostSimilar('apple', 2, { exclude: ['pear'] }).map((n) => n.word), ['man', 'woman']);
  assert.deepEqual(toy.mostSimilar('apple', 10, { restrict: 3 }).map((n) => n.word), ['man', 'woman', 'king']);
  const byVector = toy.mostSimilar(Float32Array.from([1, 0, 1, 0]), 1);
  assert.deepEqual(byVector.map((n) => n.word), ['queen']);
  assert.ok(Math.abs(byVector[0].similarity - 1) < 1e-6);
});

test('analogy by 3CosAdd and 3CosMul excludes the inputs', () => {
  for (const method of ['add', 'mul'] as const) {
    const result = toy.analogy('man', 'king', 'woman', { method, k: 3 });
    assert.equal(result[0].word, 'queen', method);
    assert.ok(!result.some((n) => ['man', 'king', 'woman'].includes(n.word)), method);
  }
  const add = toy.analogy('man', 'king', 'woman', { method: 'add', k: 1 });
  // cos(queen, unit(king) − unit(man) + unit(woman)), worked out by hand.
  const offset = [Math.SQRT1_2, Math.SQRT1_2 - 1 / Math.sqrt(1.01), 1 / Math.sqrt(1.01), 0];
  const expected = (offset[0] + offset[2]) / Math.SQRT2 / Math.hypot(...offset);
  assert.ok(Math.abs(add[0].similarity - expected) < 1e-6, `${add[0].similarity} vs ${expected}`);
});

test('exact cosines agree with a naive computation, and rows may be padded', () => {
  let seed = 3;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  const n = 300;
  const dim = 7;
  const stride = 8;
  const padded = new Float32Array(n * stride).map(rnd);
  const e = new Embeddings({ words: Array.from({ length: n }, (_, i) => `w${i}`), dim, stride, vectors: padded });
  const row = (i: number) => Array.from(padded.subarray(i * stride, i * stride + dim));
  const cos = (a: number[], b: number[]) => {
    const dot = a.reduce((s, x, j) => s + x * b[j], 0);
    return dot / Math.hypot(...a) / Math.hypot(...b);
  };
  const naive = Array.from({ length: n }, (_, i) => ({ word: `w${i}`, similarity: cos(row(0), row(i)) }))
    .slice(1)
    .sort((x, y) => y.similarity - x.similarity)
    .slice(0, 5);
  const fast = e.mostSimilar('w0', 5);
  assert.deepEqual(fast.map((x) => x.word), naive.map((x) => x.word));
  fast.forEach((x, i) => assert.ok(Math.abs(x.similarity - naive[i].similarity) < 1e-5));
  assert.deepEqual(Array.from(e.vector('w2')), row(2).map((v) => Math.fround(v)));
});

test('topOf keeps the k best rows in order, lower rows first on ties, never an excluded one', () => {
  const scores = Float32Array.from([0.1, 0.9, 0.5, 0.9, -1, 0.7, 0.95, 0.2]);
  const eight = new Embeddings({ words: Array.from(scores, (_, i) => `w${i}`), dim: 1, vectors: new Float32Array(8).fill(1) });
  const rank = (k: number, excluded?: Set<number>) => eight.topOf(scores, k, excluded).map((n) => eight.indexOf(n.word));
  assert.deepEqual(rank(3), [6, 1, 3]);
  assert.deepEqual(rank(4, new Set([6, 1])), [3, 5, 2, 7]);
  assert.deepEqual(rank(20), [6, 1, 3, 5, 2, 7, 0, 4], 'fewer rows than k: all of them');
  assert.deepEqual(eight.topOf(scores, 2).map((n) => n.similarity), [scores[6], scores[1]]);
  assert.throws(() => eight.topOf(scores, 0), /k must be a positive integer/);
});

test('unknown words throw with close spellings', () => {
  assert.throws(() => toy.similarity('kign', 'queen'), (error: unknown) => {
    assert.ok(error instanceof UnknownWordError);
    assert.equal(error.word, 'kign');
    assert.deepEqual(error.suggestions, ['king']);
    assert.match(error.message, /"kign" is not in the vocabulary \(did you mean "king"\?\)/);
    return true;
  });
  assert.deepEqual(suggestSpellings('Apple', words), ['apple']);
  assert.deepEqual(suggestSpellings('zzzzzz', words), []);
  assert.equal(boundedEditDistance('kitten', 'sitting', 5), 3);
  assert.equal(boundedEditDistance('abcd', 'abdc', 2), 1);
  assert.equal(boundedEditDistance('kitten', 'sitting', 1), 2);
});
