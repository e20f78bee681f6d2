import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DotKernel } from '../../src/query/dot-kernel.js';
import { Embeddings } from '../../src/query/embeddings.js';
import { UserError } from '../../src/base/errors.js';
import { averageRanks, evaluateAnalogies, evaluateWordPairs, pearson, spearman } from '../../src/query/evaluate.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-evaluate-'));
const file = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

// Axes: royalty, male, female, fruit.
const toy = new Embeddings({
  words: ['man', 'woman', 'king', 'queen', 'apple', 'pear'],
  dim: 4,
  vectors: Float32Array.from([0, 1, 0, 0.1, 0, 0, 1, 0.1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0.1, 0, 1]),
});

test('analogy accuracy per section, semantic/syntactic, case-insensitive, OOV skipped and counted', async () => {
  const questions = file(
    'q.txt',
    [
      ': family',
      'man king woman queen', // right
      'MAN King WOMAN Queen', // right: words are matched case-insensitively
      'man king woman pear', // wrong
      'man king woman princess', // skipped: princess is unknown
      'man king woman', // not a question: ignored, not counted
      ': gram-fruit',
      'apple pear man king', // right: pear − apple + man is nearest king once man is left out
      '',
    ].join('\r\n'),
  );
  const report = await evaluateAnalogies(toy, questions, 30_000);
  assert.equal(report.questions, 5);
  assert.equal(report.oov, 1 / 5);
  assert.equal(report.correct, 3);
  assert.equal(report.answered, 4);
  assert.equal(report.accuracy, 3 / 4);
  assert.deepEqual(report.semantic, { accuracy: 2 / 3, correct: 2, answered: 3 });
  assert.deepEqual(report.syntactic, { accuracy: 1, correct: 1, answered: 1 });
  assert.deepEqual(Object.keys(report.sections), ['family', 'gram-fruit']);
  // Restricting to the 3 most frequent words makes every question unanswerable.
  const restricted = await evaluateAnalogies(toy, questions, 3);
  assert.equal(restricted.answered, 0);
  assert.equal(restricted.accuracy, null);
  assert.equal(restricted.oov, 1);
  await assert.rejects(evaluateAnalogies(toy, file('bad.txt', 'a b c d\n')), UserError);
  await assert.rejects(evaluateAnalogies(toy, path.join(dir, 'missing.txt')), /no such analogy questions file/);
});

test('Spearman with average ranks and Pearson, like scipy', () => {
  assert.deepEqual(averageRanks([10, 20, 20, 30]), [1, 2.5, 2.5, 4]);
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) - 0.8207826816681233) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3], [1, 2, 4]) - 0.9819805060619657) < 1e-12);
});

test('word pairs: comments, TAB or space, CRLF, OOV share', async () => {
  const pairs = file('pairs.txt', '# a comment\r\nking\tqueen\t9\r\nman woman 8\r\napple\tpear\t7\r\nKING APPLE 1\r\nzzz\tking\t5\r\nnot a pair line\r\n');
  const report = await evaluateWordPairs(toy, pairs);
  // Model order: apple–pear > king–queen > man–woman > king–apple; gold ranks 2,4,3,1 against 4,3,2,1.
  assert.ok(report.spearman !== null && Math.abs(report.spearman - 0.4) < 1e-12, String(report.spearman));
  assert.ok(report.pearson !== null && report.pearson > 0 && report.pearson < 1);
  assert.equal(report.pairs, 5);
  assert.equal(report.oov, 1 / 5);
  await assert.rejects(evaluateWordPairs(toy, file('empty.txt', '# nothing\n')), /no word pairs found/);
});

test('the SIMD dot kernel agrees with the plain loop at awkward dimensions', () => {
  for (const dim of [1, 3, 8, 13]) {
    const n = 50;
    const rows = Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 1.7));
    const e = new Embeddings({ words: Array.from({ length: n }, (_, i) => `w${i}`), dim, vectors: rows });
    const kernel = DotKernel.create(e.unitVectors, n, dim);
    if (!kernel) continue; // no WebAssembly SIMD here: the plain loop is all there is
    const query = e.unitRow(7);
    const simd = kernel.dots(query, 40);
    const plain = e.cosinesPlain(query, 40);
    assert.equal(simd.length, 40);
    plain.forEach((v, i) => assert.ok(Math.abs(v - simd[i]) < 1e-5, `dim ${dim} row ${i}`));
  }
});
