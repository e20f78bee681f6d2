import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UserError } from '../../src/base/errors.js';
import { INNER_ROW_AGREEMENT, type ContinuedModel } from '../../src/train/continued-model.js';
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
    mixture: model.output.mixture?.rows,
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

  it('refuses in one line to train an adaptive softmax model on', async () => {
    const adaptive = await trainEmbeddings([first], { ...settings, ...still, loss: 'adaptive', cutoffs: [10] });
    await assert.rejects(
      trainEmbeddings([more], {}, {}, { continued: continuedOf(adaptive, 'adaptive.w2vmodel') }),
      (error: unknown) => error instanceof UserError && /^adaptive\.w2vmodel is an adaptive softmax model, which --init cannot train on .*--init-vectors$/.test(error.message),
    );
  });

  it('a mixture of softmaxes keeps its projections and gates after the merged vocabulary\'s rows, and another --mixture is refused in one line', async () => {
    const mixture = await trainEmbeddings([first], { ...settings, epochs: 1, loss: 'softmax', mixture: 2 });
    const continued = continuedOf(mixture, 'mixture.w2vmodel');
    const on = await trainEmbeddings([more], still, {}, { continued });
    assert.ok(on.vocabulary.words.length > mixture.vocabulary.words.length, 'new words joined, so the rows had to move');
    assert.equal(on.report.options.mixture, 2);
    const [then, now] = [mixture.output.mixture!.rows, on.output.mixture!.rows];
    assert.equal(now.length, then.length);
    // The gates start at zero: trained, they show a row left behind or misplaced.
    assert.ok(then.subarray(2 * settings.dim * mixture.stride).some((v) => v !== 0), 'the gates trained');
    then.forEach((v, i) => assert.ok(Math.abs(now[i] - v) < 1e-6, `mixture row float ${i}: ${now[i]} vs ${v}`));
    await assert.rejects(
      trainEmbeddings([more], { mixture: 3 }, {}, { continued }),
      (error: unknown) => error instanceof UserError && error.message === '--mixture 3 contradicts mixture.w2vmodel, a model of --mixture 2: a model trained on keeps its options; drop it',
    );
  });

  it('dsoftmax: a word that changes band keeps the dimensions its new block shares with its old one, and nothing of the rest', async () => {
    const before = await trainEmbeddings([first], { ...settings, epochs: 1, loss: 'dsoftmax' });
    const on = await trainEmbeddings([more], still, {}, { continued: continuedOf(before, 'dsoftmax.w2vmodel') });
    const bandOf = (model: TrainedModel, id: number) => model.output.bands!.find((b) => id < b.endWord)!;
    let changed = 0;
    on.vocabulary.words.forEach((word, id) => {
      const k = before.vocabulary.words.indexOf(word);
      if (k < 0) return;
      const [from, to] = [bandOf(before, k), bandOf(on, id)];
      const then = row(before.output.weights, before.stride, settings.dim, k);
      const now = row(on.output.weights, on.stride, settings.dim, id);
      const inNew = (i: number) => i >= to.dimOffset && i < to.dimOffset + to.dims;
      now.forEach((v, i) => assert.ok(Math.abs(v - (inNew(i) ? then[i] : 0)) < 1e-6, `${word} output[${i}]: ${v}, old ${then[i]}, new block ${to.dimOffset}+${to.dims}`));
      if (from.dimOffset !== to.dimOffset && then.some((v, i) => v !== 0 && !inNew(i))) changed++;
    });
    // Without a word whose trained block lies outside its new one, the test would prove nothing.
    assert.ok(changed > 0, 'some known word changed band');
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

  it('hs: with new words the tree is rebuilt; a node takes the row of the known words\' common ancestor where they branch as it sent them, negated where the sides swapped, else zero', async () => {
    const before = model('hs');
    const on = await trainEmbeddings([more], still, {}, { continued: continuedOf(before, 'hs.w2vmodel') });
    const { dim } = settings;
    type Tree = NonNullable<TrainedModel['output']['tree']>;
    // Every inner node as the known words under each branch, found by walking every path.
    const branches = (t: Tree, words: readonly string[]) => {
      const sides = new Map<number, [Set<string>, Set<string>]>();
      words.forEach((word, w) => {
        if (isNew(word)) return;
        for (let k = t.offsets[w]; k < t.offsets[w + 1]; k++) {
          if (!sides.has(t.points[k])) sides.set(t.points[k], [new Set(), new Set()]);
          sides.get(t.points[k])![t.codes[k]].add(word);
        }
      });
      return sides;
    };
    const oldNodes = branches(before.output.tree!, before.vocabulary.words);
    const newNodes = branches(on.output.tree!, on.vocabulary.words);
    const countOf = (word: string) => on.vocabulary.counts[on.vocabulary.words.indexOf(word)];
    let kept = 0;
    for (const [r, [left, right]] of newNodes) {
      const now = row(on.output.weights, on.stride, dim, r);
      const known = [...left, ...right];
      // The old node with the fewest words under it that has them all: their lowest common ancestor.
      let ancestor: [number, Set<string>, Set<string>] | undefined;
      for (const [o, [a, b]] of oldNodes) {
        if (known.every((word) => a.has(word) || b.has(word)) && (!ancestor || a.size + b.size < ancestor[1].size + ancestor[2].size)) ancestor = [o, a, b];
      }
      const weight = (words: string[]) => words.reduce((sum, word) => sum + countOf(word), 0);
      const agreeing = ancestor ? weight([...left].filter((w) => ancestor![1].has(w))) + weight([...right].filter((w) => ancestor![2].has(w))) : 0;
      const share = agreeing / weight(known);
      const sign = left.size > 0 && right.size > 0 && ancestor ? (share >= INNER_ROW_AGREEMENT ? 1 : share <= 1 - INNER_ROW_AGREEMENT ? -1 : 0) : 0;
      if (sign === 0) {
        assert.ok(now.every((v) => Math.abs(v) < 1e-6), `inner row ${r} starts at zero`);
        continue;
      }
      kept++;
      const from = ancestor![0];
      now.forEach((v, i) => assert.ok(Math.abs(v - sign * before.output.weights[from * before.stride + i]) < 1e-6, `inner row ${r}[${i}] from ${sign} x row ${from}`));
    }
    assert.ok(kept > 0, 'some nodes keep a row');
    assert.deepEqual([on.report.continued?.innerRowsKept, on.report.continued?.innerRows], [kept, on.vocabulary.words.length - 1]);
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
