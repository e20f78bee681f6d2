#!/usr/bin/env node
/**
 * `npm run study`: how the ways of avoiding the full softmax compare, measured in one trainer.
 * Part 1 times every loss against the vocabulary size; part 2 gives every loss the same
 * wall-clock budget and scores what it learned; part 3 gives every loss the same data (one
 * epoch of one slice). Results go to <out>/study/results.json after every run (a cut-short study
 * resumes where it stopped; --redo repeats runs), then the charts and <out>/softmax.md are made
 * from results.json alone.
 */
import os from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { LOSS_CONFIGS, type LossConfig } from './losses/configs.js';
import { runLoss } from './losses/measure.js';
import { renderCharts } from './study/charts.js';
import { splitCorpus, type StudyCorpus } from './study/corpus.js';
import { writeDocument } from './study/document.js';
import { COST_CONFIGS, costRunFor, extrapolatedRate, makePlan, trainedWordsPerSecond, vocabularyOptions } from './study/plan.js';
import { scoreModel, type EvaluationData } from './study/quality.js';
import { loadResults, repeatCount, runKey, saveResults, withRepeat, type PartName, type StudyResults, type StudyRun } from './study/results.js';
import { DATA, ROOT, displayPath, requireInputs } from './paths.js';


const argv = yargs(hideBin(process.argv))
  .scriptName('study')
  .usage('$0 [options]\n\nTrain every loss on one corpus; write results.json, SVG charts and softmax.md.')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz') })
  .option('out', { type: 'string', default: join(ROOT, 'docs'), desc: 'writes <out>/softmax.md and <out>/study/' })
  .option('quick', { type: 'boolean', default: false, desc: 'a small grid, for a check in minutes' })
  .option('parts', { type: 'array', string: true, choices: ['cost', 'time', 'epochs'], default: ['cost', 'time', 'epochs'] })
  .option('redo', { type: 'boolean', default: false, desc: 'run again what results.json already has' })
  .option('workers', { type: 'number', default: 2 })
  .option('budget', { type: 'number', desc: 'seconds of training per loss in part 2 [default: 30, --quick 0.2]' })
  .option('analogies', { type: 'string', default: join(DATA, 'questions-words.txt') })
  .option('ws353', { type: 'string', default: join(DATA, 'wordsim353.tsv') })
  .option('mturk', { type: 'string', default: join(DATA, 'mturk771.txt') })
  .help()
  .parseSync();
requireInputs('study', { corpus: argv.corpus, analogies: argv.analogies, ws353: argv.ws353, mturk: argv.mturk });

const plan = makePlan(argv.quick, argv.workers, argv.budget);
const resultsFile = join(argv.out, 'study', 'results.json');
const studyStart = performance.now();

function fresh(digest: string): StudyResults {
  return {
    version: 1, corpus: displayPath(argv.corpus), corpusDigest: digest, quick: argv.quick, settings: {}, partSeconds: {}, runs: {},
    machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  };
}

/** The runs of an earlier study on the same text and grid are kept; anything else starts afresh. */
function resume(digest: string): StudyResults {
  const previous = loadResults(resultsFile);
  const same = previous && previous.corpusDigest === digest && previous.quick === argv.quick;
  const results = same ? previous : fresh(digest);
  results.settings = { ...plan, ...plan.base, workers: argv.workers };
  return results;
}

function log(line: string): void {
  const elapsed = (performance.now() - studyStart) / 1000;
  process.stderr.write(`study [${Math.floor(elapsed / 60)}:${String(Math.floor(elapsed % 60)).padStart(2, '0')}] ${line}\n`);
}

interface Step {
  key: string;
  part: PartName;
  label: string;
  /** Which run of its cell this step is: a fast loss's cost cell is measured in several passes. */
  pass: number;
  /** `previous`: the cell's runs so far (none on a first pass). */
  run(previous: StudyRun | undefined): Promise<StudyRun>;
}

function sizeLabel(size: number): string {
  return size === 0 ? 'all words' : `V ${size}`;
}

async function measureStep(
  part: PartName, config: LossConfig, model: 'sg' | 'cbow', size: number, words: number, epochs: number,
  score?: EvaluationData, maxSeconds = 0,
): Promise<StudyRun> {
  const started = performance.now();
  const { run, model: trained } = await runLoss(corpus.train, config, {
    ...plan.base, ...vocabularyOptions(size), model, epochs, maxWords: words, maxSeconds,
  });
  const quality = score ? await scoreModel(trained, score) : undefined;
  return {
    ...run, part, sizeAsked: size, wordsBudget: words, epochs, quality,
    stepSeconds: (performance.now() - started) / 1000, finishedAt: new Date().toISOString(),
  };
}

/**
 * Part 1: every loss at every vocabulary size. A fast loss's slice trains for about a second, so
 * its cell is the median of plan.fastRepeats runs, taken in separate passes over the grid: a slow
 * stretch of the machine lasting seconds then falls on one run of a cell, not on all of them.
 */
