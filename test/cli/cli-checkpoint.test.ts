import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { readCheckpoint } from '../../src/train/checkpoint.js';
import { Embeddings } from '../../src/query/embeddings.js';
import { readWord2vecFile } from '../../src/vectors/word2vec-format.js';
import { assertOneLineFailure, runCli, type CliResult } from '../support/cli.js';
import { caseDirectories } from '../support/case-dirs.js';
import { WORDS_PER_TOPIC, plantedCorpus, topicOf, writePlantedCorpus } from '../support/planted-corpus.js';

// A few seconds of training on a small planted corpus: long enough to be stopped partway.
// One task per epoch (the corpus is one chunk), so the plan has 300 tasks.
const EPOCHS = 300;
const RUN = ['--epochs', String(EPOCHS), '--dim', '16', '--min-count', '1', '--model', 'sg', '--sample', '0', '--seed', '3', '--no-progress'];

const cases = caseDirectories('w2v-checkpoint-test-');
const caseDir = cases.next;
let corpus = '';
before(() => {
  corpus = writePlantedCorpus(cases.root(), 2000, 5);
});

/** Sends `signal` once the trainer says it is training, plus `delayMs`. */
function signalWhenTraining(signal: NodeJS.Signals, delayMs: number) {
  let sent = false;
  return (child: ChildProcess, stderr: string) => {
    if (sent || !/w2v: training /.test(stderr)) return;
    sent = true;
    setTimeout(() => child.kill(signal), delayMs);
  };
}

/** Share of each word's 5 nearest neighbours that belong to its own topic. */
function topicPurity(embeddings: Embeddings, words: readonly string[]): number {
  let same = 0;
  for (const w of words) {
    const ranked = words.filter((o) => o !== w).sort((a, b) => embeddings.similarity(w, b) - embeddings.similarity(w, a));
    same += ranked.slice(0, WORDS_PER_TOPIC - 1).filter((o) => topicOf(o) === topicOf(w)).length;
  }
  return same / (words.length * (WORDS_PER_TOPIC - 1));
}

function tempFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}

/** The stop message's resume command, run as this test runs the CLI. */
function resumeArgs(stopped: CliResult): string[] {
  // runCli starts the CLI as `node dist/src/cli/main.js` from the project root, and w2v says so.
  const match = /resume with: node dist\/src\/cli\/main\.js (train --resume \S+(?: --out \S+)?)$/m.exec(stopped.stderr);
  assert.ok(match, `the stop message names the resume command:\n${stopped.stderr}`);
  return match[1].split(' ');
}

