import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { LOSS_CONFIGS } from '../losses/configs.js';
import { INDEX_METHOD, TEST_TIME_CONFIGS } from '../losses/test-time.js';
import { Facts } from './facts.js';
import { FREQUENCY_BANDS } from './heldout.js';
import type { StudyResults } from './results.js';

export interface Chart {
  /** File name under the study directory. */
  file: string;
  title: string;
  /** The losses drawn, one series each. */
  series: string[];
}

const labelOf = (id: string) => LOSS_CONFIGS.find((c) => c.id === id)?.label ?? id;
/** Legend order: the order of LOSS_CONFIGS, whatever order the runs finished in. */
const order = (labels: string[]) => LOSS_CONFIGS.map((c) => c.label).filter((l) => labels.includes(l));

/**
 * Eleven losses need more than ten colours: tableau20 over every loss in their fixed order, so a
 * loss has the same colour in every chart; the legend lists the ones drawn.
 */
function lossColor(series: string[]) {
  return {
    field: 'loss', type: 'nominal' as const, sort: series, title: 'loss',
    scale: { domain: LOSS_CONFIGS.map((c) => c.label), scheme: 'tableau20' },
    legend: { labelLimit: 400, values: series },
  };
}

async function renderSvg(spec: TopLevelSpec, file: string): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  writeFileSync(`${file}.tmp`, svg);
  renameSync(`${file}.tmp`, file);
}

function costChart(results: StudyResults, model: string): Made {
  const rows = Object.values(results.runs)
    .filter((r) => r.part === 'cost' && r.model === model)
    .map((r) => ({ loss: labelOf(r.id), vocabulary: r.vocabularySize, wordsPerSecond: r.wordsPerSecond }));
  if (rows.length === 0) return undefined;
  const series = order([...new Set(rows.map((r) => r.loss))]);
  return {
    series,
    spec: logLogLines(
      `${model === 'sg' ? 'Skip-gram' : 'CBOW'}: training speed against vocabulary size`, rows,
      { field: 'vocabulary', title: 'vocabulary size (words)' }, { field: 'wordsPerSecond', title: 'words/s (2 workers)' },
      { color: lossColor(series) },
    ),
  };
}

/** Lines over log-scaled x and y, one per series: the cost and learning-curve charts. */
function logLogLines(title: string, rows: object[], x: { field: string; title: string }, y: { field: string; title: string }, colours: object): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    height: 360,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { ...x, type: 'quantitative', scale: { type: 'log' } },
      y: { ...y, type: 'quantitative', scale: { type: 'log' } },
      ...colours,
    },
  };
}

/** The unigram model's line: what every model must beat to have learned anything from context. */
export const UNIGRAM_LABEL = 'unigram model (no context)';

/**
 * Colours for charts that draw the unigram line beside the losses: each loss its usual colour,
 * the unigram black and dashed.
 */
function withUnigram(series: string[]) {
  const tableau = vega.scheme('tableau20') as string[];
  return {
    color: {
      field: 'loss', type: 'nominal' as const, sort: series, title: 'loss',
      scale: { domain: [...LOSS_CONFIGS.map((c) => c.label), UNIGRAM_LABEL], range: [...LOSS_CONFIGS.map((_, i) => tableau[i % tableau.length]), '#000000'] },
      legend: { labelLimit: 400, values: series, symbolType: 'stroke' },
    },
    strokeDash: { condition: { test: `datum.loss === '${UNIGRAM_LABEL}'`, value: [6, 4] }, value: [1, 0] },
  };
}

type Made = { spec: TopLevelSpec; series: string[] } | undefined;

/** Part 2: held-out perplexity against training seconds, both on log scales, and the unigram line. */
function curvesChart(results: StudyResults): Made {
  const runs = Object.values(results.runs).filter((r) => r.part === 'curves' && r.curve?.some((p) => p.heldOut));
  if (runs.length === 0) return undefined;
  const rows = runs.flatMap((r) => r.curve!.filter((p) => p.heldOut && p.trainSeconds > 0).map((p) => ({ loss: labelOf(r.id), seconds: p.trainSeconds, perplexity: p.heldOut!.perplexity })));
  const unigram = runs.flatMap((r) => r.curve!).find((p) => p.heldOut)!.heldOut!.unigram.perplexity;
  const times = rows.map((r) => r.seconds);
  rows.push({ loss: UNIGRAM_LABEL, seconds: Math.min(...times), perplexity: unigram }, { loss: UNIGRAM_LABEL, seconds: Math.max(...times), perplexity: unigram });
  const series = [...order(runs.map((r) => labelOf(r.id))), UNIGRAM_LABEL];
  return {
    series,
    spec: logLogLines(
      'Learning curves: held-out perplexity against training time', rows,
      { field: 'seconds', title: 'training seconds (log scale; evaluations not counted)' }, { field: 'perplexity', title: 'held-out perplexity (log scale; lower is better)' },
      withUnigram(series),
    ),
  };
}

