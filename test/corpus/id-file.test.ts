import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiskFullError } from '../../src/base/errors.js';
import { ID_BLOCK_ENTRIES, IdWriter, readIdBlocks } from '../../src/corpus/id-file.js';

describe('id files', () => {
  it('read back, block by block, exactly the entries written one at a time and in runs', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-id-file-'));
    try {
      const file = path.join(dir, 'ids.u32');
      const writer = new IdWriter(file);
      const expected: number[] = [];
      for (let i = 0; i < ID_BLOCK_ENTRIES + 10; i++) {
        writer.pushAll(Uint32Array.of(i * 7));
        expected.push(i * 7);
      }
      const run = Uint32Array.from({ length: ID_BLOCK_ENTRIES * 2 + 3 }, (_, i) => (i % 5 === 0 ? 0xffffffff : i));
      writer.pushAll(run);
      for (const id of run) expected.push(id);
      writer.close();
      const read: number[] = [];
      for (const block of readIdBlocks(file)) for (const id of block) read.push(id);
      assert.equal(read.length, expected.length);
      assert.ok(read.every((id, i) => id === expected[i]), 'same entries in the same order');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('name a full disk as the temporary folder filling up, in one line', () => {
    // Every write to /dev/full fails with ENOSPC.
    const writer = new IdWriter('/dev/full');
    writer.pushAll(Uint32Array.of(1));
    assert.throws(
      () => writer.close(),
      (error: unknown) => {
        assert.ok(error instanceof DiskFullError, String(error));
        assert.match(error.message, /^\/dev\/full: the disk is full \(ENOSPC\) while writing the encoded corpus .*set TMPDIR/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
    // A large block skips the buffer and fails at once, the same way.
    const direct = new IdWriter('/dev/full');
    assert.throws(() => direct.pushAll(new Uint32Array(ID_BLOCK_ENTRIES)), DiskFullError);
    direct.close();
  });
});
