import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readWord2vecFile } from '../../src/vectors/word2vec-format.js';
import { QUICK_TRAINING, runCli, type CliResult } from '../support/cli.js';

const QUICK = QUICK_TRAINING;

const TRAIN_OPTIONS = [
  '--model', '--loss', '--hs-tree', '--activation', '--margin', '--bands', '--dim', '--window', '--negative', '--min-count', '--max-vocab', '--sample', '--epochs',
  '--alpha', '--min-alpha', '--workers', '--seed', '--format', '--json', '--progress', '--kernel', '--resume', '--checkpoint', '--checkpoint-every',
];

let dir = '';
let cases = 0;
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-cli-test-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI with TMPDIR pointing into `tmp`, so the trainer's work directory can be checked too. */
function w2v(args: string[], tmp?: string, env?: Record<string, string>): Promise<CliResult> {
  return runCli(args, { tmp, env });
}

/** A fresh case directory holding the corpus, the outputs, and a private TMPDIR. */
function caseDir(corpus: string): { dir: string; corpus: string; tmp: string } {
  const d = path.join(dir, `case${cases++}`);
  const tmp = path.join(d, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const file = path.join(d, 'corpus.txt');
  writeFileSync(file, corpus);
  return { dir: d, corpus: file, tmp };
}

/** Small corpus with distinct word counts, so the descending order is unambiguous. */
function corpusText(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    // counts: the 40, ran 30, cat 20, sat 14, on 8, mat 5, dog 4, bird 3, fish 2, once 1
    const words = ['the'];
    if (i % 4 !== 0) words.push('ran');
    if (i % 2 === 0) words.push('cat');
    if (i % 3 === 0) words.push('sat');
    if (i % 5 === 0) words.push('on');
    if (i % 8 === 0) words.push('mat');
    if (i % 13 === 0) words.push('dog');
    if (i % 19 === 0) words.push('bird');
    if (i % 20 === 1) words.push('fish');
    if (i === 7) words.push('once');
    lines.push(words.join(i % 3 ? ' ' : '  \t'));
  }
  return `${lines.join('\n')}\n`;
}

function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.split(/\s+/)) if (word) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

function assertNumber(value: unknown, what: string): asserts value is number {
  assert.equal(typeof value, 'number', `${what} is a number`);
  assert.ok(Number.isFinite(value) && (value as number) >= 0, `${what} is finite and >= 0, got ${value}`);
}

