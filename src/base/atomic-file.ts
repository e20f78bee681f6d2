import { promises as fsp } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DiskFullError, errnoCode } from './errors.js';
import { registerTransientPath, releaseTransientPath } from './exit-cleanup.js';

/**
 * Writes a file so that readers never see a half-written one: everything goes to a
 * temporary file in the same directory, which is renamed over the target only after
 * `write` succeeded and the data was flushed. On failure the temporary file is removed, and
 * while it exists it is registered so that an immediate exit removes it too.
 */
export async function writeFileAtomically(
  target: string,
  write: (handle: FileHandle, tempPath: string) => Promise<void>,
): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  await fsp.mkdir(dir, { recursive: true });
  const tempPath = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  registerTransientPath(tempPath);
  let handle: FileHandle;
  try {
    handle = await open(tempPath, 'w');
  } catch (error) {
    releaseTransientPath(tempPath);
    throw error;
  }
  try {
    await write(handle, tempPath);
    await handle.sync();
    await handle.close();
    await fsp.rename(tempPath, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fsp.rm(tempPath, { force: true });
    throw fullDisk(target, error) ?? error;
  } finally {
    releaseTransientPath(tempPath);
  }
}

/** A full disk (or quota) is the user's to fix: one line naming the file, saying nothing was replaced. */
function fullDisk(target: string, error: unknown): DiskFullError | undefined {
  const code = errnoCode(error);
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return undefined;
  return new DiskFullError(`${target}: the disk is full (${code}); nothing was written and any previous file is unchanged; free space or write elsewhere`, { cause: error });
}

/** Writes all of `bytes` at the handle's position: one write may take less than it is given. */
export async function writeAllBytes(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length; ) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
}

/** Convenience for small outputs that are already in memory (reports, sidecars). */
export async function writeTextFileAtomically(target: string, text: string): Promise<void> {
  await writeFileAtomically(target, async (handle) => {
    await handle.writeFile(text, 'utf8');
  });
}
