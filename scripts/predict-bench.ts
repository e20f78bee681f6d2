#!/usr/bin/env node
/**
 * `npm run bench:predict`: what each way around the softmax costs at test time, and what it
 * predicts. Part 1, at vocabulary sizes from 1,000 to the corpus's whole: µs per top-10
 * prediction by each output layer's own search (the softmax scan, dsoftmax's bands, the hs tree
 * search, ...) and by a maximum-inner-product index (hnswlib) over the softmax's output rows,
 * each with its recall of the same model's exact top-10 (scripts/losses/test-time.ts). Part 2: `w2v predict --eval` of CBOW models (ns, hs, nce, sampled) trained on
 * the corpus less its last tokens and scored on them, beside a unigram model.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { readSentences } from '../src/corpus/sentences.js';
import { Model } from '../src/query/model.js';
import { scorePredictions } from '../src/query/prediction-eval.js';
import { trainEmbeddings } from '../src/train/trainer.js';
import { savedModelOf } from '../src/vectors/model-file.js';
import { measureTestTime } from './losses/test-time.js';
import { splitCorpus } from './study/corpus.js';
import { DATA, ROOT, displayPath, requireInputs } from './paths.js';

const argv = yargs(hideBin(process.argv))
  .scriptName('bench:predict')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz') })
  .option('sizes', { type: 'array', number: true, default: [1000, 3000, 10_000, 30_000, 0], desc: 'vocabulary sizes (0: every word of min-count 1)' })
  .option('queries', { type: 'number', default: 300, desc: 'predictions timed per method and size' })
  .option('agreement-queries', { type: 'number', default: 30, desc: 'predictions checked against a brute-force top-10 per method and size' })
  .option('held-out', { type: 'number', default: 200_000, desc: 'tokens at the end of the corpus that part 2 scores' })
  .option('parts', { type: 'array', number: true, default: [1, 2] })
  .option('out', { type: 'string', default: join(ROOT, '.bench/predict') })
  .help()
  .parseSync();
requireInputs('bench:predict', { corpus: argv.corpus });

const K = 10;
const DIM = 100;
const log = (line: string) => process.stderr.write(`bench:predict: ${line}\n`);

async function part1(corpus: string): Promise<string[]> {
  const lines: string[] = [];
  for (const size of argv.sizes as number[]) {
    const cells = await measureTestTime(corpus, size, { dim: DIM, k: K, queries: argv.queries, agreementQueries: argv['agreement-queries'], workers: 2 });
    if (lines.length === 0) {
      lines.push(
        `| vocabulary | ${cells.map((c) => `${c.label} µs (× scan) | recall@${K}`).join(' | ')} |`,
        `|---:|${cells.map(() => '---:|---:').join('|')}|`,
      );
    }
    const scan = cells.find((c) => c.method === 'softmax')!.microseconds;
    lines.push(`| ${cells[0].vocabularySize.toLocaleString('en-US')} | ${cells.map((c) => `${c.microseconds.toFixed(1)} (${(scan / c.microseconds).toFixed(1)}×) | ${c.recall.toFixed(3)}`).join(' | ')} |`);
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
