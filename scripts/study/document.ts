import { renameSync, writeFileSync } from 'node:fs';
import { LOSS_CONFIGS } from '../losses/configs.js';
import type { Chart } from './charts.js';
import { Facts, count, decimal, times } from './facts.js';
import { literatureRows } from './literature.js';
import type { StudyResults } from './results.js';

const minutes = (s: number | undefined) => (s === undefined ? 'not run' : `${(s / 60).toFixed(1)} min`);

function costSection(f: Facts, charts: Chart[]): string[] {
  const lines = ['## 1. Cost against vocabulary size', ''];
  lines.push(
    'Every loss trains on the same corpus at each vocabulary size (the most frequent V words, then every word); fast losses ' +
      'train a fixed slice (the median of three runs, each a second or so of training, taken in three passes over the grid so that a slow moment of the machine falls on one run of a cell), the exact softmax family a slice sized to take a few seconds. ' +
      'words/s counts corpus words, as C word2vec and gensim do.',
    '',
  );
  for (const model of ['sg', 'cbow']) {
    const sizes = f.sizes(model);
    if (sizes.length === 0) continue;
    const chart = charts.find((c) => c.file === `cost-${model}.svg`);
    if (chart) lines.push(`![${chart.title}](study/${chart.file})`, '');
    const largest = sizes.at(-1)!;
    lines.push(`**${model === 'sg' ? 'Skip-gram' : 'CBOW'}**, words/s (speed-up over the exact softmax at the same size):`, '');
    lines.push(`| loss | ${sizes.map((v) => `V = ${count(v)}`).join(' | ')} |`, `|---|${sizes.map(() => '---:').join('|')}|`);
    for (const config of LOSS_CONFIGS.filter((c) => !c.variantOf)) {
      const cells = sizes.map((v) => {
        const run = f.cost(model, config.id, v);
        if (!run) return '';
        return config.id === 'softmax' ? count(run.wordsPerSecond) : `${count(run.wordsPerSecond)} (${times(f.speedUp(model, config.id, v))})`;
      });
      lines.push(`| ${config.label} | ${cells.join(' | ')} |`);
    }
    const exact = f.cost(model, 'softmax', largest);
    if (exact?.gflops) lines.push('', `The exact softmax at V = ${count(largest)} runs its score and update passes at ${exact.gflops.toFixed(1)} GFLOP/s.`);
    lines.push('');
  }
  const model = f.sizes('sg').length > 0 ? 'sg' : 'cbow';
  const sizes = f.sizes(model);
  if (sizes.some((v) => f.cost(model, 'hs', v)?.meanCodeLength)) {
    lines.push('Mean code length (binary decisions per prediction, weighted by word frequency):', '');
    lines.push('| V | Huffman | balanced | log2 V |', '|---:|---:|---:|---:|');
    for (const v of sizes) {
      lines.push(`| ${count(v)} | ${decimal(f.cost(model, 'hs', v)?.meanCodeLength, 2)} | ${decimal(f.cost(model, 'hs-balanced', v)?.meanCodeLength, 2)} | ${Math.log2(v).toFixed(2)} |`);
    }
    lines.push('');
  }
  return lines;
}

