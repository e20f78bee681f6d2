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
function seriesOf(svg: string): Set<string> {
  return new Set([...svg.matchAll(/aria-label="[^"]*loss: ([^";]+)/g)].map((m) => m[1]));
}

/** The legend's labels: each entry's label group holds one text. */
function legendOf(svg: string): string[] {
  return [...svg.matchAll(/role-legend-label"[^>]*><text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
}

describe('npm run study --quick', () => {
  let dir = '';
  let corpus = '';
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-study-'));
    corpus = path.join(dir, 'topics.txt');
    writeFileSync(corpus, plantedCorpus());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes results.json with every loss, one valid SVG per chart with one series per loss, and the document', () => {
    const out = path.join(dir, 'docs');
    const log = study(['--quick', '--corpus', corpus, '--out', out]);
    assert.match(log, /cost 1\/\d+ sg softmax/, 'progress names the run');
    const results = JSON.parse(readFileSync(path.join(out, 'study', 'results.json'), 'utf8')) as StudyResults;
    const runs = Object.values(results.runs);
    const ids = (part: string, model: string) => new Set(runs.filter((r) => r.part === part && r.model === model).map((r) => r.id));
    const costIds = LOSS_CONFIGS.filter((c) => !c.variantOf).map((c) => c.id);
    for (const model of ['sg', 'cbow']) assert.deepEqual([...ids('cost', model)].sort(), [...costIds].sort(), `part 1, ${model}`);
    for (const part of ['time', 'epochs']) {
      assert.deepEqual([...ids(part, 'cbow')].sort(), LOSS_CONFIGS.map((c) => c.id).sort(), `part ${part}`);
      for (const run of runs.filter((r) => r.part === part)) {
        assert.ok(run.quality, `${run.id} is scored`);
        assert.equal(run.quality.perplexity === undefined, run.id === 'ns', `${run.id}: perplexity exactly where the output is a distribution`);
        for (const metric of ['analogy', 'ws353', 'mturk'] as const) assert.equal(typeof run.quality[metric], 'number', `${run.id}: ${metric} scored`);
        if (run.quality.perplexity !== undefined) assert.ok(run.quality.perplexity > 1 && run.quality.perplexity <= 1.01 * run.vocabularySize * 2);
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
    // Trained for real: hierarchical softmax beats the uniform guess on held-out topic sentences.
    const hs = runs.find((r) => r.part === 'time' && r.id === 'hs')!;
    assert.ok(hs.quality!.perplexity! < 0.8 * hs.vocabularySize, `hs perplexity ${hs.quality!.perplexity} of ${hs.vocabularySize} words`);

    const charts: Array<[string, string[]]> = [
      ['cost-sg.svg', costIds], ['cost-cbow.svg', costIds],
      ['quality-time.svg', LOSS_CONFIGS.map((c) => c.id)], ['quality-epochs.svg', LOSS_CONFIGS.map((c) => c.id)],
    ];
    for (const [file, expected] of charts) {
      const svg = readFileSync(path.join(out, 'study', file), 'utf8');
      assert.equal(XMLValidator.validate(svg), true, `${file} is well-formed XML`);
      assert.match(svg, /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const labels = expected.map((id) => LOSS_CONFIGS.find((c) => c.id === id)!.label);
      assert.deepEqual([...seriesOf(svg)].sort(), [...labels].sort(), `${file}: one series per loss`);
      assert.deepEqual(legendOf(svg), labels, `${file}: legend lists each loss once`);
    }
    const markdown = readFileSync(path.join(out, 'softmax.md'), 'utf8');
    for (const file of ['cost-sg.svg', 'cost-cbow.svg', 'quality-time.svg', 'quality-epochs.svg']) assert.match(markdown, new RegExp(`\\(study/${file}\\)`));
    const hsSpeedUp = runs.find((r) => r.part === 'cost' && r.model === 'sg' && r.id === 'hs' && r.sizeAsked === 0)!;
    const softmax = runs.find((r) => r.part === 'cost' && r.model === 'sg' && r.id === 'softmax' && r.sizeAsked === 0)!;
    const ratio = hsSpeedUp.wordsPerSecond / softmax.wordsPerSecond;
    assert.match(markdown, new RegExp(`hierarchical softmax trains ${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`), 'numbers come from results.json');

    // Resumed: nothing runs again, and the outputs are made anew from results.json.
    const again = study(['--quick', '--corpus', corpus, '--out', out]);
    assert.doesNotMatch(again, /words\/s/);
    assert.equal((again.match(/kept/g) ?? []).length, runs.reduce((steps, r) => steps + (r.repeats?.length ?? 1), 0), 'every run of every cell kept');
  });
});
