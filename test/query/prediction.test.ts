import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Random } from '../../src/base/random.js';
import { buildBalancedTree } from '../../src/model/balanced-tree.js';
import { buildHuffmanTree } from '../../src/model/huffman.js';
import { logProbability, type OutputLayer } from '../../src/model/output-layer.js';
import { Model } from '../../src/query/model.js';
import { OutputSearch } from '../../src/query/output-search.js';
import { trainEmbeddings, type TrainedModel } from '../../src/train/trainer.js';
import { readModelFile, savedModelOf, writeModelFile } from '../../src/vectors/model-file.js';
import { TOPICS, WORDS_PER_TOPIC, plantedCorpus, topicOf } from '../support/planted-corpus.js';

let dir = '';
let corpus = '';
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-predict-'));
  corpus = path.join(dir, 'topics.txt');
  writeFileSync(corpus, plantedCorpus(3000, 7));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const LOSSES = [
  { loss: 'ns' }, { loss: 'hs' }, { loss: 'hs', hsTree: 'balanced' }, { loss: 'nce' }, { loss: 'sampled' },
  { loss: 'softmax' }, { loss: 'softmax', activation: 'sig' }, { loss: 'softmax', activation: 'taylor' }, { loss: 'softmax', activation: 'taylor', taylorOrder: 4 }, { loss: 'dsoftmax', dim: 32 },
  { loss: 'softmax', mixture: 2 }, { loss: 'softmax', activation: 'sig', mixture: 3 },
  { loss: 'adaptive' }, { loss: 'adaptive', cutoffs: [20, 40], divValue: 2 },
] as const;
const label = (c: (typeof LOSSES)[number]) => Object.values(c).join(' ');

function saveModel(model: TrainedModel, file: string): Promise<void> {
  return writeModelFile(file, savedModelOf(model));
}

describe('model files and prediction, for every loss', () => {
  for (const config of LOSSES) {
    describe(label(config), () => {
      let trained: TrainedModel;
      let file = '';
      before(async () => {
        trained = await trainEmbeddings([corpus], { model: 'cbow', dim: 16, window: 4, minCount: 1, sample: 0, epochs: 3, workers: 1, seed: 5, ...config });
        file = path.join(dir, `${label(config).replace(/ /g, '-')}.w2vmodel`);
        await saveModel(trained, file);
      });

      it('reads back the layers bit for bit, and predicts the same to the last bit', async () => {
        const loaded = await readModelFile(file);
        const V = trained.vocabulary.words.length;
        assert.deepEqual(loaded.words, trained.vocabulary.words);
        assert.deepEqual(loaded.vectors, trained.vectors.slice(0, V * trained.stride));
        assert.deepEqual(loaded.output.weights, trained.output.weights.slice());
        assert.deepEqual(loaded.output.tree, trained.output.tree);
        assert.deepEqual(loaded.output.bands, trained.output.bands);
        assert.deepEqual(loaded.output.mixture, trained.output.mixture && { ...trained.output.mixture, rows: trained.output.mixture.rows.slice() });
        assert.deepEqual(loaded.output.adaptive, trained.output.adaptive);
        assert.equal(loaded.output.adaptive !== undefined, config.loss === 'adaptive');
        assert.equal(loaded.noise !== undefined, ['ns', 'nce', 'sampled'].includes(config.loss));
        const inMemory = new Model({ ...loaded, vectors: trained.vectors, output: trained.output });
        const fromFile = await Model.load(file);
        assert.deepEqual(fromFile.predict(['t1w0', 't1w3'], 8), inMemory.predict(['t1w0', 't1w3'], 8));
      });

      it('puts probability 1 on the vocabulary, and the top-k are the most probable words', async () => {
        const model = await Model.load(file);
        const h = model.inputOf([model.indexOf('t2w1')!, model.indexOf('t2w4')!]);
        const logP = model.words.map((_, w) => (config.loss === 'hs' ? logProbability(model.output, h, w) : model.search.logProbabilities(h)[w]));
        const total = logP.reduce((sum, lp) => sum + Math.exp(lp), 0);
        assert.ok(Math.abs(total - 1) < 1e-6, `sum ${total}`);
        // The library's logProbability, word by word, is the search's distribution (which scores in float32).
        if (config.loss !== 'ns') for (const w of [0, 7, 30]) assert.ok(Math.abs(logProbability(model.output, h, w) - logP[w]) < 1e-5, `word ${w}`);
        // adaptive: the library's logProbability, word by word, agrees with the search's full pass
        // (both in float64; the other losses' search scores in float32).
        if (config.loss === 'adaptive') {
          for (let w = 0; w < model.words.length; w++) assert.ok(Math.abs(logProbability(model.output, h, w) - logP[w]) < 1e-9, `word ${w}`);
        }
        const exhaustive = logP.map((lp, w) => ({ w, lp })).sort((a, b) => b.lp - a.lp).slice(0, 5);
        const { top } = model.search.topK(h, 5);
        assert.deepEqual(top.map((t) => t.word), exhaustive.map((e) => e.w));
        for (let i = 0; i < 5; i++) assert.ok(Math.abs(top[i].logProbability - exhaustive[i].lp) < 1e-9);
      });

      it('predicts the planted topic from its words', async () => {
        const model = await Model.load(file);
        let right = 0;
        for (let t = 0; t < TOPICS; t++) {
          const context = [`t${t}w0`, `t${t}w2`, `t${t}w5`];
          const { predictions } = model.predict(context, WORDS_PER_TOPIC);
          right += predictions.filter((p) => topicOf(p.word) === `t${t}`).length;
        }
        // Negative sampling's scores are not trained as a distribution, but they still rank.
        assert.ok(right / (TOPICS * WORDS_PER_TOPIC) >= 0.9, `${right} of ${TOPICS * WORDS_PER_TOPIC} predictions in the context's topic`);
      });
    });
  }
});

