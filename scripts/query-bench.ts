/**
 * Measures the HNSW index against exact search on one vectors file:
 *   node dist/scripts/query-bench.js VECTORS [--queries 1000] [--seed 1] [--M 16] [--ef-construction 100] [--ef N | --target-recall 0.98] [--sweep]
 * Without --ef, the index tunes its ef as `w2v index` does. Prints recall@10 over random
 * vocabulary words, median and p99 latency of index and exact queries, the speed-up, what
 * `w2v neighbors` would choose by itself and its cost against the better of the two, and index
 * build, tune, save and load times, with two more exact searches for reference (a plain
 * JavaScript loop and hnswlib's C++ brute force); --sweep adds recall/latency at several ef
 * values. The last line is the whole result as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import hnswlib from 'hnswlib-node';
import { Embeddings } from '../src/query/embeddings.js';
import { DEFAULT_TARGET_RECALL, tuneEf } from '../src/query/ef-tuning.js';
import { DEFAULT_INDEX_PARAMS, NearestIndex } from '../src/query/nearest.js';
import { chooseSearch } from '../src/query/search-choice.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    M: { type: 'string', default: String(DEFAULT_INDEX_PARAMS.M) },
    'ef-construction': { type: 'string', default: String(DEFAULT_INDEX_PARAMS.efConstruction) },
    ef: { type: 'string' },
    'target-recall': { type: 'string', default: String(DEFAULT_TARGET_RECALL) },
    sweep: { type: 'boolean', default: false },
  },
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node dist/scripts/query-bench.js VECTORS [--queries 1000] [--ef 64] [--sweep]\n');
  process.exit(2);
}
const vectorsPath = positionals[0];
const k = 10;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (x: number) => Number(x.toFixed(4));

let t = performance.now();
const embeddings = await Embeddings.load(vectorsPath);
const loadVectorsSeconds = (performance.now() - t) / 1000;

t = performance.now();
const index = NearestIndex.build(embeddings, {
  M: Number(values.M), efConstruction: Number(values['ef-construction']), ef: values.ef === undefined ? undefined : Number(values.ef),
});
const buildSeconds = (performance.now() - t) / 1000;
t = performance.now();
const tuning = values.ef === undefined ? tuneEf(index, embeddings, { targetRecall: Number(values['target-recall']) }) : undefined;
const tuneSeconds = (performance.now() - t) / 1000;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'w2v-query-bench-'));
const indexPath = path.join(tmp, 'bench.hnsw');
t = performance.now();
await index.save(indexPath, vectorsPath, undefined, tuning);
const saveSeconds = (performance.now() - t) / 1000;
t = performance.now();
const loaded = (await NearestIndex.load(indexPath)).index;
const loadIndexSeconds = (performance.now() - t) / 1000;
rmSync(tmp, { recursive: true, force: true });

// Random distinct vocabulary words from a fixed-seed LCG, so runs are comparable.
let state = Number(values.seed) >>> 0 || 1;
const queryCount = Math.min(Number(values.queries), embeddings.size);
const chosen = new Set<number>();
while (chosen.size < queryCount) {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  chosen.add(state % embeddings.size);
}
const queries = [...chosen];

/**
 * Times the index and exact search in alternating blocks of 50 queries: on a shared VM the speed
 * drifts by tens of percent within a run, and timing one method after the other would credit that
 * drift to whichever ran in the quieter stretch. Blocks rather than single queries, because an
 * exact scan streams the whole matrix through the cache and would leave every index query cold.
 */
function timePaired(): { recall: number; index: number[]; exact: number[] } {
  const block = 50;
  for (const i of queries.slice(0, block)) {
    embeddings.mostSimilar(embeddings.words[i], k);
    loaded.search(embeddings.unitRow(i), k, new Set([i]));
  }
  let hits = 0;
  const index: number[] = [];
  const exact: number[] = [];
  for (let from = 0; from < queries.length; from += block) {
    const some = queries.slice(from, from + block);
    const truth = some.map((i) => {
      const start = performance.now();
      const result = embeddings.mostSimilar(embeddings.words[i], k);
      exact.push(performance.now() - start);
      return new Set(result.map((n) => n.word));
    });
    const found = timeIndex(some, truth);
    hits += found.hits;
    index.push(...found.latencies);
  }
  return { recall: hits / (queries.length * k), index: sortedMs(index), exact: sortedMs(exact) };
}

/** Index answers for the `some` query rows, timed one by one, and how many are among `truth` (the exact answers, in the same order). */
function timeIndex(some: number[], truth: Set<string>[]): { hits: number; latencies: number[] } {
  let hits = 0;
  const latencies: number[] = [];
  some.forEach((i, q) => {
    const start = performance.now();
    const result = loaded.search(embeddings.unitRow(i), k, new Set([i]));
    latencies.push(performance.now() - start);
    hits += result.filter((n) => truth[q].has(n.word)).length;
  });
  return { hits, latencies };
}

function sortedMs(latencies: number[]): number[] {
  return latencies.sort((a, b) => a - b);
}

/** The same exact search with the portable JavaScript loop instead of the SIMD kernel. */
function timePlainExact(): number[] {
  const latencies: number[] = [];
  for (const i of queries) {
    const start = performance.now();
    const scores = embeddings.cosinesPlain(embeddings.unitRow(i));
    embeddings.topOf(scores, k, new Set([i]));
    latencies.push(performance.now() - start);
  }
  return sortedMs(latencies);
}

