import { renameSync, writeFileSync } from 'node:fs';
import { defaultAlpha } from '../../src/model/options.js';
import { LOSS_CONFIGS } from '../losses/configs.js';
import type { Chart } from './charts.js';
import { INDEX_METHOD, TEST_TIME_CONFIGS } from '../losses/test-time.js';
import { Facts, againstSoftmax, count, decimal, meanSd, speedAgainst, times } from './facts.js';
import { FREQUENCY_BANDS } from './heldout.js';
import { literatureRows } from './literature.js';
import type { StudyPlan } from './plan.js';
import type { PartName, StudyResults } from './results.js';

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

const lossesOf = (ids: string[]) => LOSS_CONFIGS.filter((c) => ids.includes(c.id));

/** The model as the document names it. */
function modelName(model: 'sg' | 'cbow'): string {
  return model === 'sg' ? 'skip-gram' : 'CBOW';
}

function curvesSection(f: Facts, charts: Chart[]): string[] {
  const runs = f.runs('curves');
  if (runs.length === 0) return [];
  const { curves } = f.results.settings as unknown as StudyPlan;
  const unigram = f.unigram('curves')?.perplexity;
  const lines = ['## 2. Learning curves', ''];
  lines.push(
    `Every loss that is not a variant of another trains once, ${modelName(curves.model)} at V = ${count(runs[0].vocabularySize)}, for ${curves.budgetSeconds} s of training on ${String(f.results.settings.workers)} workers (the protocol of Chen, Grangier & Auli 2016). ` +
      'Training pauses at log-spaced points to score the model on held-out text; the pauses are not training time, and neither the budget nor the learning rate sees them. ' +
      `The learning rate (${modelName(curves.model)}'s default, ${defaultAlpha(curves.model)}) decays linearly over the budget: the run is planned over twice the words part 1's rate predicts, so the budget ends it. ` +
      rateNote(f, 'curves') +
      'Frequent words are not subsampled here or in part 3: held-out perplexity counts every token, and a model trained on a subsampled stream learns to underrate the frequent words, below even the unigram model. ' +
      `Held-out perplexity is taken on ${count(runs[0].curve?.find((p) => p.heldOut)?.heldOut?.predictions)} predictions spread over the corpus's last ${count((f.results.settings as unknown as StudyPlan).heldOutTokens)} tokens, which no run trains on` +
      (unigram !== undefined ? `; a unigram model of the training counts scores ${decimal(unigram, 1)} on them (the dashed line).` : '.'),
    '',
  );
  const chart = charts.find((c) => c.file === 'curves.svg');
  if (chart) lines.push(`![${chart.title}](study/${chart.file})`, '');
  lines.push('| loss | words trained | train s | held-out perplexity at the end | first below the unigram model | analogy |', '|---|---:|---:|---:|---:|---:|');
  for (const config of lossesOf(runs.map((r) => r.id))) {
    const run = f.curve(config.id)!;
    const below = run.curve?.find((p) => p.heldOut && unigram !== undefined && p.heldOut.perplexity < unigram);
    const end = run.curve?.at(-1)?.heldOut?.perplexity;
    const firstBelow = end === undefined ? 'n/a¹' : below ? `${decimal(below.trainSeconds, 1)} s` : 'never';
    lines.push(`| ${config.label} | ${count(run.wordsSeen)} | ${decimal(run.trainSeconds, 1)} | ${end === undefined ? 'n/a¹' : decimal(end, 1)} | ${firstBelow} | ${decimal(run.quality?.analogy, 4)} |`);
  }
  lines.push(
    '',
    '¹ Negative sampling learns σ(s) for "is this a real pair", with no normaliser: exp(s) normalised over the vocabulary is not what it was trained to model, so it has no held-out likelihood to report.',
    '',
    'Held-out perplexity: exp of the mean -ln P(word | context) over the scored predictions, computed exactly from each model\'s output layer ' +
      '(the product of tree decisions for hs, the normalised activation over every word for the others; a training margin is not part of the model). ' +
      'Analogy accuracy (of the final model, on the questions whose words are all in the vocabulary) is given for completeness and not drawn: on a corpus this small it stays far below what word2vec reaches on large ones, and the losses that see the fewest words in the budget (the exact softmax family) stay near zero.',
    '',
  );
  return lines;
}

