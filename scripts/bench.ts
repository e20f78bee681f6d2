#!/usr/bin/env node
/**
 * `npm run bench`: trains w2v and its peers (C word2vec, gensim, fastText) on the same corpus with
 * the same settings and thread count, one tool at a time, then scores every output with the same
 * evaluator (scripts/bench_evaluate.py) and reports speed, memory, quality and the ratio to w2v.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { prepareCorpus } from './bench/corpus.js';
import { capture, findPython, jsonReport, lastLine, measure } from './bench/measure.js';
import { markdown, summarizeRuns, textTable, type Quality, type Row } from './bench/report.js';
import { jobSettings, makeTools, MODES, TOOL_NAMES, type Job, type Mode, type ToolName } from './bench/tools.js';
import { DATA, ROOT, displayPath, requireInputs } from './paths.js';


const argv = yargs(hideBin(process.argv))
  .scriptName('bench')
  .usage('$0 [options]\n\nBenchmark w2v against C word2vec, gensim and fastText (run tools sequentially).')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz'), desc: 'corpus (.txt or .gz)' })
  .option('mode', { type: 'array', string: true, choices: MODES, default: [...MODES], desc: 'one or more modes' })
  .option('epochs', { type: 'number', default: 5 })
  .option('workers', { type: 'number', default: 2, desc: 'threads for every tool' })
  .option('dim', { type: 'number', default: 100 })
  .option('tools', { type: 'array', string: true, choices: TOOL_NAMES, default: [...TOOL_NAMES] })
  .option('out', { type: 'string', default: join(ROOT, '.bench/results'), desc: 'results directory' })
  .option('gensim-reader', { choices: ['iterable', 'corpus_file'] as const, default: 'iterable' as const,
    desc: 'gensim input: LineSentence, or corpus_file (faster, trains fewer words: see bench_train_gensim.py)' })
  .option('timeout', { type: 'number', default: 3600, desc: 'seconds allowed per training run' })
  .option('keep-vectors', { type: 'boolean', default: false, desc: 'keep trained vectors in <out>/runs' })
  .option('repeat', { type: 'number', default: 3,
    desc: 'runs per tool and mode, in rounds over all of them; the table shows the median wall time and its range' })
  .help()
  .parseSync();
requireInputs('bench', { corpus: argv.corpus });

function evaluate(python: string, vectors: string, binary: boolean): Quality {
  const out = capture(python, [join(ROOT, 'scripts/bench_evaluate.py'), vectors, '--binary', binary ? '1' : '0',
    '--analogies', join(DATA, 'questions-words.txt'),
    '--pairs', `ws353=${join(DATA, 'wordsim353.tsv')}`, '--pairs', `mturk=${join(DATA, 'mturk771.txt')}`]);
  if (out === undefined) throw new Error('evaluator failed');
  return JSON.parse(out) as Quality;
}

const quote = (a: string): string => (/^[\w./=:+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

async function main(): Promise<void> {
  const outDir = resolve(argv.out);
  const runDir = join(outDir, 'runs');
  mkdirSync(runDir, { recursive: true });
  const python = findPython();
  const tools = makeTools(ROOT, python);
  const modes = [...new Set(argv.mode as Mode[])];
  const wanted = TOOL_NAMES.filter((t) => (argv.tools as ToolName[]).includes(t));

  console.log(`corpus: ${displayPath(argv.corpus)} (preparing plain text in .bench/cache, not timed)`);
  const corpus = await prepareCorpus(argv.corpus, join(ROOT, '.bench/cache'));
  console.log(`corpus: ${corpus.tokens.toLocaleString('en-US')} tokens, ${corpus.bytes.toLocaleString('en-US')} bytes`);
  if (!python) console.log('note: no python3 with gensim, so gensim is skipped and quality is not scored');

  const repeat = Math.max(1, Math.floor(argv.repeat));
  const rows: Row[] = [];
  const rowOf = new Map<string, Row>();
  // Rounds over every tool and mode rather than one tool's runs back to back, so that a slow
  // stretch of a shared machine falls on all tools instead of on one.
  for (let round = 1; round <= repeat; round++) {
    for (const mode of modes) {
      for (const name of wanted) {
        const tool = tools[name];
        let row = rowOf.get(`${name} ${mode}`);
        if (!row) {
          row = { tool: name, mode, status: 'ok', runs: [] };
          rowOf.set(`${name} ${mode}`, row);
          rows.push(row);
          const missing = tool.missing();
          if (missing) {
            Object.assign(row, { status: 'skipped', message: missing });
            console.log(`skip ${name} ${mode}: ${missing}`);
          }
        }
        if (row.status !== 'ok') continue;
        const job: Job = {
          ...jobSettings(mode), epochs: argv.epochs, workers: argv.workers, dim: argv.dim, window: 5,
          sample: 1e-3, minCount: 5, text: corpus.text, lines: corpus.lines, gensimReader: argv['gensim-reader'],
          outPrefix: join(runDir, `${name}-${mode}`),
        };
        const inv = tool.invocation(job);
        row.command = [inv.cmd, ...inv.args].map(quote).join(' ');
        const base = join(runDir, `${name}-${mode}`);
        rmSync(inv.vectors, { force: true });
        const loadBefore = os.loadavg()[0];
        console.log(`run  ${name} ${mode}${repeat > 1 ? ` (round ${round}/${repeat})` : ''}: ${row.command}`);
        try {
          const m = await measure(python ?? 'python3', inv.cmd, inv.args,
            { stdout: `${base}.stdout.log`, stderr: `${base}.stderr.log`, stats: `${base}.stats.json` }, argv.timeout);
          row.runs!.push({ wallSeconds: m.wallSeconds, peakRssMB: m.peakRssMB, cpuSeconds: m.cpuSeconds, loadBefore });
          if (name === 'w2v' && round === 1) row.w2vReport = jsonReport(`${base}.stdout.log`);
        } catch (e) {
          Object.assign(row, { status: 'failed', message: (e as Error).message });
          console.log(`FAIL ${name} ${mode}: ${row.message}`);
          continue;
        }
        const last = row.runs!.at(-1)!;
        // Every round's vectors are scored (about 11 s each): one run's analogy accuracy moves by
        // about a point, so the table shows the median (medianQuality).
        if (python) {
          try {
            last.quality = evaluate(python, inv.vectors, inv.binary);
          } catch (e) {
            row.qualityError = `${(e as Error).message}; vectors ${inv.vectors}: ${lastLine(`${base}.stderr.log`)}`;
          }
        }
        console.log(`done ${name} ${mode}: ${last.wallSeconds.toFixed(2)} s, `
          + `${Math.round((corpus.tokens * argv.epochs) / last.wallSeconds)} words/s, `
          + `${last.peakRssMB.toFixed(0)} MB, analogy ${last.quality?.analogy?.accuracy.toFixed(4) ?? '–'}`);
        if (!argv['keep-vectors']) for (const f of [inv.vectors, `${job.outPrefix}.bin`, `${job.outPrefix}.vec`]) rmSync(f, { force: true });
      }
    }
  }
  for (const row of rows) summarizeRuns(row, corpus.tokens * argv.epochs);

  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? os.cpus()[0]?.model;
  const meta = {
    date: new Date().toISOString(),
    machine: { cpu, cores: os.availableParallelism(), memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
      node: process.version, python: python ? capture(python, ['--version']) : undefined },
    versions: Object.fromEntries(wanted.map((t) => [t, tools[t].missing() ? 'not installed' : tools[t].version()])),
    corpus: { source: corpus.source, text: corpus.text, bytes: corpus.bytes, tokens: corpus.tokens },
    settings: { modes, repeat, epochs: argv.epochs, workers: argv.workers, dim: argv.dim, window: 5, sample: 1e-3,
      minCount: 5, negative: '5 (ns) / 0 (hs)', alpha: '0.025 sg / 0.05 cbow', minAlpha: 'alpha × 1e-4 (gensim)' },
    method: {
      wall: 'process start to exit (vectors written), measured by a Python parent around the tool; '
        + 'with --repeat, the median over the runs (range in brackets)',
      wordsPerSecond: 'corpus whitespace tokens × epochs / wall',
      peakRss: 'ru_maxrss of the tool process from wait4()',
      cpu: 'user + system CPU seconds of the tool process',
      quality: 'gensim KeyedVectors: evaluate_word_analogies(restrict_vocab=30000, case_insensitive) and '
        + 'evaluate_word_pairs Spearman on WordSim-353 and MTurk-771, on every run\'s vectors; the median '
        + 'of each score over the runs (analogy range in brackets)',
      gensimInput: argv['gensim-reader'] === 'iterable'
        ? 'LineSentence(max_sentence_length=10000) on the plain text'
        : 'corpus_file mode on the same text with lines cut at 10,000 tokens',
      sentenceCut: 'w2v and gensim cut lines at 10,000 tokens; C word2vec at 1,000 and fastText at 1,024 '
        + '(their built-in limits)',
    },
  };
  // The 1-minute load average still carries the previous tool's own threads (up to `workers`),
  // so only load beyond that points at other work on the machine.
  const busy = rows.filter((r) => (r.runs ?? []).some((run) => run.loadBefore > argv.workers + 0.5));
  if (busy.length) {
    console.log(`\nwarning: other work was running before ${busy.map((r) => `${r.tool} ${r.mode}`).join(', ')} `
      + `(1-min load > ${argv.workers + 0.5}): wall times include contention; CPU s is less affected`);
  }
  const table = textTable(rows);
  console.log(`\n${table}\n`);
  writeFileSync(join(outDir, 'bench.json'), JSON.stringify({ ...meta, results: rows }, null, 2) + '\n');
  writeFileSync(join(outDir, 'bench.md'), markdown(rows, meta));
  console.log(`results: ${join(outDir, 'bench.json')} and bench.md`);
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).message ?? String(e)}`);
  process.exit(1);
});