function qualitySection(f: Facts, charts: Chart[], part: 'time' | 'epochs'): string[] {
  const runs = f.runs(part);
  if (runs.length === 0) return [];
  const settings = f.results.settings as { budgetSeconds?: number; epochSeconds?: number; qualitySize?: number; qualityModel?: string };
  const heading = part === 'time' ? '## 2. Quality at equal time' : '## 3. Quality at equal data';
  const what = part === 'time'
    ? `Every loss gets the same training budget, ${settings.budgetSeconds} s on ${f.results.settings.workers} workers (the protocol of Chen et al. 2016): \`--max-seconds\` stops it, and its learning rate decays over the budget; "train s" includes the last tasks, which end after it.`
    : `Every loss trains on the same ${count(runs[0].wordsBudget)} corpus words, once: this separates "faster" from "learns more per update".`;
  const lines = [heading, '', `${what} ${settings.qualityModel === 'sg' ? 'Skip-gram' : 'CBOW'}, V = ${count(runs[0].vocabularySize)}.`, ''];
  const chart = charts.find((c) => c.file === `quality-${part}.svg`);
  if (chart) lines.push(`![${chart.title}](study/${chart.file})`, '');
  lines.push('| loss | words trained | train s | analogy | WS353 ρ | MTurk ρ | held-out perplexity |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const config of LOSS_CONFIGS) {
    const r = runs.find((x) => x.id === config.id);
    if (!r?.quality) continue;
    const q = r.quality;
    const perplexity = q.perplexity === undefined ? 'n/a¹' : decimal(q.perplexity, 1);
    lines.push(`| ${config.label} | ${count(r.wordsSeen)} | ${decimal(r.trainSeconds, 1)} | ${decimal(q.analogy, 4)} | ${decimal(q.ws353, 3)} | ${decimal(q.mturk, 3)} | ${perplexity} |`);
  }
  lines.push(
    '',
    '¹ Negative sampling learns σ(s) for "is this a real pair", with no normaliser: exp(s) normalised over the vocabulary is not what it was trained to model, so it has no held-out likelihood to report.',
    '',
    'Held-out perplexity: exp of the mean -ln P(word | context) on the last tokens of the corpus, never trained on, computed exactly from each ' +
      'model\'s output layer (the product of tree decisions for hs, the normalised activation over every word for the others; the training margin is not part of the model).',
    '',
  );
  return lines;
}

function literatureSection(f: Facts): string[] {
  const lines = ['## 4. What the literature says, next to what we measured', ''];
  lines.push('| claim | published | measured here | agreement |', '|---|---|---|---|');
  for (const row of literatureRows(f)) lines.push(`| ${row.claim} | ${row.published} | ${row.measured} | ${row.comment} |`);
  lines.push('');
  return lines;
}

/** docs/softmax.md, every number from results.json. */
export function writeDocument(results: StudyResults, charts: Chart[], file: string): void {
  const f = new Facts(results);
  const total = (results.partSeconds.cost ?? 0) + (results.partSeconds.time ?? 0) + (results.partSeconds.epochs ?? 0);
  const largest = f.largest('sg');
  const headline = largest
    ? `At the largest vocabulary measured (${count(largest)} words), hierarchical softmax trains ${times(f.speedUp('sg', 'hs', largest))} and negative sampling ` +
      `${times(f.speedUp('sg', 'ns', largest))} faster than the exact softmax in skip-gram` +
      (f.largest('cbow') ? `; in CBOW ${times(f.speedUp('cbow', 'hs', f.largest('cbow')))} and ${times(f.speedUp('cbow', 'ns', f.largest('cbow')))}.` : '.')
    : '';
  const lines = [
    '# Avoiding the full softmax: what each way buys, measured',
    '',
    `<!-- Generated by \`npm run study\` from docs/study/results.json; edit scripts/study/, not this file. -->`,
    '',
    headline,
    '',
    `Corpus: \`${results.corpus}\`${results.quick ? ' (quick grid)' : ''}. Dimension ${String(results.settings.dim ?? '')}, window ${String(results.settings.window ?? '')}, ` +
      `${String(results.settings.workers)} workers, default learning rates; machine: ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}.`,
    `Time: part 1 ${minutes(results.partSeconds.cost)}, part 2 ${minutes(results.partSeconds.time)}, part 3 ${minutes(results.partSeconds.epochs)}; ${minutes(total)} in all.`,
    'Rerun: `npm run study` (resumes from results.json; `--redo` repeats every run; `--quick` is a small grid).',
    '',
    ...costSection(f, charts),
    ...qualitySection(f, charts, 'time'),
    ...qualitySection(f, charts, 'epochs'),
    ...literatureSection(f),
  ];
  writeFileSync(`${file}.tmp`, `${lines.join('\n')}\n`);
  renameSync(`${file}.tmp`, file);
}
