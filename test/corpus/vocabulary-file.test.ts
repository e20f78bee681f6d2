import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UserError } from '../../src/base/errors.js';
import { readVocabularyFile, vocabularyOf, writeVocabularyFile } from '../../src/corpus/vocabulary-file.js';
import { caseDirectories } from '../support/case-dirs.js';

const cases = caseDirectories('w2v-vocabulary-file-');

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserError, `a UserError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

describe('vocabulary files', () => {
  it('are written as C word2vec writes them: </s> and its count first, then "word count" in vocabulary order', async () => {
    const { dir } = cases.next();
    const file = path.join(dir, 'v.txt');
    await writeVocabularyFile(file, { words: ['the', 'köln', 'a'], counts: Float64Array.from([12, 7, 7]), totalCount: 26 }, 3);
    assert.equal(readFileSync(file, 'utf8'), '</s> 3\nthe 12\nköln 7\na 7\n');
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file is left');
  });

  it('read back to the same words, counts and </s> count', async () => {
    const { dir } = cases.next();
    const file = path.join(dir, 'v.txt');
    const words = Array.from({ length: 30_000 }, (_, i) => `w${i}`);
    const counts = Float64Array.from(words, (_, i) => 40_000 - i);
    await writeVocabularyFile(file, { words, counts, totalCount: 0 }, 0);
    const read = await readVocabularyFile(file);
    assert.deepEqual(read.words, words);
    assert.deepEqual(read.counts, counts);
    assert.equal(read.sentenceEnds, 0);
  });

  it('accept tabs, CRLF line ends, blank lines and a file without </s>', async () => {
    const { dir } = cases.next();
    const file = path.join(dir, 'v.txt');
    writeFileSync(file, 'b\t5\r\n\na 4\r\n');
    const read = await readVocabularyFile(file);
    assert.deepEqual(read.words, ['b', 'a']);
    assert.deepEqual(Array.from(read.counts), [5, 4]);
    assert.equal(read.sentenceEnds, undefined);
  });

  it('keep their order, ties included; an unsorted file is sorted by count, stably; min-count and max-vocab apply', async () => {
    const read = { words: ['x', 'y', 'z', 'p', 'q'], counts: Float64Array.from([9, 3, 5, 3, 1]) };
    assert.deepEqual(vocabularyOf('v', read, 1, 0).words, ['x', 'z', 'y', 'p', 'q']);
    const cut = vocabularyOf('v', read, 3, 0);
    assert.deepEqual(cut.words, ['x', 'z', 'y', 'p'], 'a count equal to min-count is kept');
    assert.equal(cut.totalCount, 20);
    assert.deepEqual(vocabularyOf('v', read, 1, 2).words, ['x', 'z']);
    assert.throws(() => vocabularyOf('v.txt', read, 10, 0), /v\.txt: no word has a count of at least 10 \(the highest is 9\); lower --min-count/);
  });

  it('that are not "word count" lines are refused in one line naming the file and the line', async () => {
    const { dir } = cases.next();
    const write = (name: string, content: string | Buffer) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    };
    await rejectsWith(readVocabularyFile(write('one.txt', 'a 1\nb\n')), /one\.txt: line 2 \("b"\) is not a word and a count/);
    await rejectsWith(readVocabularyFile(write('neg.txt', 'a -1\n')), /neg\.txt: line 1 .* is not a word and a count/);
    await rejectsWith(readVocabularyFile(write('three.txt', 'a 1 2\n')), /three\.txt: line 1/);
    await rejectsWith(readVocabularyFile(write('twice.txt', 'a 3\nb 2\na 1\n')), /twice\.txt: line 3: "a" is listed twice \(first on line 1\)/);
    await rejectsWith(readVocabularyFile(write('huge.txt', 'a 99999999999999999999\n')), /huge\.txt: line 1: the count .* is too large/);
    await rejectsWith(readVocabularyFile(write('empty.txt', '</s> 4\n\n')), /empty\.txt: it lists no words/);
    await rejectsWith(readVocabularyFile(write('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x31, 0x0a]))), /latin1\.txt: it is not UTF-8 text/);
    await rejectsWith(readVocabularyFile(path.join(dir, 'missing.txt')), /missing\.txt: no such vocabulary file/);
  });
});
