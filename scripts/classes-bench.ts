#!/usr/bin/env node
/**
 * `npm run bench:classes`: how long `w2v classes` takes at two vocabulary sizes, on vectors
 * trained from the same corpus at two min-counts (22,541 and 80,982 words for the text8
 * prefix at min-count 5 and 1). The vectors are trained once per min-count and kept.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { findPython, measure, type Measurement } from './bench/measure.js';
import { median } from './bench/report.js';
import { DATA, W2V_MAIN, displayPath, requireInputs } from './paths.js';

const argv = yargs(hideBin(process.argv))
  .scriptName('bench:classes')
  .usage('$0 [options]\n\nw2v classes -k K on vectors of two vocabulary sizes.')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz'), desc: 'corpus the vectors are trained on' })
  .option('min-count', { type: 'array', number: true, default: [5, 1], desc: 'one vocabulary size per min-count' })
  .option('epochs', { type: 'number', default: 3, desc: 'epochs of the training that makes the vectors' })
  .option('k', { type: 'number', default: 500, desc: 'classes' })
  .option('repeat', { type: 'number', default: 3, desc: 'timed runs per size; medians are shown' })
  .option('work', { type: 'string', default: join(os.tmpdir(), 'w2v-bench-classes'), desc: 'folder for the vectors and outputs' })
  .help()
  .parseSync();
requireInputs('bench:classes', { corpus: argv.corpus });

async function main(): Promise<void> {
  mkdirSync(argv.work, { recursive: true });
  const python = findPython() ?? 'python3';
  const logs = (name: string) => ({ stdout: join(argv.work, `${name}.out`), stderr: join(argv.work, `${name}.err`), stats: join(argv.work, `${name}.json`) });
  console.log(`vectors: w2v train ${displayPath(argv.corpus)} --epochs ${argv.epochs} (CBOW, dim 100) at each min-count; w2v classes -k ${argv.k}; medians of ${argv.repeat}`);
  console.log('| min-count | words | seconds (median, range) | rounds | peak RSS MB |');
  console.log('|---|---|---|---|---|');
  for (const minCount of argv.minCount) {
    const vectors = join(argv.work, `vectors-mc${minCount}-e${argv.epochs}.bin`);
    if (!existsSync(vectors)) {
      await measure(python, process.execPath, [W2V_MAIN, 'train', argv.corpus, '--out', vectors, '--min-count', String(minCount),
        '--epochs', String(argv.epochs), '--no-progress'], logs('train'), 1800);
    }
    const runs: Measurement[] = [];
    let summary = '';
    for (let round = 0; round < argv.repeat; round++) {
      runs.push(await measure(python, process.execPath, [W2V_MAIN, 'classes', vectors, '-k', String(argv.k), '--out', join(argv.work, 'classes.txt'),
        '--no-progress'], logs('classes'), 1800));
      summary = readFileSync(logs('classes').stdout, 'utf8');
    }
    const words = /: (\d+) words in/.exec(summary)?.[1] ?? '?';
    const rounds = /; (\d+ rounds of k-means(?: \(converged\))?)/.exec(summary)?.[1] ?? '?';
    const seconds = runs.map((m) => m.wallSeconds);
    console.log(`| ${minCount} | ${words} | ${median(seconds).toFixed(2)} (${Math.min(...seconds).toFixed(2)}–${Math.max(...seconds).toFixed(2)}) | ${rounds} | ${Math.max(...runs.map((m) => m.peakRssMB)).toFixed(0)} |`);
  }
  console.log(`\nnode ${process.version}`);
}

main().catch((error: unknown) => {
  console.error(`bench:classes: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