function costSteps(): Step[] {
  const cells: Array<{ key: string; label: string; config: LossConfig; model: 'sg' | 'cbow'; size: number }> = [];
  for (const model of plan.models) {
    for (const size of plan.sizes) {
      for (const config of COST_CONFIGS) {
        cells.push({ key: runKey('cost', model, config.id, size), label: `${model} ${config.label}, ${sizeLabel(size)}`, config, model, size });
      }
    }
  }
  const fastRun = (cell: (typeof cells)[number], pass: number): Step => ({
    key: cell.key, part: 'cost', pass,
    label: pass === 1 ? cell.label : `${cell.label}, run ${pass}`,
    run: async (previous) => withRepeat(previous, await measureStep('cost', cell.config, cell.model, cell.size, plan.fastSlice[cell.model], 1000)),
  });
  const exactRun = ({ key, label, config, model, size }: (typeof cells)[number]): Step => ({
    key, part: 'cost', pass: 1, label,
    run: async () => {
      const vocabulary = size === 0 ? corpus.trainVocabulary : Math.min(size, corpus.trainVocabulary);
      let rate = extrapolatedRate(results, model, config.id, vocabulary);
      if (rate === undefined) {
        // No smaller vocabulary measured yet: a short pilot run gives the rate.
        rate = trainedWordsPerSecond(await measureStep('cost', config, model, size, plan.pilotWords, 1000));
      }
      return measureStep('cost', config, model, size, Math.max(plan.pilotWords, Math.round(rate * plan.costSeconds)), 1000);
    },
  });
  const steps = cells.map((cell) => (cell.config.exact ? exactRun(cell) : fastRun(cell, 1)));
  for (let pass = 2; pass <= plan.fastRepeats; pass++) {
    for (const cell of cells) if (!cell.config.exact) steps.push(fastRun(cell, pass));
  }
  return steps;
}

/** Part 2 (equal time) and part 3 (equal data) train at the quality vocabulary and are scored. */
function qualitySteps(part: 'time' | 'epochs', evaluation: EvaluationData): Step[] {
  const model = plan.qualityModel;
  return LOSS_CONFIGS.map((config) => ({
    key: runKey(part, model, config.id, plan.qualitySize),
    part,
    pass: 1,
    label: `${model} ${config.label}, ${sizeLabel(plan.qualitySize)}, ${part === 'time' ? `${plan.budgetSeconds} s` : 'one epoch'}`,
    run: async () => {
      const rateOf = (c: LossConfig) => {
        const cost = costRunFor(results, plan, c);
        if (!cost) throw new Error(`part ${part} needs part 1's run of ${c.id} at ${sizeLabel(plan.qualitySize)}: run --parts cost first`);
        return trainedWordsPerSecond(cost);
      };
      // Equal time: the budget stops every loss (--max-seconds); its words, twice what its rate
      // from part 1 predicts, only bound the run and size its tasks. Equal data: one slice for
      // all, sized so the exact softmax takes about epochSeconds.
      const words = part === 'time'
        ? Math.round(2 * rateOf(config) * plan.budgetSeconds)
        : Math.round(rateOf(LOSS_CONFIGS[0]) * plan.epochSeconds);
      // Enough passes for the words (out-of-vocabulary tokens are not trained); --max-words ends it.
      const epochs = Math.ceil(words / corpus.trainTokens) + 1;
      return measureStep(part, config, model, plan.qualitySize, words, epochs, evaluation, part === 'time' ? plan.budgetSeconds : 0);
    },
  }));
}

let corpus: StudyCorpus;
let results: StudyResults;
async function main(): Promise<void> {
  corpus = await splitCorpus(argv.corpus, join(ROOT, '.study', 'cache'), plan.heldOutTokens);
  results = resume(corpus.digest);
  log(`corpus ${displayPath(argv.corpus)}: ${corpus.trainTokens} training tokens (${corpus.trainVocabulary} distinct), ${corpus.heldOutTokens} held out`);
  const evaluation: EvaluationData = {
    cli: join(ROOT, 'dist', 'src', 'cli', 'main.js'),
    analogies: argv.analogies, ws353: argv.ws353, mturk: argv.mturk,
    heldOut: corpus.heldOut, heldOutPredictions: plan.heldOutPredictions, window: 5,
  };
  const parts = argv.parts as PartName[];
  const steps = [
    ...(parts.includes('cost') ? costSteps() : []),
    ...(parts.includes('time') ? qualitySteps('time', evaluation) : []),
    ...(parts.includes('epochs') ? qualitySteps('epochs', evaluation) : []),
  ];
  let index = 0;
  for (const step of steps) {
    index++;
    const partSteps = steps.filter((s) => s.part === step.part);
    const position = `${step.part} ${partSteps.indexOf(step) + 1}/${partSteps.length}`;
    // --redo measures a cell afresh on its first pass; its later passes add to that run.
    const previous = argv.redo && step.pass === 1 ? undefined : results.runs[step.key];
    if (previous && repeatCount(previous) >= step.pass) {
      log(`${position} ${step.label}: in results.json, kept`);
      continue;
    }
    log(`${position} ${step.label} (step ${index}/${steps.length})`);
    const run = await step.run(previous);
    results.runs[step.key] = run;
    results.partSeconds[step.part] = Object.values(results.runs)
      .filter((r) => r.part === step.part)
      .reduce((sum, r) => sum + (r.repeatRuns ?? [r]).reduce((cell, one) => cell + one.stepSeconds, 0), 0);
    saveResults(resultsFile, results);
    const quality = run.quality
      ? `; analogy ${run.quality.analogy?.toFixed(4) ?? 'n/a'}, perplexity ${run.quality.perplexity?.toFixed(1) ?? 'n/a'}`
      : '';
    const repeats = run.repeats ? ` (median of ${run.repeats.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')})` : '';
    log(`  ${Math.round(run.wordsPerSecond).toLocaleString('en-US')} words/s${repeats}, ${run.wordsSeen} words in ${run.trainSeconds.toFixed(1)} s${quality}`);
  }
  saveResults(resultsFile, results);
  const charts = await renderCharts(results, join(argv.out, 'study'));
  writeDocument(results, charts, join(argv.out, 'softmax.md'));
  log(`wrote ${resultsFile}, ${charts.length} charts and ${join(argv.out, 'softmax.md')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`study: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
