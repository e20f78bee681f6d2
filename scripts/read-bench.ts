#!/usr/bin/env node
/**
 * `npm run bench:read`: how fast the corpus is read — tokenized, counted into a vocabulary and
 * encoded — by w2v, next to C word2vec's and gensim's vocabulary building on the same file, and
 * w2v's peak memory for a one-epoch training run as the corpus grows (the same text repeated).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { prepareCorpus, repeated } from './bench/corpus.js';
import { capture, findPython, jsonReport, measure } from './bench/measure.js';
import { median } from './bench/report.js';
import { DATA, ROOT, W2V_MAIN, displayPath, requireInputs } from './paths.js';

const C_WORD2VEC = join(ROOT, 'node_modules/word2vec/src/word2vec');

const argv = yargs(hideBin(process.argv))
  .scriptName('bench:read')
  .usage('$0 [options]\n\nReading speed (w2v vs C word2vec and gensim vocabulary building) and peak memory vs corpus size.')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz'), desc: 'corpus (.txt or .gz)' })
  .option('copies', { type: 'array', number: true, default: [1, 8], desc: 'corpus sizes, as copies of the text on one line' })
  .option('workers', { type: 'number', default: 2, desc: 'threads for every tool' })
  .option('repeat', { type: 'number', default: 3, desc: 'runs per tool and size; medians are shown' })
  .option('memory', { type: 'boolean', default: true, desc: 'also measure peak RSS of w2v train --epochs 1 at each size' })
  .help()
  .parseSync();
requireInputs('bench:read', { corpus: argv.corpus });

const mbps = (bytes: number, seconds: number): number => bytes / 1e6 / seconds;

interface ReadRow {
  tool: string;
  copies: number;
  seconds: number[];
  words: number;
}

async function main(): Promise<void> {
  const work = join(ROOT, '.bench/read');
  const cache = join(ROOT, '.bench/cache');
  mkdirSync(work, { recursive: true });
  const python = findPython();
  const corpus = await prepareCorpus(argv.corpus, cache);
  const files = new Map<number, string>();
  for (const copies of argv.copies) files.set(copies, await repeated(corpus.text, copies, cache));
  const run = (name: string) => ({ stdout: join(work, `${name}.out`), stderr: join(work, `${name}.err`), stats: join(work, `${name}.json`) });
  const rows: ReadRow[] = [];
  const sizes = new Map<number, number>();
  for (const copies of argv.copies) {
    const file = files.get(copies)!;
    sizes.set(copies, corpus.bytes * copies + (copies - 1));
    const w2v: ReadRow = { tool: 'w2v read + vocabulary + encode', copies, seconds: [], words: 0 };
    const c: ReadRow = { tool: 'C word2vec vocabulary', copies, seconds: [], words: 0 };
    const gensim: ReadRow = { tool: 'gensim build_vocab (LineSentence)', copies, seconds: [], words: 0 };
    for (let round = 0; round < argv.repeat; round++) {
      // w2v: the report's read and encode phases of a run that trains on one word.
      const logs = run('w2v');
      await measure(python ?? 'python3', process.execPath, [W2V_MAIN, 'train', file, '--out', join(work, 'w2v.bin'), '--max-words', '1',
        '--epochs', '1', '--workers', String(argv.workers), '--no-progress', '--json'], logs, 600);
      const report = jsonReport(logs.stdout) as { seconds: { readAndVocabulary: number; encode: number }; vocabularySize: number };
      w2v.seconds.push(report.seconds.readAndVocabulary + report.seconds.encode);
      w2v.words = report.vocabularySize;
      // C word2vec stops after the vocabulary when no -output is given.
      if (existsSync(C_WORD2VEC)) {
        const m = await measure(python ?? 'python3', C_WORD2VEC, ['-train', file, '-save-vocab', join(work, 'c.vocab'), '-min-count', '5',
          '-threads', String(argv.workers)], run('c'), 600);
        c.seconds.push(m.wallSeconds);
        c.words = readFileSync(join(work, 'c.vocab'), 'utf8').trim().split('\n').length - 1; // less </s>
      }
      if (python) {
        const g = run('gensim');
        await measure(python, python, [join(ROOT, 'scripts/bench_vocab_gensim.py'), '--corpus', file, '--workers', String(argv.workers)], g, 600);
        const out = JSON.parse(readFileSync(g.stdout, 'utf8')) as { seconds: number; words: number };
        gensim.seconds.push(out.seconds);
        gensim.words = out.words;
      }
    }
    rows.push(w2v, ...[c, gensim].filter((row) => row.seconds.length > 0));
  }

  console.log(`corpus: ${displayPath(argv.corpus)} (${corpus.bytes} bytes), workers ${argv.workers}, ${argv.repeat} runs each, medians`);
  console.log('| corpus | tool | seconds (median, range) | MB/s | words | vs C |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    const bytes = sizes.get(row.copies)!;
    const s = median(row.seconds);
    const cRow = rows.find((r) => r.copies === row.copies && r.tool.startsWith('C '));
    const vsC = cRow ? `${(median(cRow.seconds) / s).toFixed(2)}×` : '';
    const range = `${Math.min(...row.seconds).toFixed(2)}–${Math.max(...row.seconds).toFixed(2)}`;
    console.log(`| ${row.copies}× (${(bytes / 1e6).toFixed(1)} MB) | ${row.tool} | ${s.toFixed(2)} (${range}) | ${mbps(bytes, s).toFixed(0)} | ${row.words} | ${vsC} |`);
  }

  if (argv.memory) {
    // The same training run at each size; min-count scaled with the copies keeps the vocabulary
    // (and so the model) the same, which isolates what depends on the corpus alone.
    console.log('\n| corpus | min-count | words | peak RSS MB (median) | train s |');
    console.log('|---|---|---|---|---|');
    for (const copies of argv.copies) {
      for (const minCount of [...new Set([5, 5 * copies])]) {
        const rss: number[] = [];
        let words = 0;
        let train = 0;
        for (let round = 0; round < argv.repeat; round++) {
          const logs = run('memory');
          const m = await measure(python ?? 'python3', process.execPath, [W2V_MAIN, 'train', files.get(copies)!, '--out', join(work, 'memory.bin'),
            '--epochs', '1', '--workers', String(argv.workers), '--min-count', String(minCount), '--no-progress', '--json'], logs, 1200);
          rss.push(m.peakRssMB);
          const report = jsonReport(logs.stdout) as { vocabularySize: number; seconds: { train: number } };
          words = report.vocabularySize;
          train = report.seconds.train;
        }
        console.log(`| ${copies}× | ${minCount} | ${words} | ${median(rss).toFixed(0)} (${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)}) | ${train.toFixed(1)} |`);
      }
    }
  }
  for (const name of ['w2v.bin', 'memory.bin']) rmSync(join(work, name), { force: true });
  console.log(`\nnode ${process.version}; C: ${existsSync(C_WORD2VEC) ? 'npm word2vec' : 'absent'}; gensim: ${python ? capture(python, ['-c', 'import gensim; print(gensim.__version__)']) : 'absent'}`);
}

main().catch((error: unknown) => {
  console.error(`bench:read: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
