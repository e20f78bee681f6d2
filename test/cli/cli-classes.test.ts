import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { writeWord2vecFile } from '../../src/vectors/word2vec-format.js';
import { assertOneLineFailure, runCli } from '../support/cli.js';
import { caseDirectories } from '../support/case-dirs.js';

const cases = caseDirectories('w2v-classes-cli-');

/**
 * Three groups of four words along three axes (a little off them), in an order that mixes the
 * groups, so that sorting by class has something to do: x* along the first axis, y* the second, z* the third.
 */
const WORDS = ['x0', 'y0', 'z0', 'x1', 'y1', 'x2', 'z1', 'z2', 'y2', 'x3', 'y3', 'z3'];
function vectorOf(word: string, i: number): number[] {
  const axis = 'xyz'.indexOf(word[0]);
  return [0, 1, 2].map((a) => (a === axis ? 1 : 0.05 * ((i % 3) + 1)));
}

describe('w2v classes', () => {
  let vectors = '';
  before(async () => {
    vectors = path.join(cases.root(), 'v.txt');
    await writeWord2vecFile(vectors, { words: WORDS, dim: 3, vectors: Float32Array.from(WORDS.flatMap(vectorOf)) }, 'text');
  });

  it('writes "word class" lines sorted by class, each class\'s words in the file\'s order, as C -classes sorted', async () => {
    const { dir, tmp } = cases.next();
    const out = path.join(dir, 'classes.txt');
    const r = await runCli(['classes', vectors, '-k', '3', '--out', out, '--no-progress'], { tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*classes\.txt: 12 words in 3 classes; \d+ rounds of k-means \(converged\), mean cosine to the class centroid 0\.99\d\d; [\d.]+ s\n$/);
    assert.equal(readFileSync(out, 'utf8'), 'x0 0\nx1 0\nx2 0\nx3 0\ny0 1\ny1 1\ny2 1\ny3 1\nz0 2\nz1 2\nz2 2\nz3 2\n');
    const again = path.join(dir, 'again.txt');
    await runCli(['classes', vectors, '-k', '3', '--out', again, '--no-progress', '--seed', '1'], { tmp });
    assert.deepEqual(readFileSync(again), readFileSync(out), 'the default seed is 1: the same classes again');
  });

  it('--format json gives every class with its words and its unit centroid', async () => {
    const { dir, tmp } = cases.next();
    const out = path.join(dir, 'classes.json');
    const r = await runCli(['classes', vectors, '-k', '3', '--out', out, '--format', 'json', '--seed', '5', '--no-progress'], { tmp });
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(json.k, 3);
    assert.equal(json.dim, 3);
    assert.equal(json.seed, 5);
    assert.equal(json.words, 12);
    assert.deepEqual(json.classes.map((c: { words: string[] }) => c.words), [['x0', 'x1', 'x2', 'x3'], ['y0', 'y1', 'y2', 'y3'], ['z0', 'z1', 'z2', 'z3']]);
    for (const [index, c] of (json.classes as { class: number; size: number; centroid: number[] }[]).entries()) {
      assert.equal(c.class, index);
      assert.equal(c.size, 4);
      assert.ok(Math.abs(Math.hypot(...c.centroid) - 1) < 1e-6, 'a unit vector');
      assert.equal(c.centroid.indexOf(Math.max(...c.centroid)), index, 'along its group\'s axis');
    }
  });

  it('refuses what it cannot do in one line, writing nothing', async () => {
    const { dir, tmp } = cases.next();
    const out = path.join(dir, 'c.txt');
    const run = (...args: string[]) => runCli(['classes', ...args, '--no-progress'], { tmp });
    assertOneLineFailure(await run(vectors, '-k', '13', '--out', out), /-k 13 asks for more classes than the 12 words there are; give at most -k 12/);
    assertOneLineFailure(await run(vectors, '-k', '0', '--out', out), /w2v: -k must be a positive integer, got 0/);
    assertOneLineFailure(await run(vectors, '-k', 'many', '--out', out), /-k takes a number, got "many"/, 2);
    assertOneLineFailure(await run(vectors, '-k', '2', '--out', vectors), /--out .*v\.txt is the vectors file/);
    assertOneLineFailure(await run(path.join(dir, 'none.bin'), '-k', '2', '--out', out), /none\.bin: no such vectors file/);
    assertOneLineFailure(await run(vectors, '--out', out), /Missing required argument: k/, 2);
    assert.ok(!existsSync(out));
  });
});
