// Test preload (node --import): makes the disk "fill up" after W2V_TEST_ENOSPC_AFTER bytes
// written by the main thread, so the CLI's handling of ENOSPC can be checked without a full
// disk. FileHandle writes (every output goes through them) and hnswlib's native index writer
// fail from then on as the kernel would: with an errno error whose code is ENOSPC. Inert
// without the variable.
import { open } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';

const budgetText = process.env.W2V_TEST_ENOSPC_AFTER;

function enospc(syscall: string): Error {
  return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), { code: 'ENOSPC', errno: -28, syscall });
}

if (budgetText !== undefined && isMainThread) {
  let left = Number(budgetText);
  const probe = await open(path.join(os.tmpdir(), `.enospc-probe-${process.pid}`), 'w');
  const FileHandle = Object.getPrototypeOf(probe) as {
    write: (...args: unknown[]) => Promise<{ bytesWritten: number; buffer: unknown }>;
    writeFile: (...args: unknown[]) => Promise<void>;
  };
  await probe.close();
  const { rm } = await import('node:fs/promises');
  await rm(path.join(os.tmpdir(), `.enospc-probe-${process.pid}`), { force: true });

  const write = FileHandle.write;
  FileHandle.write = async function (this: unknown, data: unknown, ...rest: unknown[]) {
    const size = typeof data === 'string' ? Buffer.byteLength(data) : ArrayBuffer.isView(data) ? (typeof rest[1] === 'number' ? rest[1] : data.byteLength) : 0;
    if (size > left) throw enospc('write');
    left -= size;
    return write.call(this, data, ...rest);
  };
  const writeFile = FileHandle.writeFile;
  FileHandle.writeFile = async function (this: unknown, data: unknown, ...rest: unknown[]) {
    const size = typeof data === 'string' ? Buffer.byteLength(data) : ArrayBuffer.isView(data) ? data.byteLength : 0;
    if (size > left) throw enospc('write');
    left -= size;
    return writeFile.call(this, data, ...rest);
  };
  // The native writer cannot be reached through fs (and its methods are read-only): a subclass
  // in the module's exports writes a partial file and fails.
  const Native = hnswlib.HierarchicalNSW;
  class FullDiskIndex extends Native {
    override async writeIndex(file: string): Promise<boolean> {
      if (left < 1 << 20) {
        writeFileSync(file, Buffer.alloc(Math.max(0, Math.min(left, 4096)), 1));
        left = 0;
        throw enospc('write');
      }
      return super.writeIndex(file);
    }
  }
  (hnswlib as { HierarchicalNSW: typeof Native }).HierarchicalNSW = FullDiskIndex;
}
