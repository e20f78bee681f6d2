#!/usr/bin/env node
/**
 * `npm run bench:losses`: words/s of every output layer w2v has, on one corpus and vocabulary,
 * skip-gram and CBOW, side by side in one run, with each one's speed-up over the exact softmax
 * and the exact losses' arithmetic rate next to the search kernel's. The fast losses train one
 * epoch; the exact ones, O(V·d) per prediction, a fixed slice of it (--slice words), which
 * times them steadily in a fraction of the time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BENCH_CONFIGS } from './losses/configs.js';
import { dotKernelGflops, runLoss, type LossRun } from './losses/measure.js';
import { DATA, ROOT, displayPath, requireInputs } from './paths.js';


const argv = yargs(hideBin(process.argv))
  .scriptName('bench:losses')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz') })
  .option('max-vocab', { type: 'number', default: 10_000 })
  .option('dim', { type: 'number', default: 100 })
  .option('workers', { type: 'number', default: 2 })
  .option('models', { type: 'array', string: true, choices: ['sg', 'cbow'], default: ['sg', 'cbow'] })
  .option('losses', { type: 'array', string: true, choices: BENCH_CONFIGS.map((c) => c.id), default: BENCH_CONFIGS.filter((c) => !c.variantOf).map((c) => c.id) })
  .option('slice', { type: 'number', default: 40_000, desc: 'corpus words the exact losses train on (sg; cbow trains 4x as many)' })
  .option('out', { type: 'string', default: join(ROOT, '.bench/losses') })
  .help()
  .parseSync();
requireInputs('bench:losses', { corpus: argv.corpus });

function fixed(x: number | undefined, digits: number): string {
  return x === undefined ? '' : x.toFixed(digits);
}

const runs: LossRun[] = [];
for (const model of argv.models as Array<'sg' | 'cbow'>) {
  for (const id of argv.losses) {
    const config = BENCH_CONFIGS.find((c) => c.id === id)!;
    const maxWords = config.exact ? argv.slice * (model === 'cbow' ? 4 : 1) : 0;
    const { run } = await runLoss(argv.corpus, config, {
      model, dim: argv.dim, maxVocab: argv['max-vocab'], workers: argv.workers, epochs: 1, maxWords,
    });
    runs.push(run);
    process.stderr.write(`bench:losses: ${model} ${id}: ${Math.round(run.wordsPerSecond)} words/s over ${run.wordsSeen} words in ${run.trainSeconds.toFixed(1)} s\n`);
  }
}
const dots = dotKernelGflops(runs[0]?.vocabularySize ?? argv['max-vocab'], argv.dim);

const lines = [
  `corpus ${displayPath(argv.corpus)}, vocabulary ${runs[0]?.vocabularySize}, dim ${argv.dim}, ${argv.workers} workers, one epoch (exact losses: ${argv.slice} words sg, ${4 * argv.slice} cbow)`,
  '',
  '| model | loss | words trained | train s | words/s | × softmax | predictions/s | GFLOP/s | loss/prediction |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
];
for (const run of runs) {
  const softmax = runs.find((r) => r.model === run.model && r.id === 'softmax');
  const label = BENCH_CONFIGS.find((c) => c.id === run.id)!.label;
  lines.push(
    `| ${run.model} | ${label} | ${run.wordsSeen.toLocaleString('en-US')} | ${fixed(run.trainSeconds, 1)} | ` +
      `${Math.round(run.wordsPerSecond).toLocaleString('en-US')} | ${softmax ? `${(run.wordsPerSecond / softmax.wordsPerSecond).toFixed(1)}×` : ''} | ` +
      `${Math.round(run.predictions / run.trainSeconds).toLocaleString('en-US')} | ${fixed(run.gflops, 2)} | ${run.loss.toFixed(3)} |`,
  );
}
lines.push('', `search dot kernel (dots.wasm, ${runs[0]?.vocabularySize} × ${argv.dim}, one thread): ${fixed(dots, 2)} GFLOP/s`);
const table = lines.join('\n');
process.stdout.write(`${table}\n`);
mkdirSync(argv.out, { recursive: true });
writeFileSync(join(argv.out, 'losses.json'), `${JSON.stringify({ date: new Date().toISOString(), argv: { ...argv, _: undefined }, runs, dotsGflops: dots }, null, 2)}\n`);
writeFileSync(join(argv.out, 'losses.md'), `${table}\n`);