/** Mean over seeds of each loss's held-out perplexity after each epoch, and each loss's best (min–max over seeds). */
function convergenceChart(results: StudyResults): Made {
  const runs = Object.values(results.runs).filter((r) => r.part === 'convergence' && r.curve?.some((p) => p.heldOut));
  if (runs.length === 0) return undefined;
  const byLoss = new Map<string, typeof runs>();
  for (const run of runs) byLoss.set(run.id, [...(byLoss.get(run.id) ?? []), run]);
  const curve: Array<{ loss: string; epoch: number; perplexity: number }> = [];
  const best: Array<{ loss: string; mean: number; min: number; max: number }> = [];
  for (const [id, seeds] of byLoss) {
    const epochs = new Map<number, number[]>();
    for (const run of seeds) for (const p of run.curve!) if (p.heldOut) epochs.set(p.epochsDone, [...(epochs.get(p.epochsDone) ?? []), p.heldOut.perplexity]);
    for (const [epoch, values] of epochs) curve.push({ loss: labelOf(id), epoch, perplexity: values.reduce((a, b) => a + b, 0) / values.length });
    const bests = seeds.map((run) => Math.min(...run.curve!.flatMap((p) => (p.heldOut ? [p.heldOut.perplexity] : []))));
    best.push({ loss: labelOf(id), mean: bests.reduce((a, b) => a + b, 0) / bests.length, min: Math.min(...bests), max: Math.max(...bests) });
  }
  const unigram = runs.flatMap((r) => r.curve!).find((p) => p.heldOut)!.heldOut!.unigram.perplexity;
  const epochs = curve.map((r) => r.epoch);
  curve.push({ loss: UNIGRAM_LABEL, epoch: Math.min(...epochs), perplexity: unigram }, { loss: UNIGRAM_LABEL, epoch: Math.max(...epochs), perplexity: unigram });
  const series = [...order([...byLoss.keys()].map(labelOf)), UNIGRAM_LABEL];
  const colours = withUnigram(series);
  const y = (title: string) => ({ type: 'quantitative' as const, scale: { type: 'log' as const }, title });
  return {
    series,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: { text: 'At convergence: held-out perplexity by epoch (mean of seeds), and the best epoch\'s (min–max over seeds)', offset: 14 },
      hconcat: [
        {
          width: 380, height: 320,
          data: { values: curve },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'epoch', type: 'quantitative', title: 'epochs trained', axis: { tickMinStep: 1 } },
            y: { field: 'perplexity', ...y('held-out perplexity (log scale)') },
            ...colours,
          },
        },
        {
          width: 260, height: 320,
          data: { values: best },
          layer: [
            { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'loss', type: 'nominal', sort: series, axis: { title: 'loss', labels: false, ticks: false } }, y: { field: 'min', ...y('best held-out perplexity (log scale)') }, y2: { field: 'max' }, color: colours.color } },
            { mark: { type: 'point', filled: true, size: 70 }, encoding: { x: { field: 'loss', type: 'nominal', sort: series }, y: { field: 'mean', ...y('best held-out perplexity (log scale)') }, color: colours.color } },
          ],
        },
      ],
    },
  };
}

