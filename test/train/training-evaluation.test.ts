import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { logProbability } from '../../src/model/output-layer.js';
import { trainEmbeddings } from '../../src/train/trainer.js';
import type { TrainingSnapshot } from '../../src/train/training-callbacks.js';
import { writePlantedCorpus } from '../support/planted-corpus.js';

const settings = { model: 'cbow', loss: 'hs', dim: 16, window: 3, minCount: 1, sample: 0, workers: 2, seed: 5 } as const;

describe('TrainingControl.evaluate', () => {
  let dir = '';
  let corpus = '';
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-evaluate-'));
    corpus = writePlantedCorpus(dir, 3000, 4);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('evaluates at every epoch end on a copy of the weights, and its time is not training time', async () => {
    const snapshots: TrainingSnapshot[] = [];
    const pause = 400;
    const started = performance.now();
    const model = await trainEmbeddings([corpus], { ...settings, epochs: 3 }, {}, {
      evaluate: {
        epochEnds: true,
        evaluate: async (snapshot) => {
          snapshots.push(snapshot);
          await sleep(pause);
        },
      },
    });
    const wall = (performance.now() - started) / 1000;
    assert.deepEqual(snapshots.map((s) => s.epochsDone), [1, 2, 3], 'one evaluation per epoch end');
    // Each epoch end comes after all of that epoch's words and none of the next one's.
    let words = 0;
    model.report.epochs.forEach((epoch, e) => {
      words += epoch.wordsSeen;
      assert.equal(snapshots[e].wordsSeen, words, `epoch ${e + 1}: the words trained so far`);
    });
    const times = snapshots.map((s) => s.trainSeconds);
    assert.deepEqual([...times].sort((a, b) => a - b), times, 'training seconds only grow');
    assert.ok(times[2] <= model.report.seconds.train + 1e-6, 'the last evaluation is within the training time');
    // The pauses are outside the training time: training and pauses fit in the wall time.
    assert.ok(model.report.seconds.evaluation! >= (3 * pause) / 1000 - 0.01, `evaluation time ${model.report.seconds.evaluation}`);
    assert.ok(model.report.seconds.train + model.report.seconds.evaluation! <= wall, `train ${model.report.seconds.train} s, wall ${wall} s`);
    // Copies: the first snapshot kept the weights of its moment, unlike the trained model's.
    const first = snapshots[0].model;
    assert.notEqual(first.vectors.buffer, model.vectors.buffer);
    assert.notDeepEqual(first.vectors, model.vectors.slice(0, first.vectors.length));
    // A snapshot is a model: its output layer gives probabilities.
    const h = Array.from(first.vectors.subarray(0, first.dim));
    const total = first.vocabulary.words.reduce((sum, _w, id) => sum + Math.exp(logProbability(first.output, h, id)), 0);
    assert.ok(Math.abs(total - 1) < 1e-6, `probabilities sum to ${total}`);
  });

  it('evaluates at the first task boundary after each point, skips points the run never reaches, and keeps the pause out of the time budget', async () => {
    const snapshots: TrainingSnapshot[] = [];
    // A half-second budget, and an evaluation at 0 s that takes longer than the whole budget:
    // counted as training, it would leave no time to train.
    const model = await trainEmbeddings([corpus], { ...settings, epochs: 1000, maxSeconds: 0.5 }, {}, {
      evaluate: {
        seconds: [0, 1e6],
        evaluate: async (snapshot) => {
          snapshots.push(snapshot);
          await sleep(800);
        },
      },
    });
    assert.equal(snapshots.length, 1, 'the point past the budget is skipped');
    assert.equal(snapshots[0].wordsSeen, 0, 'the 0 s point comes before the first task');
    const trained = model.report.epochs.reduce((sum, e) => sum + e.wordsSeen, 0);
    assert.ok(trained > 0, 'training went on after the pause, within its budget');
    assert.ok(model.report.seconds.evaluation! >= 0.79);
  });
});