describe('Ctrl-C, checkpoint and --resume', () => {
  let uninterrupted: { vectors: Buffer; report: { epochs: Array<{ loss: number }> } } | undefined;
  before(async () => {
    const { dir, tmp } = caseDir();
    const out = path.join(dir, 'v.bin');
    const r = await runCli(['train', corpus, '--out', out, '--workers', '1', ...RUN], { tmp });
    assert.equal(r.code, 0, r.stderr);
    uninterrupted = { vectors: readFileSync(out), report: JSON.parse(readFileSync(`${out}.report.json`, 'utf8')) };
  });

  it('SIGINT stops at a task boundary and writes a checkpoint; the resumed run is byte-identical to an uninterrupted one (1 worker)', async () => {
    const { dir, tmp } = caseDir();
    const out = path.join(dir, 'v.bin');
    const stopped = await runCli(['train', corpus, '--out', out, '--workers', '1', ...RUN.filter((a) => a !== '--no-progress')], {
      tmp,
      onStderr: signalWhenTraining('SIGINT', 300),
    });
    assert.equal(stopped.signal, null);
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.equal(stopped.stdout, '');
    assert.match(stopped.stderr, /SIGINT: stopping after the running tasks, then writing checkpoint .*v\.bin\.checkpoint/);
    assert.match(stopped.stderr, /w2v: stopped; checkpoint written to .*v\.bin\.checkpoint; resume with: node dist\/src\/cli\/main\.js train --resume \S+v\.bin\.checkpoint\n$/);
    assert.deepEqual(readdirSync(dir).sort(), ['tmp', 'v.bin.checkpoint'], 'a checkpoint, and no vectors or report');
    assert.deepEqual(readdirSync(tmp), [], 'the work directory is removed');

    const checkpoint = await readCheckpoint(path.join(dir, 'v.bin.checkpoint'));
    const done = checkpoint.header.completed.prefix + checkpoint.header.completed.after.length;
    assert.ok(done < EPOCHS, `stopped partway (${done} of ${EPOCHS} tasks done)`);
    assert.deepEqual(checkpoint.header.completed.after, [], 'one worker finishes tasks in order');
    assert.equal(checkpoint.header.epochs.length, done, 'one epoch per task: the loss history covers the done epochs');

    const resumed = await runCli([...resumeArgs(stopped), '--no-progress'], { tmp });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /resumed from .*v\.bin\.checkpoint/);
    assert.ok(uninterrupted);
    assert.ok(readFileSync(out).equals(uninterrupted.vectors), 'same seed, one worker: the resumed run writes the same bytes');
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    assert.deepEqual(report.resumedFrom, [path.join(dir, 'v.bin.checkpoint')]);
    assert.deepEqual(
      report.epochs.map((e: { loss: number }) => e.loss),
      uninterrupted.report.epochs.map((e) => e.loss),
      'the loss history runs across the resume, as in the uninterrupted run',
    );
    assert.deepEqual(tempFilesIn(dir), []);
  });

  it('with 2 workers (Hogwild, not bit-identical) the resumed run reaches the quality of an uninterrupted one', async () => {
    const { dir, tmp } = caseDir();
    const straight = path.join(dir, 'straight.bin');
    const out = path.join(dir, 'v.bin');
    const full = await runCli(['train', corpus, '--out', straight, '--workers', '2', ...RUN], { tmp });
    assert.equal(full.code, 0, full.stderr);
    const stopped = await runCli(['train', corpus, '--out', out, '--workers', '2', ...RUN.filter((a) => a !== '--no-progress')], {
      tmp,
      onStderr: signalWhenTraining('SIGTERM', 300),
    });
    assert.equal(stopped.code, 130, `SIGTERM stops the same way: ${stopped.stderr}`);
    assert.match(stopped.stderr, /SIGTERM: stopping after the running tasks/);
    const resumed = await runCli([...resumeArgs(stopped), '--workers', '2', '--no-progress'], { tmp });
    assert.equal(resumed.code, 0, resumed.stderr);
    const a = await readWord2vecFile(straight);
    const b = await readWord2vecFile(out);
    assert.deepEqual(b.words, a.words);
    const purityA = topicPurity(new Embeddings(a), a.words);
    const purityB = topicPurity(new Embeddings(b), b.words);
    assert.ok(purityA > 0.9, `the uninterrupted run learns the topics (purity ${purityA})`);
    assert.ok(Math.abs(purityA - purityB) <= 0.05, `resumed purity ${purityB} vs uninterrupted ${purityA}`);
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    assert.equal(report.epochs.length, EPOCHS);
    assert.equal(report.epochs.reduce((n: number, e: { wordsSeen: number }) => n + e.wordsSeen, 0), EPOCHS * 16_000, 'every epoch trained exactly once');
  });

  it('a second SIGINT exits at once, leaving no vectors and no temporary file', async () => {
    const { dir, tmp } = caseDir();
    const out = path.join(dir, 'v.bin');
    // Tasks of 2^18 words (a tenth of a second or more), so that the second signal, sent once the
    // first one is acknowledged, lands while the running task is still finishing.
    const long = path.join(dir, 'long.txt');
    writeFileSync(long, plantedCorpus(20_000, 8).repeat(4));
    let first = false;
    let second = false;
    const r = await runCli(['train', long, '--out', out, '--workers', '1', '--epochs', '3', '--min-count', '1', '--sample', '0'], {
      tmp,
      onStderr: (child, stderr) => {
        if (!/w2v: training /.test(stderr)) return;
        if (!first) {
          first = true;
          setTimeout(() => child.kill('SIGINT'), 100);
        } else if (!second && /stopping after the running tasks/.test(stderr)) {
          second = true;
          child.kill('SIGINT');
        }
      },
    });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /SIGINT again: stopped at once; nothing more was written\n$/);
    assert.ok(!existsSync(out));
    assert.deepEqual(tempFilesIn(dir), [], 'an unfinished checkpoint write leaves no temporary file');
    assert.deepEqual(readdirSync(tmp), [], 'nor the work directory');
    // The checkpoint either was complete before the second signal or was never renamed into place.
    const checkpoint = path.join(dir, 'v.bin.checkpoint');
    if (existsSync(checkpoint)) await readCheckpoint(checkpoint);
  });

  it('SIGINT while the corpus is read exits at once: nothing to resume, nothing left behind', async () => {
    const { dir, tmp } = caseDir();
    // About 20 MB: long enough to read that the signal lands before training.
    const big = path.join(dir, 'big.txt');
    writeFileSync(big, plantedCorpus(20_000, 8).repeat(16));
    let sent = false;
    const r = await runCli(['train', big, '--out', path.join(dir, 'v.bin'), '--epochs', '1', '--min-count', '1'], {
      tmp,
      onStderr: (child, stderr) => {
        if (!sent && /w2v: reading /.test(stderr)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /SIGINT: stopped before training started; nothing to resume\n$/);
    assert.deepEqual(readdirSync(dir).sort(), ['big.txt', 'tmp']);
    assert.deepEqual(readdirSync(tmp), [], 'the work directory is removed on the immediate exit');
  });

  it('--checkpoint is replaced at every epoch end; after a crash (SIGKILL) the run resumes from it to the same bytes', async () => {
    const { dir, tmp } = caseDir();
    const out = path.join(dir, 'v.bin');
    const checkpoint = path.join(dir, 'keep.ckpt');
    let killed = false;
    const crashed = await runCli(['train', corpus, '--out', out, '--workers', '1', '--checkpoint', checkpoint, ...RUN.filter((a) => a !== '--no-progress')], {
      tmp,
      onStderr: (child) => {
        if (killed) return;
        const poll = setInterval(() => {
          if (existsSync(checkpoint)) {
            clearInterval(poll);
            child.kill('SIGKILL');
          }
        }, 5);
        killed = true;
      },
    });
    assert.equal(crashed.signal, 'SIGKILL');
    const saved = await readCheckpoint(checkpoint);
    assert.ok(saved.header.completed.prefix < EPOCHS, 'killed before the end');
    // The checkpoint is not named <out>.checkpoint, so --out must be given.
    const noOut = await runCli(['train', '--resume', checkpoint, '--no-progress'], { tmp });
    assertOneLineFailure(noOut, /--resume .*keep\.ckpt: give --out/);
    const resumed = await runCli(['train', '--resume', checkpoint, '--out', out, '--workers', '1', '--no-progress', '--json'], { tmp });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok(uninterrupted);
    assert.ok(readFileSync(out).equals(uninterrupted.vectors));
    const report = JSON.parse(resumed.stdout);
    // The resumed run keeps its checkpoint: one per epoch end it trained.
    assert.equal(report.checkpointsWritten, EPOCHS - saved.header.completed.prefix);
    assert.equal((await readCheckpoint(checkpoint)).header.completed.prefix, EPOCHS, 'the last checkpoint is of the finished run');
  });

  it('--checkpoint-every writes between tasks as well as at epoch ends', async () => {
    const { dir, tmp } = caseDir();
    const out = path.join(dir, 'v.bin');
    // One epoch over three copies of the corpus and 1024-token chunks is impossible from the
    // CLI (chunk size is internal), so use --max-words pieces: 16 per worker.
    const base = ['train', corpus, '--out', out, '--workers', '1', '--epochs', '1', '--max-words', '16000', '--min-count', '1', '--dim', '8', '--no-progress', '--json'];
    const epochEnds = await runCli([...base, '--checkpoint', path.join(dir, 'a.ckpt')], { tmp });
    assert.equal(epochEnds.code, 0, epochEnds.stderr);
    assert.equal(JSON.parse(epochEnds.stdout).checkpointsWritten, 1, 'one epoch: one checkpoint');
    const clocked = await runCli([...base, '--checkpoint', path.join(dir, 'b.ckpt'), '--checkpoint-every', '1e-9'], { tmp });
    assert.equal(clocked.code, 0, clocked.stderr);
    assert.equal(JSON.parse(clocked.stdout).checkpointsWritten, 16, 'a checkpoint before every task but the first, and at the end');
    const bad = await runCli([...base, '--checkpoint-every', '0'], { tmp });
    assertOneLineFailure(bad, /--checkpoint-every must be a positive number of minutes/);
  });

  describe('--resume refuses what would change the model, in one line', () => {
    let checkpoint = '';
    let tmp = '';
    before(async () => {
      const c = caseDir();
      tmp = c.tmp;
      const stopped = await runCli(['train', corpus, '--out', path.join(c.dir, 'v.bin'), '--workers', '1', ...RUN.filter((a) => a !== '--no-progress')], {
        tmp,
        onStderr: signalWhenTraining('SIGINT', 100),
      });
      assert.equal(stopped.code, 130, stopped.stderr);
      checkpoint = path.join(c.dir, 'v.bin.checkpoint');
    });

    it('a model option', async () => {
      assertOneLineFailure(await runCli(['train', '--resume', checkpoint, '--dim', '8'], { tmp }), /--dim cannot be given with --resume/);
      assertOneLineFailure(await runCli(['train', '--resume', checkpoint, '--no-shared-negatives'], { tmp }), /--shared-negatives cannot be given with --resume/);
    });

    it('a corpus as well', async () => {
      assertOneLineFailure(await runCli(['train', '--resume', checkpoint, corpus], { tmp }), /continues on the corpus the checkpoint names; drop .*planted\.txt/);
    });

    it('neither a corpus nor --resume', async () => {
      assertOneLineFailure(await runCli(['train', '--out', path.join(cases.root(), 'x.bin')], { tmp }), /name a corpus .* or a checkpoint to continue/);
    });

    it('a corpus that changed size, or changed words at the same size', async () => {
      const original = readFileSync(corpus);
      try {
        writeFileSync(corpus, Buffer.concat([original, Buffer.from('t0w0 t0w1\n')]));
        assertOneLineFailure(await runCli(['train', '--resume', checkpoint, '--no-progress'], { tmp }), /planted\.txt: changed since checkpoint .* was written/);
        // Same bytes count, one word swapped for another: only the vocabulary tells.
        const text = original.toString('utf8');
        const at = text.indexOf('t1w');
        writeFileSync(corpus, `${text.slice(0, at)}t2${text.slice(at + 2)}`);
        assertOneLineFailure(await runCli(['train', '--resume', checkpoint, '--no-progress'], { tmp }), /planted\.txt: the corpus changed since checkpoint .* \(its vocabulary differs\)/);
      } finally {
        writeFileSync(corpus, original);
      }
      assert.deepEqual(readdirSync(tmp), []);
    });
  });
});
