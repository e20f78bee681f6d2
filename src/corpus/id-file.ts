import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DiskFullError, errnoCode } from '../base/errors.js';

/** Marks the end of a sentence in the encoded corpus and in a chunk. */
export const SENTENCE_END = 0xffffffff;

/** Entries per read(2) or write(2) of an id file: 1 MiB. */
export const ID_BLOCK_ENTRIES = 1 << 18;

/**
 * Buffered writer of u32 entries: one write(2) per 1 MiB block instead of one per token. Id files
 * are the trainer's work files, in the temporary folder, so a full disk there is named as such:
 * the advice is about TMPDIR, not about --out.
 */
export class IdWriter {
  private readonly fd: number;
  private readonly block = new Uint32Array(ID_BLOCK_ENTRIES);
  private used = 0;
  constructor(private readonly file: string) {
    this.fd = openSync(file, 'w');
  }
  pushAll(ids: Uint32Array): void {
    // A block as large as half the buffer goes straight to the file: copying it first would
    // cost a pass over its bytes and save no write(2).
    if (ids.length >= ID_BLOCK_ENTRIES / 2) {
      this.flush();
      this.write(ids);
      return;
    }
    for (let from = 0; from < ids.length; ) {
      const take = Math.min(ids.length - from, ID_BLOCK_ENTRIES - this.used);
      this.block.set(ids.subarray(from, from + take), this.used);
      this.used += take;
      from += take;
      if (this.used === ID_BLOCK_ENTRIES) this.flush();
    }
  }
  flush(): void {
    if (this.used === 0) return;
    this.write(this.block.subarray(0, this.used));
    this.used = 0;
  }
  private write(ids: Uint32Array): void {
    try {
      writeFully(this.fd, new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'ENOSPC' && code !== 'EDQUOT') throw error;
      throw new DiskFullError(
        `${this.file}: the disk is full (${code}) while writing the encoded corpus (4 bytes a token, in the temporary folder ` +
          `${path.dirname(this.file)}); free space there or set TMPDIR to a folder on a larger disk`,
        { cause: error },
      );
    }
  }
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Writes all of `bytes` at the file's current offset: one write(2) may take less than given. */
function writeFully(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * Reads until `bytes` is full or the file ends, and returns how many bytes were read; a null
 * position reads on from the file's current offset. One read(2) may return less than asked.
 */
export function readFully(fd: number, bytes: Uint8Array, position: number | null): number {
  let filled = 0;
  while (filled < bytes.length) {
    const n = readSync(fd, bytes, filled, bytes.length - filled, position === null ? null : position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled;
}

/**
 * Reads a file of u32 entries block by block, into `into` (by default a block of its own);
 * each block is valid until the next.
 */
export function* readIdBlocks(file: string, into: Uint32Array = new Uint32Array(ID_BLOCK_ENTRIES)): Generator<Uint32Array> {
  const fd = openSync(file, 'r');
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  try {
    for (;;) {
      const filled = readFully(fd, bytes, null);
      if (filled === 0) return;
      yield into.subarray(0, filled >> 2);
      if (filled < bytes.length) return;
    }
  } finally {
    closeSync(fd);
  }
}
