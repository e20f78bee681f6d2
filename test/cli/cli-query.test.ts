import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { MAIN, assertOneLineFailure, w2v } from '../support/cli.js';
import { toyWords, writeToyVectors } from '../support/toy-vectors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-cli-query-'));
const vectors = path.join(dir, 'v.bin');

test.before(() => writeToyVectors(vectors));

test('index writes the index and its sidecar', () => {
  const r = w2v('index', vectors, '--ef', '50', '--json');
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.words, toyWords.length);
  assert.ok(existsSync(`${vectors}.hnsw`));
  const sidecar = JSON.parse(readFileSync(`${vectors}.hnsw.json`, 'utf8'));
  assert.equal(sidecar.ef, 50);
  assert.equal(sidecar.dim, 8);
  assert.equal(sidecar.tuning, undefined, 'an explicit --ef is not tuned');
});

test('index without --ef measures the smallest ef that reaches the target recall and saves it', () => {
  const tuned = path.join(dir, 'tuned.hnsw');
  const r = w2v('index', vectors, '--out', tuned, '--target-recall', '0.95', '--json');
  assert.equal(r.code, 0, r.stderr);
  const sidecar = JSON.parse(readFileSync(`${tuned}.json`, 'utf8'));
  assert.equal(sidecar.tuning.targetRecall, 0.95);
  assert.equal(sidecar.tuning.ef, sidecar.ef);
  assert.equal(sidecar.tuning.sample, toyWords.length, 'a vocabulary this small is sampled whole');
  assert.ok(sidecar.tuning.recall >= 0.95, `recall ${sidecar.tuning.recall}`);
  assert.equal(JSON.parse(r.stdout).ef, sidecar.ef);
  const bad = w2v('index', vectors, '--out', tuned, '--target-recall', '1.5');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--target-recall must be a number in \(0, 1\]/);
});

test('neighbors --json: one object per word, unknown words as errors with suggestions', () => {
  const r = w2v('neighbors', vectors, 'king', 'kinq', 'apple', '-k', '2', '--json');
  assert.equal(r.code, 1, 'an unknown word makes the run fail');
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  assert.equal(lines[0].word, 'king');
  // cos(king, man) = 0.70 and cos(king, queen) = 0.5.
  assert.deepEqual(lines[0].neighbors.map((n: { word: string }) => n.word), ['man', 'queen']);
  assert.ok(lines[0].neighbors.every((n: { similarity: unknown }) => typeof n.similarity === 'number'));
  assert.deepEqual(Object.keys(lines[1]), ['word', 'error']);
  assert.match(lines[1].error, /"kinq" is not in the vocabulary .*"king"/);
  assert.equal(lines[2].neighbors[0].word, 'pear');
  assert.equal(lines[0].search, 'exact', '306 words of 8 dimensions: exact search is the faster way');
  assert.equal(r.stderr, '');
  const forced = w2v('neighbors', vectors, 'king', '-k', '2', '--json', '--index');
  assert.equal(forced.code, 0, forced.stderr);
  const line = JSON.parse(forced.stdout);
  assert.equal(line.search, 'index');
  assert.deepEqual(line.neighbors.map((n: { word: string }) => n.word), ['man', 'queen']);
  assert.equal(forced.stderr, '', 'the saved index matched, so nothing was rebuilt');
  const both = w2v('neighbors', vectors, 'king', '--exact', '--index');
  assert.equal(both.code, 1);
  assert.match(both.stderr, /--exact and --index each force one way/);
});

test('neighbors rebuilds a stale index, and --exact agrees', async () => {
  const changed = path.join(dir, 'changed.bin');
  await writeToyVectors(changed, 'text');
  writeFileSync(`${changed}.hnsw`, readFileSync(`${vectors}.hnsw`));
  writeFileSync(`${changed}.hnsw.json`, readFileSync(`${vectors}.hnsw.json`));
  const r = w2v('neighbors', changed, 'queen', '-k', '2', '--index');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /building the index \(the vectors file changed/);
  const exact = w2v('neighbors', changed, 'queen', '-k', '2', '--exact');
  assert.equal(exact.stdout, r.stdout);
  assert.match(exact.stdout, /^queen\n {2}woman +0\.7036\n {2}king +0\.5000\n$/);
  // An unreadable index is rebuilt too, not fatal.
  writeFileSync(`${changed}.hnsw`, 'garbage');
  const again = w2v('neighbors', changed, 'queen', '-k', '2', '--index');
  assert.equal(again.code, 0, again.stderr);
  // The index is checked against its sidecar's size and checksum before hnswlib reads it.
  assert.match(again.stderr, /building the index \(.*changed\.bin\.hnsw: 7 bytes, but its sidecar says \d+\)/);
  assert.equal(again.stdout, exact.stdout);
});

