import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ENOSPC_PRELOAD, assertOneLineFailure, runCli } from '../support/cli.js';
import { caseDirectories } from '../support/case-dirs.js';
import { writePlantedCorpus } from '../support/planted-corpus.js';

const SMALL = ['--dim', '8', '--min-count', '1', '--sample', '0', '--no-progress'];
const QUICK = [...SMALL, '--epochs', '2', '--workers', '1'];

const cases = caseDirectories('w2v-failures-test-');
const caseDir = cases.next;
let corpus = '';
before(() => {
  corpus = writePlantedCorpus(cases.root(), 500, 9);
});

/** Everything in `dir` but the private TMPDIR, which must be empty: what a failed command left. */
function leftIn(dir: string, tmp: string): string[] {
  assert.deepEqual(readdirSync(tmp), [], 'the trainer removed its work directory');
  return readdirSync(dir).filter((f) => f !== 'tmp').sort();
}

/** A fresh case folder holding v.bin (and its report) trained on the planted corpus. */
async function trainedCase(...extra: string[]): Promise<{ dir: string; tmp: string; out: string }> {
  const { dir, tmp } = caseDir();
  const out = path.join(dir, 'v.bin');
  const trained = await runCli(['train', corpus, '--out', out, ...extra, ...QUICK], { tmp });
  assert.equal(trained.code, 0, trained.stderr);
  return { dir, tmp, out };
}

/** The disk "fills up" after this many bytes written by the main thread. */
const fullDiskAfter = (bytes: number) => ({ imports: [ENOSPC_PRELOAD], env: { W2V_TEST_ENOSPC_AFTER: String(bytes) } });

