import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenScanner } from '../../src/corpus/token-scanner.js';
import { WordTable, type WordBytes } from '../../src/corpus/word-table.js';

/** The words and counts one reader would hand back for `text`. */
function partOf(text: string): WordBytes {
  const scanner = new TokenScanner();
  scanner.scan(Buffer.from(text));
  scanner.endFile();
  return scanner.contents();
}

describe('WordTable', () => {
  it('numbers the words of several parts by first appearance across them, and sums their counts', () => {
    const table = new WordTable();
    const first = table.merge(partOf('the cat naïve the 猫'));
    const second = table.merge(partOf('dog the 猫 café dog'));
    assert.deepEqual(Array.from(first), [0, 1, 2, 3]);
    assert.deepEqual(Array.from(second), [4, 0, 3, 5]);
    const words = Array.from({ length: table.size }, (_, id) => table.word(id));
    assert.deepEqual(words, ['the', 'cat', 'naïve', '猫', 'dog', 'café']);
    assert.deepEqual(Array.from(table.counts.subarray(0, table.size)), [3, 1, 1, 2, 2, 1]);
  });

  it('decodes the same words after the arena has grown, ASCII or not', () => {
    const table = new WordTable();
    const many = Array.from({ length: 150_000 }, (_, i) => (i % 3 === 0 ? `ü${i}-longer-than-most` : `w${i}-longer-than-most`));
    table.merge(partOf(many.slice(0, 10).join(' ')));
    assert.equal(table.word(1), many[1]);
    table.merge(partOf(many.join(' ')));
    assert.equal(table.size, many.length);
    for (let id = 0; id < many.length; id += 4999) assert.equal(table.word(id), many[id]);
  });
});
