#!/usr/bin/env node
/**
 * `npm run study`: how the ways of avoiding the full softmax compare, measured in one trainer.
 * Part `cost` times every loss against the vocabulary size; `curves` trains every loss once
 * over a time budget and draws its held-out perplexity against training seconds; `convergence`
 * trains every loss for a fixed number of epochs at a small vocabulary, three seeds, and
 * `frequency` reads its perplexity by the target word's frequency; `predict` times each output
 * layer's top-10 search. Results go to <out>/study/results.json after every run (a cut-short
 * study resumes where it stopped; --redo repeats runs), then the charts and <out>/softmax.md are
 * made from results.json alone.
 */
import os from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { TrainOptions } from '../src/model/options.js';
import type { ModelWeights, TrainingEvaluation } from '../src/train/training-callbacks.js';
import { LOSS_CONFIGS, type LossConfig } from './losses/configs.js';
import { runLoss } from './losses/measure.js';
import { INDEX_METHOD, TEST_TIME_CONFIGS, measureTestTime } from './losses/test-time.js';
import { renderCharts } from './study/charts.js';
import { splitCorpus, trainingSlice, type StudyCorpus } from './study/corpus.js';
import { writeDocument } from './study/document.js';
import { heldOutLikelihood } from './study/heldout.js';
import { COST_CONFIGS, CURVE_CONFIGS, LIKELIHOOD_OPTIONS, makePlan, vocabularyOptions } from './study/plan.js';
import { costRunFor, extrapolatedRate, trainedWordsPerSecond } from './study/rates.js';
import { scoreModel, type EvaluationData } from './study/quality.js';
import {
  loadResults, repeatCount, runKey, saveResults, testTimeKey, withRepeat, type CurvePoint, type PartName, type StudyResults, type StudyRun,
} from './study/results.js';
import { DATA, ROOT, displayPath, requireInputs } from './paths.js';

/** What --parts accepts: the parts that run, and frequency, whose numbers the convergence runs give. */
const PART_CHOICES = ['cost', 'curves', 'convergence', 'frequency', 'predict'] as const;

const argv = yargs(hideBin(process.argv))
  .scriptName('study')
  .usage('$0 [options]\n\nTrain every loss on one corpus; write results.json, SVG charts and softmax.md.')
  .strict()
  .option('corpus', { type: 'string', default: join(DATA, 'text8_prefix.gz') })
  .option('out', { type: 'string', default: join(ROOT, 'docs'), desc: 'writes <out>/softmax.md and <out>/study/' })
  .option('quick', { type: 'boolean', default: false, desc: 'a small grid, for a check in about a minute' })
  .option('parts', { type: 'array', string: true, choices: PART_CHOICES, default: [...PART_CHOICES] })
  .option('redo', { type: 'boolean', default: false, desc: 'run again what results.json already has' })
  .option('workers', { type: 'number', default: 2 })
  .option('budget', { type: 'number', desc: 'seconds of training per loss for the learning curves [default: 90, --quick 0.25]' })
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
    version: 2, corpus: displayPath(argv.corpus), corpusDigest: digest, quick: argv.quick, plan, settings: {}, partSeconds: {}, runs: {}, testTime: {},
    machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  };
}

/** The runs of an earlier study on the same text and grid are kept; anything else starts afresh. */
function resume(digest: string): StudyResults {
  const previous = loadResults(resultsFile);
  // The grid is part of what a run measured: runs of another grid (--budget, a changed plan) are not mixed in.
  const same = previous && previous.corpusDigest === digest && previous.quick === argv.quick && JSON.stringify(previous.plan) === JSON.stringify(plan);
  if (previous && !same) log(`${resultsFile} holds another corpus or grid: starting afresh`);
  const results = same ? previous : fresh(digest);
  results.settings = { ...plan, ...plan.base, workers: argv.workers };
  return results;
}

function log(line: string): void {
  const elapsed = (performance.now() - studyStart) / 1000;
  process.stderr.write(`study [${Math.floor(elapsed / 60)}:${String(Math.floor(elapsed % 60)).padStart(2, '0')}] ${line}\n`);
}

interface Step {
  part: PartName;
  label: string;
  /** Which run of its cell this step is: a fast loss's cost cell is measured in several passes. */
  pass: number;
  /** Whether results.json holds this step already (--redo: only later passes of a cell). */
  kept(): boolean;
  /** Runs the step, stores what it measured in `results`, and says it in one line. */
  run(): Promise<string>;
}

function sizeLabel(size: number): string {
  return size === 0 ? 'all words' : `V ${size}`;
}

const count = (x: number) => Math.round(x).toLocaleString('en-US');