describe('hierarchical softmax search', () => {
  /** An hs layer on a tree over V words with random weights; `scale` makes the decisions sharper. */
  function randomLayer(random: Random, V: number, dim: number, scale: number, balanced: boolean): OutputLayer {
    const counts = Array.from({ length: V }, () => 1 + Math.floor(1000 * random.nextFloat() ** 3));
    counts.sort((a, b) => b - a);
    const weights = Float32Array.from({ length: V * dim }, () => (random.nextFloat() - 0.5) * scale);
    return { loss: 'hs', activation: 'exp', dim, weights, stride: dim, tree: balanced ? buildBalancedTree(V) : buildHuffmanTree(counts) };
  }

  it('finds the exhaustive top-k on random trees, visiting fewer nodes', () => {
    const random = new Random(99);
    let visitedInAll = 0;
    let innerInAll = 0;
    for (let trial = 0; trial < 40; trial++) {
      const V = 2 + Math.floor(random.nextFloat() * 300);
      const layer = randomLayer(random, V, 8, 1 + trial / 4, trial % 3 === 0);
      const search = new OutputSearch(layer, V);
      const h = Float64Array.from({ length: 8 }, () => random.nextFloat() - 0.5);
      const k = 1 + (trial % 10);
      const exhaustive = Array.from({ length: V }, (_, w) => ({ w, lp: logProbability(layer, h, w) })).sort((a, b) => b.lp - a.lp);
      const { top, scored } = search.topK(h, k);
      assert.equal(top.length, Math.min(k, V));
      top.forEach((t, i) => assert.ok(Math.abs(t.logProbability - exhaustive[i].lp) < 1e-9, `trial ${trial}: rank ${i}`));
      assert.ok(scored <= V - 1);
      visitedInAll += scored;
      innerInAll += V - 1;
    }
    assert.ok(visitedInAll < innerInAll / 2, `visited ${visitedInAll} of ${innerInAll} inner nodes`);
  });
});

describe('damaged model files', () => {
  let file = '';
  before(async () => {
    const trained = await trainEmbeddings([corpus], { model: 'cbow', dim: 8, minCount: 1, epochs: 1, workers: 1, loss: 'hs' });
    file = path.join(dir, 'whole.w2vmodel');
    await saveModel(trained, file);
  });

  it('refuses a truncated, mutated or foreign file in one line', async () => {
    const bytes = readFileSync(file);
    const cases: [string, Buffer, RegExp][] = [
      ['truncated', bytes.subarray(0, bytes.length - 7), /the file is truncated/],
      ['a flipped weight', Buffer.concat([bytes.subarray(0, bytes.length - 100), Buffer.from([bytes[bytes.length - 100] ^ 1]), bytes.subarray(bytes.length - 99)]), /the weights are corrupt \(checksum mismatch\)/],
      ['a flipped header byte', Buffer.concat([bytes.subarray(0, 40), Buffer.from([bytes[40] ^ 4]), bytes.subarray(41)]), /the header is corrupt/],
      ['not a model', Buffer.from('2 3\nking 1 2 3\nqueen 1 2 3\n'), /not a w2v model/],
    ];
    for (const [what, content, pattern] of cases) {
      const bad = path.join(dir, 'bad.w2vmodel');
      writeFileSync(bad, content);
      await assert.rejects(readModelFile(bad), (error: Error) => {
        assert.equal(error.name, 'UserError', what);
        assert.match(error.message, pattern, what);
        assert.match(error.message, /train it again with --save-model$/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    }
  });
});

describe('model files and mixtures', () => {
  let trained: TrainedModel;
  before(async () => {
    trained = await trainEmbeddings([corpus], { model: 'cbow', dim: 8, minCount: 1, epochs: 1, workers: 1, loss: 'softmax', mixture: 2 });
  });

  it('reads a file written before mixtures as the plain softmax', async () => {
    const { mixture, ...before } = trained.report.options;
    assert.equal(mixture, 2);
    const file = path.join(dir, 'older.w2vmodel');
    // An older file: no mixture in its options, no mixture section.
    await writeModelFile(file, { ...savedModelOf(trained), options: before as typeof trained.report.options, output: { ...trained.output, mixture: undefined } });
    const loaded = await readModelFile(file);
    assert.equal(loaded.options.mixture, 1);
    assert.equal(loaded.output.mixture, undefined);
  });

  it('refuses a mixture whose rows are missing, in one line', async () => {
    const file = path.join(dir, 'no-rows.w2vmodel');
    await writeModelFile(file, { ...savedModelOf(trained), output: { ...trained.output, mixture: undefined } });
    await assert.rejects(readModelFile(file), (error: Error) => {
      assert.equal(error.name, 'UserError');
      assert.match(error.message, /no valid mixture section; train it again with --save-model$/);
      return true;
    });
  });
});