/** A sentence on the losses of a part that train at a share of its learning rate, and why ('' when none do). */
function rateNote(f: Facts, part: 'curves' | 'convergence'): string {
  const scaled = LOSS_CONFIGS.filter((c) => c.rate !== undefined && f.runs(part).some((r) => r.id === c.id));
  if (scaled.length === 0) return '';
  const labels = scaled.map((c) => `${c.label} (${c.rate}×)`).join(', ');
  return `These train at a share of that rate: ${labels}. A mixture's P_k and gates are dense rows that take a step at every prediction, and at the full rate its held-out perplexity rose by as much as 16% from one epoch to the next. `;
}

function convergenceSection(f: Facts, charts: Chart[]): string[] {
  const runs = f.runs('convergence');
  if (runs.length === 0) return [];
  const { convergence } = f.results.settings as unknown as StudyPlan;
  const unigram = f.unigram('convergence')?.perplexity;
  const softmax = f.converged('softmax');
  const levelling = f.levelling();
  const levelled = levelling?.levelled ?? false;
  const lines = [levelled ? '## 3. At convergence' : `## 3. After ${convergence.epochs} epochs, towards convergence`, ''];
  lines.push(
    `Every loss trains ${convergence.epochs} epochs over ${convergence.sliceTokens > 0 ? `the corpus's first ${count(convergence.sliceTokens)} tokens` : 'the whole training text'}, ${modelName(convergence.model)} at V = ${count(runs[0].vocabularySize)} and dimension ${convergence.dim}, ` +
      `its held-out perplexity taken after every epoch, once for each of ${convergence.seeds.length} seeds. At this vocabulary the exact softmax gets through the epochs on two cores, so every loss, the softmax variants included, trains the same epochs. ` +
      `The learning rate starts at ${convergence.alpha} (${modelName(convergence.model)}'s default, ${defaultAlpha(convergence.model)}, makes the softmax's perplexity rise and fall from epoch to epoch on a slice this small) and decays linearly to zero. ` +
      rateNote(f, 'convergence') +
      (levelling
        ? levelled
          ? `Their learning has levelled off: the softmax's last epoch ${levelling.softmaxLastGain >= 0 ? `lowered its perplexity by ${decimal(100 * levelling.softmaxLastGain, 1)}%` : `did not lower its perplexity (${decimal(-100 * levelling.softmaxLastGain, 1)}% higher)`}` +
            (levelling.bestAtLast > 0 ? `, though ${levelling.bestAtLast} of ${levelling.losses} losses are at their best at the last epoch for every seed, so their figures may still fall a little with more epochs. ` : '. ')
          : `They have not fully levelled off: ${levelling.bestAtLast} of ${levelling.losses} losses are at their best at the last epoch, and the softmax's last epoch still lowered its perplexity by ${decimal(100 * levelling.softmaxLastGain, 1)}% ` +
            '(the learning rate decays to zero over the epochs, and the last, smallest steps settle each model), so the comparison is at an equal, fixed amount of training; more epochs would lower every figure. '
        : '') +
      `The table gives each loss's best epoch's perplexity, mean ± sd over the seeds (min–max beside it), and the epoch each seed reached it at` +
      (unigram !== undefined ? `; the unigram model scores ${decimal(unigram, 1)}.` : '.'),
    '',
  );
  const chart = charts.find((c) => c.file === 'convergence.svg');
  if (chart) lines.push(`![${chart.title}](study/${chart.file})`, '');
  lines.push('| loss | best held-out perplexity | min–max | best epoch (per seed) | against the softmax |', '|---|---:|---:|---:|---|');
  for (const config of LOSS_CONFIGS) {
    const c = f.converged(config.id);
    if (!c) {
      if (f.seeds(config.id).length > 0) lines.push(`| ${config.label} | n/a¹ | | | |`);
      continue;
    }
    const against = config.id === 'softmax' || !softmax ? '' : againstSoftmax(c, softmax);
    lines.push(`| ${config.label} | ${meanSd(c.perplexity)} | ${decimal(c.perplexity.min, 1)}–${decimal(c.perplexity.max, 1)} | ${c.bestEpochs.join(', ')} of ${c.epochs} | ${against} |`);
  }
  lines.push('', '¹ Negative sampling: no held-out likelihood (see part 2).', '');
  return lines;
}

