#!/usr/bin/env node
/**
 * `npm run bench:scaling`: how w2v's training speeds up from one worker to several, next to what
 * the machine itself gives: the same 1-worker run started `workers` times at once, as separate
 * processes that share nothing (no weights, no cache lines). Their slowdown against a run alone
 * is the machine's (shared caches, memory bandwidth, the host's other tenants), so
 * `workers × t(alone) ÷ mean t(at once)` is the most a Hogwild trainer could reach here; w2v's
 * own speed-up is shown against it. Times are the training phase of w2v's --json report (reading
 * and writing do not scale with workers and are left out); times are medians over rounds, and
 * ratios are taken within each round before their median.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { crossCoreRoundTripNs } from './bench/core-latency.js';
import { prepareCorpus } from './bench/corpus.js';
import { jsonReport, measure } from './bench/measure.js';
import { median } from './bench/report.js';
import { jobSettings, makeTools, MODES, type Mode } from './bench/tools.js';
import { DATA, ROOT, requireInputs } from './paths.js';

const argv = yargs(hideBin(process.argv))
  .scriptName('bench:scaling')
  .usage('$0 [options]\n\nw2v with 1 and N workers, and N separate 1-worker runs at once (the machine\'s own ceiling).')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz'), desc: 'corpus (.txt or .gz)' })
  .option('mode', { type: 'array', string: true, choices: MODES, default: [...MODES], desc: 'one or more modes' })
  .option('workers', { type: 'number', default: 2, desc: 'the N to compare with one worker' })
  .option('epochs', { type: 'number', default: 5 })
  .option('repeat', { type: 'number', default: 3, desc: 'rounds over every mode; medians are shown' })
  .option('out', { type: 'string', default: join(ROOT, '.bench/scaling'), desc: 'results directory' })
  .help()
  .parseSync();
requireInputs('bench:scaling', { corpus: argv.corpus });

interface Timing {
  train: number;
  cpu: number;
}

async function main(): Promise<void> {
  mkdirSync(argv.out, { recursive: true });
  const corpus = await prepareCorpus(argv.corpus, join(ROOT, '.bench/cache'));
  const w2v = makeTools(ROOT, undefined).w2v;
  const n = Math.max(2, Math.floor(argv.workers));
  const modes = [...new Set(argv.mode as Mode[])];
  const results = new Map<Mode, { one: Timing[]; many: Timing[]; apart: Timing[][]; roundTripNs: number[] }>();

  const train = async (mode: Mode, workers: number, tag: string): Promise<Timing> => {
    const base = join(argv.out, `${mode}-${tag}`);
    const inv = w2v.invocation({
      ...jobSettings(mode), epochs: argv.epochs, workers, dim: 100, window: 5, sample: 1e-3, minCount: 5,
      text: corpus.text, lines: corpus.lines, gensimReader: 'iterable', outPrefix: base,
    });
    // measure() needs a Python parent for wait4(); python3 is on every machine here.
    const m = await measure('python3', inv.cmd, inv.args,
      { stdout: `${base}.stdout.log`, stderr: `${base}.stderr.log`, stats: `${base}.stats.json` }, 3600);
    for (const file of [inv.vectors, `${inv.vectors}.report.json`]) rmSync(file, { force: true });
    const report = jsonReport(`${base}.stdout.log`) as { seconds: { train: number } };
    return { train: report.seconds.train, cpu: m.cpuSeconds };
  };

  const repeat = Math.max(1, Math.floor(argv.repeat));
  for (let round = 1; round <= repeat; round++) {
    for (const mode of modes) {
      const r = results.get(mode) ?? { one: [], many: [], apart: [], roundTripNs: [] };
      results.set(mode, r);
      // Where the VM's cores sit this minute (see core-latency.ts): what a shared row costs.
      r.roundTripNs.push(await crossCoreRoundTripNs());
      r.one.push(await train(mode, 1, 'one'));
      r.many.push(await train(mode, n, 'many'));
      r.apart.push(await Promise.all(Array.from({ length: n }, (_, i) => train(mode, 1, `apart${i}`))));
      const last = (t: Timing) => t.train.toFixed(2);
      console.log(`${mode} round ${round}/${repeat}: 1 worker ${last(r.one.at(-1)!)} s, ${n} workers ${last(r.many.at(-1)!)} s, `
        + `${n} separate runs at once ${r.apart.at(-1)!.map(last).join(' / ')} s; cross-core round trip ${r.roundTripNs.at(-1)!.toFixed(0)} ns`);
    }
  }

  const header = `| mode | 1 worker (s) | ${n} workers (s) | speed-up (median of rounds) | ${n} separate 1-worker runs at once (s) | machine ceiling (median of rounds) | share of ceiling | CPU s, 1 → ${n} workers | cross-core round trip, each round (ns) |`;
  const lines = [header, `|${' --- |'.repeat(9)}`];
  const summary: Record<string, unknown> = {};
  for (const [mode, r] of results) {
    const one = median(r.one.map((t) => t.train));
    const many = median(r.many.map((t) => t.train));
    const apartMean = (round: number) => r.apart[round].reduce((sum, t) => sum + t.train, 0) / n;
    const apart = median(r.apart.map((_, round) => apartMean(round)));
    // Ratios within a round, then their median: the runs of one round are minutes apart, and the
    // machine's speed drifts more than that between rounds.
    const speedup = median(r.one.map((t, round) => t.train / r.many[round].train));
    const ceiling = median(r.one.map((t, round) => (n * t.train) / apartMean(round)));
    const cpu = [median(r.one.map((t) => t.cpu)), median(r.many.map((t) => t.cpu))];
    summary[mode] = { one, many, apart, speedup, ceiling, cpu, runs: r };
    lines.push(`| ${mode} | ${one.toFixed(2)} | ${many.toFixed(2)} | ${speedup.toFixed(2)}× | ${apart.toFixed(2)} | `
      + `${ceiling.toFixed(2)}× | ${((100 * speedup) / ceiling).toFixed(0)}% | ${cpu[0].toFixed(1)} → ${cpu[1].toFixed(1)} | `
      + `${r.roundTripNs.map((ns) => ns.toFixed(0)).join(' / ')} |`);
  }
  const table = lines.join('\n');
  console.log(`\n${table}\n`);
  const meta = { date: new Date().toISOString(), cpu: os.cpus()[0]?.model, cores: os.availableParallelism(),
    corpus: corpus.source, epochs: argv.epochs, workers: n, repeat };
  writeFileSync(join(argv.out, 'scaling.json'), JSON.stringify({ ...meta, results: summary }, null, 2) + '\n');
  writeFileSync(join(argv.out, 'scaling.md'), `${table}\n`);
  console.log(`results: ${join(argv.out, 'scaling.json')} and scaling.md`);
}

main().catch((e: unknown) => {
  console.error(`bench:scaling: ${(e as Error).message ?? String(e)}`);
  process.exit(1);
});