/** Part 4: held-out perplexity by the target word's frequency band, per loss, at each loss's best epoch (mean of seeds). */
function frequencyChart(results: StudyResults): Made {
  const facts = new Facts(results);
  const ids = LOSS_CONFIGS.map((c) => c.id).filter((id) => facts.converged(id));
  if (ids.length === 0) return undefined;
  const unigram = facts.unigram('convergence')!;
  const rows = FREQUENCY_BANDS.flatMap((band) => [
    ...ids.map((id) => ({ loss: labelOf(id), band: band.label, perplexity: facts.converged(id)!.bands[band.id].mean })),
    { loss: UNIGRAM_LABEL, band: band.label, perplexity: unigram.bands[band.id].perplexity },
  ]);
  const series = [...order(ids.map(labelOf)), UNIGRAM_LABEL];
  return {
    series,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: 'By word frequency: held-out perplexity of the target word\'s band, at the best epoch',
      width: 560,
      height: 340,
      data: { values: rows },
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        x: { field: 'band', type: 'nominal', sort: FREQUENCY_BANDS.map((b) => b.label), title: 'target word\'s frequency band (vocabulary ranked by count)', axis: { labelAngle: 0 } },
        xOffset: { field: 'loss', type: 'nominal', sort: series },
        y: { field: 'perplexity', type: 'quantitative', scale: { type: 'log' }, title: 'held-out perplexity in the band (log scale)' },
        color: withUnigram(series).color,
        shape: { condition: { test: `datum.loss === '${UNIGRAM_LABEL}'`, value: 'diamond' }, value: 'circle' },
      },
    },
  };
}

/** Part 5: µs per top-10 prediction against the vocabulary size, and recall of the same model's exact top-10. */
function predictChart(results: StudyResults): Made {
  const cells = Object.values(results.testTime ?? {});
  if (cells.length === 0) return undefined;
  const methods = [...TEST_TIME_CONFIGS.map((c) => ({ id: c.id, label: c.label })), INDEX_METHOD];
  const label = (id: string) => methods.find((m) => m.id === id)?.label ?? id;
  const rows = cells.map((c) => ({ method: label(c.method), vocabulary: c.vocabularySize, microseconds: c.microseconds, recall: c.recall }));
  const series = methods.map((m) => m.label).filter((l) => rows.some((r) => r.method === l));
  const tableau = vega.scheme('tableau20') as string[];
  const color = {
    field: 'method', type: 'nominal' as const, sort: series, title: 'method',
    // A method that is a loss keeps the loss's colour; the index gets black.
    scale: { domain: methods.map((m) => m.label), range: methods.map((m) => (m.id === INDEX_METHOD.id ? '#000000' : tableau[LOSS_CONFIGS.findIndex((c) => c.id === m.id) % tableau.length])) },
    legend: { labelLimit: 400, values: series, orient: 'bottom' as const, columns: 2 },
  };
  const x = { field: 'vocabulary', type: 'quantitative' as const, scale: { type: 'log' as const }, title: 'vocabulary size (words)' };
  return {
    series,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: { text: 'At test time: each loss\'s own top-10 search, and an index over the softmax\'s rows', subtitle: 'µs per prediction, and agreement with the same model\'s exact top-10', offset: 14 },
      data: { values: rows },
      hconcat: [
        { width: 340, height: 280, mark: { type: 'line', point: true }, encoding: { x, y: { field: 'microseconds', type: 'quantitative', scale: { type: 'log' }, title: 'µs per top-10 prediction (log scale)' }, color } },
        { width: 260, height: 280, mark: { type: 'line', point: true }, encoding: { x, y: { field: 'recall', type: 'quantitative', scale: { domain: [0, 1] }, title: 'recall@10 of the same model\'s exact top-10' }, color } },
      ],
    },
  };
}

/** Renders every chart the results support; returns what was drawn. */
export async function renderCharts(results: StudyResults, directory: string): Promise<Chart[]> {
  mkdirSync(directory, { recursive: true });
  const charts: Chart[] = [];
  const make = async (file: string, title: string, made: Made) => {
    if (!made) return;
    await renderSvg(made.spec, join(directory, file));
    charts.push({ file, title, series: made.series });
  };
  for (const model of ['sg', 'cbow']) await make(`cost-${model}.svg`, `${model}: words/s against vocabulary size`, costChart(results, model));
  await make('curves.svg', 'held-out perplexity against training seconds', curvesChart(results));
  await make('convergence.svg', 'held-out perplexity by epoch (part 3)', convergenceChart(results));
  await make('frequency.svg', 'held-out perplexity by frequency band', frequencyChart(results));
  await make('predict.svg', 'µs per top-10 prediction and recall against vocabulary size', predictChart(results));
  return charts;
}
