#!/usr/bin/env node
/**
 * `npm run bench:predict`: what each way around the softmax costs at test time, and what it
 * predicts. Part 1, at vocabulary sizes from 1,000 to the corpus's whole: µs per exact top-10
 * prediction by the softmax scan, by dsoftmax's bands and by the hs tree search, and by a
 * maximum-inner-product index (hnswlib) over the softmax's output rows with its recall; each
 * against the scan. Part 2: `w2v predict --eval` of CBOW models (ns, hs, nce, sampled) trained on
 * the corpus less its last tokens and scored on them, beside a unigram model.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { Random } from '../src/base/random.js';
import { readSentences } from '../src/corpus/sentences.js';
import { Model } from '../src/query/model.js';
import { OutputIndex } from '../src/query/output-index.js';
import { OutputSearch } from '../src/query/output-search.js';
import { scorePredictions } from '../src/query/prediction-eval.js';
import type { TrainOptions } from '../src/model/options.js';
import { trainEmbeddings, type TrainedModel } from '../src/train/trainer.js';
import { savedModelOf } from '../src/vectors/model-file.js';
import { splitCorpus } from './study/corpus.js';
import { DATA, ROOT, displayPath, requireInputs } from './paths.js';

const argv = yargs(hideBin(process.argv))
  .scriptName('bench:predict')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz') })
  .option('sizes', { type: 'array', number: true, default: [1000, 3000, 10_000, 30_000, 0], desc: 'vocabulary sizes (0: every word of min-count 1)' })
  .option('queries', { type: 'number', default: 300, desc: 'predictions timed per method and size' })
  .option('held-out', { type: 'number', default: 200_000, desc: 'tokens at the end of the corpus that part 2 scores' })
  .option('parts', { type: 'array', number: true, default: [1, 2] })
  .option('out', { type: 'string', default: join(ROOT, '.bench/predict') })
  .help()
  .parseSync();
requireInputs('bench:predict', { corpus: argv.corpus });

const K = 10;
const DIM = 100;
const log = (line: string) => process.stderr.write(`bench:predict: ${line}\n`);

function contextsOf(model: TrainedModel, count: number, seed: number): Float64Array[] {
  const random = new Random(seed);
  const V = model.vocabulary.words.length;
  return Array.from({ length: count }, () => {
    const h = new Float64Array(model.dim);
    for (let c = 0; c < 4; c++) {
      const row = random.nextUint32() % V;
      for (let i = 0; i < model.dim; i++) h[i] += model.vectors[row * model.stride + i] / 4;
    }
    return h;
  });
}

/** µs per query of `run` over `count` queries, after one untimed pass (the JIT's warm-up). */
function microseconds(run: () => void, count: number): number {
  run();
  const start = performance.now();
  run();
  return ((performance.now() - start) * 1000) / count;
}

async function train(corpus: string, options: Partial<TrainOptions>): Promise<TrainedModel> {
  return trainEmbeddings([corpus], { model: 'cbow', dim: DIM, minCount: 1, workers: 2, epochs: 1, seed: 1, ...options });
}

