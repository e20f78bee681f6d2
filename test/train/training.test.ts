import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveTrainOptions } from '../../src/model/options.js';
import { resumeEmbeddings, trainEmbeddings, type TrainedModel } from '../../src/train/trainer.js';
import { writeWord2vecFile } from '../../src/vectors/word2vec-format.js';
import { TOPICS, WORDS_PER_TOPIC, plantedCorpus, topicOf } from '../support/planted-corpus.js';
import { topicPurity } from '../support/topic-purity.js';

/** A planted corpus in a temporary directory that lives as long as the enclosing describe block. */
function usePlantedCorpus(sentences: number, seed: number): { dir: string; corpus: string } {
  const planted = { dir: '', corpus: '' };
  before(() => {
    planted.dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-train-'));
    planted.corpus = path.join(planted.dir, 'topics.txt');
    writeFileSync(planted.corpus, plantedCorpus(sentences, seed));
  });
  after(() => rmSync(planted.dir, { recursive: true, force: true }));
  return planted;
}

describe('training learns planted structure', () => {
  const planted = usePlantedCorpus(4000, 3);

  const settings = { dim: 24, window: 4, minCount: 1, sample: 0, workers: 2, seed: 11 } as const;
  const cases = [
    { loss: 'ns' }, { loss: 'hs' }, { loss: 'hs', hsTree: 'balanced' }, { loss: 'nce' }, { loss: 'sampled' },
    { loss: 'softmax' }, { loss: 'softmax', activation: 'sig' }, { loss: 'softmax', activation: 'taylor', margin: 0.3 }, { loss: 'softmax', activation: 'taylor', taylorOrder: 6 },
    { loss: 'dsoftmax', dim: 32 },
    { loss: 'softmax', mixture: 3 }, { loss: 'softmax', activation: 'sig', mixture: 2 },
    { loss: 'adaptive' }, { loss: 'adaptive', cutoffs: [16, 32], divValue: 2 },
  ] as const;
  for (const model of ['sg', 'cbow'] as const) {
    for (const lossOptions of cases) {
      // The TypeScript kernel is checked against the SIMD one by the parity test; here it trains
      // the base form of each loss once.
      const kernels = Object.keys(lossOptions).length === 1 ? (['wasm', 'ts'] as const) : (['wasm'] as const);
      for (const kernel of kernels) {
        const label = Object.entries(lossOptions).map(([k, v]) => (k === 'loss' ? v : `${k} ${v}`)).join(', ');
        it(`${model} + ${label} (${kernel} kernel): words of a topic become nearest neighbours`, async () => {
          const options = { ...settings, model, kernel, ...lossOptions };
          // The same run with a learning rate too small to move anything measures the
          // objective of the untrained model, which the trained one must be well below.
          const untrained = await trainEmbeddings([planted.corpus], { ...options, epochs: 1, alpha: 1e-9, minAlpha: 0 });
          const trained = await trainEmbeddings([planted.corpus], { ...options, epochs: 3 });
          assert.equal(trained.vocabulary.words.length, TOPICS * WORDS_PER_TOPIC);
          assert.equal(trained.report.corpusTokens, 4000 * 8);
          const losses = trained.report.epochs.map((e) => e.loss);
          const start = untrained.report.epochs[0].loss;
          assert.equal(losses.length, 3);
          assert.ok(trained.report.epochs.every((e) => e.predictions > 0));
          // Measured during training, the loss need not fall every epoch; it must end well below.
          assert.ok(losses[2] > 0 && losses[2] < 0.7 * start, `loss per epoch: ${losses.join(', ')}; untrained ${start}`);
          // Chance level is 5/47 ≈ 0.11 for the 5 same-topic words among 47 others.
          const purity = topicPurity(trained, WORDS_PER_TOPIC - 1);
          assert.ok(purity >= 0.9, `topic purity of the 5 nearest: ${purity}`);
        });
      }
    }
  }
});

describe('reproducibility', () => {
  const planted = usePlantedCorpus(1500, 5);

  async function trainToBytes(seed: number, file: string): Promise<Buffer> {
    // Tiny chunks: many tasks, so the scheduler's ordering is exercised too.
    const trained = await trainEmbeddings([planted.corpus], {
      model: 'sg', loss: 'ns', dim: 16, epochs: 2, minCount: 1, workers: 1, seed, chunkTokens: 1024,
    });
    const out = path.join(planted.dir, file);
    await writeWord2vecFile(out, { words: trained.vocabulary.words, dim: trained.dim, vectors: trained.vectors, stride: trained.stride }, 'bin');
    return readFileSync(out);
  }

  it('one worker and the same seed give byte-identical vectors', async () => {
    const first = await trainToBytes(9, 'a.bin');
    const second = await trainToBytes(9, 'b.bin');
    assert.ok(first.equals(second));
    const other = await trainToBytes(10, 'c.bin');
    assert.ok(!first.equals(other), 'a different seed gives different vectors');
  });
});

