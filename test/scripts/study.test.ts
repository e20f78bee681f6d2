import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { Random } from '../../src/base/random.js';
import { LOSS_CONFIGS } from '../../scripts/losses/configs.js';
import { INDEX_METHOD, TEST_TIME_CONFIGS } from '../../scripts/losses/test-time.js';
import { UNIGRAM_LABEL } from '../../scripts/study/charts.js';
import type { StudyPlan } from '../../scripts/study/plan.js';
import type { StudyResults } from '../../scripts/study/results.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const STUDY = path.join(ROOT, 'dist', 'scripts', 'study.js');

const DATA = path.join(ROOT, 'corpora');

/** Words of the evaluation sets (the first pairs of each, the first analogy questions), lower-cased. */
function evaluationWords(): string[] {
  const words = new Set<string>();
  const take = (file: string, lines: number, columns: number) => {
    const rows = readFileSync(path.join(DATA, file), 'utf8').split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith(':'));
    for (const row of rows.slice(0, lines)) for (const w of row.split(/\s+/).slice(0, columns)) words.add(w.toLowerCase());
  };
  take('wordsim353.tsv', 60, 2);
  take('mturk771.txt', 60, 2);
  take('questions-words.txt', 40, 4);
  return [...words];
}

/**
 * Topic sentences over the evaluation sets' words: enough structure for every loss to learn
 * something in a fraction of a second, and every quality measure defined.
 */
function plantedCorpus(): string {
  const words = evaluationWords();
  const topics = 25;
  const random = new Random(21);
  const lines: string[] = [];
  for (let s = 0; s < 3000; s++) {
    const topic = random.nextUint32() % topics;
    const members = words.filter((_, i) => i % topics === topic);
    lines.push(Array.from({ length: 10 }, () => members[random.nextUint32() % members.length]).join(' '));
  }
  return `${lines.join('\n')}\n`;
}

