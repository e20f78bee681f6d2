import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { MAIN, assertOneLineFailure, w2v } from '../support/cli.js';
import { caseDirectories } from '../support/case-dirs.js';
import { plantedCorpus, topicOf } from '../support/planted-corpus.js';

const cases = caseDirectories('w2v-cli-predict-');
const TRAIN = ['--dim', '16', '--window', '4', '--min-count', '1', '--sample', '0', '--epochs', '3', '--workers', '1', '--no-progress'];

describe('w2v train --save-model and w2v predict', () => {
  let dir = '';
  const models = { cbow: '', sg: '' };
  before(() => {
    dir = cases.next().dir;
    writeFileSync(path.join(dir, 'train.txt'), plantedCorpus(3000, 1));
    writeFileSync(path.join(dir, 'held-out.txt'), `${plantedCorpus(200, 2)}unseen words here\n`);
    for (const kind of ['cbow', 'sg'] as const) {
      models[kind] = path.join(dir, `${kind}.w2vmodel`);
      const r = w2v('train', path.join(dir, 'train.txt'), '--out', path.join(dir, `${kind}.bin`), '--save-model', models[kind], '--model', kind, '--loss', 'hs', ...TRAIN);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  it('--json prints one object per context, in the documented shape', () => {
    const r = w2v('predict', models.cbow, 't3w0', 't3w1', 'nosuchword', '-k', '4', '--json');
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(answer), ['context', 'predictions', 'unknown', 'distribution', 'nodesVisited']);
    assert.ok(answer.nodesVisited >= 1 && answer.nodesVisited <= 47, `${answer.nodesVisited} of 47 inner nodes`);
    assert.deepEqual(answer.context, ['t3w0', 't3w1']);
    assert.deepEqual(answer.unknown, ['nosuchword']);
    assert.equal(answer.predictions.length, 4);
    for (const p of answer.predictions) {
      assert.deepEqual(Object.keys(p), ['word', 'probability']);
      assert.equal(topicOf(p.word), 't3');
    }
    const probabilities = answer.predictions.map((p: { probability: number }) => p.probability);
    assert.deepEqual(probabilities, [...probabilities].sort((a, b) => b - a));
    assert.match(r.stderr, /"nosuchword" is not in the vocabulary.*; skipped/);
  });

  it('reads one context per line from standard input', () => {
    const r = spawnSync(process.execPath, [MAIN, 'predict', models.cbow, '-k', '2', '--json'], { input: 't1w0 t1w2\n\nt5w3\n', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.context), [['t1w0', 't1w2'], ['t5w3']]);
    assert.equal(topicOf(lines[1].predictions[0].word), 't5');
  });

  it('--given predicts a word\'s context with skip-gram, and is refused for CBOW', () => {
    const r = w2v('predict', models.sg, '--given', 't6w2', '-k', '5', '--json');
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    assert.ok(answer.predictions.every((p: { word: string }) => topicOf(p.word) === 't6'), r.stdout);
    assertOneLineFailure(w2v('predict', models.cbow, '--given', 't6w2'), /--given predicts a word's context, which skip-gram models learn; this model is CBOW/);
  });

  it('--eval scores a held-out text against the unigram model of the training counts', () => {
    const r = w2v('predict', models.cbow, '--eval', path.join(dir, 'held-out.txt'), '--json');
    assert.equal(r.code, 0, r.stderr);
    const score = JSON.parse(r.stdout);
    for (const key of ['perplexity', 'top1', 'top10', 'predictions', 'tokens', 'oovShare', 'predictionsPerSecond', 'unigram', 'distribution']) assert.ok(key in score, key);
    assert.equal(score.tokens, 200 * 8 + 3);
    assert.ok(Math.abs(score.oovShare - 3 / score.tokens) < 1e-12);
    // A topic's words are uniform within it: a model that learned the topics is near perplexity 6.
    assert.ok(score.perplexity < 0.5 * score.unigram.perplexity, `${score.perplexity} against the unigram model's ${score.unigram.perplexity}`);
    assert.ok(score.top10 > score.unigram.top10);
    const plain = w2v('predict', models.sg, '--eval', path.join(dir, 'held-out.txt'));
    assert.match(plain.stdout, /^perplexity [\d.]+ \(unigram model: [\d.]+\); top-1 [\d.]+%, top-10 [\d.]+%/);
  });

  it('every query command takes the model file for its vectors', () => {
    const fromModel = JSON.parse(w2v('neighbors', models.cbow, 't2w0', '--exact', '--json').stdout);
    const fromBin = JSON.parse(w2v('neighbors', path.join(dir, 'cbow.bin'), 't2w0', '--exact', '--json').stdout);
    assert.deepEqual(fromModel.neighbors, fromBin.neighbors);
    const exported = path.join(dir, 'from-model.txt');
    assert.equal(w2v('export', models.cbow, '--format', 'text', '--out', exported).code, 0);
    assert.equal(w2v('analogy', models.cbow, 't1w0', 't1w1', 't2w0', '--json').code, 0);
  });

  it('--index answers the top-k by inner product over the output rows, after tuning its ef', () => {
    const softmax = path.join(dir, 'softmax.w2vmodel');
    const trained = w2v('train', path.join(dir, 'train.txt'), '--out', path.join(dir, 'softmax.bin'), '--save-model', softmax, '--loss', 'softmax', ...TRAIN);
    assert.equal(trained.code, 0, trained.stderr);
    const r = w2v('predict', softmax, 't7w1', 't7w4', '-k', '5', '--index', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^w2v: built \S+softmax\.w2vmodel\.output\.hnsw over 48 output rows: ef (\d+) reaches recall@5 (0\.9[89]\d|1\.000) against the exact top-5 on 48 contexts$/m);
    // The second run reads the index and what was measured from beside the model.
    const again = w2v('predict', softmax, 't7w1', '-k', '5', '--index', '--json');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^w2v: read \S+softmax\.w2vmodel\.output\.hnsw over 48 output rows: ef \d+ reaches recall@5/m);
    const sidecar = JSON.parse(readFileSync(`${softmax}.output.hnsw.json`, 'utf8'));
    assert.equal(sidecar.space, 'ip');
    assert.equal(sidecar.tuning.k, 5);
    const answer = JSON.parse(r.stdout);
    assert.equal(answer.search, 'index');
    const exact = JSON.parse(w2v('predict', softmax, 't7w1', 't7w4', '-k', '5', '--json').stdout);
    assert.deepEqual(answer.predictions.map((p: { word: string }) => p.word), exact.predictions.map((p: { word: string }) => p.word));
    assertOneLineFailure(w2v('predict', models.cbow, 't1w0', '--index'), /--index: hierarchical softmax is searched on its tree, not by inner product; drop --index/);
  });

  it('predicts with a mixture of softmaxes, scores a held-out text with it, and refuses --index for it', () => {
    const mixture = path.join(dir, 'mixture.w2vmodel');
    const trained = w2v('train', path.join(dir, 'train.txt'), '--out', path.join(dir, 'mixture.bin'), '--save-model', mixture, '--loss', 'softmax', '--mixture', '2', ...TRAIN);
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stdout, /under a mixture of 2 exact softmaxes over the vocabulary/);
    const r = w2v('predict', mixture, 't4w1', 't4w3', '-k', '4', '--json');
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout);
    assert.match(answer.distribution, /a mixture of 2 softmaxes/);
    assert.ok(answer.predictions.every((p: { word: string }) => topicOf(p.word) === 't4'), r.stdout);
    const score = JSON.parse(w2v('predict', mixture, '--eval', path.join(dir, 'held-out.txt'), '--json').stdout);
    assert.ok(score.perplexity < 0.5 * score.unigram.perplexity, `${score.perplexity} against the unigram model's ${score.unigram.perplexity}`);
    assertOneLineFailure(w2v('predict', mixture, 't1w0', '--index'), /--index: a mixture of 2 softmaxes is not one inner product with the output rows: search it exactly; drop --index/);
  });

  it('an adaptive softmax model predicts and evaluates; --index and its options out of place are refused in one line', () => {
    const adaptive = path.join(dir, 'adaptive.w2vmodel');
    const corpus = path.join(dir, 'train.txt');
    const trained = w2v('train', corpus, '--out', path.join(dir, 'adaptive.bin'), '--save-model', adaptive, '--loss', 'adaptive', '--cutoffs', '20,40', '--div-value', '2', ...TRAIN);
    assert.equal(trained.code, 0, trained.stderr);
    const answer = JSON.parse(w2v('predict', adaptive, 't4w0', 't4w3', '-k', '5', '--json').stdout);
    assert.match(answer.distribution, /^adaptive softmax/);
    assert.ok(answer.predictions.every((p: { word: string }) => topicOf(p.word) === 't4'), JSON.stringify(answer.predictions));
    const score = JSON.parse(w2v('predict', adaptive, '--eval', path.join(dir, 'held-out.txt'), '--json').stdout);
    assert.ok(score.perplexity < 0.5 * score.unigram.perplexity, `${score.perplexity} against the unigram model's ${score.unigram.perplexity}`);
    assertOneLineFailure(w2v('predict', adaptive, 't1w0', '--index'), /--index: the adaptive softmax scores its tails in other dimensions than its head.*; drop --index/);
    const out = ['--out', path.join(dir, 'refused.bin'), ...TRAIN];
    assertOneLineFailure(w2v('train', corpus, '--loss', 'ns', '--cutoffs', '20', ...out), /--cutoffs does not apply to --loss ns: it is for --loss adaptive/);
    assertOneLineFailure(w2v('train', corpus, '--loss', 'hs', '--div-value', '2', ...out), /--div-value does not apply to --loss hs/);
    assertOneLineFailure(w2v('train', corpus, '--loss', 'adaptive', '--cutoffs', '30,20', ...out), /--cutoffs must increase \(30 then 20 would leave a cluster empty\)/);
    assertOneLineFailure(w2v('train', corpus, '--loss', 'adaptive', '--cutoffs', '20,48', ...out), /--cutoffs: 48 is not below the vocabulary size 48/);
  });

  it('refuses what it cannot predict with, in one line', () => {
    assertOneLineFailure(w2v('predict', path.join(dir, 'cbow.bin'), 't1w0'), /cbow\.bin: not a w2v model; train it again with --save-model/);
    assertOneLineFailure(w2v('predict', models.cbow, 'zzz', 'yyy'), /none of the context words is in the vocabulary \("zzz", "yyy"\)/);
    assertOneLineFailure(w2v('predict', models.cbow, 't1w0', '--eval', path.join(dir, 'held-out.txt')), /--eval scores a text on its own/);
  });
});