function frequencySection(f: Facts, charts: Chart[]): string[] {
  const ids = LOSS_CONFIGS.filter((c) => f.converged(c.id));
  if (ids.length === 0) return [];
  const unigram = f.unigram('convergence')!;
  const lines = ['## 4. By word frequency', ''];
  lines.push(
    'The models of part 3, at each seed\'s best epoch, scored on the held-out predictions whose target word falls in each band of the vocabulary ranked by training count ' +
      `(as Chen et al. 2016 report it): ${FREQUENCY_BANDS.map((b) => `${b.label} (${count(unigram.bands[b.id].predictions)} predictions)`).join(', ')}. Mean ± sd over the seeds.`,
    '',
  );
  const chart = charts.find((c) => c.file === 'frequency.svg');
  if (chart) lines.push(`![${chart.title}](study/${chart.file})`, '');
  lines.push(`| loss | ${FREQUENCY_BANDS.map((b) => b.label).join(' | ')} |`, `|---|${FREQUENCY_BANDS.map(() => '---:').join('|')}|`);
  for (const config of ids) {
    const c = f.converged(config.id)!;
    lines.push(`| ${config.label} | ${FREQUENCY_BANDS.map((b) => meanSd(c.bands[b.id])).join(' | ')} |`);
  }
  lines.push(`| unigram model | ${FREQUENCY_BANDS.map((b) => decimal(unigram.bands[b.id].perplexity, 1)).join(' | ')} |`, '');
  return lines;
}

function predictSection(f: Facts, charts: Chart[]): string[] {
  const sizes = f.testTimeSizes();
  if (sizes.length === 0) return [];
  const { predict } = f.results.settings as unknown as StudyPlan;
  const methods = [...TEST_TIME_CONFIGS.map((c) => ({ id: c.id, label: c.label })), INDEX_METHOD];
  const lines = ['## 5. At test time', ''];
  lines.push(
    `µs per top-${predict.k} prediction from a CBOW context (the mean of four input rows; ${predict.queries} queries per cell, one thread), by each output layer\'s own exact search in the library ` +
      '(a scan of every word for the softmax family, the bands for the differentiated softmax, branch-and-bound over the tree for hs), and by an hnswlib inner-product index over the softmax\'s output rows (`--index`, ef 64). ' +
      `Recall@${predict.k}: the share of the same model\'s exact top-${predict.k} (by brute force over every word\'s probability) found, over ${predict.agreementQueries} queries. ` +
      'Negative sampling, NCE and the sampled softmax score the softmax\'s rows with exp: their search is the softmax\'s scan, at its cost.',
    '',
  );
  const chart = charts.find((c) => c.file === 'predict.svg');
  if (chart) lines.push(`![${chart.title}](study/${chart.file})`, '');
  const drawn = methods.filter((m) => sizes.some((v) => f.testTime(m.id, v)));
  lines.push(`| V | ${drawn.map((m) => `${m.label}: µs (speed-up over the scan), recall`).join(' | ')} |`, `|---:|${drawn.map(() => '---:').join('|')}|`);
  for (const size of sizes) {
    const scan = f.testTime('softmax', size);
    const cells = drawn.map((m) => {
      const cell = f.testTime(m.id, size);
      if (!cell) return '';
      const ratio = scan ? ` (${times(scan.microseconds / cell.microseconds)})` : '';
      return `${decimal(cell.microseconds, 1)}${ratio}, ${decimal(cell.recall, 3)}`;
    });
    lines.push(`| ${count(f.testTime(drawn[0].id, size)?.vocabularySize ?? f.testTime(INDEX_METHOD.id, size)?.vocabularySize)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  return lines;
}

function literatureSection(f: Facts): string[] {
  const lines = ['## 6. What the literature says, next to what we measured', ''];
  lines.push('| claim | published | measured here | agreement |', '|---|---|---|---|');
  for (const row of literatureRows(f)) lines.push(`| ${row.claim} | ${row.published} | ${row.measured} | ${row.comment} |`);
  lines.push('');
  return lines;
}

const PART_TITLES: Array<[PartName, string]> = [['cost', 'cost'], ['curves', 'learning curves'], ['convergence', 'convergence (and frequency)'], ['predict', 'test time']];

/** The three headline sentences: on speed, on quality, on test time; each only where its part ran. */
function headlines(f: Facts): string[] {
  const out: string[] = [];
  const largest = f.largest('sg');
  if (largest) {
    out.push(
      `**Speed.** At the largest vocabulary measured (${count(largest)} words), hierarchical softmax trains ${times(f.speedUp('sg', 'hs', largest))} and negative sampling ` +
        `${times(f.speedUp('sg', 'ns', largest))} faster than the exact softmax in skip-gram` +
        (f.largest('cbow') ? `; in CBOW ${times(f.speedUp('cbow', 'hs', f.largest('cbow')))} and ${times(f.speedUp('cbow', 'ns', f.largest('cbow')))}.` : '.'),
    );
  }
  const converged = LOSS_CONFIGS.flatMap((c) => {
    const x = f.converged(c.id);
    return x ? [{ config: c, x }] : [];
  });
  const softmax = f.converged('softmax');
  if (converged.length > 0 && softmax) {
    const best = converged.reduce((a, b) => (b.x.perplexity.mean < a.x.perplexity.mean ? b : a));
    const worst = converged.reduce((a, b) => (b.x.perplexity.mean > a.x.perplexity.mean ? b : a));
    const level = converged.filter((c) => c.config.id !== 'softmax' && againstSoftmax(c.x, softmax).startsWith('within')).map((c) => c.config.label);
    const unigram = f.unigram('convergence')?.perplexity;
    out.push(
      `**Quality.** ${f.levelling()?.levelled ? 'At convergence' : `After ${softmax.epochs} epochs, towards convergence`} (V = ${count(f.runs('convergence')[0].vocabularySize)}), the best held-out perplexity is that of the ${best.config.label}, ${meanSd(best.x.perplexity)}, against the exact softmax's ${meanSd(softmax.perplexity)}` +
        (unigram !== undefined ? ` and a unigram model's ${decimal(unigram, 1)}` : '') +
        `; the worst is that of the ${worst.config.label}, ${meanSd(worst.x.perplexity)}. ` +
        (level.length > 0 ? `Within the spread of the softmax's ${softmax.perplexity.n} seeds: ${level.join(', ')}.` : 'No loss is within the spread of the softmax\'s seeds.'),
    );
  }
  const sizes = f.testTimeSizes();
  const top = sizes.at(-1);
  const scan = top === undefined ? undefined : f.testTime('softmax', top);
  if (top !== undefined && scan) {
    const others = [...TEST_TIME_CONFIGS.filter((c) => c.id !== 'softmax'), INDEX_METHOD].flatMap((m) => {
      const cell = f.testTime(m.id, top);
      return cell ? [`${m.label} ${speedAgainst(scan.microseconds / cell.microseconds)} (recall ${decimal(cell.recall, 2)})`] : [];
    });
    out.push(`**Test time.** At V = ${count(scan.vocabularySize)}, a top-10 prediction by the softmax scan takes ${decimal(scan.microseconds, 0)} µs; against it: ${others.join(', ')}.`);
  }
  return out.flatMap((line) => [line, '']);
}

