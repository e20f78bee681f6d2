import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { assertOneLineFailure, w2v } from '../support/cli.js';
import { caseDirectories } from '../support/case-dirs.js';
import { plantedCorpus, topicOf } from '../support/planted-corpus.js';

const cases = caseDirectories('w2v-cli-continue-');
const TRAIN = ['--dim', '16', '--window', '4', '--min-count', '5', '--sample', '0', '--epochs', '3', '--workers', '1', '--no-progress'];

describe('w2v train --init', () => {
  let dir = '';
  let more = '';
  const models = { ns: '', hs: '' };
  before(() => {
    dir = cases.next().dir;
    writeFileSync(path.join(dir, 'first.txt'), plantedCorpus(3000, 1));
    // The new text brings two topics of new words (n6…, n7…) in place of t6 and t7.
    more = path.join(dir, 'more.txt');
    writeFileSync(more, plantedCorpus(3000, 2).replace(/\bt([67])w/g, 'n$1w'));
    for (const loss of ['ns', 'hs'] as const) {
      models[loss] = path.join(dir, `${loss}.w2vmodel`);
      const r = w2v('train', path.join(dir, 'first.txt'), '--out', path.join(dir, `${loss}.bin`), '--save-model', models[loss], '--model', 'sg', '--loss', loss, ...TRAIN);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  it('trains a saved model on more text: the summary counts known and new words, and the result answers neighbors and predict', () => {
    const out = path.join(dir, 'on.bin');
    const model = path.join(dir, 'on.w2vmodel');
    const r = w2v('train', more, '--init', models.ns, '--out', out, '--save-model', model, '--epochs', '3', '--workers', '1', '--no-progress');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*: 60 words x 16 dims/);
    assert.match(r.stdout, new RegExp(`^init: trained ${models.ns.replace(/[.\\]/g, '\\$&')} on: 48 known words \\(36 of them in the new text\\) kept their vectors, 12 new words joined$`, 'm'));
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    assert.deepEqual(report.continued, { source: models.ns, known: 48, knownInText: 36, joined: 12 });
    assert.equal(report.options.dim, 16);
    const neighbors = w2v('neighbors', out, 'n6w1', '-k', '5', '--json');
    assert.equal(neighbors.code, 0, neighbors.stderr);
    const found = JSON.parse(neighbors.stdout).neighbors.map((n: { word: string }) => n.word);
    assert.ok(found.every((word: string) => topicOf(word) === 'n6'), `neighbours of a new word: ${found}`);
    const predict = w2v('predict', model, '--given', 'n7w2', '-k', '3', '--json');
    assert.equal(predict.code, 0, predict.stderr);
    const predicted = JSON.parse(predict.stdout).predictions.map((p: { word: string }) => p.word);
    assert.ok(predicted.every((word: string) => topicOf(word) === 'n7'), `predicted context of a new word: ${predicted}`);
  });

  it('hs: says how much of the tree survived, and the result predicts new words', () => {
    const model = path.join(dir, 'on-hs.w2vmodel');
    const r = w2v('train', more, '--init', models.hs, '--out', path.join(dir, 'on-hs.bin'), '--save-model', model, '--workers', '1', '--no-progress');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /; hs tree rebuilt, \d+ of 59 inner rows kept from it$/m);
    const predict = w2v('predict', model, 'n6w0', 'n6w3', '-k', '3', '--json');
    assert.equal(predict.code, 0, predict.stderr);
    assert.ok(JSON.parse(predict.stdout).predictions.every((p: { word: string }) => topicOf(p.word) === 'n6'), predict.stdout);
  });

  it('refuses in one line what it cannot train on, and options that contradict the model', () => {
    const out = path.join(dir, 'x.bin');
    const vectors = path.join(dir, 'ns.bin');
    assertOneLineFailure(w2v('train', more, '--init', vectors, '--out', out), new RegExp(`--init .*ns\\.bin is not a model file .*; to start the input vectors from a vectors file, give --init-vectors .*ns\\.bin$`));
    assertOneLineFailure(w2v('train', more, '--init', path.join(dir, 'missing.w2vmodel'), '--out', out), /missing\.w2vmodel: no such model file/);
    const damaged = path.join(dir, 'damaged.w2vmodel');
    const bytes = readFileSync(models.ns);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(damaged, bytes);
    assertOneLineFailure(w2v('train', more, '--init', damaged, '--out', out), /damaged\.w2vmodel: the weights are corrupt \(checksum mismatch\); train it again with --save-model$/);
    assertOneLineFailure(w2v('train', more, '--init', models.ns, '--dim', '32', '--out', out), /--dim 32 contradicts .*ns\.w2vmodel, a model of --dim 16: a model trained on keeps its options; drop it$/);
    assertOneLineFailure(w2v('train', more, '--init', models.ns, '--window', '2', '--out', out), /--window 2 contradicts .* a model of --window 4/);
    assertOneLineFailure(w2v('train', more, '--init', models.ns, '--init-vectors', vectors, '--out', out), /--init cannot be given with --init-vectors: the model holds the vectors; drop one$/);
    assertOneLineFailure(w2v('train', '--resume', path.join(dir, 'x.checkpoint'), '--init', models.ns, '--out', out), /--init cannot be given with --resume/);
    assertOneLineFailure(w2v('train', more, '--init', models.ns, '--out', models.ns), /--out .*ns\.w2vmodel is the --init model .*: writing it would destroy it; choose another path$/);
  });
});
