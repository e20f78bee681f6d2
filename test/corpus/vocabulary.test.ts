import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../src/base/errors.js';
import { buildVocabulary, extendVocabulary } from '../../src/corpus/vocabulary.js';

/** The word accessor buildVocabulary takes, over an array. */
const wordsOf = (words: string[]) => (id: number) => words[id];

describe('buildVocabulary', () => {
  // Provisional ids are first-appearance order: "the" appeared first, "zebra" last.
  const words = ['the', 'cat', 'sat', 'on', 'mat', 'a', 'zebra'];
  const counts = [10, 3, 3, 1, 3, 10, 2];

  it('sorts by count descending, ties by first appearance, and remaps every provisional id', () => {
    const { vocabulary, remap } = buildVocabulary(wordsOf(words), counts, 2, 0);
    assert.deepEqual(vocabulary.words, ['the', 'a', 'cat', 'sat', 'mat', 'zebra']);
    assert.deepEqual(Array.from(vocabulary.counts), [10, 10, 3, 3, 3, 2]);
    assert.equal(vocabulary.totalCount, 31);
    // the cat sat on mat a zebra -> 0 2 3 dropped 4 1 5
    assert.deepEqual(Array.from(remap), [0, 2, 3, -1, 4, 1, 5]);
  });

  it('orders the same way when counts are too large to be packed with the id into one number', () => {
    const huge = 2 ** 51;
    const { vocabulary, remap } = buildVocabulary(wordsOf(words), counts.map((c) => huge + c), 2, 0);
    assert.deepEqual(vocabulary.words, ['the', 'a', 'cat', 'sat', 'mat', 'zebra', 'on']);
    assert.deepEqual(Array.from(remap), [0, 2, 3, 6, 4, 1, 5]);
  });

  it('makes strings of the kept words only', () => {
    const asked: number[] = [];
    buildVocabulary((id) => (asked.push(id), words[id]), counts, 3, 0);
    assert.deepEqual(asked.sort(), [0, 1, 2, 4, 5]);
  });

  it('keeps a word whose count equals minCount and drops one just below', () => {
    const { vocabulary } = buildVocabulary(wordsOf(['x', 'y']), [5, 4], 5, 0);
    assert.deepEqual(vocabulary.words, ['x']);
  });

  it('keeps only the maxVocab most frequent words, and totalCount counts only those', () => {
    const { vocabulary, remap } = buildVocabulary(wordsOf(words), counts, 1, 3);
    assert.deepEqual(vocabulary.words, ['the', 'a', 'cat']);
    assert.equal(vocabulary.totalCount, 23);
    assert.deepEqual(Array.from(remap), [0, 2, -1, -1, -1, 1, -1]);
  });

  it('ignores a maxVocab larger than the vocabulary', () => {
    const { vocabulary } = buildVocabulary(wordsOf(words), counts, 1, 1000);
    assert.equal(vocabulary.words.length, 7);
    assert.equal(vocabulary.totalCount, 32);
  });

  it('is deterministic on a large vocabulary with many ties, and accepts typed-array counts', () => {
    const n = 50_000;
    const many = Array.from({ length: n }, (_, i) => `w${i}`);
    const manyCounts = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 97) + 1);
    const { vocabulary, remap } = buildVocabulary(wordsOf(many), manyCounts, 3, 0);
    for (let id = 1; id < vocabulary.words.length; id++) {
      const previous = Number(vocabulary.words[id - 1].slice(1));
      const current = Number(vocabulary.words[id].slice(1));
      const order = manyCounts[previous] - manyCounts[current];
      assert.ok(order > 0 || (order === 0 && previous < current), `ids ${id - 1} and ${id} out of order`);
    }
    for (let i = 0; i < n; i++) {
      if (manyCounts[i] < 3) assert.equal(remap[i], -1);
      else assert.equal(vocabulary.words[remap[i]], many[i]);
    }
    const again = buildVocabulary(wordsOf(many), manyCounts, 3, 0);
    assert.deepEqual(again.vocabulary.words, vocabulary.words);
  });

  it('fails with a UserError suggesting a lower --min-count when nothing is frequent enough', () => {
    assert.throws(() => buildVocabulary(wordsOf(['a', 'b']), [2, 3], 5, 0), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /--min-count/);
      assert.match(error.message, /3 times/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });

  it('fails with a UserError when the corpus had no words at all', () => {
    assert.throws(() => buildVocabulary(wordsOf([]), [], 1, 0), UserError);
  });
});

describe('extendVocabulary', () => {
  const known = { words: ['the', 'cat', 'dog', 'eel'], counts: Float64Array.from([9, 5, 4, 2]), totalCount: 20 };
  // The new text, in order of first appearance: eel and cat are known, fox and ant are new, gnu is rare.
  const words = ['eel', 'fox', 'cat', 'gnu', 'ant'];
  const counts = [3, 7, 1, 1, 5];

  it('keeps every known word with the new counts added, lets new words join at minCount, and sorts by merged count (known first on ties)', () => {
    const { vocabulary, remap, knownIds } = extendVocabulary(known, wordsOf(words), counts, 2);
    assert.deepEqual(vocabulary.words, ['the', 'fox', 'cat', 'eel', 'ant', 'dog']);
    assert.deepEqual(Array.from(vocabulary.counts), [9, 7, 6, 5, 5, 4]);
    assert.equal(vocabulary.totalCount, 36);
    assert.deepEqual(Array.from(remap), [3, 1, 2, -1, 4]);
    assert.deepEqual(Array.from(knownIds), [0, -1, 1, 3, -1, 2]);
  });

  it('keeps a known word the new text has fewer than minCount times, and one it lacks', () => {
    const { vocabulary } = extendVocabulary(known, wordsOf(words), counts, 100);
    assert.deepEqual(vocabulary.words, ['the', 'cat', 'eel', 'dog']);
    assert.deepEqual(Array.from(vocabulary.counts), [9, 6, 5, 4]);
  });
});
