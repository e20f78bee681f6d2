import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeCorpus, type CorpusChunk, type EncodedCorpus, type EncodeOptions, type ReadProgress } from '../../src/corpus/encoded-corpus.js';
import { Random } from '../../src/base/random.js';
import { planReadParts } from '../../src/corpus/read-plan.js';
import { SENTENCE_END } from '../../src/corpus/id-file.js';

let dir = '';
let runs = 0;
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-encoded-test-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The expectation, computed from the text alone (independently of the code under test).

/** Sentences as the documented tokenizer makes them: lines split on ASCII whitespace, long ones cut. */
function expectedSentences(texts: string[], maxSentenceLength: number): string[][] {
  const out: string[][] = [];
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const tokens = line.split(/[ \t\v\f\r]+/).filter((t) => t.length > 0);
      for (let i = 0; i < tokens.length; i += maxSentenceLength) out.push(tokens.slice(i, i + maxSentenceLength));
    }
  }
  return out;
}

interface Expected {
  sentences: string[][];
  /** Kept words, most frequent first, ties in order of first appearance. */
  vocabulary: string[];
  counts: Map<string, number>;
  corpusTokens: number;
  /** Sentences after dropping rare words; sentences left empty are gone. */
  kept: string[][];
  trainingWords: number;
}

function expect(texts: string[], minCount: number, maxSentenceLength: number, maxVocab = 0): Expected {
  const sentences = expectedSentences(texts, maxSentenceLength);
  const counts = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  let corpusTokens = 0;
  for (const sentence of sentences) {
    for (const word of sentence) {
      corpusTokens++;
      counts.set(word, (counts.get(word) ?? 0) + 1);
      if (!firstSeen.has(word)) firstSeen.set(word, firstSeen.size);
    }
  }
  let vocabulary = [...counts.keys()]
    .filter((w) => counts.get(w)! >= minCount)
    .sort((a, b) => counts.get(b)! - counts.get(a)! || firstSeen.get(a)! - firstSeen.get(b)!);
  if (maxVocab > 0) vocabulary = vocabulary.slice(0, maxVocab);
  const keep = new Set(vocabulary);
  const kept = sentences.map((s) => s.filter((w) => keep.has(w))).filter((s) => s.length > 0);
  const trainingWords = kept.reduce((n, s) => n + s.length, 0);
  return { sentences, vocabulary, counts, corpusTokens, kept, trainingWords };
}

/** A chunk closes at the first sentence end once it holds at least chunkTokens words. */
function expectedChunks(kept: string[][], chunkTokens: number): CorpusChunk[] {
  const chunks: CorpusChunk[] = [];
  let offset = 0;
  let entries = 0;
  let words = 0;
  for (const sentence of kept) {
    entries += sentence.length + 1;
    words += sentence.length;
    if (words >= chunkTokens) {
      chunks.push({ offset, entries, words });
      offset += entries;
      entries = 0;
      words = 0;
    }
  }
  if (words > 0) chunks.push({ offset, entries, words });
  return chunks;
}

// ---------------------------------------------------------------------------------------------

interface Run {
  corpus: EncodedCorpus;
  workDirectory: string;
  ids: Uint32Array;
  /** Bytes of the id file. */
  fileBytes: number;
  /** Bytes of the text files. */
  textBytes: number;
  progress: ReadProgress[];
}

async function encode(texts: string[], options: Partial<Omit<EncodeOptions, 'workDirectory'>>): Promise<Run> {
  const run = path.join(dir, `run${runs++}`);
  const workDirectory = path.join(run, 'work');
  mkdirSync(workDirectory, { recursive: true });
  const files = texts.map((text, i) => {
    const file = path.join(run, `corpus${i}.txt`);
    writeFileSync(file, text);
    return file;
  });
  const progress: ReadProgress[] = [];
  const corpus = await encodeCorpus(files, {
    minCount: 1,
    maxVocab: 0,
    maxSentenceLength: 10_000,
    chunkTokens: 1 << 20,
    encodingErrors: 'strict',
    readers: 1,
    onProgress: (read) => progress.push(read),
    ...options,
    workDirectory,
  });
  const bytes = readFileSync(corpus.path);
  assert.equal(bytes.length % 4, 0, 'the id file holds whole u32 entries');
  const ids = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return { corpus, workDirectory, ids, fileBytes: statSync(corpus.path).size, progress, textBytes: files.reduce((sum, file) => sum + statSync(file).size, 0) };
}

