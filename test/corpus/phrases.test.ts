import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { UserError } from '../../src/base/errors.js';
import { Random } from '../../src/base/random.js';
import { phrasePass, type PhrasePassOptions, type PhrasePassReport } from '../../src/corpus/phrase-pass.js';
import { formPhrases, passThresholds, resolvePhraseOptions, type PhraseOptions } from '../../src/corpus/phrases.js';
import { caseDirectories } from '../support/case-dirs.js';

const cases = caseDirectories('w2v-phrases-');

/** Writes `text` as a corpus file in a fresh case folder and runs the phrases on it; returns the text written. */
async function phrase(text: string | Buffer, options: Partial<PhraseOptions>, name = 'corpus.txt'): Promise<{ text: string; passes: PhrasePassReport[]; dir: string }> {
  const { dir } = cases.next();
  const corpus = path.join(dir, name);
  writeFileSync(corpus, text);
  const out = path.join(dir, 'out.txt');
  const report = await formPhrases([corpus], out, { workers: 1, ...options });
  return { text: readFileSync(out, 'utf8'), passes: report.passes, dir };
}

/** Unique words w0, w1, … in lines of eight: tokens that pair with nothing twice. */
function filler(count: number): string {
  const words = Array.from({ length: count }, (_, i) => `w${i}`);
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += 8) lines.push(words.slice(i, i + 8).join(' '));
  return `${lines.join('\n')}\n`;
}

describe('phrases, scored as C word2phrase scores them', () => {
  // 16 tokens: a 4, b 4, c 3, the rest once; pairs (a b) 4, (b c) 2, (b a) 1, the rest once.
  // With min-count 2, (a b) scores (4 - 2) / (4 · 4) · 16 = 2 exactly, (b c) (2 - 2) / (4 · 3) · 16 = 0.
  const corpus = 'a b a b\na b c d\na b c e\nc f g h\n';

  it('joins a pair whose score is above the threshold, not one at it', async () => {
    assert.equal((await phrase(corpus, { minCount: 2, thresholds: [2] })).text, corpus);
    const joined = await phrase(corpus, { minCount: 2, thresholds: [1.99] });
    // A word joins at most one neighbour a pass: after a_b, the next a starts afresh, and c does not join b.
    assert.equal(joined.text, 'a_b a_b\na_b c d\na_b c e\nc f g h\n');
    assert.equal(joined.passes[0].joins, 4);
    assert.equal(joined.passes[0].phrases, 1);
    assert.equal(joined.passes[0].tokens, 16);
    // Counted: the pairs of words seen min-count times or more, (a b), (b a), (b c); the others can never join.
    assert.equal(joined.passes[0].pairs, 3);
  });

  it('never joins a pair seen fewer than min-count times; one seen exactly that often scores 0', async () => {
    // min-count 4: (a b) scores (4 - 4) / 16 · 16 = 0, which only a negative threshold passes.
    assert.equal((await phrase(corpus, { minCount: 4, thresholds: [0] })).text, corpus);
    assert.equal((await phrase(corpus, { minCount: 4, thresholds: [-1] })).text, 'a_b a_b\na_b c d\na_b c e\nc f g h\n');
    // min-count 5: nothing is seen 5 times, so nothing joins however low the threshold.
    assert.equal((await phrase(corpus, { minCount: 5, thresholds: [-1e9] })).text, corpus);
  });

  it('counts no pair across a line end and joins none there', async () => {
    // "x" ends every line and "y" starts the next: adjacent in the bytes 20 times, never in a line.
    const text = 'p x\ny q\n'.repeat(20);
    const result = await phrase(text, { minCount: 1, thresholds: [-1] });
    assert.equal(result.text, 'p_x\ny_q\n'.repeat(20));
    assert.equal(result.passes[0].pairs, 2, 'only (p x) and (y q)');
  });

  it('joins longer phrases over passes, each pass with its own threshold', async () => {
    // 8 × "new york times" and 104 unique words: 128 tokens, so pass 1 scores both pairs
    // (8 - 4) / (8 · 8) · 128 = 8, and pass 2 (120 tokens) scores (new_york times) (8 - 4) / 64 · 120 = 7.5.
    const text = `${'new york times\n'.repeat(8)}${filler(104)}`;
    const two = await phrase(text, { minCount: 4, thresholds: [7.9, 7.4] });
    assert.equal(two.text.split('\n').slice(0, 8).join(' '), Array(8).fill('new_york_times').join(' '));
    assert.deepEqual(two.passes.map((p) => [p.tokens, p.phrases]), [[128, 1], [120, 1]]);
    // A first pass at 8 joins nothing; the second then scores the unchanged text: 8 > 7.4.
    const late = await phrase(text, { minCount: 4, thresholds: [8, 7.4] });
    assert.equal(late.text.split('\n')[0], 'new_york times');
    assert.deepEqual(late.passes.map((p) => p.joins), [0, 8]);
    assert.deepEqual(readdirSync(late.dir).sort(), ['corpus.txt', 'out.txt', 'tmp'], 'no temporary file is left beside the output');
  });

  it('writes one line per non-empty line, words separated by one space, and keeps UTF-8 words', async () => {
    const text = '  köln \t 東京\r\n\n\nnaïve   café\n\n\nlast line without end';
    assert.equal((await phrase(text, { minCount: 1, thresholds: [1e9] })).text, 'köln 東京\nnaïve café\nlast line without end\n');
  });

  it('reads .gz input as plain text', async () => {
    const text = `${'new york times\n'.repeat(8)}${filler(104)}`;
    const plain = await phrase(text, { minCount: 4, thresholds: [7.9] });
    const gzipped = await phrase(gzipSync(Buffer.from(text)), { minCount: 4, thresholds: [7.9] }, 'corpus.txt.gz');
    assert.equal(gzipped.text, plain.text);
  });
});

