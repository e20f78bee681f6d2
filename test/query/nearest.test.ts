import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Embeddings } from '../../src/query/embeddings.js';
import { EF_LADDER, reachesTarget, recallSampler, sampleRows, tuneEf } from '../../src/query/ef-tuning.js';
import { NearestIndex, buildIndexFile, fileSha256, sidecarPath, staleReason } from '../../src/query/nearest.js';
import { writeWord2vecFile } from '../../src/vectors/word2vec-format.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-nearest-'));

function randomEmbeddings(n: number, dim: number, seed: number): Embeddings {
  let s = seed;
  const gauss = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    const u = (s + 1) / 2 ** 32;
    s = (s * 1664525 + 1013904223) >>> 0;
    const v = (s + 1) / 2 ** 32;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return new Embeddings({ words: Array.from({ length: n }, (_, i) => `w${i}`), dim, vectors: Float32Array.from({ length: n * dim }, gauss) });
}

test('HNSW recall@10 against exact search on random vectors', () => {
  const e = randomEmbeddings(3000, 16, 11);
  const index = NearestIndex.build(e, { M: 16, efConstruction: 100, ef: 100 });
  let hits = 0;
  const queries = 200;
  for (let q = 0; q < queries; q++) {
    const word = `w${q * 7}`;
    const exact = new Set(e.mostSimilar(word, 10).map((n) => n.word));
    const approx = index.search(e.unitVector(word), 10, new Set([e.indexOf(word)]));
    assert.equal(approx.length, 10);
    assert.ok(!approx.some((n) => n.word === word), 'the query word is left out');
    hits += approx.filter((n) => exact.has(n.word)).length;
  }
  const recall = hits / (queries * 10);
  assert.ok(recall >= 0.95, `recall@10 ${recall}`);
  // A tiny ef must cost recall; otherwise ef is not reaching the index.
  index.setEf(1);
  let lowHits = 0;
  for (let q = 0; q < queries; q++) {
    const word = `w${q * 7}`;
    const exact = new Set(e.mostSimilar(word, 10).map((n) => n.word));
    lowHits += index.searchLabels(e.unitVector(word), 1).filter((l) => exact.has(`w${l}`)).length;
  }
  assert.ok(lowHits < queries, 'ef=1 misses some nearest neighbours');
});

test('save writes index and sidecar atomically; load restores ef; a changed vectors file is stale', async () => {
  const e = randomEmbeddings(500, 8, 5);
  const vectorsPath = path.join(dir, 'v.bin');
  await writeWord2vecFile(vectorsPath, e.toWordVectors(), 'bin');
  assert.equal(await staleReason(path.join(dir, 'v.bin.hnsw'), vectorsPath, e), 'no index yet');
  const { indexPath, sidecar } = await buildIndexFile(vectorsPath, e, { ef: 37, M: 8 });
  assert.equal(indexPath, path.join(dir, 'v.bin.hnsw'));
  const saved = JSON.parse(readFileSync(sidecarPath(indexPath), 'utf8'));
  assert.deepEqual(saved, sidecar);
  assert.equal(saved.ef, 37);
  assert.equal(saved.M, 8);
  assert.equal(saved.dim, 8);
  assert.equal(saved.words.length, 500);
  assert.equal(saved.vectors.sha256, await fileSha256(vectorsPath));
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  assert.equal(await staleReason(indexPath, vectorsPath, e), null);

  const { index } = await NearestIndex.load(indexPath);
  assert.equal(index.params.ef, 37);
  const near = index.search(e.unitVector('w3'), 5, new Set([3]));
  assert.deepEqual(near.map((n) => n.word), e.mostSimilar('w3', 5).map((n) => n.word));

  const changed = new Embeddings({ ...e.toWordVectors(), vectors: e.vectors.map((v) => v * 2) });
  await writeWord2vecFile(vectorsPath, changed.toWordVectors(), 'bin');
  assert.match(String(await staleReason(indexPath, vectorsPath, changed)), /changed/);
});

test('ef tuning keeps the smallest ef that reaches the target recall', () => {
  // 32 dimensions and a sparse graph: the right ef is far from the ladder's ends.
  const e = randomEmbeddings(3000, 32, 5);
  const index = NearestIndex.build(e, { M: 8, efConstruction: 40 });
  const sample = 200;
  const tuning = tuneEf(index, e, { targetRecall: 0.98, sample });
  assert.ok(tuning.recall >= 0.98, `recall ${tuning.recall} at ef ${tuning.ef}`);
  assert.equal(index.params.ef, tuning.ef, 'the index keeps the tuned ef');
  assert.deepEqual([tuning.sample, tuning.k, tuning.targetRecall], [sample, 10, 0.98]);
  assert.ok(tuning.ef > EF_LADDER[0], 'random vectors in 32 dimensions need more than the smallest ef');
  // The sampler is honest: its recall is the one counted here by hand at the same ef.
  const rows = sampleRows(e.size, sample);
  const byHand = (ef: number) => {
    index.setEf(ef);
    let hits = 0;
    for (const row of rows) {
      const exact = new Set(e.mostSimilar(e.words[row], 10).map((n) => e.indexOf(n.word)));
      hits += index.searchLabels(e.unitRow(row), 11).filter((label) => label !== row && exact.has(label)).length;
    }
    return hits / (sample * 10);
  };
  const sampler = recallSampler(index, e, rows, 10);
  const atTuned = sampler(tuning.ef);
  assert.ok(Math.abs(atTuned.recall - byHand(tuning.ef)) < 1e-12);
  assert.equal(atTuned.recall, tuning.recall, 'the recall reported is the one measured at that ef');
  assert.ok(atTuned.standardError > 0 && atTuned.standardError < 0.01, `standard error ${atTuned.standardError}`);
  assert.ok(reachesTarget(atTuned, 0.98));
  // One less does not reach it: the smallest ef, not just a rung of the ladder.
  assert.equal(reachesTarget(sampler(tuning.ef - 1), 0.98), false, `ef ${tuning.ef - 1} already reaches the target`);
  assert.equal(reachesTarget({ recall: 0.985, standardError: 0.004 }, 0.98), true);
  assert.equal(reachesTarget({ recall: 0.983, standardError: 0.004 }, 0.98), false, 'a recall within one standard error of the target is not enough');
});
