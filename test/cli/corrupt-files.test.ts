import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Random } from '../../src/base/random.js';
import { runCli, type CliResult } from '../support/cli.js';
import { writePlantedCorpus } from '../support/planted-corpus.js';

// Truncated and randomly mutated copies of good files, fed to every reader through the CLI.
// Seeded, so a failure names a case that reproduces. A reader must answer within the time limit
// with either a clean one-line refusal naming the file, or (when the damage left the file valid,
// say a changed float) a well-formed result.

const TIME_LIMIT_MS = 20_000;
const SEED = 20261201;

let root = '';
const good = { bin: '', text: '', index: '', sidecar: '', checkpoint: '' };
before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'w2v-corrupt-test-'));
  const corpus = writePlantedCorpus(root, 400, 11);
  const common = ['--dim', '8', '--min-count', '1', '--workers', '1', '--no-progress'];
  const bin = path.join(root, 'good.bin');
  assert.equal((await runCli(['train', corpus, '--out', bin, '--epochs', '2', '--index', ...common])).code, 0);
  const text = path.join(root, 'good.txt');
  assert.equal((await runCli(['train', corpus, '--out', text, '--epochs', '2', '--format', 'text', ...common])).code, 0);
  // A checkpoint of a run stopped partway: the run is given more epochs than it gets.
  const stopped = await runCli(['train', corpus, '--out', path.join(root, 'ck.bin'), '--epochs', '5000', ...common.filter((a) => a !== '--no-progress')], {
    onStderr: (child, stderr) => {
      if (/w2v: training /.test(stderr) && !child.killed) child.kill('SIGINT');
    },
  });
  assert.equal(stopped.code, 130, stopped.stderr);
  Object.assign(good, { bin, text, index: `${bin}.hnsw`, sidecar: `${bin}.hnsw.json`, checkpoint: path.join(root, 'ck.bin.checkpoint') });
});
after(() => rmSync(root, { recursive: true, force: true }));

type Damage = { name: string; apply: (bytes: Buffer) => Buffer };

/**
 * The empty file, a few truncations (to under 90% of the file) and a few mutations of 1 to 8
 * random bytes each. Positions are drawn as fractions of the size, because the tests are
 * declared before the files exist.
 */
function damages(random: Random, count: { truncations: number; mutations: number }): Damage[] {
  const out: Damage[] = [{ name: 'empty', apply: () => Buffer.alloc(0) }];
  for (let i = 0; i < count.truncations; i++) {
    const keep = random.nextFloat() * 0.9;
    out.push({ name: `truncated to ${(100 * keep).toFixed(1)}%`, apply: (b) => b.subarray(0, Math.floor(b.length * keep)) });
  }
  for (let i = 0; i < count.mutations; i++) {
    const edits = Array.from({ length: 1 + (random.nextUint32() % 8) }, () => [random.nextFloat(), random.nextUint32() & 0xff] as const);
    out.push({
      name: `bytes at ${edits.map(([at, v]) => `${(100 * at).toFixed(2)}%=${v}`).join(',')}`,
      apply: (b) => {
        const copy = Buffer.from(b);
        for (const [at, v] of edits) copy[Math.floor(at * copy.length)] = v;
        return copy;
      },
    });
  }
  return out;
}

/** What must hold of every run on a damaged file, and whether it was a refusal. */
function assertClean(r: CliResult, file: string, what: string): boolean {
  assert.equal(r.signal, null, `${what}: ended by ${r.signal} (crash or time limit); stderr: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `${what}: no stack trace`);
  if (r.code === 0) return false;
  assert.equal(r.code, 1, `${what}: exit 1, got ${r.code}: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], /^w2v: /);
  assert.ok(lines[0].includes(path.basename(file)), `${what}: the message names ${path.basename(file)}: ${lines[0]}`);
  return true;
}

let caseNumber = 0;
function damagedCopy(source: string, damage: Damage, name = path.basename(source)): string {
  const dir = path.join(root, `case${caseNumber++}`);
  mkdirSync(dir);
  const file = path.join(dir, name);
  writeFileSync(file, damage.apply(readFileSync(source)));
  return file;
}

