#!/usr/bin/env node
/**
 * `npm run bench:continue`: what training on costs in quality. The corpus is cut in two halves
 * (at the whitespace nearest its middle); one model is trained on the first half and then, with
 * `w2v train --init`, on the second; another is trained on the whole in one run with the same
 * epochs. Both are scored by `w2v evaluate` on the analogy questions; the target is that the
 * model trained on lands within 1.5 points of the one-run model.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isAsciiSpace } from '../src/corpus/token-scanner.js';
import { DATA, W2V_MAIN, displayPath, requireInputs } from './paths.js';

const TARGET_POINTS = 1.5;

const argv = yargs(hideBin(process.argv))
  .scriptName('bench:continue')
  .usage('$0 [options]\n\nHalf the corpus, then --init on the other half, against one run over the whole.')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz'), desc: 'corpus to cut in halves (.gz or plain text)' })
  .option('analogies', { type: 'string', default: join(DATA, 'questions-words.txt'), desc: 'analogy questions w2v evaluate scores' })
  .option('model', { choices: ['sg', 'cbow'] as const, default: 'cbow' as const })
  .option('loss', { choices: ['ns', 'hs'] as const, default: 'ns' as const })
  .option('epochs', { type: 'number', default: 5, desc: 'epochs of every run (each half gets them, as the whole does)' })
  .option('dim', { type: 'number', default: 100 })
  .option('workers', { type: 'number', default: 2 })
  .option('work', { type: 'string', default: join(os.tmpdir(), 'w2v-bench-continue'), desc: 'folder for the halves, models and vectors' })
  .help()
  .parseSync();
requireInputs('bench:continue', { corpus: argv.corpus, analogies: argv.analogies });

/** Runs the CLI; a failure stops the bench with the CLI's own line. */
function w2v(args: string[]): { stdout: string; seconds: number } {
  const start = performance.now();
  const run = spawnSync(process.execPath, [W2V_MAIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`w2v ${args.join(' ')}: ${run.stderr.trim() || `exit ${run.status}`}`);
  return { stdout: run.stdout, seconds: (performance.now() - start) / 1000 };
}

/** The text cut after the whitespace byte nearest its middle, so no token is split. */
function halves(text: Buffer): [Buffer, Buffer] {
  let cut = text.length >> 1;
  while (cut < text.length && !isAsciiSpace(text[cut])) cut++;
  return [text.subarray(0, cut), text.subarray(cut)];
}

function analogyAccuracy(vectors: string): number {
  const { stdout } = w2v(['evaluate', vectors, '--analogies', argv.analogies, '--json']);
  return (JSON.parse(stdout) as { analogy: { accuracy: number } }).analogy.accuracy * 100;
}

function main(): void {
  mkdirSync(argv.work, { recursive: true });
  const bytes = readFileSync(argv.corpus);
  const text = argv.corpus.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  const [first, second] = halves(text);
  const files = { whole: join(argv.work, 'whole.txt'), first: join(argv.work, 'first.txt'), second: join(argv.work, 'second.txt') };
  writeFileSync(files.whole, text);
  writeFileSync(files.first, first);
  writeFileSync(files.second, second);
  const shared = ['--model', argv.model, '--loss', argv.loss, '--epochs', String(argv.epochs), '--dim', String(argv.dim), '--workers', String(argv.workers), '--no-progress'];
  const out = (name: string) => join(argv.work, `${name}.bin`);
  const firstModel = join(argv.work, 'first.w2vmodel');

  const whole = w2v(['train', files.whole, '--out', out('whole'), ...shared]);
  const half = w2v(['train', files.first, '--out', out('first'), '--save-model', firstModel, ...shared]);
  // --init takes the model's options; only the run's own are given again.
  const on = w2v(['train', files.second, '--init', firstModel, '--out', out('on'), '--epochs', String(argv.epochs), '--workers', String(argv.workers), '--no-progress']);
  const initLine = on.stdout.split('\n').find((line) => line.startsWith('init:')) ?? '';
  const words = (stdout: string) => /: (\d+) words x/.exec(stdout)?.[1] ?? '?';

  const scores = { whole: analogyAccuracy(out('whole')), first: analogyAccuracy(out('first')), on: analogyAccuracy(out('on')) };
  console.log(`corpus: ${displayPath(argv.corpus)} cut in halves of ${first.length} and ${second.length} bytes; ${argv.model}-${argv.loss}, dim ${argv.dim}, ${argv.epochs} epochs, ${argv.workers} workers`);
  console.log(`analogies: ${displayPath(argv.analogies)} (w2v evaluate: 30,000 most frequent words)`);
  console.log('| run | words | train s | analogy accuracy % |');
  console.log('|---|---|---|---|');
  console.log(`| whole, one run | ${words(whole.stdout)} | ${whole.seconds.toFixed(1)} | ${scores.whole.toFixed(2)} |`);
  console.log(`| first half | ${words(half.stdout)} | ${half.seconds.toFixed(1)} | ${scores.first.toFixed(2)} |`);
  console.log(`| first half, then --init on the second | ${words(on.stdout)} | ${(half.seconds + on.seconds).toFixed(1)} | ${scores.on.toFixed(2)} |`);
  const gap = scores.whole - scores.on;
  console.log(`\n${initLine}`);
  console.log(`gap: ${gap.toFixed(2)} points below the one run (target: within ${TARGET_POINTS}): ${gap <= TARGET_POINTS ? 'met' : 'missed'}`);
  console.log(`node ${process.version}`);
}

try {
  main();
} catch (error) {
  console.error(`bench:continue: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