test('analogy returns queen by both methods and never an input word', () => {
  for (const method of ['add', 'mul']) {
    const r = w2v('analogy', vectors, 'man', 'king', 'woman', '--method', method, '-k', '3', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.answers[0].word, 'queen');
    assert.ok(!out.answers.some((a: { word: string }) => ['man', 'king', 'woman'].includes(a.word)));
  }
});

test('evaluate --json prints fractions in the documented shape', () => {
  const questions = path.join(dir, 'questions.txt');
  writeFileSync(questions, ': family\nman king woman queen\nman king woman pear\n: gram-x\nman king woman unknown\n');
  const pairs = path.join(dir, 'pairs.tsv');
  writeFileSync(pairs, '# w1 w2 score\nking queen 9\nman woman 8\napple pear 7\nking apple 1\n');
  const r = w2v('evaluate', vectors, '--analogies', questions, '--pairs', pairs, '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.analogy.accuracy, 0.5);
  assert.equal(out.analogy.semantic.accuracy, 0.5);
  assert.equal(out.analogy.syntactic.accuracy, null);
  assert.equal(out.analogy.oov, 1 / 3);
  assert.deepEqual(Object.keys(out.analogy.sections), ['family', 'gram-x']);
  assert.deepEqual(Object.keys(out.pairs), ['pairs.tsv']);
  assert.equal(out.pairs['pairs.tsv'].oov, 0);
  assert.ok(Math.abs(out.pairs['pairs.tsv'].spearman - 0.4) < 1e-9);
});

test('an option given twice is refused in one line, while --pairs and query words repeat', () => {
  assertOneLineFailure(w2v('analogy', vectors, 'man', 'king', 'woman', '-k', '1', '-k', '3'), /-k was given more than once \(1, 3\); give it once/);
  assertOneLineFailure(w2v('neighbors', vectors, 'king', '--ef', '10', '--ef', '20'), /--ef was given more than once/);
  const words = w2v('neighbors', vectors, 'king', 'queen', '--json', '-k', '2');
  assert.equal(words.code, 0, words.stderr);
  assert.deepEqual(words.stdout.trim().split('\n').map((line) => JSON.parse(line).word), ['king', 'queen']);
  const first = path.join(dir, 'first.tsv');
  const second = path.join(dir, 'second.tsv');
  writeFileSync(first, 'king queen 9\nking apple 1\n');
  writeFileSync(second, 'man woman 8\napple pear 7\n');
  const r = w2v('evaluate', vectors, '--pairs', first, '--pairs', second, '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(JSON.parse(r.stdout).pairs), ['first.tsv', 'second.tsv']);
});

test('export writes the Projector pair', () => {
  const out = path.join(dir, 'projector');
  const r = w2v('export', vectors, '--format', 'tsv', '--out', out, '--limit', '4');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(path.join(out, 'metadata.tsv'), 'utf8'), 'man\nwoman\nking\nqueen\n');
  assert.equal(readFileSync(path.join(out, 'vectors.tsv'), 'utf8').split('\n')[2], '1\t1\t0\t0\t0\t0\t0\t0');
});

test('bad input fails with one line naming the problem', () => {
  const corrupt = path.join(dir, 'corrupt.bin');
  writeFileSync(corrupt, readFileSync(vectors).subarray(0, 200));
  assertOneLineFailure(w2v('neighbors', corrupt, 'king'), /corrupt\.bin: (byte \d+|line 1): /);
  assertOneLineFailure(w2v('analogy', path.join(dir, 'missing.bin'), 'a', 'b', 'c'), /missing\.bin: no such vectors file/);
  assertOneLineFailure(w2v('neighbors', vectors, 'king', '-k', '0'), /w2v: -k must be a positive integer/);
  assertOneLineFailure(w2v('evaluate', vectors), /--analogies/);
  assertOneLineFailure(w2v('export', vectors, '--format', 'xml', '--out', path.join(dir, 'x')), /--format must be one of text, bin, tsv, csv/);
  assertOneLineFailure(w2v('analogy', vectors, 'man', 'king', 'woman', '--method', 'div'), /--method must be add or mul/);
});

test('every query command explains itself with --help', () => {
  for (const command of ['index', 'neighbors', 'analogy', 'evaluate', 'export', 'serve']) {
    const r = w2v(command, '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`w2v ${command} <vectors>`));
  }
});

test('a reader that closes the pipe early (w2v neighbors … | head) ends the command quietly', async () => {
  const child = spawn(process.execPath, [MAIN, 'neighbors', vectors, ...toyWords.slice(0, 50), '-k', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Nobody reads: every write the command makes finds the pipe closed.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '', 'no stack trace, no message');
});
