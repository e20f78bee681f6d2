import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findConfig, type LossConfig } from '../../scripts/losses/configs.js';
import { runLoss } from '../../scripts/losses/measure.js';
import { caseDirectories } from '../support/case-dirs.js';
import { writePlantedCorpus } from '../support/planted-corpus.js';

const cases = caseDirectories('w2v-loss-rate-');

test("a loss's rate scales the run's learning rate, given or the model's default, and only its own", async () => {
  const corpus = writePlantedCorpus(cases.next().dir, 200, 5);
  const mixture = findConfig('mixture2');
  assert.ok(mixture.rate !== undefined && mixture.rate < 1, 'the mixtures train at a share of the rate');
  const alphaOf = async (config: LossConfig, options: { alpha?: number; model: 'sg' | 'cbow' }) =>
    (await runLoss(corpus, config, { ...options, dim: 8, epochs: 1, workers: 1, minCount: 1 })).model.report.options.alpha;
  assert.equal(await alphaOf(mixture, { alpha: 0.02, model: 'cbow' }), 0.02 * mixture.rate);
  assert.equal(await alphaOf(mixture, { model: 'sg' }), 0.025 * mixture.rate);
  assert.equal(await alphaOf(findConfig('softmax'), { alpha: 0.02, model: 'cbow' }), 0.02);
});