describe('phrases, scored by normalised PMI', () => {
  it('joins by ln(p(ab) / (p(a) p(b))) / -ln p(ab) against the threshold', async () => {
    // 16 tokens: a 8 (4 with b, 4 alone), b 4, pair (a b) 4: p(ab) = 1/4, p(a) = 1/2, p(b) = 1/4,
    // so npmi = ln 2 / ln 4 = 0.5. The filler pairs are seen once, below min-count 2.
    const text = `a b\na b\na b\na b\na\na\na\na\n${filler(4)}`;
    assert.equal((await phrase(text, { scoring: 'npmi', minCount: 2, thresholds: [0.49] })).text.split('\n')[0], 'a_b');
    assert.equal((await phrase(text, { scoring: 'npmi', minCount: 2, thresholds: [0.51] })).text.split('\n')[0], 'a b');
    // A pair that is all its words ever do has npmi 1, and min-count still applies.
    const always = `x y\nx y\n${filler(12)}`;
    assert.equal((await phrase(always, { scoring: 'npmi', minCount: 2, thresholds: [0.99] })).text.split('\n')[0], 'x_y');
    assert.equal((await phrase(always, { scoring: 'npmi', minCount: 3, thresholds: [-1] })).text.split('\n')[0], 'x y');
  });
});