function study(args: string[]) {
  const result = spawnSync(process.execPath, [STUDY, ...args], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stderr;
}

/** The distinct series a chart draws: vega writes each mark's fields into its aria-label. */
function seriesOf(svg: string, field = 'loss'): Set<string> {
  return new Set([...svg.matchAll(new RegExp(`aria-label="[^"]*${field}: ([^";]+)`, 'g'))].map((m) => m[1]));
}

/** The legend's labels: each entry's label group holds one text. */
function legendOf(svg: string): string[] {
  return [...svg.matchAll(/role-legend-label"[^>]*><text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
}

const labelOf = (id: string) => LOSS_CONFIGS.find((c) => c.id === id)?.label ?? id;

describe('npm run study --quick', () => {
  let dir = '';
  let corpus = '';
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-study-'));
    corpus = path.join(dir, 'topics.txt');
    writeFileSync(corpus, plantedCorpus());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes results.json with every part, one valid SVG per chart with one series per loss, and the document; a second run resumes', () => {
    const out = path.join(dir, 'docs');
    const log = study(['--quick', '--corpus', corpus, '--out', out]);
    assert.match(log, /cost 1\/\d+ sg softmax/, 'progress names the run');
    const results = JSON.parse(readFileSync(path.join(out, 'study', 'results.json'), 'utf8')) as StudyResults;
    const runs = Object.values(results.runs);
    const ids = (part: string, model: string, seed?: number) =>
      new Set(runs.filter((r) => r.part === part && r.model === model && (seed === undefined || r.seed === seed)).map((r) => r.id));
    const costIds = LOSS_CONFIGS.filter((c) => !c.variantOf).map((c) => c.id);
    const allIds = LOSS_CONFIGS.map((c) => c.id);
    for (const model of ['sg', 'cbow']) assert.deepEqual([...ids('cost', model)].sort(), [...costIds].sort(), `part 1, ${model}`);

    // Learning curves: every loss that is not a variant, evaluated at several training times.
    assert.deepEqual([...ids('curves', 'cbow')].sort(), [...costIds].sort(), 'learning curves');
    for (const run of runs.filter((r) => r.part === 'curves')) {
      const curve = run.curve!;
      const { evaluateAt } = (results.settings as unknown as StudyPlan).curves;
      // Points while training (as many as the run reached; a task may outlast them all), then the end.
      assert.ok(curve.length >= 1 && curve.length <= evaluateAt.length + 1, `${run.id}: ${curve.length} evaluations`);
      assert.ok(curve.slice(0, -1).every((p) => p.wordsSeen < run.wordsSeen), `${run.id}: points while training come before its last words`);
      curve.slice(0, -1).forEach((p, i) => assert.ok(p.trainSeconds >= evaluateAt[i], `${run.id}: point ${i} at or after ${evaluateAt[i]} s`));
      const seconds = curve.map((p) => p.trainSeconds);
      assert.deepEqual([...seconds].sort((a, b) => a - b), seconds, `${run.id}: training seconds grow along the curve`);
      assert.ok(curve.every((p) => (p.heldOut === undefined) === (run.id === 'ns')), `${run.id}: perplexity exactly where the output is a distribution`);
      assert.equal(typeof run.quality?.analogy, 'number', `${run.id}: the final model's analogies scored`);
      assert.ok(curve.length === 1 || run.evaluationSeconds! > 0, `${run.id}: the evaluations' time is kept apart`);
    }

    // Convergence: every loss, every seed, evaluated after each epoch, by frequency band too.
    const { seeds, epochs } = (results.settings as unknown as StudyPlan).convergence;
    assert.ok(seeds.length >= 2, 'a spread needs seeds');
    for (const seed of seeds) assert.deepEqual([...ids('convergence', 'cbow', seed)].sort(), [...allIds].sort(), `convergence, seed ${seed}`);
    for (const run of runs.filter((r) => r.part === 'convergence')) {
      assert.deepEqual(run.curve!.map((p) => p.epochsDone), Array.from({ length: epochs }, (_, e) => e + 1), `${run.id}: one evaluation per epoch`);
      for (const point of run.curve!) {
        if (run.id === 'ns') continue;
        const { heldOut } = point;
        assert.ok(heldOut, `${run.id}: scored`);
        const banded = Object.values(heldOut.bands).reduce((sum, b) => sum + b.predictions, 0);
        assert.equal(banded, heldOut.predictions, `${run.id}: every prediction falls in one frequency band`);
        assert.ok(heldOut.perplexity > 1 && heldOut.perplexity < 2 * run.vocabularySize, `${run.id}: perplexity ${heldOut.perplexity}`);
      }
    }
    // Trained for real, on a fixed amount of training: after its epochs, the exact softmax and
    // hierarchical softmax predict the held-out topic sentences better than a unigram model.
    for (const id of ['softmax', 'hs']) {
      for (const run of runs.filter((r) => r.part === 'convergence' && r.id === id)) {
        const last = run.curve!.at(-1)!.heldOut!;
        assert.ok(last.perplexity < last.unigram.perplexity, `${id}, seed ${run.seed}: perplexity ${last.perplexity} against the unigram's ${last.unigram.perplexity}`);
      }
    }

    // A fast loss's cost cell is the median of three runs; an exact loss's is one longer run.
    for (const run of runs.filter((r) => r.part === 'cost')) {
      const exact = LOSS_CONFIGS.find((c) => c.id === run.id)!.exact;
      if (exact) {
        assert.equal(run.repeats, undefined, `${run.model} ${run.id}: one run`);
        continue;
      }
      assert.equal(run.repeats?.length, 3, `${run.model} ${run.id} at ${run.sizeAsked}: three runs`);
      assert.deepEqual(run.repeatRuns?.map((r) => r.wordsPerSecond), run.repeats, 'the runs behind the rates are kept');
      const sorted = [...run.repeats!].sort((a, b) => a - b);
      assert.equal(run.wordsPerSecond, sorted[1], `${run.model} ${run.id} at ${run.sizeAsked}: the median run is kept`);
    }
    // ... taken in passes over the grid: every cell's first run finished before any second run.
    const fastCells = runs.filter((r) => r.part === 'cost' && r.repeatRuns);
    const finished = (pass: number) => fastCells.map((r) => Date.parse(r.repeatRuns![pass].finishedAt));
    assert.ok(Math.max(...finished(0)) < Math.min(...finished(1)), 'second runs start after every first run');
    assert.ok(Math.max(...finished(1)) < Math.min(...finished(2)), 'third runs start after every second run');

    // Test time: every method at every size; the exact searches agree with brute force.
    const methods = [...TEST_TIME_CONFIGS.map((c) => c.id), INDEX_METHOD.id];
    const cells = Object.values(results.testTime);
    assert.equal(cells.length, 2 * methods.length, 'each method at both sizes');
    for (const cell of cells) {
      assert.ok(cell.microseconds > 0);
      if (cell.method === INDEX_METHOD.id) assert.ok(cell.recall >= 0 && cell.recall <= 1);
      else assert.equal(cell.recall, 1, `${cell.method} at ${cell.vocabularySize}: its search is exact`);
    }

    const scored = allIds.filter((id) => id !== 'ns');
    const charts: Array<[string, string[], string?]> = [
      ['cost-sg.svg', costIds.map(labelOf)], ['cost-cbow.svg', costIds.map(labelOf)],
      ['curves.svg', [...costIds.filter((id) => id !== 'ns').map(labelOf), UNIGRAM_LABEL]],
      ['convergence.svg', [...scored.map(labelOf), UNIGRAM_LABEL]],
      ['frequency.svg', [...scored.map(labelOf), UNIGRAM_LABEL]],
      ['predict.svg', [...TEST_TIME_CONFIGS.map((c) => c.label), INDEX_METHOD.label], 'method'],
    ];
    const markdown = readFileSync(path.join(out, 'softmax.md'), 'utf8');
    for (const [file, labels, field] of charts) {
      const svg = readFileSync(path.join(out, 'study', file), 'utf8');
      assert.equal(XMLValidator.validate(svg), true, `${file} is well-formed XML`);
      assert.match(svg, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.deepEqual([...seriesOf(svg, field)].sort(), [...labels].sort(), `${file}: one series per loss`);
      assert.deepEqual(legendOf(svg), labels, `${file}: legend lists each series once`);
      assert.match(markdown, new RegExp(`\\(study/${file}\\)`), `${file} is in the document`);
    }
    const largest = Math.max(...(results.settings as unknown as StudyPlan).sizes);
    const hsSpeedUp = runs.find((r) => r.part === 'cost' && r.model === 'sg' && r.id === 'hs' && r.sizeAsked === largest)!;
    const softmax = runs.find((r) => r.part === 'cost' && r.model === 'sg' && r.id === 'softmax' && r.sizeAsked === largest)!;
    const ratio = hsSpeedUp.wordsPerSecond / softmax.wordsPerSecond;
    assert.match(markdown, new RegExp(`hierarchical softmax trains ${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`), 'numbers come from results.json');
    assert.doesNotMatch(markdown, new RegExp(os.tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no machine paths');

    // Resumed: nothing runs again, and the outputs are made anew from results.json.
    const again = study(['--quick', '--corpus', corpus, '--out', out]);
    assert.doesNotMatch(again, /words\/s|µs/);
    const steps = runs.reduce((n, r) => n + (r.repeats?.length ?? 1), 0) + 2;
    assert.equal((again.match(/kept/g) ?? []).length, steps, 'every run of every cell kept');

    // --parts picks parts: the test-time part alone, run again.
    const predictOnly = study(['--quick', '--corpus', corpus, '--out', out, '--parts', 'predict', '--redo']);
    assert.match(predictOnly, /predict 1\/2/);
    assert.doesNotMatch(predictOnly, /cost 1|curves 1|convergence 1/);
  });
});