/**
 * The same exact search by hnswlib's own C++ brute force (SSE dot products, a heap of k), as a
 * reference that the SIMD scan above is not a weak baseline.
 */
function timeLibraryBruteForce(): number[] {
  const brute = new hnswlib.BruteforceSearch('cosine', embeddings.dim);
  brute.initIndex(embeddings.size);
  for (let i = 0; i < embeddings.size; i++) brute.addPoint(Array.from(embeddings.unitRow(i)), i);
  const latencies: number[] = [];
  for (const i of queries) {
    const start = performance.now();
    brute.searchKnn(Array.from(embeddings.unitRow(i)), k + 1);
    latencies.push(performance.now() - start);
  }
  return sortedMs(latencies);
}

const paired = timePaired();
const way = chooseSearch(embeddings.size, embeddings.dim);
const exact = { latencies: paired.exact };
const approx = { recall: paired.recall, latencies: paired.index };
const plain = timePlainExact();
const libraryBrute = timeLibraryBruteForce();
const result: Record<string, unknown> = {
  vectors: vectorsPath,
  words: embeddings.size,
  dim: embeddings.dim,
  queries: queries.length,
  M: loaded.params.M,
  efConstruction: loaded.params.efConstruction,
  ef: loaded.params.ef,
  tuning,
  recallAt10: approx.recall,
  indexMedianMs: ms(quantile(approx.latencies, 0.5)),
  indexP99Ms: ms(quantile(approx.latencies, 0.99)),
  exactMedianMs: ms(quantile(exact.latencies, 0.5)),
  exactP99Ms: ms(quantile(exact.latencies, 0.99)),
  speedup: Number((quantile(exact.latencies, 0.5) / quantile(approx.latencies, 0.5)).toFixed(1)),
  automatic: way,
  automaticOverBest: Number(
    (quantile(way === 'exact' ? exact.latencies : approx.latencies, 0.5) /
      Math.min(quantile(exact.latencies, 0.5), quantile(approx.latencies, 0.5))).toFixed(2),
  ),
  plainExactMedianMs: ms(quantile(plain, 0.5)),
  speedupOverPlain: Number((quantile(plain, 0.5) / quantile(approx.latencies, 0.5)).toFixed(1)),
  libraryBruteMedianMs: ms(quantile(libraryBrute, 0.5)),
  speedupOverLibraryBrute: Number((quantile(libraryBrute, 0.5) / quantile(approx.latencies, 0.5)).toFixed(1)),
  loadVectorsSeconds: Number(loadVectorsSeconds.toFixed(3)),
  buildSeconds: Number(buildSeconds.toFixed(3)),
  tuneSeconds: Number(tuneSeconds.toFixed(3)),
  saveSeconds: Number(saveSeconds.toFixed(3)),
  loadIndexSeconds: Number(loadIndexSeconds.toFixed(3)),
};
process.stdout.write(
  `${embeddings.size} words, dim ${embeddings.dim}, ${queries.length} queries, M=${result.M} efConstruction=${result.efConstruction} ef=${result.ef}` +
    `${tuning ? ` (tuned: recall@10 ${tuning.recall.toFixed(4)} on ${tuning.sample} words, target ${tuning.targetRecall}, ${tuneSeconds.toFixed(2)} s)` : ''}\n` +
    `recall@10 ${approx.recall.toFixed(4)}\n` +
    `index latency median ${result.indexMedianMs} ms, p99 ${result.indexP99Ms} ms\n` +
    `exact latency median ${result.exactMedianMs} ms, p99 ${result.exactP99Ms} ms\n` +
    `speed-up over exact (median) ${result.speedup}x\n` +
    `automatic choice: ${way}, ${result.automaticOverBest}x the median of the faster way\n` +
    `exact with the plain JavaScript loop: median ${result.plainExactMedianMs} ms, speed-up ${result.speedupOverPlain}x\n` +
    `exact with hnswlib's C++ BruteforceSearch: median ${result.libraryBruteMedianMs} ms, speed-up ${result.speedupOverLibraryBrute}x\n` +
    `build ${result.buildSeconds} s, save ${result.saveSeconds} s, load ${result.loadIndexSeconds} s (vectors load ${result.loadVectorsSeconds} s)\n`,
);
if (values.sweep) {
  const truth = queries.map((i) => new Set(embeddings.mostSimilar(embeddings.words[i], k).map((n) => n.word)));
  const sweep: { ef: number; recall: number; medianMs: number; p99Ms: number }[] = [];
  for (const ef of [10, 20, 40, 64, 100, 200, 400]) {
    loaded.setEf(ef);
    const r = timeIndex(queries, truth);
    const recall = r.hits / (queries.length * k);
    const latencies = sortedMs(r.latencies);
    sweep.push({ ef, recall, medianMs: ms(quantile(latencies, 0.5)), p99Ms: ms(quantile(latencies, 0.99)) });
    process.stdout.write(`  ef ${String(ef).padStart(3)}: recall@10 ${recall.toFixed(4)}, median ${ms(quantile(latencies, 0.5))} ms, p99 ${ms(quantile(latencies, 0.99))} ms\n`);
  }
  result.sweep = sweep;
}
process.stdout.write(`${JSON.stringify(result)}\n`);
