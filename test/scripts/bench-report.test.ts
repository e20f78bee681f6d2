import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdown, summarizeRuns, type Quality, type Row } from '../../scripts/bench/report.js';

const scores = (accuracy: number, ws353: number): Quality => ({
  analogy: { accuracy, correct: Math.round(accuracy * 1000), answered: 1000 },
  ws353: { spearman: ws353, oov_percent: 1.5 },
  vocab: 22_541,
});

describe('the bench table', () => {
  it('shows the median of every score over the scored runs, with the analogy range', () => {
    const run = (wallSeconds: number, quality?: Quality) => ({ wallSeconds, peakRssMB: 120, cpuSeconds: 2 * wallSeconds, loadBefore: 0, quality });
    const row: Row = {
      tool: 'w2v', mode: 'sg-hs', status: 'ok',
      // The first run's scores are the lowest: one run alone would show them.
      runs: [run(14, scores(0.1096, 0.58)), run(15, scores(0.1190, 0.61)), run(16, scores(0.1150, 0.60)), run(13)],
    };
    summarizeRuns(row, 10_000_000);
    assert.equal(row.quality?.analogy?.accuracy, 0.1150);
    assert.equal(row.quality?.analogy?.correct, 115);
    assert.equal(row.quality?.ws353?.spearman, 0.60);
    assert.deepEqual(row.analogyRange, [0.1096, 0.1190]);
    assert.equal(row.wallSeconds, 14.5);
    assert.match(markdown([row], { date: 'today' }), /\| 0\.1150 \(0\.110–0\.119\) \| 0\.6000 \|/);
  });

  it('leaves the scores out when no run was scored', () => {
    const row: Row = { tool: 'gensim', mode: 'cbow-ns', status: 'ok', runs: [{ wallSeconds: 9, peakRssMB: 300, cpuSeconds: 17, loadBefore: 0 }] };
    summarizeRuns(row, 10_000_000);
    assert.equal(row.quality, undefined);
    assert.equal(row.analogyRange, undefined);
  });
});
