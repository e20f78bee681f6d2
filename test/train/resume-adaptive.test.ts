import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readCheckpoint } from '../../src/train/checkpoint.js';
import { resumeEmbeddings, trainEmbeddings } from '../../src/train/trainer.js';
import { writePlantedCorpus } from '../support/planted-corpus.js';

// The adaptive softmax's output block is not vocabulary × stride: the checkpoint keeps it whole,
// and a stopped run goes on from it as if it had not stopped.

describe('an adaptive softmax run stopped at a checkpoint', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-resume-adaptive-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes to the same bytes as an uninterrupted run (1 worker), its block in the checkpoint', async () => {
    const corpus = writePlantedCorpus(dir, 600, 4);
    const options = { model: 'sg', loss: 'adaptive', cutoffs: [20, 40], divValue: 2, dim: 12, minCount: 1, sample: 0, epochs: 12, workers: 1, seed: 9 } as const;
    const whole = await trainEmbeddings([corpus], options);

    const checkpoint = path.join(dir, 'run.ckpt');
    const stop = new AbortController();
    const stopped = await trainEmbeddings([corpus], options, { onProgress: (p) => p.epoch >= 2 && stop.abort() }, {
      stop: stop.signal,
      checkpoint: { path: checkpoint, periodic: true, everySeconds: 0 },
    });
    assert.ok(stopped.report.stopped, 'stopped before the end');
    const saved = await readCheckpoint(checkpoint);
    assert.equal(saved.header.layout.outputFloats, whole.output.adaptive!.floats);
    assert.equal(saved.output.length, whole.output.adaptive!.floats);
    assert.ok(saved.header.completed.prefix < 12, `stopped after ${saved.header.completed.prefix} of 12 tasks`);

    const resumed = await resumeEmbeddings(checkpoint, {});
    assert.deepEqual(resumed.output.adaptive, whole.output.adaptive);
    assert.deepEqual(resumed.vectors.slice(), whole.vectors.slice());
    assert.deepEqual(resumed.output.weights.slice(), whole.output.weights.slice());
  });
});
