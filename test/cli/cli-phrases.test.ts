import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { Random } from '../../src/base/random.js';
import { assertOneLineFailure, ROOT, runCli } from '../support/cli.js';
import { caseDirectories } from '../support/case-dirs.js';

const C_WORD2PHRASE = path.join(ROOT, 'node_modules/word2vec/src/word2phrase');
const cases = caseDirectories('w2v-phrases-cli-');

/**
 * One line of 60,000 tokens (as text8 is): Zipf-like unigrams with collocations planted at several
 * strengths, so that scores spread on both sides of the threshold. It ends with a space: C
 * word2phrase drops the last word of a file that does not end in whitespace.
 */
function collocationCorpus(): string {
  const random = new Random(21);
  const words = Array.from({ length: 400 }, (_, i) => `w${i}`);
  const pairs = Array.from({ length: 40 }, (_, i) => [`p${i}a`, `p${i}b`]);
  const tokens: string[] = [];
  while (tokens.length < 60_000) {
    const r = random.nextFloat();
    if (r < 0.15) {
      // Pair i is planted with weight 1 / (i + 1), and its first word also appears alone.
      const i = Math.floor(40 * random.nextFloat() ** 2);
      tokens.push(...(random.nextFloat() < 0.7 ? pairs[i] : [pairs[i][0]]));
    } else {
      tokens.push(words[Math.floor(400 * random.nextFloat() ** 3)]);
    }
  }
  return `${tokens.join(' ')} `;
}

/** The tokens of a text, whatever its spacing. */
const tokensOf = (text: string) => text.split(/\s+/).filter(Boolean);

