import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitProgressLine, type ProgressField } from '../../src/cli/progress.js';

const FIELDS: ProgressField[] = [
  { text: 'ETA 1m20s', keep: 2 },
  { text: 'epoch 12', keep: 1 },
  { text: '1.23M words/s', keep: 4 },
  { text: 'alpha 0.01234', keep: 3 },
  { text: 'loss 2.2451', keep: 0 },
];

describe('the progress line', () => {
  it('shows every field, in order, with a full bar where there is room', () => {
    const line = fitProgressLine(0.5, FIELDS, 160);
    assert.equal(line, `${'\u2588'.repeat(20)}${'\u2591'.repeat(20)}  50% | ETA 1m20s | epoch 12 | 1.23M words/s | alpha 0.01234 | loss 2.2451`);
  });

  it('never reaches the last column, dropping the least wanted fields first', () => {
    for (let width = 20; width <= 130; width++) {
      const line = fitProgressLine(0.37, FIELDS, width);
      assert.ok(line.length <= width - 1, `width ${width}: ${line.length} characters`);
    }
    const at80 = fitProgressLine(0.37, FIELDS, 80);
    assert.match(at80, /loss 2\.2451$/, 'the loss stays');
    assert.match(at80, /alpha 0\.01234/, 'so does the learning rate at 80 columns');
    assert.doesNotMatch(at80, /words\/s/, 'words/s goes first');
    const at50 = fitProgressLine(0.37, FIELDS, 50);
    assert.match(at50, /epoch 12 \| loss 2\.2451$/);
    assert.doesNotMatch(at50, /alpha|ETA/);
  });

  it('fills the bar in proportion, whatever its width', () => {
    const line = fitProgressLine(1, FIELDS, 80);
    assert.doesNotMatch(line, /\u2591/);
    assert.match(line, /^\u2588{10,40} 100% \|/);
    assert.match(fitProgressLine(0, [], 30), /^\u2591+ {3}0%$/);
  });
});
