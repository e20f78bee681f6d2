import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { CHECKPOINT_VERSION, readCheckpoint, writeCheckpoint, type Checkpoint } from '../../src/train/checkpoint.js';
import { resolveTrainOptions } from '../../src/model/options.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-checkpoint-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sample(words: string[], stride = 4): Checkpoint {
  const rows = words.length * stride;
  return {
    header: {
      format: 'w2v-checkpoint',
      version: CHECKPOINT_VERSION,
      createdAt: '2026-12-01T00:00:00.000Z',
      options: resolveTrainOptions({ dim: 3, workers: 2 }),
      corpus: { files: [{ path: '/data/corpus.txt', size: 1234, mtimeMs: 1.5 }], corpusTokens: 300, trainingWords: 290 },
      vocabulary: { words, counts: words.map((_, i) => 100 - i) },
      plan: { epochs: 5, wordsTotal: 1450, pieceWords: Infinity, seed: 1 },
      completed: { prefix: 3, after: [5] },
      trainSeconds: 12.5,
      epochs: [{ epoch: 1, lossSum: 42.25, predictions: 1000, wordsSeen: 290, wordsTrained: 250, seconds: 2 }],
      resumedFrom: [],
      layout: { vocabSize: words.length, dim: 3, stride },
    },
    input: Float32Array.from({ length: rows }, (_, i) => i / 7),
    output: Float32Array.from({ length: rows }, (_, i) => -i / 3),
  };
}

/** Rewrites the header of a checkpoint file with a correct checksum, as another program might. */
function withHeader(file: string, edit: (header: Record<string, unknown>) => void): void {
  const bytes = readFileSync(file);
  const length = bytes.readUInt32LE(12);
  const header = JSON.parse(bytes.subarray(24, 24 + length).toString('utf8'));
  edit(header);
  const json = Buffer.from(JSON.stringify(header));
  const weightsAt = 24 + length + ((4 - ((24 + length) % 4)) % 4);
  const prefix = Buffer.from(bytes.subarray(0, 24));
  prefix.writeUInt32LE(json.length, 12);
  prefix.writeUInt32LE(crc32(json), 16);
  const padding = Buffer.alloc((4 - ((24 + json.length) % 4)) % 4);
  writeFileSync(file, Buffer.concat([prefix, json, padding, bytes.subarray(weightsAt)]));
}

describe('checkpoint files', () => {
  it('round-trips the header and both layers exactly, for any header length', async () => {
    // Words of different lengths move the weights to every alignment after the header.
    for (const words of [['a', 'b'], ['ab', 'c'], ['abc', 'de', 'f'], ['é', 'ü']]) {
      const file = path.join(dir, `round-${words.join('')}.ckpt`);
      const written = sample(words);
      await writeCheckpoint(file, written);
      const read = await readCheckpoint(file);
      assert.deepEqual(read.header, written.header, 'pieceWords Infinity is stored as 0 and read back as Infinity');
      assert.deepEqual(read.input, written.input);
      assert.deepEqual(read.output, written.output);
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('refuses bytes after the weights, and a header whose fields do not fit, naming the file', async () => {
    const file = path.join(dir, 'refuse.ckpt');
    await writeCheckpoint(file, sample(['a', 'b']));
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from([0])]));
    await assert.rejects(readCheckpoint(file), /refuse\.ckpt: 1 unexpected bytes after the weights; it cannot be resumed/);

    const edits: Array<[string, (h: Record<string, unknown>) => void, RegExp]> = [
      ['a layout larger than the weights', (h) => ((h.layout as { vocabSize: number }).vocabSize = 3), /vocabulary \(its size differs from the layout\)/],
      ['a non-finite training time', (h) => (h.trainSeconds = 'soon'), /no valid training time/],
      ['a negative count', (h) => ((h.vocabulary as { counts: number[] }).counts[0] = -1), /no valid vocabulary/],
      ['another version', (h) => (h.version = 99), /no valid version/],
    ];
    for (const [what, edit, message] of edits) {
      await writeCheckpoint(file, sample(['a', 'b']));
      withHeader(file, edit);
      await assert.rejects(readCheckpoint(file), (error: Error) => {
        assert.equal(error.name, 'UserError', what);
        assert.match(error.message, /^.*refuse\.ckpt: /, what);
        assert.match(error.message, message, what);
        return true;
      });
    }
  });

  it('says what is wrong with a missing file or a directory', async () => {
    await assert.rejects(readCheckpoint(path.join(dir, 'nope.ckpt')), /nope\.ckpt: no such checkpoint file/);
    await assert.rejects(readCheckpoint(dir), /is a directory, not a checkpoint file/);
  });
});