describe('a phrase pass', () => {
  /** Runs one pass on files of a fresh folder; returns the text and the report. */
  async function pass(texts: string[], options: Partial<PhrasePassOptions>): Promise<{ text: string; report: PhrasePassReport }> {
    const { dir, tmp } = cases.next();
    const files = texts.map((text, i) => {
      const file = path.join(dir, `part${i}.txt`);
      writeFileSync(file, text);
      return file;
    });
    const pieces: Buffer[] = [];
    const report = await phrasePass(files, async (piece) => void pieces.push(Buffer.from(piece)), {
      scoring: 'default', threshold: 0, minCount: 2, maxPairs: 1_000_000, workDirectory: tmp, encodingErrors: 'strict', readers: 1, ...options,
    });
    assert.deepEqual(readdirSync(tmp), [], 'the parts\' id files are removed');
    return { text: Buffer.concat(pieces).toString('utf8'), report };
  }

  it('gives the same text with several readers as with one, a line going on across their parts', async () => {
    let seed = 3;
    const words = ['new', 'york', 'times', 'is', 'a', 'paper', 'of', 'the', 'city'];
    const lines: string[] = [];
    for (let l = 0; l < 3000; l++) {
      const tokens: string[] = [];
      for (let t = 0; t < 1 + (l % 23); t++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        tokens.push(words[(seed >>> 8) % words.length]);
        if (tokens.at(-1) === 'new') tokens.push('york');
      }
      lines.push(tokens.join(' '));
    }
    const text = `${lines.join('\n')}\n`;
    const one = await pass([text, 'the city is new\n'], { readers: 1 });
    const many = await pass([text, 'the city is new\n'], { readers: 4, minPartBytes: 5000 });
    assert.ok(one.report.phrases > 0, 'some phrases are formed');
    assert.equal(many.text, one.text);
    assert.deepEqual({ ...many.report, seconds: 0 }, { ...one.report, seconds: 0 });
  });

  it('counts every pair exactly while its table grows many times, and joins as a direct count says', async () => {
    // 120,000 tokens over 3,000 words: tens of thousands of distinct pairs, so the table (65,536
    // slots at first, at most half full) grows several times.
    const random = new Random(17);
    const lines: string[][] = [];
    for (let l = 0; l < 6000; l++) lines.push(Array.from({ length: 20 }, () => `v${random.nextUint32() % 3000}`));
    const counts = new Map<string, number>();
    for (const word of lines.flat()) counts.set(word, (counts.get(word) ?? 0) + 1);
    assert.ok([...counts.values()].every((count) => count >= 2), 'every word can be in a phrase');
    const pairs = new Map<string, number>();
    for (const line of lines) for (let i = 1; i < line.length; i++) pairs.set(`${line[i - 1]} ${line[i]}`, (pairs.get(`${line[i - 1]} ${line[i]}`) ?? 0) + 1);
    // min-count 2 and a negative threshold: every pair seen twice or more joins, left to right,
    // a word joining one neighbour at most.
    const expected = lines.map((line) => {
      let out = line[0];
      let justJoined = false;
      for (let i = 1; i < line.length; i++) {
        const joins: boolean = !justJoined && (pairs.get(`${line[i - 1]} ${line[i]}`) ?? 0) >= 2;
        out += (joins ? '_' : ' ') + line[i];
        justJoined = joins;
      }
      return out;
    });
    const { text, report } = await pass([`${lines.map((line) => line.join(' ')).join('\n')}\n`], { minCount: 2, threshold: -1 });
    assert.equal(report.pairs, pairs.size);
    assert.ok(report.pairs > 100_000, `${report.pairs} distinct pairs`);
    assert.equal(text, `${expected.join('\n')}\n`);
    assert.equal(report.phrases, new Set(expected.join(' ').split(' ').filter((t) => t.includes('_'))).size);
  });

  it('keeps a bounded pair table by dropping its rarest pairs, and still finds the frequent ones', async () => {
    // Every tenth line is "a b"; the others are four unique words: 3 new pairs each, so the
    // table of 60 pairs fills every 20 lines or so, while (a b) gains a count in every ten.
    const lines: string[] = [];
    for (let l = 0; l < 2000; l++) lines.push(l % 10 === 0 ? 'a b' : `u${l}a u${l}b u${l}c u${l}d`);
    const { text, report } = await pass([`${lines.join('\n')}\n`], { maxPairs: 60, threshold: 10, minCount: 1 });
    assert.ok(report.prunedAtOrBelow >= 2, `pruned ${report.prunedAtOrBelow} times`);
    assert.ok(report.pairs < 60);
    assert.equal(text.split('\n')[0], 'a_b');
    assert.equal(report.phrases, 1);
  });
});

describe('phrase options', () => {
  it('apply one threshold to every pass, one per pass as given, or C\'s demo schedule by default', () => {
    assert.deepEqual(passThresholds('default', undefined, undefined), [100]);
    assert.deepEqual(passThresholds('default', 2, undefined), [200, 100]);
    assert.deepEqual(passThresholds('default', 3, undefined), [400, 200, 100]);
    assert.deepEqual(passThresholds('npmi', 2, undefined), [0.5, 0.5]);
    assert.deepEqual(passThresholds('default', 3, [50]), [50, 50, 50]);
    assert.deepEqual(passThresholds('default', undefined, [300, 120]), [300, 120]);
    assert.throws(() => passThresholds('default', 3, [300, 120]), /--threshold gives 2 thresholds and --passes is 3/);
    assert.throws(() => passThresholds('default', 0, undefined), /--passes must be an integer between 1 and 10, got 0/);
  });

  it('refuse what cannot be run in one line', () => {
    const refuses = (options: Partial<PhraseOptions>, pattern: RegExp) =>
      assert.throws(() => resolvePhraseOptions(options), (error: unknown) => error instanceof UserError && pattern.test(error.message) && !error.message.includes('\n'));
    refuses({ scoring: 'npmi', thresholds: [100] }, /--threshold 100 is outside what --scoring npmi can pass: .* \[-1, 1\)/);
    refuses({ minCount: 0 }, /--min-count must be an integer between 1/);
    refuses({ maxPairs: 10 }, /--max-pairs must be an integer between 1000 and 100000000, got 10/);
    refuses({ thresholds: [Number.NaN] }, /--threshold must be a number/);
  });

  it('refuse an output that is the corpus, before reading it', async () => {
    const { dir } = cases.next();
    const corpus = path.join(dir, 'c.txt');
    writeFileSync(corpus, 'a b\n');
    await assert.rejects(formPhrases([corpus], corpus, {}), /--out .*c\.txt is the corpus file .*c\.txt: writing it would destroy it/);
    mkdirSync(path.join(dir, 'empty'));
    await assert.rejects(formPhrases([path.join(dir, 'empty')], path.join(dir, 'o.txt'), {}), /contains no files/);
  });
});