/** Reads the id file back as sentences of words; fails on a mark that ends nothing. */
function decode(ids: Uint32Array, words: string[]): string[][] {
  const sentences: string[][] = [];
  let current: string[] = [];
  for (const id of ids) {
    if (id === SENTENCE_END) {
      assert.ok(current.length > 0, 'no empty sentence (no sentence mark right after another or at the start)');
      sentences.push(current);
      current = [];
      continue;
    }
    assert.ok(id < words.length, `id ${id} is a final vocabulary id (< ${words.length})`);
    current.push(words[id]);
  }
  assert.deepEqual(current, [], 'the file ends with a sentence mark');
  return sentences;
}

/** Everything the encoded corpus promises, checked against the independent expectation. */
function checkAgainst(run: Run, want: Expected, chunkTokens: number): void {
  const { corpus, ids } = run;
  assert.deepEqual(corpus.vocabulary.words, want.vocabulary);
  assert.deepEqual([...corpus.vocabulary.counts], want.vocabulary.map((w) => want.counts.get(w)!));
  assert.equal(corpus.corpusTokens, want.corpusTokens);
  assert.equal(corpus.trainingWords, want.trainingWords);
  assert.deepEqual(decode(ids, corpus.vocabulary.words), want.kept);

  // Chunks tile the file exactly and each ends at a sentence end.
  assert.ok(corpus.chunks.length > 0);
  let offset = 0;
  let words = 0;
  for (const chunk of corpus.chunks) {
    assert.equal(chunk.offset, offset, 'chunks are contiguous');
    assert.ok(chunk.entries > 0);
    const slice = ids.subarray(chunk.offset, chunk.offset + chunk.entries);
    assert.equal(slice.length, chunk.entries, 'chunk lies inside the file');
    assert.equal(slice[slice.length - 1], SENTENCE_END, 'chunk ends at a sentence end');
    assert.equal(chunk.words, slice.filter((id) => id !== SENTENCE_END).length, 'chunk.words counts its words');
    offset += chunk.entries;
    words += chunk.words;
  }
  assert.equal(offset, run.fileBytes / 4, 'chunk entries sum to the file size / 4');
  assert.equal(words, corpus.trainingWords, 'chunk words sum to trainingWords');
  assert.deepEqual(corpus.chunks, expectedChunks(want.kept, chunkTokens));
  assert.equal(corpus.maxChunkEntries, Math.max(...corpus.chunks.map((c) => c.entries)));

  assert.deepEqual(readdirSync(run.workDirectory), [path.basename(corpus.path)], 'provisional file removed');
  assert.equal(path.dirname(corpus.path), run.workDirectory);
  assert.deepEqual(run.progress.at(-1), { fileBytes: run.textBytes, totalBytes: run.textBytes, tokens: corpus.corpusTokens }, 'the last progress report is the byte and token total');
  assert.ok(corpus.seconds.read >= 0 && corpus.seconds.encode >= 0);
}

