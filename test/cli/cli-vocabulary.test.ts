import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { readWord2vecFile } from '../../src/vectors/word2vec-format.js';
import { assertOneLineFailure, QUICK_TRAINING, ROOT, runCli } from '../support/cli.js';
import { caseDirectories } from '../support/case-dirs.js';

const C_WORD2VEC = path.join(ROOT, 'node_modules/word2vec/src/word2vec');
const cases = caseDirectories('w2v-vocabulary-cli-');
/** Quick training with a min-count of the test's own. */
const QUICK_ANY_COUNT = QUICK_TRAINING.filter((arg, i, all) => arg !== '--min-count' && all[i - 1] !== '--min-count');

/**
 * Text with what a vocabulary file must get right: many ties (a small vocabulary drawn unevenly),
 * words of several UTF-8 bytes, empty lines, tabs and runs of spaces, CRLF line ends. Its last line
 * ends with a line feed: C word2vec drops the last word of a file that does not end in whitespace.
 */
function awkwardCorpus(): string {
  const words = ['the', 'of', 'köln', '東京', 'naïve', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'rare', 'once'];
  let seed = 11;
  const lines: string[] = [];
  for (let line = 0; line < 300; line++) {
    const tokens: string[] = [];
    for (let t = 0; t < 1 + (line % 9); t++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const r = (seed >>> 8) % 1000;
      // Squared, so the first words are much more frequent than the last.
      tokens.push(words[Math.floor(((r / 1000) ** 2) * words.length)]);
    }
    lines.push(tokens.join(line % 7 === 0 ? '\t ' : line % 5 === 0 ? '   ' : ' ') + (line % 11 === 0 ? '\r' : ''));
    if (line % 13 === 0) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

describe('w2v train --save-vocab and --read-vocab', () => {
  let corpus = '';
  before(() => {
    corpus = path.join(cases.root(), 'corpus.txt');
    writeFileSync(corpus, awkwardCorpus());
  });

  it('--save-vocab writes the bytes C word2vec -save-vocab writes for the same corpus and min-count', async (t) => {
    if (!existsSync(C_WORD2VEC)) {
      t.skip('node_modules/word2vec/src/word2vec is not built');
      return;
    }
    for (const minCount of [1, 3, 40]) {
      const { dir, tmp } = cases.next();
      const ours = path.join(dir, 'ours.vocab');
      const theirs = path.join(dir, 'c.vocab');
      execFileSync(C_WORD2VEC, ['-train', corpus, '-save-vocab', theirs, '-min-count', String(minCount)], { stdio: 'ignore' });
      const r = await runCli(['train', corpus, '--out', path.join(dir, 'v.bin'), ...QUICK_ANY_COUNT, '--min-count', String(minCount), '--save-vocab', ours], { tmp });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`vocabulary: wrote ${ours.replace(/[.]/g, '\\.')} \\(\\d+ words and </s>\\)`));
      assert.ok(readFileSync(theirs).length > 10, 'C wrote a vocabulary');
      assert.deepEqual(readFileSync(ours), readFileSync(theirs), `min-count ${minCount}`);
    }
  });

  it('--read-vocab of a saved vocabulary trains the same model as counting the corpus (one worker, same seed)', async () => {
    const { dir, tmp } = cases.next();
    const vocab = path.join(dir, 'v.vocab');
    const counted = await runCli(['train', corpus, '--out', path.join(dir, 'counted.bin'), ...QUICK_TRAINING, '--save-vocab', vocab], { tmp });
    assert.equal(counted.code, 0, counted.stderr);
    const read = await runCli(['train', corpus, '--out', path.join(dir, 'read.bin'), ...QUICK_TRAINING, '--read-vocab', vocab], { tmp });
    assert.equal(read.code, 0, read.stderr);
    assert.match(read.stdout, /vocabulary: 15 words read from .*v\.vocab; 0 corpus tokens \(0\.0%\) are not in it/);
    assert.deepEqual(readFileSync(path.join(dir, 'read.bin')), readFileSync(path.join(dir, 'counted.bin')));
    const report = JSON.parse(readFileSync(path.join(dir, 'read.bin.report.json'), 'utf8'));
    assert.equal(report.options.readVocab, vocab);
  });

  it('--read-vocab keeps the file\'s words and order: corpus words it lacks are skipped, its words the corpus lacks stay', async () => {
    const { dir, tmp } = cases.next();
    const vocab = path.join(dir, 'given.vocab');
    // Not the corpus's order; "absent" never occurs in it; "the" is not listed; "thin" is below --min-count 2.
    writeFileSync(vocab, '</s> 7\nb 900\nabsent 800\nköln 700\na 700\nthin 1\n');
    const out = path.join(dir, 'v.txt');
    const saved = path.join(dir, 'saved.vocab');
    const r = await runCli(['train', corpus, '--out', out, '--format', 'text', ...QUICK_ANY_COUNT, '--min-count', '2', '--read-vocab', vocab, '--save-vocab', saved, '--json'], { tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await readWord2vecFile(out)).words, ['b', 'absent', 'köln', 'a']);
    // Read and saved again: the file's </s> count and counts, less what --min-count cut.
    assert.equal(readFileSync(saved, 'utf8'), '</s> 7\nb 900\nabsent 800\nköln 700\na 700\n');
    const report = JSON.parse(r.stdout);
    const text = readFileSync(corpus, 'utf8');
    const inVocabulary = text.split(/\s+/).filter((w) => ['b', 'köln', 'a'].includes(w)).length;
    assert.equal(report.trainingWords, inVocabulary, 'only the listed words are trained on');
    assert.equal(report.corpusTokens, text.split(/\s+/).filter(Boolean).length);
  });

  it('refuses a missing or malformed file, a clash of paths, and --read-vocab with --resume, in one line', async () => {
    const { dir, tmp } = cases.next();
    const out = path.join(dir, 'v.bin');
    const missing = await runCli(['train', corpus, '--out', out, ...QUICK_TRAINING, '--read-vocab', path.join(dir, 'nope.vocab')], { tmp });
    assertOneLineFailure(missing, /nope\.vocab: no such vocabulary file/);
    const bad = path.join(dir, 'bad.vocab');
    writeFileSync(bad, 'the 10\nof ten\n');
    assertOneLineFailure(await runCli(['train', corpus, '--out', out, ...QUICK_TRAINING, '--read-vocab', bad], { tmp }), /bad\.vocab: line 2 \("of ten"\) is not a word and a count/);
    const clash = await runCli(['train', corpus, '--out', out, ...QUICK_TRAINING, '--save-vocab', out], { tmp });
    assertOneLineFailure(clash, /--save-vocab .*v\.bin is also --out: one would replace the other/);
    mkdirSync(path.join(dir, 'folder'));
    assertOneLineFailure(await runCli(['train', corpus, '--out', out, ...QUICK_TRAINING, '--save-vocab', path.join(dir, 'folder')], { tmp }), /--save-vocab .*folder is a directory/);
    const over = await runCli(['train', corpus, '--out', out, ...QUICK_TRAINING, '--read-vocab', bad, '--save-vocab', bad], { tmp });
    assertOneLineFailure(over, /--save-vocab .*bad\.vocab is the --read-vocab file .*: writing it would destroy it/);
    const resume = await runCli(['train', '--resume', path.join(dir, 'v.bin.checkpoint'), '--read-vocab', bad], { tmp });
    assertOneLineFailure(resume, /--read-vocab cannot be given with --resume/);
  });
});