describe('w2v train', () => {
  const text = corpusText();
  const counts = countWords(text);
  const tokens = [...counts.values()].reduce((a, b) => a + b, 0);
  const byCount = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const descending = byCount.map(([w]) => w);

  it('(sanity) the test corpus has distinct counts', () => {
    assert.deepEqual(byCount.map(([, n]) => n), [40, 30, 20, 14, 8, 5, 4, 3, 2, 1]);
  });

  let binVectors: Float32Array | undefined;

  it('writes a word2vec binary file, in descending count order, and a report beside it', async () => {
    const c = caseDir(text);
    const out = path.join(c.dir, 'vectors.bin');
    const r = await w2v(['train', c.corpus, '--out', out, ...QUICK, '--sample', '0', '--seed', '7'], c.tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'nothing on stderr with --no-progress');
    assert.match(r.stdout, /wrote .*vectors\.bin/);
    assert.match(r.stdout, / kernel, 1 worker\)\n/, 'the summary says how many workers trained');

    const header = readFileSync(out).subarray(0, 20).toString('latin1');
    assert.ok(header.startsWith(`${descending.length} 8\n`), 'C word2vec header "V D\\n"');
    const vectors = await readWord2vecFile(out);
    assert.equal(vectors.dim, 8);
    assert.deepEqual(vectors.words, descending);
    assert.equal(vectors.vectors.length, descending.length * 8);
    assert.ok(vectors.vectors.every(Number.isFinite));
    assert.ok(vectors.vectors.some((v) => v !== 0));
    binVectors = vectors.vectors;

    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    assert.equal(report.options.dim, 8);
    assert.equal(report.options.epochs, 1);
    assert.equal(report.options.minCount, 1);
    assert.equal(report.options.workers, 1);
    assert.equal(report.options.seed, 7);
    assert.equal(report.options.sample, 0);
    assert.equal(report.vocabularySize, descending.length);
    assert.equal(report.corpusTokens, tokens);
    for (const phase of ['readAndVocabulary', 'encode', 'train', 'export']) {
      assertNumber(report.seconds[phase], `seconds.${phase}`);
    }
    assertNumber(report.trainWordsPerSecond, 'trainWordsPerSecond');
    assert.ok(report.trainWordsPerSecond > 0);
    assert.equal(report.epochs.length, 1);
    assertNumber(report.epochs[0].loss, 'epochs[0].loss');
    assert.ok(report.epochs[0].loss > 0, 'without subsampling, CBOW trains and has a loss');

    assert.deepEqual(readdirSync(c.dir).sort(), ['corpus.txt', 'tmp', 'vectors.bin', 'vectors.bin.report.json']);
    assert.deepEqual(readdirSync(c.tmp), [], 'the trainer removed its work directory');
  });

  it('--format text writes a text file with the same vectors (to 6 decimals)', async () => {
    const c = caseDir(text);
    const out = path.join(c.dir, 'vectors.txt');
    const r = await w2v(['train', c.corpus, '--out', out, ...QUICK, '--sample', '0', '--seed', '7', '--format', 'text'], c.tmp);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(out, 'utf8').split('\n');
    assert.equal(lines[0], `${descending.length} 8`);
    assert.equal(lines.length, descending.length + 2, 'header, one line per word, final newline');
    for (let i = 0; i < descending.length; i++) {
      assert.match(lines[i + 1], new RegExp(`^${descending[i]}( -?\\d+\\.\\d{6}){8} $`));
    }
    const vectors = await readWord2vecFile(out);
    assert.deepEqual(vectors.words, descending);
    assert.ok(binVectors, 'the binary run ran first');
    // --workers 1 with the same seed trains identically; text keeps 6 decimals.
    for (let i = 0; i < binVectors.length; i++) assert.ok(Math.abs(vectors.vectors[i] - binVectors[i]) <= 5e-7 + 1e-9);
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    assert.equal(report.format, 'text');
  });

  it('--json prints exactly one JSON line on stdout: the report', async () => {
    const c = caseDir(text);
    const out = path.join(c.dir, 'v.bin');
    const r = await w2v(['train', c.corpus, '--out', out, ...QUICK, '--json'], c.tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.endsWith('\n'));
    const lines = r.stdout.slice(0, -1).split('\n');
    assert.equal(lines.length, 1, `one line, got: ${r.stdout}`);
    const printed = JSON.parse(lines[0]);
    assert.deepEqual(printed, JSON.parse(readFileSync(`${out}.report.json`, 'utf8')));
    assert.equal(printed.vocabularySize, descending.length);
    assert.equal(printed.corpusTokens, tokens);
    assert.equal(printed.workers, 1);
  });

  it('every loss trains from the CLI, and the report names its objective', async () => {
    const c = caseDir(text);
    const runs: Array<[string, string[], RegExp]> = [
      ['softmax', ['--loss', 'softmax', '--activation', 'taylor', '--margin', '0.2'], /exact Taylor softmax.*lowered by 0\.2/],
      ['dsoftmax', ['--loss', 'dsoftmax', '--bands', '0.2:0.5,0.8:0.5'], /differentiated softmax/],
      ['nce', ['--loss', 'nce', '--negative', '3'], /noise-contrastive/],
      ['sampled', ['--loss', 'sampled'], /sampled softmax/],
      ['hs-balanced', ['--loss', 'hs', '--hs-tree', 'balanced'], /hierarchical softmax/],
    ];
    for (const [name, args, objective] of runs) {
      const out = path.join(c.dir, `${name}.bin`);
      const r = await w2v(['train', c.corpus, '--out', out, ...QUICK, ...args], c.tmp);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
      assert.match(report.objective, objective);
      assert.ok(report.epochs[0].predictions > 0 && report.epochs[0].loss > 0);
      assert.match(r.stdout, /mean per prediction of/);
      if (name === 'hs-balanced') assert.ok(report.meanCodeLength >= 1);
    }
  });

  it('--kernel ts trains with the TypeScript kernel', async () => {
    const c = caseDir(text);
    const out = path.join(c.dir, 'v.bin');
    const r = await w2v(['train', c.corpus, '--out', out, ...QUICK, '--kernel', 'ts', '--model', 'sg', '--loss', 'hs'], c.tmp);
    assert.equal(r.code, 0, r.stderr);
    const vectors = await readWord2vecFile(out);
    assert.deepEqual(vectors.words, descending);
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    assert.equal(report.kernel, 'ts');
    assert.equal(report.options.model, 'sg');
    assert.equal(report.options.loss, 'hs');
  });

  describe('user errors: one line on stderr, no stack, no output or temporary file left', { concurrency: 4 }, () => {
    /** QUICK without the options a case gives itself (an option given twice is an error of its own). */
    const quickUnless = (args: string[]) => {
      const kept: string[] = [];
      for (let i = 0; i < QUICK.length; i++) {
        const takesValue = i + 1 < QUICK.length && !QUICK[i + 1].startsWith('--');
        if (!args.includes(QUICK[i])) kept.push(...QUICK.slice(i, takesValue ? i + 2 : i + 1));
        if (takesValue) i++;
      }
      return kept;
    };
    type Case = { dir: string; corpus: string };
    const failures: Array<{ name: string; message: RegExp; corpus?: string; args: (c: Case) => string[]; out?: (c: Case) => string }> = [
      { name: 'a missing corpus file', message: /missing\.txt/, args: (c) => [path.join(c.dir, 'missing.txt')] },
      { name: 'an unknown option', message: /bogus-option/, args: (c) => [c.corpus, '--bogus-option', '3'] },
      { name: '--dim 0', message: /--dim must be an integer between 1 and 4096, got 0/, args: (c) => [c.corpus, '--dim', '0'] },
      { name: '--model foo', message: /foo/, args: (c) => [c.corpus, '--model', 'foo'] },
      { name: 'an empty corpus file', message: /no words/, corpus: '', args: (c) => [c.corpus] },
      { name: 'a corpus of whitespace only', message: /no words/, corpus: ' \n\t\n\n', args: (c) => [c.corpus] },
      { name: 'no word reaching --min-count', message: /No word occurs at least 1000 times.*lower --min-count/, args: (c) => [c.corpus, '--min-count', '1000'] },
      // Options that only another loss reads.
      { name: '--hs-tree with --loss ns', message: /--hs-tree does not apply to --loss ns/, args: (c) => [c.corpus, '--loss', 'ns', '--hs-tree', 'balanced'] },
      { name: '--activation with --loss hs', message: /--activation does not apply to --loss hs/, args: (c) => [c.corpus, '--loss', 'hs', '--activation', 'sig'] },
      { name: '--margin with --loss nce', message: /--margin does not apply to --loss nce/, args: (c) => [c.corpus, '--loss', 'nce', '--margin', '0.5'] },
      { name: '--bands with --loss softmax', message: /--bands does not apply to --loss softmax/, args: (c) => [c.corpus, '--loss', 'softmax', '--bands', '0.5:0.5,0.5:0.5'] },
      { name: '--negative with --loss softmax', message: /--negative does not apply to --loss softmax/, args: (c) => [c.corpus, '--loss', 'softmax', '--negative', '5'] },
      { name: 'an odd --taylor-order', message: /--taylor-order must be even, from 2 to 10 \(an odd order's series goes negative\), got 3/, args: (c) => [c.corpus, '--loss', 'softmax', '--activation', 'taylor', '--taylor-order', '3'] },
      { name: '--taylor-order 12', message: /--taylor-order must be even, from 2 to 10/, args: (c) => [c.corpus, '--loss', 'softmax', '--activation', 'taylor', '--taylor-order', '12'] },
      { name: '--taylor-order without --activation taylor', message: /--taylor-order is the order of the Taylor softmax: give it with --activation taylor/, args: (c) => [c.corpus, '--loss', 'softmax', '--taylor-order', '4'] },
      { name: '--mixture with --loss hs', message: /--mixture does not apply to --loss hs: it is for --loss softmax/, args: (c) => [c.corpus, '--loss', 'hs', '--mixture', '2'] },
      { name: '--mixture with --loss dsoftmax', message: /--mixture does not apply to --loss dsoftmax/, args: (c) => [c.corpus, '--loss', 'dsoftmax', '--mixture', '2'] },
      { name: '--mixture with --loss adaptive', message: /--mixture does not apply to --loss adaptive: it is for --loss softmax/, args: (c) => [c.corpus, '--loss', 'adaptive', '--mixture', '2'] },
      { name: '--mixture with --activation taylor', message: /--mixture mixes softmaxes or sigsoftmaxes: give it with --activation exp or sig, not taylor/, args: (c) => [c.corpus, '--loss', 'softmax', '--activation', 'taylor', '--mixture', '2'] },
      { name: '--mixture 0', message: /--mixture must be an integer between 1 and 32, got 0/, args: (c) => [c.corpus, '--loss', 'softmax', '--mixture', '0'] },
      { name: '--mixture 2.5', message: /--mixture must be an integer between 1 and 32, got 2\.5/, args: (c) => [c.corpus, '--loss', 'softmax', '--mixture', '2.5'] },
      { name: '--mixture 33', message: /--mixture must be an integer between 1 and 32, got 33/, args: (c) => [c.corpus, '--loss', 'softmax', '--mixture', '33'] },
      { name: 'unreadable --bands', message: /--bands: cannot read \"half\"/, args: (c) => [c.corpus, '--loss', 'dsoftmax', '--bands', 'half'] },
      { name: '--loss foo', message: /foo/, args: (c) => [c.corpus, '--loss', 'foo'] },
      // Fails while writing: the temporary vectors file must be removed.
      { name: '--out naming an existing directory', message: /out\.bin/, args: (c) => [c.corpus], out: (c) => path.join(c.dir, 'out.bin') },
    ];
    for (const f of failures) {
      it(`${f.name}`, async () => {
        const c = caseDir(f.corpus ?? text);
        mkdirSync(path.join(c.dir, 'out.bin'));
        const out = f.out ? f.out(c) : path.join(c.dir, 'v.bin');
        const before = readdirSync(c.dir).sort();
        const args = f.args(c);
        const r = await w2v(['train', '--out', out, ...quickUnless(args), ...args], c.tmp);
        assert.notEqual(r.code, 0);
        assert.equal(r.stdout, '');
        const lines = r.stderr.split('\n');
        assert.equal(lines.at(-1), '', 'stderr ends with a newline');
        assert.equal(lines.length, 2, `exactly one line on stderr, got:\n${r.stderr}`);
        assert.match(lines[0], /^w2v: \S/);
        assert.match(lines[0], f.message);
        assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
        assert.deepEqual(readdirSync(c.dir).sort(), before, 'no output, report or temporary file left');
        assert.deepEqual(readdirSync(path.join(c.dir, 'out.bin')), []);
        assert.deepEqual(readdirSync(c.tmp), [], 'the trainer removed its work directory');
        assert.ok(!existsSync(`${out}.report.json`));
      });
    }

    it('errors raised while training are not reported as usage errors', async () => {
      const c = caseDir(text);
      // A UserError (missing file): exit 1 per failure.ts, and no "(see w2v --help)".
      const missing = await w2v(['train', path.join(c.dir, 'nope.txt'), '--out', path.join(c.dir, 'v.bin'), ...QUICK], c.tmp);
      assert.equal(missing.code, 1, missing.stderr);
      assert.doesNotMatch(missing.stderr, /see w2v --help/);
      // An unexpected error (a worker's, through the test hook): the W2V_DEBUG hint, not the usage hint.
      const failing = await w2v(['train', c.corpus, '--out', path.join(c.dir, 'v.bin'), ...QUICK], c.tmp, { W2V_TEST_FAIL_TASK: '1:throw' });
      assert.equal(failing.code, 1, failing.stderr);
      assert.match(failing.stderr, /W2V_DEBUG/);
      assert.doesNotMatch(failing.stderr, /see w2v --help/);
    });

    it('messages say what was wrong', async () => {
      const c = caseDir(text);
      const out = path.join(c.dir, 'v.bin');
      const missing = await w2v(['train', path.join(c.dir, 'nope.txt'), '--out', out, ...QUICK], c.tmp);
      assert.match(missing.stderr, /nope\.txt/);
      const dim = await w2v(['train', c.corpus, '--out', out, ...QUICK, '--dim', '0'], c.tmp);
      assert.match(dim.stderr, /--dim/);
      const minCount = await w2v(['train', c.corpus, '--out', out, ...QUICK, '--min-count', '1000'], c.tmp);
      assert.match(minCount.stderr, /--min-count/);
      const tree = await w2v(['train', c.corpus, '--out', out, ...QUICK, '--hs-tree', 'balanced'], c.tmp);
      assert.match(tree.stderr, /--hs-tree does not apply to --loss ns: it is for --loss hs/);
      const activation = await w2v(['train', c.corpus, '--out', out, ...QUICK, '--loss', 'hs', '--activation', 'taylor'], c.tmp);
      assert.match(activation.stderr, /--activation does not apply to --loss hs: it is for --loss softmax or dsoftmax/);
    });
  });
});

describe('w2v --help', () => {
  it('w2v --help exits 0 and lists the train command', async () => {
    const r = await w2v(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /w2v train \[corpus\.\.\]/);
  });

  it('w2v train --help exits 0 and mentions every train option', async () => {
    const r = await w2v(['train', '--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const option of TRAIN_OPTIONS) {
      assert.match(r.stdout, new RegExp(`${option}(?![\\w-])`), `train --help mentions ${option}`);
    }
    assert.match(r.stdout, /--out/);
  });
});