/** A step that measures one run and keeps it under `key` (a cost cell adds it to the cell's runs). */
function runStep(part: PartName, key: string, label: string, pass: number, measure: (previous: StudyRun | undefined) => Promise<StudyRun>): Step {
  const previous = () => (argv.redo && pass === 1 ? undefined : results.runs[key]);
  return {
    part, label, pass,
    kept: () => {
      const run = previous();
      return run !== undefined && repeatCount(run) >= pass;
    },
    run: async () => {
      const run = await measure(previous());
      results.runs[key] = run;
      const repeats = run.repeats ? ` (median of ${run.repeats.map(count).join(', ')})` : '';
      const last = run.curve?.at(-1)?.heldOut;
      const heldOut = last ? `; held-out perplexity ${last.perplexity.toFixed(1)} (unigram ${last.unigram.perplexity.toFixed(1)})` : '';
      return `${count(run.wordsPerSecond)} words/s${repeats}, ${count(run.wordsSeen)} words in ${run.trainSeconds.toFixed(1)} s${heldOut}`;
    },
  };
}

interface Training {
  config: LossConfig;
  corpus: string;
  model: 'sg' | 'cbow';
  size: number;
  words: number;
  epochs: number;
  maxSeconds?: number;
  options?: Partial<TrainOptions>;
  /** When the held-out score is taken while training (none: the cost part). */
  evaluate?: Pick<TrainingEvaluation, 'seconds' | 'epochEnds'> & { predictions: number };
  score?: EvaluationData;
}