describe('encodeCorpus', () => {
  it('writes final vocabulary ids, most frequent word first, and drops words below min-count', async () => {
    const text = 'b a c a\nb a d\n  e   a b\tb\r\n';
    const run = await encode([text], { minCount: 2 });
    // a: 4, b: 4 (b seen first), c/d/e: 1 each and dropped
    assert.deepEqual(run.corpus.vocabulary.words, ['b', 'a']);
    assert.deepEqual([...run.ids], [0, 1, 1, SENTENCE_END, 0, 1, SENTENCE_END, 1, 0, 0, SENTENCE_END]);
    assert.equal(run.corpus.corpusTokens, 11, 'dropped words still count as corpus tokens');
    assert.equal(run.corpus.trainingWords, 8, 'dropped words are not training words');
    checkAgainst(run, expect([text], 2, 10_000), 1 << 20);
  });

  it('counts every line feed, those of empty lines included, whichever reader reads it', async () => {
    const text = 'a b\n\n\nc\r\n  \nd e f\n'.repeat(200);
    for (const readers of [1, 3]) {
      const run = await encode([text, 'g h'], { readers, minPartBytes: 500 });
      assert.equal(run.corpus.lineFeeds, 6 * 200, `${readers} readers`);
    }
  });

  it('with a vocabulary given in advance, keeps its words, order and counts, and drops corpus words it lacks', async () => {
    // The corpus would count b 3, a 2, c 1, d 1; the given vocabulary puts d first and lacks b.
    const vocabulary = { words: ['d', 'a', 'c', 'unseen'], counts: Float64Array.from([50, 40, 30, 20]), totalCount: 140 };
    const text = 'b a b\nc b\nd a\nb b\n';
    const run = await encode([text], { vocabulary, minCount: 99 });
    assert.equal(run.corpus.vocabulary, vocabulary, 'min-count is the caller\'s to apply to a given vocabulary');
    assert.deepEqual(decode(run.ids, vocabulary.words), [['a'], ['c'], ['d', 'a']]);
    assert.equal(run.corpus.corpusTokens, 9, 'out-of-vocabulary words still count as corpus tokens');
    assert.equal(run.corpus.trainingWords, 4);
  });

  it('leaves no sentence mark for sentences emptied by the min-count cut, nor for empty lines', async () => {
    const text = 'x y x y\nrare1 rare2\n\n\nx\nrare3\ny x\nrare4';
    const run = await encode([text], { minCount: 2 });
    assert.deepEqual(run.corpus.vocabulary.words, ['x', 'y']);
    assert.deepEqual(decode(run.ids, run.corpus.vocabulary.words), [['x', 'y', 'x', 'y'], ['x'], ['y', 'x']]);
    assert.equal(run.ids.filter((id) => id === SENTENCE_END).length, 3);
    assert.equal(run.corpus.corpusTokens, 11);
    assert.equal(run.corpus.trainingWords, 7);
    checkAgainst(run, expect([text], 2, 10_000), 1 << 20);
  });

  it('closes a chunk at the first sentence end after chunkTokens words', async () => {
    // sentence lengths 2, 2, 3, 1, 5, 1, 1 with chunkTokens 4: chunks of 2+2, 3+1, 5, 1+1
    const text = 'a b\nc d\na b c\nd\na b c d a\nb\nc\n';
    const run = await encode([text], { chunkTokens: 4 });
    assert.deepEqual(
      run.corpus.chunks.map((c) => c.words),
      [4, 4, 5, 2],
    );
    assert.deepEqual(
      run.corpus.chunks.map((c) => c.entries),
      [6, 6, 6, 4],
    );
    assert.equal(run.corpus.maxChunkEntries, 6);
    checkAgainst(run, expect([text], 1, 10_000), 4);
  });

  it('keeps a final chunk shorter than chunkTokens, with emptied sentences in between', async () => {
    // with min-count 2 the z lines vanish; chunkTokens 3: [p q p] | [q] [p q] | [p]
    const text = 'p q p\nz1\nq\nz2\np q\nz3\np\n';
    const run = await encode([text], { minCount: 2, chunkTokens: 3 });
    assert.deepEqual(run.corpus.chunks.map((c) => c.words), [3, 3, 1]);
    checkAgainst(run, expect([text], 2, 10_000), 3);
  });

  it('cuts a line longer than maxSentenceLength into sentences', async () => {
    const text = 'w1 w2 w3 w4 w5 w6 w7 w8 w9 w10\nshort line\nv1 v2 v3 v4 v5 v6 v7 v8';
    const run = await encode([text], { maxSentenceLength: 4 });
    const sentences = decode(run.ids, run.corpus.vocabulary.words);
    assert.deepEqual(sentences, [
      ['w1', 'w2', 'w3', 'w4'],
      ['w5', 'w6', 'w7', 'w8'],
      ['w9', 'w10'],
      ['short', 'line'],
      ['v1', 'v2', 'v3', 'v4'],
      ['v5', 'v6', 'v7', 'v8'],
    ]);
    checkAgainst(run, expect([text], 1, 4), 1 << 20);
  });

  it('keeps only the maxVocab most frequent words', async () => {
    const text = 'a a a a b b b c c d\nd c b a\ne\n';
    const run = await encode([text], { maxVocab: 2 });
    assert.deepEqual(run.corpus.vocabulary.words, ['a', 'b']);
    assert.equal(run.corpus.corpusTokens, 15);
    assert.equal(run.corpus.trainingWords, 9);
    checkAgainst(run, expect([text], 1, 10_000, 2), 1 << 20);
  });

  it('does not join sentences across files', async () => {
    const texts = ['a b c', 'd e\nf', 'g'];
    const run = await encode(texts, {});
    assert.deepEqual(decode(run.ids, run.corpus.vocabulary.words), [['a', 'b', 'c'], ['d', 'e'], ['f'], ['g']]);
    checkAgainst(run, expect(texts, 1, 10_000), 1 << 20);
  });

  it('matches the expectation on a generated corpus larger than one I/O block', async () => {
    // ~300k entries cross the 2^18-entry block of the id writer and reader.
    const random = new Random(12345);
    const lines: string[] = [];
    let tokens = 0;
    while (tokens < 280_000) {
      const length = random.nextUint32() % 25; // some empty lines, some longer than maxSentenceLength
      const words: string[] = [];
      for (let i = 0; i < length; i++) {
        // skewed: small ids are frequent, large ones rare (many below min-count)
        const r = random.nextFloat();
        words.push(r < 0.02 ? `rare${random.nextUint32() % 20_000}` : `w${Math.floor(3000 * r * r * r)}`);
      }
      lines.push(words.join(random.nextUint32() % 7 === 0 ? '\t ' : ' '));
      tokens += length;
    }
    const text = `${lines.join('\n')}\n`;
    const options = { minCount: 3, maxSentenceLength: 17, chunkTokens: 5000 };
    const run = await encode([text], options);
    const want = expect([text], options.minCount, options.maxSentenceLength);
    assert.ok(want.vocabulary.length < want.counts.size, 'the generated corpus has words below min-count');
    assert.ok(run.ids.length > 1 << 18, 'the id file is larger than one block');
    assert.ok(run.corpus.chunks.length > 10);
    checkAgainst(run, want, options.chunkTokens);
  });

  it('gives the same result with several readers, whose parts split lines and files anywhere', async () => {
    // One long line (text8 has no newline at all), then lines of every kind, in three files.
    const random = new Random(99);
    const word = () => {
      const r = random.nextFloat();
      return r < 0.05 ? `größe${random.nextUint32() % 300}` : `w${Math.floor(400 * r * r)}`;
    };
    const longLine = Array.from({ length: 30_000 }, word).join(' ');
    const lines = Array.from({ length: 2000 }, (_, i) => Array.from({ length: i % 9 }, word).join(i % 4 ? ' ' : ' \t'));
    const texts = [longLine, lines.join('\n'), `${lines.slice(0, 500).join('\r\n')}\n`];
    const options = { minCount: 2, maxSentenceLength: 37, chunkTokens: 3000 };
    const one = await encode(texts, { ...options, readers: 1 });
    const files = texts.map((_, i) => path.join(path.dirname(one.workDirectory), `corpus${i}.txt`));
    for (const readers of [2, 3, 7]) {
      const parts = await planReadParts(files, readers, 20_000);
      assert.equal(parts.length, readers, `the corpus is cut into ${readers} parts`);
      assert.ok(parts.some((ranges) => ranges[0].start > 0), 'some part starts inside a file');
      const many = await encode(texts, { ...options, readers, minPartBytes: 20_000 });
      assert.deepEqual(many.corpus.vocabulary, one.corpus.vocabulary, `${readers} readers: same vocabulary`);
      assert.deepEqual(many.ids, one.ids, `${readers} readers: same ids`);
      assert.deepEqual(many.corpus.chunks, one.corpus.chunks);
      assert.equal(many.corpus.corpusTokens, one.corpus.corpusTokens);
      assert.equal(many.corpus.trainingWords, one.corpus.trainingWords);
    }
    checkAgainst(one, expect(texts, options.minCount, options.maxSentenceLength), options.chunkTokens);
  });

  it('ends a line whose line feed is the first byte of a part', async () => {
    // One word per CRLF line: every split point falls after a CR, just before the LF.
    const text = Array.from({ length: 3000 }, (_, i) => `w${i % 50}`).join('\r\n');
    const one = await encode([text], { readers: 1 });
    const many = await encode([text], { readers: 4, minPartBytes: 1000 });
    assert.ok(one.ids.filter((id) => id === SENTENCE_END).length === 3000);
    assert.deepEqual(many.ids, one.ids);
  });
});