describe('a mixture of one softmax', () => {
  const planted = usePlantedCorpus(600, 6);

  it('is the softmax: the same weights, bit for bit, and no mixture rows', async () => {
    const options = { model: 'sg', loss: 'softmax', dim: 12, epochs: 1, minCount: 1, workers: 1, seed: 4 } as const;
    const plain = await trainEmbeddings([planted.corpus], options);
    const one = await trainEmbeddings([planted.corpus], { ...options, mixture: 1 });
    assert.deepEqual(one.vectors, plain.vectors);
    assert.deepEqual(one.output.weights, plain.output.weights);
    assert.equal(one.output.mixture, undefined);
    assert.equal(one.report.objective, plain.report.objective);
    const two = await trainEmbeddings([planted.corpus], { ...options, mixture: 2 });
    assert.notDeepEqual(two.vectors, plain.vectors, 'a mixture of two is another model');
    assert.equal(two.output.mixture?.rows.length, (2 * 12 + 2) * two.stride);
  });
});

describe('a mixture of softmaxes in a checkpoint', () => {
  const planted = usePlantedCorpus(600, 12);

  it('keeps its projections and gates: stopped and resumed, one worker ends where an uninterrupted run ends', async () => {
    const options = { model: 'cbow', loss: 'softmax', mixture: 2, dim: 8, epochs: 2, minCount: 1, workers: 1, seed: 2, chunkTokens: 1024 } as const;
    const uninterrupted = await trainEmbeddings([planted.corpus], options);
    const checkpoint = path.join(planted.dir, 'mixture.checkpoint');
    const stop = new AbortController();
    const stopped = await trainEmbeddings([planted.corpus], options, { onProgress: () => stop.abort() }, { stop: stop.signal, checkpoint: { path: checkpoint, periodic: false, everySeconds: 0 } });
    assert.ok(stopped.report.stopped, 'stopped partway');
    const resumed = await resumeEmbeddings(checkpoint);
    assert.deepEqual(resumed.vectors, uninterrupted.vectors);
    assert.deepEqual(resumed.output.weights, uninterrupted.output.weights);
    assert.deepEqual(resumed.output.mixture, uninterrupted.output.mixture);
  });
});

describe('the worker pool', () => {
  const planted = usePlantedCorpus(2000, 8);

  it('starts no more threads than the run has tasks, and those train every epoch', async () => {
    // 40 words, 2 epochs: one chunk, one task an epoch, whatever the worker count asked for.
    const tiny = path.join(planted.dir, 'tiny.txt');
    writeFileSync(tiny, 'red fox jumps over the lazy dog again\n'.repeat(5));
    const small = await trainEmbeddings([tiny], { model: 'sg', loss: 'ns', dim: 8, epochs: 2, minCount: 1, workers: 64 });
    assert.equal(small.report.workers, 2);
    assert.deepEqual(small.report.epochs.map((e) => e.wordsSeen), [40, 40]);
    const larger = await trainEmbeddings([planted.corpus], { model: 'sg', loss: 'ns', dim: 8, epochs: 1, minCount: 1, workers: 3 });
    assert.equal(larger.report.workers, 3, 'a corpus of many tasks gets every worker asked for');
  });
});

describe('fixed slices and time budgets', () => {
  const planted = usePlantedCorpus(2000, 8);

  it('--max-words trains that many words, spread over both workers, and decays alpha over them', async () => {
    const trained = await trainEmbeddings([planted.corpus], { model: 'cbow', loss: 'hs', dim: 8, epochs: 50, minCount: 1, workers: 2, maxWords: 10_000, chunkTokens: 1 << 16 });
    const seen = trained.report.epochs.reduce((s, e) => s + e.wordsSeen, 0);
    assert.ok(Math.abs(seen - 10_000) <= 50, `words seen ${seen}`);
    assert.equal(trained.report.epochs.length, 1, 'the slice is the start of the first epoch');
  });

  it('--max-seconds stops a run that would take far longer', async () => {
    // 10,000 epochs of 16,000 words (160 M) would take minutes on any two cores: 0.5 s of it
    // has been seen at up to 17 M words/s, so a quarter of the run is far beyond what it can do.
    const epochs = 10_000;
    const trained = await trainEmbeddings([planted.corpus], { model: 'sg', loss: 'ns', dim: 8, epochs, minCount: 1, workers: 2, maxSeconds: 0.5 });
    const seen = trained.report.epochs.reduce((s, e) => s + e.wordsSeen, 0);
    assert.ok(seen > 0 && seen < (epochs * 16_000) / 4, `words seen ${seen}`);
    assert.ok(trained.report.epochs.length < epochs);
    assert.throws(() => resolveTrainOptions({ maxSeconds: -1 }), /--max-seconds must be a number between 0/);
  });
});