async function part1(corpus: string): Promise<string[]> {
  const lines = [
    '| vocabulary | softmax scan µs | dsoftmax bands µs | × scan | hs search µs | hs nodes | × scan | index µs (ef 64) | × scan | index recall@10 | index top-1 agrees |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const size of argv.sizes as number[]) {
    const maxVocab = size === 0 ? 0 : size;
    // The O(V) losses train on a slice that keeps each run within seconds; test-time cost does not depend on it.
    const slice = Math.round(4e9 / ((maxVocab || 80_000) * DIM));
    const softmax = await train(corpus, { loss: 'softmax', maxVocab, maxWords: slice });
    const dsoftmax = await train(corpus, { loss: 'dsoftmax', maxVocab, maxWords: slice });
    const hs = await train(corpus, { loss: 'hs', maxVocab });
    const V = softmax.vocabulary.words.length;
    const queries = contextsOf(hs, argv.queries, 7);
    const scan = new OutputSearch(softmax.output, V);
    const bands = new OutputSearch(dsoftmax.output, V);
    const tree = new OutputSearch(hs.output, V);
    const exact = queries.map((h) => scan.topK(h, K).top.map((t) => t.word));
    const scanUs = microseconds(() => queries.forEach((h) => scan.topK(h, K)), queries.length);
    const bandsUs = microseconds(() => queries.forEach((h) => bands.topK(h, K)), queries.length);
    let nodes = 0;
    const treeUs = microseconds(() => queries.forEach((h) => (nodes += tree.topK(h, K).scored)), queries.length);
    const index = OutputIndex.build(softmax.output, softmax.vocabulary.words);
    index.setEf(64);
    const found = queries.map(() => [] as number[]);
    const indexUs = microseconds(() => queries.forEach((h, q) => (found[q] = index.topK(h, K).map((t) => t.word))), queries.length);
    let hits = 0;
    let firsts = 0;
    found.forEach((words, q) => {
      hits += words.filter((w) => exact[q].includes(w)).length;
      if (words[0] === exact[q][0]) firsts++;
    });
    const ratio = (us: number) => `${(scanUs / us).toFixed(1)}×`;
    lines.push(
      `| ${V.toLocaleString('en-US')} | ${scanUs.toFixed(0)} | ${bandsUs.toFixed(0)} | ${ratio(bandsUs)} | ${treeUs.toFixed(1)} | ${(nodes / queries.length).toFixed(0)} | ${ratio(treeUs)} | ` +
        `${indexUs.toFixed(1)} | ${ratio(indexUs)} | ${(hits / (K * queries.length)).toFixed(3)} | ${(firsts / queries.length).toFixed(3)} |`,
    );
    log(lines.at(-1)!);
  }
  return lines;
}

async function part2(corpus: string): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'w2v-predict-bench-'));
  try {
    const split = await splitCorpus(corpus, work, argv['held-out']);
    const lines = [
      `Trained on ${split.trainTokens.toLocaleString('en-US')} tokens (CBOW, 5 epochs, C word2vec's other defaults), scored on the last ${split.heldOutTokens.toLocaleString('en-US')}.`,
      '',
      '| loss | perplexity | top-1 | top-10 | OOV share | predictions | predictions/s |',
      '|---|---:|---:|---:|---:|---:|---:|',
    ];
    let unigram = '';
    for (const loss of ['ns', 'hs', 'nce', 'sampled'] as const) {
      const trained = await trainEmbeddings([split.train], { model: 'cbow', loss, epochs: 5, workers: 2, seed: 1 });
      const model = new Model(savedModelOf(trained));
      const score = await scorePredictions(model, readSentences([split.heldOut], trained.report.options.maxSentenceLength));
      const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
      lines.push(`| ${loss}${loss === 'ns' ? ' (scores normalised)' : ''} | ${score.perplexity.toFixed(1)} | ${pct(score.top1)} | ${pct(score.top10)} | ${pct(score.oovShare)} | ${score.predictions.toLocaleString('en-US')} | ${Math.round(score.predictionsPerSecond).toLocaleString('en-US')} |`);
      unigram = `| unigram model of the training counts | ${score.unigram.perplexity.toFixed(1)} | | ${pct(score.unigram.top10)} | | | |`;
      log(lines.at(-1)!);
    }
    lines.push(unigram);
    return lines;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const parts = argv.parts as number[];
const report = [`# bench:predict`, '', `corpus ${displayPath(argv.corpus)}, dim ${DIM}, top-${K}, ${new Date().toISOString()}`, ''];
if (parts.includes(1)) report.push('## Test time', '', ...(await part1(argv.corpus)), '');
if (parts.includes(2)) report.push('## predict --eval', '', ...(await part2(argv.corpus)), '');
mkdirSync(argv.out, { recursive: true });
writeFileSync(join(argv.out, 'predict.md'), `${report.join('\n')}\n`);
process.stdout.write(`${report.join('\n')}\n`);
