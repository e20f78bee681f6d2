import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UserError } from '../../src/base/errors.js';
import type { ContinuedModel } from '../../src/train/continued-model.js';
import { resumeEmbeddings, trainEmbeddings, type TrainedModel } from '../../src/train/trainer.js';
import type { TrainOptions } from '../../src/model/options.js';
import { TOPICS, WORDS_PER_TOPIC, plantedCorpus } from '../support/planted-corpus.js';
import { topicPurity } from '../support/topic-purity.js';

/** A trained model as the CLI hands a model file down. */
function continuedOf(model: TrainedModel, source: string): ContinuedModel {
  return {
    source,
    options: model.report.options,
    words: model.vocabulary.words,
    counts: Array.from(model.vocabulary.counts),
    vectors: model.vectors,
    output: model.output.weights,
    stride: model.stride,
    tree: model.output.tree,
  };
}

const row = (weights: Float32Array, stride: number, dim: number, id: number) => Array.from(weights.subarray(id * stride, id * stride + dim));

/** Whitespace tokens of a text, counted. */
function countsOf(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of text.split(/\s+/)) if (token) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

// The new text keeps topics 0..5, drops 6 and 7, and brings two topics of words the model lacks.
const NEW_TOPICS = 2;
const newText = (seed: number) => plantedCorpus(3000, seed).replace(/\bt([67])w/g, 'n$1w');
const isNew = (word: string) => word.startsWith('n');

