#!/usr/bin/env node
/**
 * `npm run bench:phrases`: how fast `w2v phrases` joins collocations, next to C word2phrase on
 * the same file (the text repeated to about 100 MB, in a temporary folder outside the
 * repository), and how far the two agree on the text itself: distinct phrases each, and those
 * both form, for one pass at the threshold and for C's demo of two passes (200, then 100).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { prepareCorpus, repeated } from './bench/corpus.js';
import { findPython, measure, type Measurement } from './bench/measure.js';
import { median } from './bench/report.js';
import { DATA, ROOT, W2V_MAIN, displayPath, requireInputs } from './paths.js';

const C_WORD2PHRASE = join(ROOT, 'node_modules/word2vec/src/word2phrase');

const argv = yargs(hideBin(process.argv))
  .scriptName('bench:phrases')
  .usage('$0 [options]\n\nw2v phrases against C word2phrase: MB/s on a large file, agreement on the corpus.')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz'), desc: 'corpus (.txt or .gz)' })
  .option('copies', { type: 'number', default: 8, desc: 'the timed file is the text this many times on one line' })
  .option('threshold', { type: 'number', default: 100, desc: 'threshold of the timed pass and of the one-pass agreement' })
  .option('min-count', { type: 'number', default: 5 })
  .option('workers', { type: 'number', default: 2, desc: 'reader threads for w2v (C word2phrase has one)' })
  .option('repeat', { type: 'number', default: 3, desc: 'timed runs per tool; medians are shown' })
  .option('work', { type: 'string', default: join(os.tmpdir(), 'w2v-bench-phrases'), desc: 'folder for the large file and the outputs (outside the repository)' })
  .help()
  .parseSync();
requireInputs('bench:phrases', { corpus: argv.corpus });

/** The distinct tokens with "_" that a phrased text holds (the input has none of its own, as text8). */
function phrasesIn(file: string): Set<string> {
  return new Set(readFileSync(file, 'latin1').split(/\s+/).filter((token) => token.includes('_')));
}

/** The text's tokens, whatever its spacing (C starts each word with a space; w2v separates them by one). */
function tokensIn(file: string): string[] {
  return readFileSync(file, 'latin1').split(/\s+/).filter(Boolean);
}

interface Timed {
  tool: string;
  runs: Measurement[];
}

async function main(): Promise<void> {
  const work = argv.work;
  mkdirSync(work, { recursive: true });
  const python = findPython() ?? 'python3';
  const corpus = await prepareCorpus(argv.corpus, work);
  const big = await repeated(corpus.text, argv.copies, work);
  const bytes = statSync(big).size;
  const logs = (name: string) => ({ stdout: join(work, `${name}.out`), stderr: join(work, `${name}.err`), stats: join(work, `${name}.json`) });
  const w2vArgs = (input: string, output: string, threshold: string, passes = 1) =>
    [W2V_MAIN, 'phrases', input, '--out', output, '--threshold', threshold, '--passes', String(passes), '--min-count', String(argv.minCount),
      '--workers', String(argv.workers), '--no-progress'];
  const cArgs = (input: string, output: string, threshold: string) =>
    ['-train', input, '-output', output, '-threshold', threshold, '-min-count', String(argv.minCount), '-debug', '0'];
  const hasC = existsSync(C_WORD2PHRASE);

  const timed: Timed[] = [{ tool: 'w2v phrases', runs: [] }, ...(hasC ? [{ tool: 'C word2phrase', runs: [] }] : [])];
  for (let round = 0; round < argv.repeat; round++) {
    timed[0].runs.push(await measure(python, process.execPath, w2vArgs(big, join(work, 'w2v-big.txt'), String(argv.threshold)), logs('w2v'), 1200));
    if (hasC) timed[1].runs.push(await measure(python, C_WORD2PHRASE, cArgs(big, join(work, 'c-big.txt'), String(argv.threshold)), logs('c'), 1200));
  }
  console.log(`timed file: ${argv.copies} × ${displayPath(argv.corpus)} decompressed, on one line (${(bytes / 1e6).toFixed(1)} MB, in ${work}); ` +
    `threshold ${argv.threshold}, min-count ${argv.minCount}, w2v --workers ${argv.workers}; medians of ${argv.repeat}`);
  console.log('| tool | seconds (median, range) | MB/s | peak RSS MB | vs C |');
  console.log('|---|---|---|---|---|');
  const cSeconds = hasC ? median(timed[1].runs.map((m) => m.wallSeconds)) : undefined;
  for (const row of timed) {
    const seconds = row.runs.map((m) => m.wallSeconds);
    const s = median(seconds);
    const rss = Math.max(...row.runs.map((m) => m.peakRssMB));
    const vsC = cSeconds === undefined ? '' : `${(cSeconds / s).toFixed(2)}×`;
    console.log(`| ${row.tool} | ${s.toFixed(2)} (${Math.min(...seconds).toFixed(2)}–${Math.max(...seconds).toFixed(2)}) | ${(bytes / 1e6 / s).toFixed(1)} | ${rss.toFixed(0)} | ${vsC} |`);
  }

  if (!hasC) {
    console.log('\nnode_modules/word2vec/src/word2phrase is not built: no agreement to measure');
    return;
  }
  console.log(`\nagreement on ${displayPath(argv.corpus)} (${corpus.tokens} tokens):`);
  console.log('| run | w2v phrases | C phrases | both | tokens identical |');
  console.log('|---|---|---|---|---|');
  const schedules: { name: string; thresholds: string[] }[] = [
    { name: `1 pass, threshold ${argv.threshold}`, thresholds: [String(argv.threshold)] },
    { name: '2 passes, 200 then 100 (C\'s demo)', thresholds: ['200', '100'] },
  ];
  for (const { name, thresholds } of schedules) {
    const ours = join(work, 'w2v-agree.txt');
    await measure(python, process.execPath, w2vArgs(corpus.text, ours, thresholds.join(','), thresholds.length), logs('w2v-agree'), 600);
    let input = corpus.text;
    for (const [k, threshold] of thresholds.entries()) {
      const output = join(work, `c-agree-${k}.txt`);
      await measure(python, C_WORD2PHRASE, cArgs(input, output, threshold), logs('c-agree'), 600);
      input = output;
    }
    const [w, c] = [phrasesIn(ours), phrasesIn(input)];
    const both = [...w].filter((phrase) => c.has(phrase)).length;
    // C drops the last word of a file that does not end in whitespace (text8 does not).
    const [wt, ct] = [tokensIn(ours), tokensIn(input)];
    const same = wt.length >= ct.length && ct.every((token, i) => token === wt[i]);
    const tokens = same ? (wt.length === ct.length ? 'yes' : `yes, but for the last ${wt.length - ct.length}: C drops the last word of each pass's input`) : 'no';
    console.log(`| ${name} | ${w.size} | ${c.size} | ${both} | ${tokens} |`);
  }
  for (const name of ['w2v-big.txt', 'c-big.txt', 'w2v-agree.txt', 'c-agree-0.txt', 'c-agree-1.txt']) rmSync(join(work, name), { force: true });
  console.log(`\nnode ${process.version}; C: npm word2vec's word2phrase`);
}

main().catch((error: unknown) => {
  console.error(`bench:phrases: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