/** docs/softmax.md, every number from results.json. */
export function writeDocument(results: StudyResults, charts: Chart[], file: string): void {
  const f = new Facts(results);
  const total = PART_TITLES.reduce((sum, [part]) => sum + (results.partSeconds[part] ?? 0), 0);
  const lines = [
    '# Avoiding the full softmax: what each way buys, measured',
    '',
    `<!-- Generated by \`npm run study\` from docs/study/results.json; edit scripts/study/, not this file. -->`,
    '',
    ...headlines(f),
    `Corpus: \`${results.corpus}\`${results.quick ? ' (quick grid)' : ''}. Dimension ${String(results.settings.dim ?? '')} (part 3: ${String((results.settings as unknown as StudyPlan).convergence?.dim ?? '')}), window ${String(results.settings.window ?? '')}, ` +
      `${String(results.settings.workers)} workers, default learning rates (part 3: its own, below); machine: ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}.`,
    `Time: ${PART_TITLES.map(([part, title]) => `${title} ${minutes(results.partSeconds[part])}`).join(', ')}; ${minutes(total)} in all.`,
    'Rerun: `npm run build && npm run study` from a clone (it resumes from results.json; `--parts cost curves convergence frequency predict` picks parts; `--redo` repeats runs; `--quick` is a small grid).',
    '',
    ...costSection(f, charts),
    ...curvesSection(f, charts),
    ...convergenceSection(f, charts),
    ...frequencySection(f, charts),
    ...predictSection(f, charts),
    ...literatureSection(f),
  ];
  writeFileSync(`${file}.tmp`, `${lines.join('\n')}\n`);
  renameSync(`${file}.tmp`, file);
}