async function measureStep(part: PartName, t: Training): Promise<StudyRun> {
  const started = performance.now();
  const curve: CurvePoint[] = [];
  const window = plan.base.window ?? 5;
  const heldOut = (model: ModelWeights) => heldOutLikelihood(model, t.model, corpus.heldOut, window, t.evaluate!.predictions);
  const options = { ...plan.base, ...vocabularyOptions(t.size), model: t.model, epochs: t.epochs, maxWords: t.words, maxSeconds: t.maxSeconds ?? 0, ...t.options };
  const { run, model: trained } = await runLoss(t.corpus, t.config, options, t.evaluate ? {
    evaluate: {
      seconds: t.evaluate.seconds,
      epochEnds: t.evaluate.epochEnds,
      evaluate: ({ model, trainSeconds, wordsSeen, epochsDone }) => {
        curve.push({ trainSeconds, wordsSeen, epochsDone, heldOut: heldOut(model) });
      },
    },
  } : {});
  // The curves end with the trained model (unless an evaluation took it already: at the last
  // epoch end, or at a point after which the budget left no task to run).
  if (t.evaluate && curve.at(-1)?.wordsSeen !== run.wordsSeen) {
    curve.push({ trainSeconds: run.trainSeconds, wordsSeen: run.wordsSeen, epochsDone: trained.report.epochs.length, heldOut: heldOut(trained) });
  }
  const quality = t.score ? await scoreModel(trained, t.score) : undefined;
  return {
    ...run, part, sizeAsked: t.size, wordsBudget: t.words, epochs: t.epochs, seed: options.seed ?? 1, quality,
    ...(t.evaluate ? { curve, evaluationSeconds: trained.report.seconds.evaluation } : {}),
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
  const slice = (cell: (typeof cells)[number], words: number): Training => ({ ...cell, corpus: corpus.train, words, epochs: 1000 });
  const fastRun = (cell: (typeof cells)[number], pass: number): Step =>
    runStep('cost', cell.key, pass === 1 ? cell.label : `${cell.label}, run ${pass}`, pass, async (previous) =>
      withRepeat(previous, await measureStep('cost', slice(cell, plan.fastSlice[cell.model]))));
  const exactRun = (cell: (typeof cells)[number]): Step =>
    runStep('cost', cell.key, cell.label, 1, async () => {
      const vocabulary = cell.size === 0 ? corpus.trainVocabulary : Math.min(cell.size, corpus.trainVocabulary);
      // No smaller vocabulary measured yet: a short pilot run gives the rate.
      const rate = extrapolatedRate(results, cell.model, cell.config.id, vocabulary)
        ?? trainedWordsPerSecond(await measureStep('cost', slice(cell, plan.pilotWords)));
      return measureStep('cost', slice(cell, Math.max(plan.pilotWords, Math.round(rate * plan.costSeconds))));
    });
  const steps = cells.map((cell) => (cell.config.exact ? exactRun(cell) : fastRun(cell, 1)));
  for (let pass = 2; pass <= plan.fastRepeats; pass++) {
    for (const cell of cells) if (!cell.config.exact) steps.push(fastRun(cell, pass));
  }
  return steps;
}

/**
 * Part 2: every loss trains once over the same budget of training seconds, its held-out
 * perplexity taken at log-spaced points. Its learning rate decays over the budget: the run is
 * planned over twice the words part 1's rate predicts in it, so the budget (--max-seconds), not
 * the words, ends it and sets the decay.
 */
function curveSteps(evaluation: EvaluationData): Step[] {
  const { model, size, budgetSeconds, evaluateAt, predictions } = plan.curves;
  return CURVE_CONFIGS.map((config) =>
    runStep('curves', runKey('curves', model, config.id, size), `${model} ${config.label}, ${sizeLabel(size)}, ${budgetSeconds} s`, 1, async () => {
      const cost = costRunFor(results, plan, config);
      const cell = { config, corpus: corpus.train, model, size, epochs: 1000 };
      const rate = cost
        ? trainedWordsPerSecond(cost)
        : trainedWordsPerSecond(await measureStep('cost', { ...cell, words: config.exact ? plan.pilotWords : plan.fastSlice[model] }));
      const words = Math.round(2 * rate * budgetSeconds);
      return measureStep('curves', {
        ...cell, words, epochs: Math.ceil(words / corpus.trainTokens) + 1, maxSeconds: budgetSeconds, options: LIKELIHOOD_OPTIONS,
        evaluate: { seconds: evaluateAt, predictions }, score: evaluation,
      });
    }));
}

/**
 * Part 3: every loss, the same epochs over the same slice, evaluated after each epoch; seed by
 * seed, so that a study cut short has every loss at the first seed.
 */
function convergenceSteps(): Step[] {
  const { model, size, dim, sliceTokens, epochs, alpha, seeds, predictions } = plan.convergence;
  const slice = trainingSlice(corpus, sliceTokens);
  return seeds.flatMap((seed) =>
    LOSS_CONFIGS.map((config) =>
      runStep('convergence', runKey('convergence', model, config.id, size, seed), `${model} ${config.label}, ${sizeLabel(size)}, ${epochs} epochs, seed ${seed}`, 1, () =>
        measureStep('convergence', {
          config, corpus: slice, model, size, words: 0, epochs, options: { ...LIKELIHOOD_OPTIONS, dim, alpha, seed },
          evaluate: { epochEnds: true, predictions },
        }))));
}

/** Part 5: each output layer's top-10 search at each vocabulary size (scripts/losses/test-time.ts). */
function predictSteps(): Step[] {
  const methods = [...TEST_TIME_CONFIGS.map((c) => c.id), INDEX_METHOD.id];
  return plan.predict.sizes.map((size) => ({
    part: 'predict' as const,
    label: `top-${plan.predict.k} search, ${sizeLabel(size)}`,
    pass: 1,
    kept: () => !argv.redo && methods.every((m) => results.testTime[testTimeKey(m, size)] !== undefined),
    run: async () => {
      const started = performance.now();
      const { queries, agreementQueries, k } = plan.predict;
      const cells = await measureTestTime(corpus.train, size, { dim: plan.base.dim ?? 100, k, queries, agreementQueries, workers: argv.workers });
      const stepSeconds = (performance.now() - started) / 1000 / cells.length;
      for (const cell of cells) results.testTime[testTimeKey(cell.method, size)] = { ...cell, stepSeconds };
      return cells.map((c) => `${c.method} ${c.microseconds.toFixed(1)} µs (recall ${c.recall.toFixed(2)})`).join(', ');
    },
  }));
}

/** Wall seconds of every step stored for a part. */
function partSeconds(part: PartName): number {
  if (part === 'predict') return Object.values(results.testTime).reduce((sum, c) => sum + c.stepSeconds, 0);
  return Object.values(results.runs)
    .filter((r) => r.part === part)
    .reduce((sum, r) => sum + (r.repeatRuns ?? [r]).reduce((cell, one) => cell + one.stepSeconds, 0), 0);
}

let corpus: StudyCorpus;
let results: StudyResults;
async function main(): Promise<void> {
  corpus = await splitCorpus(argv.corpus, join(ROOT, '.study', 'cache'), plan.heldOutTokens);
  results = resume(corpus.digest);
  results.settings.trainTokens = corpus.trainTokens;
  log(`corpus ${displayPath(argv.corpus)}: ${corpus.trainTokens} training tokens (${corpus.trainVocabulary} distinct), ${corpus.heldOutTokens} held out`);
  const evaluation: EvaluationData = { cli: join(ROOT, 'dist', 'src', 'cli', 'main.js'), analogies: argv.analogies, ws353: argv.ws353, mturk: argv.mturk };
  const parts = new Set(argv.parts as Array<(typeof PART_CHOICES)[number]>);
  const steps = [
    ...(parts.has('cost') ? costSteps() : []),
    ...(parts.has('curves') ? curveSteps(evaluation) : []),
    ...(parts.has('convergence') || parts.has('frequency') ? convergenceSteps() : []),
    ...(parts.has('predict') ? predictSteps() : []),
  ];
  let index = 0;
  for (const step of steps) {
    index++;
    const partSteps = steps.filter((s) => s.part === step.part);
    const position = `${step.part} ${partSteps.indexOf(step) + 1}/${partSteps.length}`;
    if (step.kept()) {
      log(`${position} ${step.label}: in results.json, kept`);
      continue;
    }
    log(`${position} ${step.label} (step ${index}/${steps.length})`);
    const summary = await step.run();
    results.partSeconds[step.part] = partSeconds(step.part);
    saveResults(resultsFile, results);
    log(`  ${summary}`);
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
