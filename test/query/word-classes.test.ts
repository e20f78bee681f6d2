import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../src/base/random.js';
import { UserError } from '../../src/base/errors.js';
import { Embeddings } from '../../src/query/embeddings.js';
import { clusterWords } from '../../src/query/word-classes.js';

/** A normally distributed number (Box–Muller). */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.nextFloat())) * Math.cos(2 * Math.PI * random.nextFloat());
}

/**
 * Words around `clusters` random directions in `dim` dimensions, each a centre plus noise of
 * `noise` per coordinate, of uneven sizes, rows shuffled: word `c<i>_<j>` belongs to cluster i.
 */
function plantedClusters(clusters: number, dim: number, noise: number, seed: number): Embeddings {
  const random = new Random(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => gaussian(random)));
  const rows: { word: string; vector: number[] }[] = [];
  centres.forEach((centre, i) => {
    for (let j = 0; j < 10 + 7 * i; j++) rows.push({ word: `c${i}_${j}`, vector: centre.map((x) => x + noise * gaussian(random)) });
  });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = random.nextUint32() % (i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return new Embeddings({ words: rows.map((r) => r.word), dim, vectors: Float32Array.from(rows.flatMap((r) => r.vector)) });
}

const clusterOf = (word: string) => word.slice(0, word.indexOf('_'));

describe('word classes (k-means on unit vectors)', () => {
  it('splits a hand-worked set into its two groups, numbered by their first word, with unit mean centroids', () => {
    const embeddings = new Embeddings({ words: ['a', 'b', 'c', 'd'], dim: 2, vectors: Float32Array.from([0, 2, 1, 0, 0.9, 0.1, 0.1, 0.9]) });
    const classes = clusterWords(embeddings, { k: 2, seed: 1, iterations: 10 });
    assert.deepEqual(Array.from(classes.classOf), [0, 1, 1, 0]);
    assert.ok(classes.converged);
    // Class 0: a = (0, 1) and d ≈ (0.110, 0.994); its centroid is their normalised sum.
    const d = [0.1 / Math.hypot(0.1, 0.9), 0.9 / Math.hypot(0.1, 0.9)];
    const sum = [d[0], 1 + d[1]];
    const norm = Math.hypot(sum[0], sum[1]);
    assert.ok(Math.abs(classes.centroids[0] - sum[0] / norm) < 1e-6 && Math.abs(classes.centroids[1] - sum[1] / norm) < 1e-6);
    assert.ok(Math.abs(Math.hypot(classes.centroids[2], classes.centroids[3]) - 1) < 1e-6, 'class 1 centroid is a unit vector');
  });

  it('recovers planted clusters exactly, whatever the seed', () => {
    const embeddings = plantedClusters(8, 24, 0.1, 5);
    for (const seed of [1, 2, 3, 42]) {
      const classes = clusterWords(embeddings, { k: 8, seed, iterations: 20 });
      const classOfCluster = new Map<string, number>();
      const clusterOfClass = new Map<number, string>();
      embeddings.words.forEach((word, row) => {
        const c = classes.classOf[row];
        const cluster = clusterOf(word);
        assert.equal(classOfCluster.get(cluster) ?? c, c, `seed ${seed}: ${word} is with its cluster`);
        assert.equal(clusterOfClass.get(c) ?? cluster, cluster, `seed ${seed}: class ${c} holds one cluster`);
        classOfCluster.set(cluster, c);
        clusterOfClass.set(c, cluster);
      });
      assert.equal(classOfCluster.size, 8);
      assert.ok(classes.converged, `seed ${seed} converged`);
      assert.ok(classes.meanSimilarity > 0.9, `mean cosine ${classes.meanSimilarity}`);
    }
  });

  it('is repeatable with a seed, and another seed gives another start', () => {
    // No structure to find: where the run ends depends on where it starts.
    const random = new Random(9);
    const words = Array.from({ length: 400 }, (_, i) => `w${i}`);
    const embeddings = new Embeddings({ words, dim: 8, vectors: Float32Array.from({ length: 400 * 8 }, () => gaussian(random)) });
    const first = clusterWords(embeddings, { k: 12, seed: 7, iterations: 5 });
    const again = clusterWords(embeddings, { k: 12, seed: 7, iterations: 5 });
    assert.deepEqual(again.classOf, first.classOf);
    assert.deepEqual(again.centroids, first.centroids);
    const other = clusterWords(embeddings, { k: 12, seed: 8, iterations: 5 });
    assert.notDeepEqual(other.classOf, first.classOf);
    assert.equal(first.classOf[0], 0, 'the first word is in class 0');
  });

  it('leaves no class empty, even with repeated vectors or one class a word', () => {
    const base = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]];
    const vectors = Float32Array.from([0, 1, 2].flatMap(() => base.flat()));
    const embeddings = new Embeddings({ words: Array.from({ length: 12 }, (_, i) => `w${i}`), dim: 3, vectors });
    for (const k of [6, 12]) {
      const classes = clusterWords(embeddings, { k, seed: 3, iterations: 10 });
      const sizes = new Array(k).fill(0);
      for (const c of classes.classOf) sizes[c]++;
      assert.ok(sizes.every((size) => size > 0), `k ${k}: class sizes ${sizes.join(' ')}`);
    }
  });

  it('refuses a k it cannot give in one line', () => {
    const embeddings = new Embeddings({ words: ['a', 'b'], dim: 2, vectors: Float32Array.from([1, 0, 0, 1]) });
    assert.throws(() => clusterWords(embeddings, { k: 3, seed: 1, iterations: 10 }), (e: unknown) => e instanceof UserError && /-k 3 asks for more classes than the 2 words there are; give at most -k 2/.test(e.message));
    assert.throws(() => clusterWords(embeddings, { k: 0, seed: 1, iterations: 10 }), /-k must be a positive integer, got 0/);
    assert.throws(() => clusterWords(embeddings, { k: 1, seed: -1, iterations: 10 }), /--seed must be an integer between 0 and 4294967295, got -1/);
  });
});