describe('damaged files: a clean refusal or a well-formed answer, never a crash or a hang', { concurrency: 4 }, () => {
  const random = new Random(SEED);
  const plans = {
    bin: damages(random, { truncations: 3, mutations: 5 }),
    text: damages(random, { truncations: 2, mutations: 4 }),
    index: damages(random, { truncations: 2, mutations: 4 }),
    sidecar: damages(random, { truncations: 2, mutations: 4 }),
    checkpoint: damages(random, { truncations: 3, mutations: 6 }),
  };

  for (const format of ['bin', 'text'] as const) {
    for (const damage of plans[format]) {
      it(`${format} vectors, ${damage.name}: export, evaluate and index`, { timeout: 3 * TIME_LIMIT_MS }, async () => {
        const file = damagedCopy(good[format], damage);
        const pairs = path.join(root, 'pairs.txt');
        writeFileSync(pairs, 't0w0 t0w1 9\nt0w0 t1w0 1\nt2w3 t2w4 8\nt3w0 t5w1 2\n');
        const runs: Array<[string[], (r: CliResult) => void]> = [
          [['export', file, '--format', 'csv', '--out', `${file}.csv`], (r) => assert.match(r.stdout, /^wrote \d+ words of dimension \d+/)],
          [['evaluate', file, '--pairs', pairs, '--json'], (r) => assert.equal(typeof JSON.parse(r.stdout).pairs, 'object')],
          [['index', file, '--ef', '10'], (r) => assert.match(r.stdout, /^indexed \d+ words/)],
        ];
        for (const [args, wellFormed] of runs) {
          const r = await runCli(args, { timeoutMs: TIME_LIMIT_MS });
          if (!assertClean(r, file, `${args[0]} on ${damage.name}`)) wellFormed(r);
        }
        if (damage.name === 'empty' || damage.name.startsWith('truncated')) {
          const r = await runCli(['export', file, '--format', 'csv', '--out', `${file}.csv`], { timeoutMs: TIME_LIMIT_MS });
          assert.equal(r.code, 1, `a truncated vectors file is refused: ${r.stdout}`);
        }
      });
    }
  }

  for (const part of ['index', 'sidecar'] as const) {
    for (const damage of plans[part]) {
      it(`HNSW ${part}, ${damage.name}: neighbors rebuilds or refuses, and answers`, { timeout: 2 * TIME_LIMIT_MS }, async () => {
        const dir = path.join(root, `case${caseNumber++}`);
        mkdirSync(dir);
        const vectors = path.join(dir, 'v.bin');
        copyFileSync(good.bin, vectors);
        copyFileSync(good.index, `${vectors}.hnsw`);
        copyFileSync(good.sidecar, `${vectors}.hnsw.json`);
        const target = part === 'index' ? `${vectors}.hnsw` : `${vectors}.hnsw.json`;
        writeFileSync(target, damage.apply(readFileSync(good[part])));
        const r = await runCli(['neighbors', vectors, 't0w0', '-k', '3', '--index'], { timeoutMs: TIME_LIMIT_MS });
        assert.equal(r.signal, null, `ended by ${r.signal}; stderr: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, /^\s+at /m);
        assert.equal(r.code, 0, `a damaged index is rebuilt, not fatal: ${r.stderr}`);
        assert.match(r.stdout, /^t0w0\n( {2}\S+ +-?\d\.\d{4}\n){3}$/);
        // Either the damage was caught and the index rebuilt (one line naming it), or it left the
        // pair valid (a mutation inside the sidecar's tuning numbers, say) and nothing was said.
        // (A rebuild also reports its progress, on lines of their own.)
        const said = r.stderr.split('\n').filter((l) => l !== '' && !/^w2v: indexing words: \d+ of \d+$/.test(l));
        if (said.length > 0) {
          assert.equal(said.length, 1, r.stderr);
          assert.match(said[0], /^w2v: building the index \(.*v\.bin\.hnsw(\.json)?[:)].*$/);
        }
      });
    }
  }

  for (const damage of plans.checkpoint) {
    it(`checkpoint, ${damage.name}: train --resume refuses it in one line`, { timeout: 2 * TIME_LIMIT_MS }, async () => {
      const file = damagedCopy(good.checkpoint, damage);
      const r = await runCli(['train', '--resume', file, '--no-progress'], { timeoutMs: TIME_LIMIT_MS });
      // A checkpoint is checksummed, so no damage leaves it valid.
      assert.ok(assertClean(r, file, damage.name), `refused, got exit 0: ${r.stdout}`);
    });
  }
});
