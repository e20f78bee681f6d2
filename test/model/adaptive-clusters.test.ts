import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../src/base/errors.js';
import { Random } from '../../src/base/random.js';
import { clusterOf, defaultCutoffs, parseCutoffs, planAdaptive } from '../../src/model/adaptive-clusters.js';
import { resolveTrainOptions } from '../../src/model/options.js';
import { logProbability, type OutputLayer } from '../../src/model/output-layer.js';
import { privateRowsFor } from '../../src/train/shared-memory.js';

const zipf = (V: number) => Array.from({ length: V }, (_, i) => Math.round(100_000 / (i + 1)) + 1);

describe('adaptive softmax clusters', () => {
  it('cuts by default where the words reach 80% and 95% of the tokens, for any vocabulary size', () => {
    for (const V of [2, 13, 100, 10_000, 200_000]) {
      const counts = zipf(V);
      const total = counts.reduce((a, b) => a + b, 0);
      const cutoffs = defaultCutoffs(counts);
      const share = (n: number) => counts.slice(0, n).reduce((a, b) => a + b, 0) / total;
      // Two words of Zipf counts: the first holds 67% of the tokens, so both are the head.
      assert.ok(cutoffs.length <= 2 && cutoffs.length >= (V > 2 ? 1 : 0), `V ${V}: ${cutoffs}`);
      cutoffs.forEach((c, i) => {
        assert.ok(c >= 1 && c < V && (i === 0 || c > cutoffs[i - 1]), `V ${V}: cutoffs ${cutoffs} increase inside the vocabulary`);
        // Each cut is the first word count that reaches its share.
        const goal = [0.8, 0.95][i];
        assert.ok(share(c) >= goal - 1e-12 && (c === 1 || share(c - 1) < goal), `V ${V}: cut ${c} covers ${share(c)}`);
      });
    }
    // A flat vocabulary puts 80% of its words in the head.
    assert.deepEqual(defaultCutoffs(new Array(100).fill(7)), [80, 95]);
    // One word: nothing to cut, the head is every word.
    assert.deepEqual(defaultCutoffs([5]), []);
  });

  it('lays out the head, projections and tails without overlap, tail i in dim / div^(i+1) padded to 4 floats', () => {
    const layout = planAdaptive(10_000, 100, [2000, 6000], 4);
    assert.equal(layout.shortlist, 2000);
    assert.deepEqual(layout.clusters.map((c) => [c.firstWord, c.endWord, c.dim, c.stride]), [[2000, 6000, 25, 28], [6000, 10_000, 6, 8]]);
    const parts = [
      [0, 2002 * 100],
      ...layout.clusters.map((c) => [c.projection, c.projection + c.dim * 100]),
      ...layout.clusters.map((c) => [c.rows, c.rows + (c.endWord - c.firstWord) * c.stride]),
    ].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < parts.length; i++) assert.equal(parts[i][0], parts[i - 1][1], 'parts follow each other');
    assert.ok(layout.floats >= parts[parts.length - 1][1] && layout.floats % 100 === 0, 'whole rows of the model stride');
    // Deep tails keep at least one dimension.
    assert.deepEqual(planAdaptive(50, 8, [10, 20, 30], 16).clusters.map((c) => c.dim), [1, 1, 1]);
    // Each worker trains on its own copy of the whole block, merged like the exact softmax's rows.
    assert.deepEqual(privateRowsFor({ loss: 'adaptive', vocabSize: 10_000, dim: 100, adaptive: layout }), { first: 0, rows: layout.floats / 100, syncEvery: 32 });
    assert.equal(clusterOf(layout, 1999), -1);
    assert.equal(clusterOf(layout, 2000), 0);
    assert.equal(clusterOf(layout, 9999), 1);
  });

  it('refuses cutoffs that would leave a cluster empty, and its options with another loss, in one line', () => {
    const refused = (f: () => unknown, pattern: RegExp) =>
      assert.throws(f, (e: unknown) => e instanceof UserError && pattern.test(e.message) && !e.message.includes('\n'));
    refused(() => planAdaptive(100, 8, [20, 100], 4), /--cutoffs: 100 is not below the vocabulary size 100/);
    refused(() => resolveTrainOptions({ loss: 'adaptive', cutoffs: [20, 20] }), /--cutoffs must increase/);
    refused(() => resolveTrainOptions({ loss: 'adaptive', cutoffs: [30, 20] }), /--cutoffs must increase/);
    refused(() => resolveTrainOptions({ loss: 'adaptive', cutoffs: [0, 20] }), /at least 1/);
    refused(() => resolveTrainOptions({ loss: 'adaptive', cutoffs: [2.5] }), /whole number/);
    refused(() => resolveTrainOptions({ loss: 'adaptive', cutoffs: [] }), /at least one/);
    refused(() => resolveTrainOptions({ loss: 'adaptive', divValue: 0.5 }), /--div-value must be a number between 1/);
    refused(() => resolveTrainOptions({ loss: 'ns', cutoffs: [10] }), /--cutoffs does not apply to --loss ns/);
    refused(() => resolveTrainOptions({ loss: 'softmax', divValue: 2 }), /--div-value does not apply to --loss softmax/);
    refused(() => resolveTrainOptions({ loss: 'adaptive', activation: 'sig' }), /--activation does not apply to --loss adaptive/);
    refused(() => parseCutoffs('2000,,10000'), /cannot read ""/);
    assert.deepEqual(parseCutoffs('2000, 10000'), [2000, 10_000]);
    assert.deepEqual(resolveTrainOptions({ loss: 'adaptive', cutoffs: [5, 9], divValue: 2 }).cutoffs, [5, 9]);
  });

  it('defines a distribution: logProbability sums to 1 over the vocabulary', () => {
    const random = new Random(3);
    const dim = 10;
    const stride = 12;
    for (const cutoffs of [[4, 9], [1], []]) {
      const adaptive = planAdaptive(17, dim, cutoffs, 2);
      const weights = Float32Array.from({ length: adaptive.floats }, () => 2 * random.nextFloat() - 1);
      const layer: OutputLayer = { loss: 'adaptive', activation: 'exp', dim, weights, stride, adaptive };
      const h = Array.from({ length: dim }, () => random.nextFloat() - 0.5);
      const total = Array.from({ length: 17 }, (_, w) => Math.exp(logProbability(layer, h, w))).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - 1) < 1e-9, `cutoffs ${cutoffs}: sum ${total}`);
    }
  });
});
