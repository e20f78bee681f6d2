import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Random } from '../../src/base/random.js';
import { UserError } from '../../src/base/errors.js';
import { writeVocabularyFile } from '../../src/corpus/vocabulary-file.js';
import { applyInitialVectors, type InitialVectors } from '../../src/train/initial-vectors.js';
import { resumeEmbeddings, trainEmbeddings, type TrainedModel } from '../../src/train/trainer.js';
import { TOPICS, WORDS_PER_TOPIC, plantedCorpus } from '../support/planted-corpus.js';
import { topicPurity } from '../support/topic-purity.js';

describe('applyInitialVectors', () => {
  it('copies the rows of the words it has into padded input rows, first row of a repeated word, and counts them', () => {
    const vocabulary = { words: ['a', 'b', 'c'], counts: Float64Array.from([3, 2, 1]), totalCount: 6 };
    const input = Float32Array.from([9, 9, 0, 0, 8, 8, 0, 0, 7, 7, 0, 0]);
    const initial: InitialVectors = { source: 'p.vec', words: ['c', 'x', 'a', 'c'], dim: 2, vectors: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    const summary = applyInitialVectors(input, 4, vocabulary, initial);
    assert.deepEqual(Array.from(input), [5, 6, 0, 0, 8, 8, 0, 0, 1, 2, 0, 0]);
    assert.deepEqual(summary, { source: 'p.vec', words: 4, found: 2 });
  });
});

/** A model's input vectors as a pretrained file would give them. */
function asInitial(model: TrainedModel, source: string): InitialVectors {
  return { source, words: model.vocabulary.words, dim: model.dim, vectors: model.vectors, stride: model.stride };
}

describe('training from pretrained vectors', () => {
  let dir = '';
  let corpus = '';
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-init-'));
    corpus = path.join(dir, 'topics.txt');
    writeFileSync(corpus, plantedCorpus(3000, 4));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const settings = { model: 'sg', dim: 16, window: 4, minCount: 1, sample: 0, workers: 1, seed: 5 } as const;
  /** A learning rate too small to move a weight: the run ends where it started. */
  const frozen = { epochs: 1, alpha: 1e-9, minAlpha: 0 };

  it('found words start from the given vectors, the others at random, and the report counts them', async () => {
    const random = new Random(77);
    // Every other planted word, and words the corpus does not have; values far outside C's initial range.
    const words = [...Array.from({ length: TOPICS * WORDS_PER_TOPIC / 2 }, (_, i) => `t${i % TOPICS}w${2 * Math.floor(i / TOPICS)}`), 'unknown1', 'unknown2'];
    const vectors = Float32Array.from({ length: words.length * settings.dim }, () => 2 + random.nextFloat());
    const model = await trainEmbeddings([corpus], { ...settings, ...frozen }, {}, { initialVectors: { source: 'given.vec', words, dim: settings.dim, vectors } });
    assert.deepEqual(model.report.initVectors, { source: 'given.vec', words: words.length, found: TOPICS * WORDS_PER_TOPIC / 2 });
    model.vocabulary.words.forEach((word, id) => {
      const row = model.vectors.subarray(id * model.stride, id * model.stride + settings.dim);
      const given = words.indexOf(word);
      if (given < 0) {
        assert.ok(row.every((v) => Math.abs(v) <= 0.5 / settings.dim), `${word} starts in C's random range`);
        return;
      }
      row.forEach((v, j) => assert.ok(Math.abs(v - vectors[given * settings.dim + j]) < 1e-6, `${word}[${j}]: ${v}`));
    });
  });

  it('a start from good vectors is good before any training, and training from poor ones still learns the topics', async () => {
    const trained = await trainEmbeddings([corpus], { ...settings, epochs: 3 });
    assert.ok(topicPurity(trained) >= 0.9);
    const fresh = await trainEmbeddings([corpus], { ...settings, ...frozen });
    const started = await trainEmbeddings([corpus], { ...settings, ...frozen }, {}, { initialVectors: asInitial(trained, 'good.vec') });
    assert.ok(topicPurity(fresh) < 0.4, `an untrained random start is near chance (${topicPurity(fresh)})`);
    assert.ok(topicPurity(started) >= 0.9, `the pretrained start already has the topics (${topicPurity(started)})`);
    // Vectors of another run that knew nothing of the topics: every word found, all of them wrong.
    const poor = await trainEmbeddings([corpus], { ...settings, ...frozen, seed: 99 });
    const learned = await trainEmbeddings([corpus], { ...settings, epochs: 3 }, {}, { initialVectors: asInitial(poor, 'poor.vec') });
    assert.equal(learned.report.initVectors?.found, TOPICS * WORDS_PER_TOPIC);
    assert.ok(topicPurity(learned) >= 0.9, `learned from a poor start: ${topicPurity(learned)}`);
  });

  it('refuses vectors of another dimension in one line', async () => {
    const initialVectors = { source: 'small.vec', words: ['t0w0'], dim: 8, vectors: new Float32Array(8) };
    await assert.rejects(trainEmbeddings([corpus], settings, {}, { initialVectors }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.message, '--init-vectors small.vec holds vectors of dimension 8, and the model has --dim 16: give --dim 8, or vectors of dimension 16');
      return true;
    });
  });

  it('a run with a vocabulary file and pretrained vectors resumes with the checkpoint\'s vocabulary and says where it started', async () => {
    const vocab = path.join(dir, 'given.vocab');
    await writeVocabularyFile(vocab, { words: ['t1w1', 't0w0', 't2w2'], counts: Float64Array.from([500, 400, 300]), totalCount: 1200 }, 0);
    const checkpoint = path.join(dir, 'run.checkpoint');
    const stop = new AbortController();
    const initialVectors = { source: 'p.vec', words: ['t0w0'], dim: settings.dim, vectors: new Float32Array(settings.dim).fill(1) };
    const stopped = await trainEmbeddings([corpus], { ...settings, epochs: 200, readVocab: vocab }, { onProgress: () => stop.abort() }, {
      stop: stop.signal,
      checkpoint: { path: checkpoint, periodic: false, everySeconds: 0 },
      initialVectors,
    });
    assert.ok(stopped.report.stopped, 'stopped early');
    rmSync(vocab);
    const resumed = await resumeEmbeddings(checkpoint);
    assert.deepEqual(resumed.vocabulary.words, ['t1w1', 't0w0', 't2w2']);
    assert.deepEqual(resumed.report.initVectors, { source: 'p.vec', words: 1, found: 1 });
    assert.equal(resumed.report.epochs.length, 200);
  });
});
