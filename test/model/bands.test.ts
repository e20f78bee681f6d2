import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBands, singleBand } from '../../src/model/bands.js';
import { DEFAULT_BANDS, parseBands, resolveTrainOptions } from '../../src/model/options.js';

function checkPartition(bands: ReturnType<typeof planBands>, vocab: number, dim: number) {
  assert.equal(bands[0].firstWord, 0);
  assert.equal(bands[0].dimOffset, 0);
  for (let b = 1; b < bands.length; b++) {
    assert.equal(bands[b].firstWord, bands[b - 1].endWord, 'word ranges are consecutive');
    assert.equal(bands[b].dimOffset, bands[b - 1].dimOffset + bands[b - 1].dims, 'blocks are consecutive');
  }
  assert.equal(bands[bands.length - 1].endWord, vocab, 'bands cover the vocabulary');
  assert.equal(bands.reduce((s, b) => s + b.dims, 0), dim, 'widths sum to the dimension');
  for (const band of bands) {
    assert.ok(band.endWord > band.firstWord, 'no empty band');
    assert.ok(band.dims > 0);
    assert.equal(band.dimOffset % 4, 0, 'blocks start on a SIMD lane');
  }
}

describe('differentiated softmax bands', () => {
  it('the default cuts 10k words and 100 dimensions as 10/30/60 % of words with 50/30/20 % of dimensions', () => {
    const bands = planBands(10_000, 100, DEFAULT_BANDS);
    checkPartition(bands, 10_000, 100);
    assert.deepEqual(bands.map((b) => b.endWord - b.firstWord), [1000, 3000, 6000]);
    // 25 lanes: 12.5 / 7.5 / 5 rounded by largest remainder, ties to the earlier band.
    assert.deepEqual(bands.map((b) => b.dims), [52, 28, 20]);
  });

  it('partition the vocabulary and the dimension for many shapes', () => {
    for (const vocab of [3, 7, 100, 12_345]) {
      for (const dim of [12, 22, 100, 301]) {
        checkPartition(planBands(vocab, dim, DEFAULT_BANDS), vocab, dim);
        checkPartition(planBands(vocab, dim, parseBands('0.05:0.4,0.15:0.3,0.3:0.2,0.5:0.1')), vocab, dim);
      }
    }
  });

  it('fewer words or lanes than bands give fewer bands, still a partition', () => {
    const bands = planBands(2, 100, DEFAULT_BANDS);
    assert.equal(bands.length, 2);
    checkPartition(bands, 2, 100);
  });

  it('the full softmax is one band of everything', () => {
    assert.deepEqual(singleBand(50, 22), [{ firstWord: 0, endWord: 50, dimOffset: 0, dims: 22 }]);
  });

  it('bad band options are refused with a line that says what to write', () => {
    assert.throws(() => parseBands('0.1-0.5'), /write shares as words:dims/);
    assert.throws(() => resolveTrainOptions({ loss: 'dsoftmax', bands: parseBands('0.5:0.5,0.4:0.5') }), /must each sum to 1/);
    assert.throws(() => resolveTrainOptions({ loss: 'dsoftmax', dim: 8, bands: DEFAULT_BANDS.slice() }), /at least 12/);
    assert.throws(() => resolveTrainOptions({ loss: 'softmax', bands: DEFAULT_BANDS.slice() }), /--bands does not apply to --loss softmax/);
  });
});