describe('an --out that cannot be written is refused before training, in one line', { concurrency: 3 }, () => {
  // Progress stays on: the one line proves that not even the corpus was read.
  it('under a file (/dev/null/x.bin)', async () => {
    const r = await runCli(['train', corpus, '--out', '/dev/null/x.bin', '--epochs', '1']);
    assertOneLineFailure(r, /--out \/dev\/null\/x\.bin: \/dev\/null is not a folder; choose another place/);
  });

  it('in a read-only place (/sys)', async () => {
    const r = await runCli(['train', corpus, '--out', '/sys/w2v-test-vectors.bin', '--epochs', '1']);
    assertOneLineFailure(r, /--out \/sys\/w2v-test-vectors\.bin: cannot write in \/sys \(permission denied\)/);
  });

  it('a --checkpoint that cannot be written', async () => {
    const { dir, tmp } = caseDir();
    const r = await runCli(['train', corpus, '--out', path.join(dir, 'v.bin'), '--checkpoint', '/dev/null/ck', '--epochs', '1'], { tmp });
    assertOneLineFailure(r, /--checkpoint \/dev\/null\/ck: \/dev\/null is not a folder/);
    assert.deepEqual(leftIn(dir, tmp), []);
  });

  it('a --checkpoint at the path of --out', async () => {
    const { dir, tmp } = caseDir();
    const out = path.join(dir, 'v.bin');
    const r = await runCli(['train', corpus, '--out', out, '--checkpoint', path.join(dir, '.', 'v.bin'), '--epochs', '1'], { tmp });
    assertOneLineFailure(r, /--checkpoint .*v\.bin is also --out: one would replace the other; give them different paths/);
    assert.deepEqual(leftIn(dir, tmp), []);
  });

  it('a folder that does not exist yet is fine: it is created', async () => {
    const { dir, tmp } = caseDir();
    const out = path.join(dir, 'new', 'deeper', 'v.bin');
    const r = await runCli(['train', corpus, '--out', out, ...QUICK], { tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(path.dirname(out)).sort(), ['v.bin', 'v.bin.report.json']);
  });
});

describe('a command that would write over its own input is refused before reading it, the input intact', { concurrency: 3 }, () => {
  /** A case folder with its own copy of the planted corpus, at `corpus/part.txt`. */
  function corpusCase(): { dir: string; tmp: string; text: string; original: Buffer } {
    const { dir, tmp } = caseDir();
    mkdirSync(path.join(dir, 'corpus'));
    const text = path.join(dir, 'corpus', 'part.txt');
    copyFileSync(corpus, text);
    return { dir, tmp, text, original: readFileSync(text) };
  }

  // Progress stays on: the one line proves that not even the corpus was read.
  it('--out naming the corpus file by another spelling of its path', async () => {
    const { dir, tmp, text, original } = corpusCase();
    const sameFile = path.join(dir, 'corpus', '..', 'corpus', 'part.txt');
    const r = await runCli(['train', text, '--out', sameFile, '--epochs', '1'], { tmp });
    assertOneLineFailure(r, /--out .*part\.txt is the corpus file .*part\.txt: writing it would destroy it; choose another path/);
    assert.deepEqual(readFileSync(text), original);
    assert.deepEqual(leftIn(dir, tmp), ['corpus']);
  });

  it('--out naming a file inside a corpus directory', async () => {
    const { dir, tmp, text, original } = corpusCase();
    const r = await runCli(['train', path.join(dir, 'corpus'), '--out', text, '--epochs', '1'], { tmp });
    assertOneLineFailure(r, /--out .*part\.txt is the corpus file/);
    assert.deepEqual(readFileSync(text), original);
  });

  it('a --checkpoint naming the corpus file', async () => {
    const { dir, tmp, text, original } = corpusCase();
    const r = await runCli(['train', text, '--out', path.join(dir, 'v.bin'), '--checkpoint', text, '--epochs', '1'], { tmp });
    assertOneLineFailure(r, /the checkpoint .*part\.txt is the corpus file/);
    assert.deepEqual(readFileSync(text), original);
    assert.deepEqual(leftIn(dir, tmp), ['corpus']);
  });

  it('w2v index, w2v neighbors and w2v export naming the vectors file they read as their output', async () => {
    const { dir, tmp, out } = await trainedCase();
    const original = readFileSync(out);
    const sameFile = path.join(dir, '.', 'v.bin');
    const index = await runCli(['index', out, '--out', sameFile], { tmp });
    assertOneLineFailure(index, /the index .*v\.bin is the vectors file .*v\.bin: writing it would destroy it/);
    const neighbors = await runCli(['neighbors', out, 't0w0', '--index', '--index-file', sameFile], { tmp });
    assertOneLineFailure(neighbors, /the index .*v\.bin is the vectors file/);
    const exported = await runCli(['export', out, '--format', 'text', '--out', sameFile], { tmp });
    assertOneLineFailure(exported, /--out .*v\.bin is the vectors file/);
    assert.deepEqual(readFileSync(out), original);
    assert.deepEqual(leftIn(dir, tmp), ['v.bin', 'v.bin.report.json']);
  });

  it('an --out that is a link to the corpus file trains: the link is replaced, the file it named kept', async () => {
    const { dir, tmp, text, original } = corpusCase();
    const link = path.join(dir, 'link.bin');
    symlinkSync(text, link);
    const r = await runCli(['train', text, '--out', link, ...QUICK], { tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(text), original);
    assert.notDeepEqual(readFileSync(link), original);
  });
});

describe('a full disk (ENOSPC, injected): one line, no partial file, what existed stays intact', { concurrency: 3 }, () => {
  /** One line naming the file that could not be written. */
  const diskFull = (file: string) => new RegExp(`${file.replace(/\./g, '\\.')}: the disk is full \\(ENOSPC\\); nothing was written`);

  it('while writing the vectors', async () => {
    const { dir, tmp } = caseDir();
    const out = path.join(dir, 'v.bin');
    writeFileSync(out, 'the previous vectors');
    const r = await runCli(['train', corpus, '--out', out, ...QUICK], { tmp, ...fullDiskAfter(1000) });
    assertOneLineFailure(r, diskFull('v.bin'));
    assert.deepEqual(leftIn(dir, tmp), ['v.bin'], 'no temporary file, no report');
    assert.equal(readFileSync(out, 'utf8'), 'the previous vectors');
  });

  it('while writing a checkpoint', async () => {
    const { dir, tmp } = caseDir();
    const out = path.join(dir, 'v.bin');
    const checkpoint = path.join(dir, 'run.ckpt');
    const first = await runCli(['train', corpus, '--out', out, '--checkpoint', checkpoint, ...QUICK], { tmp });
    assert.equal(first.code, 0, first.stderr);
    rmSync(out);
    rmSync(`${out}.report.json`);
    const before = readFileSync(checkpoint);
    const r = await runCli(['train', corpus, '--out', out, '--checkpoint', checkpoint, ...QUICK], { tmp, ...fullDiskAfter(0) });
    assertOneLineFailure(r, diskFull('run.ckpt'));
    assert.deepEqual(leftIn(dir, tmp), ['run.ckpt']);
    assert.ok(readFileSync(checkpoint).equals(before), 'the previous checkpoint is untouched');
  });

  it('while writing the index (w2v index over an existing one)', async () => {
    const { dir, tmp, out } = await trainedCase('--index');
    const index = readFileSync(`${out}.hnsw`);
    const sidecar = readFileSync(`${out}.hnsw.json`);
    const r = await runCli(['index', out, '--ef', '20'], { tmp, ...fullDiskAfter(0) });
    assertOneLineFailure(r, diskFull('v.bin.hnsw'));
    assert.deepEqual(leftIn(dir, tmp), ['v.bin', 'v.bin.hnsw', 'v.bin.hnsw.json', 'v.bin.report.json']);
    assert.ok(readFileSync(`${out}.hnsw`).equals(index));
    assert.ok(readFileSync(`${out}.hnsw.json`).equals(sidecar));
  });

  it('while neighbors saves the index it built: it answers from the unsaved index', async () => {
    const { dir, tmp, out } = await trainedCase();
    const r = await runCli(['neighbors', out, 't0w0', '-k', '2', '--index'], { tmp, ...fullDiskAfter(0) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^t0w0\n( {2}\S+ +-?\d\.\d{4}\n){2}$/);
    assert.match(r.stderr, /could not save the index \(.*v\.bin\.hnsw: the disk is full \(ENOSPC\).*\); using it unsaved\n$/);
    assert.deepEqual(leftIn(dir, tmp), ['v.bin', 'v.bin.report.json']);
  });

  it('while exporting', async () => {
    const { dir, tmp, out } = await trainedCase();
    const r = await runCli(['export', out, '--format', 'csv', '--out', path.join(dir, 'v.csv')], { tmp, ...fullDiskAfter(200) });
    assertOneLineFailure(r, diskFull('v.csv'));
    assert.deepEqual(leftIn(dir, tmp), ['v.bin', 'v.bin.report.json']);
  });

  it('while exporting the Projector pair: the previous vectors.tsv and metadata.tsv stay a pair', async () => {
    const { dir, tmp, out } = await trainedCase();
    const pair = path.join(dir, 'projector');
    const first = await runCli(['export', out, '--format', 'tsv', '--out', pair], { tmp });
    assert.equal(first.code, 0, first.stderr);
    const before = ['vectors.tsv', 'metadata.tsv'].map((f) => readFileSync(path.join(pair, f)));
    // The 5-row export measured once elsewhere: room for its vectors.tsv, not for its metadata.tsv.
    const probe = path.join(dir, 'probe');
    assert.equal((await runCli(['export', out, '--format', 'tsv', '--out', probe, '--limit', '5'], { tmp })).code, 0);
    const room = readFileSync(path.join(probe, 'vectors.tsv')).length;
    const r = await runCli(['export', out, '--format', 'tsv', '--out', pair, '--limit', '5'], { tmp, ...fullDiskAfter(room) });
    assertOneLineFailure(r, diskFull('metadata.tsv'));
    assert.deepEqual(readdirSync(pair).sort(), ['metadata.tsv', 'vectors.tsv'], 'no temporary file');
    ['vectors.tsv', 'metadata.tsv'].forEach((f, i) => assert.ok(readFileSync(path.join(pair, f)).equals(before[i]), `${f} unchanged`));
  });
});

describe('a training worker that fails stops the run with its error in one line', { concurrency: 2 }, () => {
  for (const [how, message] of [
    ['throw', /a training worker failed: test hook W2V_TEST_FAIL_TASK: task 3 failed/],
    ['exit', /a training worker failed: worker exited with code: 3/],
  ] as const) {
    it(`a worker that ${how === 'throw' ? 'throws' : 'exits'} in its 3rd task`, async () => {
      const { dir, tmp } = caseDir();
      const out = path.join(dir, 'v.bin');
      const r = await runCli(['train', corpus, '--out', out, ...SMALL, '--workers', '2', '--epochs', '40'], {
        tmp,
        env: { W2V_TEST_FAIL_TASK: `3:${how}` },
        timeoutMs: 30_000,
      });
      assertOneLineFailure(r, message);
      assert.deepEqual(leftIn(dir, tmp), [], 'no vectors, report, checkpoint or temporary file');
    });
  }
});