describe('training a model on (--init)', () => {
  const settings = { model: 'sg', dim: 16, window: 4, minCount: 5, sample: 0, workers: 1, seed: 5, epochs: 3 } as const;
  /** A learning rate too small to move a weight: the run ends where it started. */
  const still = { epochs: 1, alpha: 1e-12, minAlpha: 0 };
  let dir = '';
  let first = '';
  let more = '';
  let moreText = '';
  const base: Record<'ns' | 'hs', TrainedModel | undefined> = { ns: undefined, hs: undefined };
  const model = (loss: 'ns' | 'hs') => base[loss]!;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-continue-'));
    first = path.join(dir, 'first.txt');
    more = path.join(dir, 'more.txt');
    writeFileSync(first, plantedCorpus(3000, 4));
    moreText = newText(6);
    writeFileSync(more, moreText);
    base.ns = await trainEmbeddings([first], settings);
    base.hs = await trainEmbeddings([first], { ...settings, loss: 'hs' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every known word, adds the new text\'s counts to theirs, and sorts the merged vocabulary by count again', async () => {
    const on = await trainEmbeddings([more], still, {}, { continued: continuedOf(model('ns'), 'first.w2vmodel') });
    const added = countsOf(moreText);
    const old = model('ns').vocabulary;
    const { words, counts } = on.vocabulary;
    assert.equal(words.length, TOPICS * WORDS_PER_TOPIC + NEW_TOPICS * WORDS_PER_TOPIC);
    old.words.forEach((word, k) => assert.equal(counts[words.indexOf(word)], old.counts[k] + (added.get(word) ?? 0), word));
    for (const word of words.filter(isNew)) assert.equal(counts[words.indexOf(word)], added.get(word));
    for (let id = 1; id < words.length; id++) assert.ok(counts[id - 1] >= counts[id], `most frequent first at ${id}`);
    assert.equal(on.vocabulary.totalCount, Array.from(counts).reduce((a, b) => a + b, 0));
    const knownInText = old.words.filter((w) => added.has(w)).length;
    assert.deepEqual(on.report.continued, { source: 'first.w2vmodel', known: old.words.length, knownInText, joined: NEW_TOPICS * WORDS_PER_TOPIC });
    assert.equal(knownInText, (TOPICS - NEW_TOPICS) * WORDS_PER_TOPIC);
  });

  it('known words keep their input and output rows at their new ids; new words start as C word2vec starts them', async () => {
    const before = model('ns');
    const on = await trainEmbeddings([more], still, {}, { continued: continuedOf(before, 'first.w2vmodel') });
    const { dim } = settings;
    const close = (a: number[], b: number[], what: string) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `${what}[${i}]: ${v} vs ${b[i]}`));
    on.vocabulary.words.forEach((word, id) => {
      const input = row(on.vectors, on.stride, dim, id);
      const output = row(on.output.weights, on.stride, dim, id);
      const k = before.vocabulary.words.indexOf(word);
      if (k < 0) {
        assert.ok(input.every((v) => Math.abs(v) <= 0.5 / dim) && input.some((v) => v !== 0), `${word} starts in C's random range`);
        assert.ok(output.every((v) => Math.abs(v) < 1e-6), `${word}'s output row starts at zero`);
        return;
      }
      close(input, row(before.vectors, before.stride, dim, k), `${word} input`);
      close(output, row(before.output.weights, before.stride, dim, k), `${word} output`);
    });
  });

  it('new words learn the structure planted between them; known words keep theirs, and the words the new text lacks keep their vectors exactly', async () => {
    const before = model('ns');
    const on = await trainEmbeddings([more], {}, {}, { continued: continuedOf(before, 'first.w2vmodel') });
    assert.ok(topicPurity(on, undefined, isNew) >= 0.9, `new topics: ${topicPurity(on, undefined, isNew)}`);
    assert.ok(topicPurity(on, undefined, (w) => !isNew(w)) >= 0.9, `known topics: ${topicPurity(on, undefined, (w) => !isNew(w))}`);
    let moved = 0;
    on.vocabulary.words.forEach((word, id) => {
      const k = before.vocabulary.words.indexOf(word);
      if (k < 0) return;
      const now = row(on.vectors, on.stride, settings.dim, id);
      const then = row(before.vectors, before.stride, settings.dim, k);
      // An input row changes only where its word occurs: t6 and t7 are not in the new text.
      if (/^t[67]w/.test(word)) assert.deepEqual(now, then, `${word} is not in the new text`);
      else if (now.some((v, i) => v !== then[i])) moved++;
    });
    assert.equal(moved, (TOPICS - NEW_TOPICS) * WORDS_PER_TOPIC, 'every known word of the new text trained');
  });

  it('the learning rate runs a new schedule from alpha over the new text, and the run\'s own options may change', async () => {
    const alphas: number[] = [];
    const on = await trainEmbeddings([more], { epochs: 2, alpha: 0.02, sample: 1e-3 }, { onProgress: (p) => alphas.push(p.alpha) }, { continued: continuedOf(model('ns'), 'm') });
    const { options } = on.report;
    assert.deepEqual([options.epochs, options.alpha, options.minAlpha, options.sample], [2, 0.02, 0.02 * 1e-4, 1e-3]);
    assert.deepEqual([options.model, options.dim, options.window, options.loss], ['sg', 16, 4, 'ns']);
    assert.equal(on.report.epochs.length, 2);
    assert.ok(alphas[0] > 0.015 && alphas[0] <= 0.02, `starts near alpha: ${alphas[0]}`);
    assert.ok(alphas.at(-1)! < 0.005, `decays over the new run: ${alphas.at(-1)}`);
    const kept = await trainEmbeddings([more], still, {}, { continued: continuedOf(model('ns'), 'm') });
    assert.equal(kept.report.options.negative, model('ns').report.options.negative);
  });

  it('refuses in one line the options that would change the model or its vocabulary', async () => {
    const continued = continuedOf(model('ns'), 'first.w2vmodel');
    const refusals: [Partial<TrainOptions>, string][] = [
      [{ dim: 8 }, '--dim 8 contradicts first.w2vmodel, a model of --dim 16: a model trained on keeps its options; drop it'],
      [{ loss: 'hs' }, '--loss hs contradicts first.w2vmodel, a model of --loss ns: a model trained on keeps its options; drop it'],
      [{ model: 'cbow' }, '--model cbow contradicts first.w2vmodel, a model of --model sg: a model trained on keeps its options; drop it'],
      [{ maxVocab: 10 }, '--max-vocab cannot be given with --init: the model\'s vocabulary is kept, and new words join at --min-count; drop it'],
    ];
    for (const [options, message] of refusals) {
      await assert.rejects(trainEmbeddings([more], options, {}, { continued }), (error: unknown) => error instanceof UserError && error.message === message);
    }
    // The model's own value is no contradiction.
    await trainEmbeddings([more], { ...still, dim: 16, model: 'sg' }, {}, { continued });
  });

  it('hs: the same text again gives the same tree, and every inner row is kept', async () => {
    const before = model('hs');
    const on = await trainEmbeddings([first], still, {}, { continued: continuedOf(before, 'hs.w2vmodel') });
    const V = before.vocabulary.words.length;
    assert.deepEqual(on.vocabulary.words, before.vocabulary.words);
    assert.deepEqual(on.output.tree, before.output.tree);
    assert.equal(on.report.continued?.innerRowsKept, V - 1);
    for (let r = 0; r < V - 1; r++) {
      row(on.output.weights, on.stride, settings.dim, r).forEach((v, i) => assert.ok(Math.abs(v - before.output.weights[r * before.stride + i]) < 1e-6));
    }
  });

  it('hs: with new words the tree is rebuilt; an inner row is kept (or negated) only where its branches split the known words as before, the others start at zero', async () => {
    const before = model('hs');
    const on = await trainEmbeddings([more], still, {}, { continued: continuedOf(before, 'hs.w2vmodel') });
    const { dim } = settings;
    const tree = on.output.tree!;
    const oldTree = before.output.tree!;
    // The known words under each branch of an inner node, as sorted word lists.
    const branches = (t: NonNullable<typeof tree>, words: readonly string[], rows: number) => {
      const sides = Array.from({ length: rows }, () => [[], []] as string[][]);
      words.forEach((word, w) => {
        if (isNew(word)) return;
        for (let k = t.offsets[w]; k < t.offsets[w + 1]; k++) sides[t.points[k]][t.codes[k]].push(word);
      });
      return sides.map(([a, b]) => [a.sort().join(' '), b.sort().join(' ')]);
    };
    const V = on.vocabulary.words.length;
    const oldSides = branches(oldTree, before.vocabulary.words, before.vocabulary.words.length - 1);
    const newSides = branches(tree, on.vocabulary.words, V - 1);
    let kept = 0;
    newSides.forEach(([a, b], r) => {
      const now = row(on.output.weights, on.stride, dim, r);
      const same = oldSides.findIndex(([x, y]) => a !== '' && b !== '' && x === a && y === b);
      const swapped = oldSides.findIndex(([x, y]) => a !== '' && b !== '' && x === b && y === a);
      const from = same >= 0 ? same : swapped;
      if (from < 0) {
        assert.ok(now.every((v) => Math.abs(v) < 1e-6), `inner row ${r} starts at zero`);
        return;
      }
      kept++;
      const sign = same >= 0 ? 1 : -1;
      now.forEach((v, i) => assert.ok(Math.abs(v - sign * before.output.weights[from * before.stride + i]) < 1e-6, `inner row ${r}[${i}]`));
    });
    assert.ok(kept > 0, 'some nodes survive');
    assert.deepEqual([on.report.continued?.innerRowsKept, on.report.continued?.innerRows], [kept, V - 1]);
  });

  it('hs: the new words learn their topics in the rebuilt tree', async () => {
    const on = await trainEmbeddings([more], {}, {}, { continued: continuedOf(model('hs'), 'hs.w2vmodel') });
    assert.ok(topicPurity(on, undefined, isNew) >= 0.9, `new topics: ${topicPurity(on, undefined, isNew)}`);
  });

  it('a stopped run resumes with the merged vocabulary and says what it trained on', async () => {
    const checkpoint = path.join(dir, 'on.checkpoint');
    const stop = new AbortController();
    const continued = continuedOf(model('ns'), 'first.w2vmodel');
    const stopped = await trainEmbeddings([more], { epochs: 20 }, { onProgress: () => stop.abort() }, { stop: stop.signal, checkpoint: { path: checkpoint, periodic: false, everySeconds: 0 }, continued });
    assert.ok(stopped.report.stopped, 'stopped early');
    const resumed = await resumeEmbeddings(checkpoint);
    assert.deepEqual(resumed.vocabulary.words, stopped.vocabulary.words);
    assert.deepEqual(resumed.report.continued, stopped.report.continued);
    assert.equal(resumed.report.epochs.length, 20);
  });
});
