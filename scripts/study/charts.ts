import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { LOSS_CONFIGS } from '../losses/configs.js';
import type { PartName, StudyResults } from './results.js';

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

function costChart(results: StudyResults, model: string): { spec: TopLevelSpec; series: string[] } | undefined {
  const rows = Object.values(results.runs)
    .filter((r) => r.part === 'cost' && r.model === model)
    .map((r) => ({ loss: labelOf(r.id), vocabulary: r.vocabularySize, wordsPerSecond: r.wordsPerSecond }));
  if (rows.length === 0) return undefined;
  const series = order([...new Set(rows.map((r) => r.loss))]);
  return {
    series,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: `${model === 'sg' ? 'Skip-gram' : 'CBOW'}: training speed against vocabulary size`,
      width: 520,
      height: 340,
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'vocabulary', type: 'quantitative', scale: { type: 'log' }, title: 'vocabulary size (words)' },
        y: { field: 'wordsPerSecond', type: 'quantitative', scale: { type: 'log' }, title: 'words/s (2 workers)' },
        color: lossColor(series),
      },
    },
  };
}

const METRICS = [
  { key: 'analogy', title: 'analogy accuracy' },
  { key: 'ws353', title: 'WordSim-353 ρ' },
  { key: 'mturk', title: 'MTurk-771 ρ' },
  { key: 'perplexity', title: 'held-out perplexity' },
] as const;

function qualityChart(results: StudyResults, part: PartName): { spec: TopLevelSpec; series: string[] } | undefined {
  const runs = Object.values(results.runs).filter((r) => r.part === part && r.quality);
  if (runs.length === 0) return undefined;
  const rows = runs.flatMap((r) =>
    METRICS.flatMap((m) => {
      const value = r.quality![m.key];
      return value === null || value === undefined ? [] : [{ loss: labelOf(r.id), metric: m.title, value }];
    }),
  );
  const series = order(runs.map((r) => labelOf(r.id)));
  return {
    series,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: { text: part === 'time' ? 'Quality at equal training time' : 'Quality at equal data (one epoch of one slice)', offset: 14 },
      // One panel per metric, each with its own axis (perplexity on a log scale: it spans the
      // uniform guess, V, down to what the best loss reaches).
      hconcat: METRICS.map((m) => ({
        title: m.title,
        width: 170,
        height: 260,
        data: { values: rows.filter((r) => r.metric === m.title) },
        // Bars have no baseline on a log scale: perplexity is drawn as dots.
        mark: m.key === 'perplexity' ? { type: 'circle' as const, size: 90, opacity: 1 } : ('bar' as const),
        encoding: {
          x: { field: 'loss', type: 'nominal' as const, sort: series, axis: null },
          y: { field: 'value', type: 'quantitative' as const, title: null, ...(m.key === 'perplexity' ? { scale: { type: 'log' as const } } : {}) },
          color: lossColor(series),
        },
      })),
    },
  };
}

/** Renders every chart the results support; returns what was drawn. */
export async function renderCharts(results: StudyResults, directory: string): Promise<Chart[]> {
  mkdirSync(directory, { recursive: true });
  const charts: Chart[] = [];
  const make = async (file: string, title: string, made: { spec: TopLevelSpec; series: string[] } | undefined) => {
    if (!made) return;
    await renderSvg(made.spec, join(directory, file));
    charts.push({ file, title, series: made.series });
  };
  for (const model of ['sg', 'cbow']) await make(`cost-${model}.svg`, `${model}: words/s against vocabulary size`, costChart(results, model));
  await make('quality-time.svg', 'quality at equal time', qualityChart(results, 'time'));
  await make('quality-epochs.svg', 'quality at equal data', qualityChart(results, 'epochs'));
  return charts;
}
