import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Random } from '../../src/base/random.js';
import { planReadParts } from '../../src/corpus/read-plan.js';

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-plan-test-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function randomText(random: Random, bytes: number): string {
  const parts: string[] = [];
  for (let size = 0; size < bytes; ) {
    const word = `w${random.nextUint32() % 1000}`;
    const gap = [' ', '\n', '\t', ' \r\n'][random.nextUint32() % 4];
    parts.push(word, gap);
    size += word.length + gap.length;
  }
  return parts.join('');
}

describe('planReadParts', () => {
  it('tiles every file with its ranges, splits only after whitespace, and keeps gzip files whole', async () => {
    const random = new Random(5);
    const files = ['a.txt', 'b.txt.gz', 'c.txt', 'd.txt'].map((name, i) => {
      const file = path.join(dir, name);
      const text = randomText(random, [50_000, 40_000, 3_000, 70_000][i]);
      writeFileSync(file, name.endsWith('.gz') ? gzipSync(text) : text);
      return file;
    });
    for (const parts of [1, 2, 3, 5, 16]) {
      const plan = await planReadParts(files, parts, 5_000);
      assert.ok(plan.length >= 1 && plan.length <= parts, `${plan.length} parts for ${parts}`);
      assert.ok(plan.every((part) => part.length > 0), 'no empty part');
      const ranges = plan.flat();
      assert.deepEqual([...new Set(ranges.map((r) => r.file))], files, 'files in order, each in one run of ranges');
      for (const file of files) {
        const own = ranges.filter((r) => r.file === file);
        const size = statSync(file).size;
        assert.equal(own[0].start, 0);
        assert.equal(own.at(-1)!.end, size);
        own.forEach((range, k) => {
          assert.equal(range.endsFile, k === own.length - 1);
          if (k > 0) assert.equal(range.start, own[k - 1].end, 'ranges are contiguous');
          if (range.start > 0) assert.match(String.fromCharCode(readFileSync(file)[range.start - 1]), /\s/, 'a split follows whitespace');
        });
        if (file.endsWith('.gz')) assert.equal(own.length, 1, 'a gzip file is one range');
      }
    }
    const five = await planReadParts(files, 5, 5_000);
    assert.equal(five.length, 5, 'the corpus splits into as many parts as asked');
    const sizes = five.map((part) => part.reduce((sum, r) => sum + r.end - r.start, 0));
    assert.ok(Math.max(...sizes) < 2.5 * Math.min(...sizes), `parts of similar size: ${sizes.join(', ')}`);
  });

  it('does not cut a corpus into parts smaller than the minimum', async () => {
    const file = path.join(dir, 'small.txt');
    writeFileSync(file, randomText(new Random(6), 20_000));
    assert.equal((await planReadParts([file], 8, 8_000)).length, 2);
    assert.equal((await planReadParts([file], 8, 30_000)).length, 1);
  });
});