describe('w2v phrases', () => {
  let corpus = '';
  before(() => {
    corpus = path.join(cases.root(), 'corpus.txt');
    writeFileSync(corpus, collocationCorpus());
  });

  it('joins the same pairs as C word2phrase on the same text and settings (when it is built)', async (t) => {
    if (!existsSync(C_WORD2PHRASE)) {
      t.skip('node_modules/word2vec/src/word2phrase is not built');
      return;
    }
    for (const [threshold, minCount] of [['100', '5'], ['30', '5'], ['300', '20']]) {
      const { dir, tmp } = cases.next();
      const theirs = path.join(dir, 'c.txt');
      const ours = path.join(dir, 'ours.txt');
      execFileSync(C_WORD2PHRASE, ['-train', corpus, '-output', theirs, '-threshold', threshold, '-min-count', minCount, '-debug', '0'], { stdio: 'ignore' });
      const r = await runCli(['phrases', corpus, '--out', ours, '--threshold', threshold, '--min-count', minCount, '--no-progress'], { tmp });
      assert.equal(r.code, 0, r.stderr);
      const cTokens = tokensOf(readFileSync(theirs, 'utf8'));
      const ourTokens = tokensOf(readFileSync(ours, 'utf8'));
      assert.ok(cTokens.some((token) => token.includes('_')), `C joined some pairs at threshold ${threshold}`);
      assert.deepEqual(ourTokens, cTokens, `threshold ${threshold}, min-count ${minCount}`);
    }
  });

  it('says what it did in a summary, or as JSON, and writes nothing else', async () => {
    const { dir, tmp } = cases.next();
    const out = path.join(dir, 'out.txt');
    const r = await runCli(['phrases', corpus, '--out', out, '--passes', '2', '--no-progress'], { tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^wrote .*out\.txt: 60\d\d\d tokens in, 2 passes \(default scoring, min-count 5\) in [\d.]+ s\n/);
    assert.match(r.stdout, /\npass 1 \(threshold 200\): \d+ distinct phrases, joined \d+ times, from \d+ distinct pairs of \d+ words; read/);
    assert.match(r.stdout, /\npass 2 \(threshold 100\): /);
    const json = await runCli(['phrases', corpus, '--out', out, '--scoring', 'npmi', '--json', '--no-progress'], { tmp });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.options.scoring, 'npmi');
    assert.deepEqual(report.options.thresholds, [0.5]);
    assert.equal(report.passes.length, 1);
    assert.equal(report.passes[0].phrases, new Set(tokensOf(readFileSync(out, 'utf8')).filter((token) => token.includes('_'))).size);
  });

  it('refuses bad settings and paths in one line', async () => {
    const { dir, tmp } = cases.next();
    const out = path.join(dir, 'out.txt');
    const run = (...args: string[]) => runCli(['phrases', ...args, '--no-progress'], { tmp });
    assertOneLineFailure(await run(corpus, '--out', out, '--threshold', 'high'), /--threshold takes a number, or one per pass separated by commas \(200,100\); got "high"/);
    assertOneLineFailure(await run(corpus, '--out', out, '--threshold', '200,100', '--passes', '3'), /--threshold gives 2 thresholds and --passes is 3/);
    assertOneLineFailure(await run(corpus, '--out', out, '--scoring', 'npmi', '--threshold', '100'), /--threshold 100 is outside what --scoring npmi can pass/);
    assertOneLineFailure(await run(corpus, '--out', out, '--min-count', '0'), /--min-count must be an integer between 1/);
    assertOneLineFailure(await run(corpus, '--out', corpus), /--out .*corpus\.txt is the corpus file/);
    mkdirSync(path.join(dir, 'folder'));
    assertOneLineFailure(await run(corpus, '--out', path.join(dir, 'folder')), /--out .*folder is a directory/);
    assertOneLineFailure(await run(path.join(dir, 'missing.txt'), '--out', out), /Corpus path .*missing\.txt does not exist/);
    assertOneLineFailure(await run(corpus), /Missing required argument: out/, 2);
    assert.ok(!existsSync(out), 'no output from a refused run');
  });

  it('gives text that trains vectors w2v evaluate scores with the phrase analogies', async () => {
    const { dir, tmp } = cases.next();
    // Newspapers of questions-phrases.txt's first section, always named in two words after their city.
    const random = new Random(4);
    const papers = [['baltimore', 'sun'], ['boston', 'globe'], ['chicago', 'tribune'], ['denver', 'post'], ['houston', 'chronicle']];
    const lines: string[] = [];
    for (let l = 0; l < 3000; l++) {
      const [city, paper] = papers[random.nextUint32() % papers.length];
      lines.push(random.nextFloat() < 0.5 ? `${city} ${paper} says the ${city} news` : `read the ${city} ${paper} in ${city} today`);
    }
    const text = path.join(dir, 'papers.txt');
    writeFileSync(text, `${lines.join('\n')}\n`);
    const phrased = path.join(dir, 'phrased.txt');
    // city+paper scores (600 - 5) / (1200 · 600) · 18,000 ≈ 14.9; the other frequent pairs, as "says the", about 6.
    const p = await runCli(['phrases', text, '--out', phrased, '--threshold', '10', '--no-progress'], { tmp });
    assert.equal(p.code, 0, p.stderr);
    assert.equal(readFileSync(phrased, 'utf8').split('\n')[0].split(' ').filter((w) => w.includes('_')).length, 1, 'one phrase a line: the paper');
    const vectors = path.join(dir, 'v.bin');
    const trained = await runCli(['train', phrased, '--out', vectors, '--workers', '1', '--epochs', '2', '--dim', '16', '--min-count', '1', '--no-progress'], { tmp });
    assert.equal(trained.code, 0, trained.stderr);
    const evaluated = await runCli(['evaluate', vectors, '--analogies', path.join(ROOT, 'corpora/questions-phrases.txt'), '--json'], { tmp });
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const { analogy } = JSON.parse(evaluated.stdout);
    // Every question among the five cities and their papers is answered (Baltimore : Baltimore_Sun :: Boston : ?, …).
    assert.equal(analogy.sections.newspapers.answered, 5 * 4);
    assert.ok(analogy.oov > 0.99, 'the rest of the file is out of this vocabulary');
  });
});
