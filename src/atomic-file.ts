import { promises as fsp } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
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
    throw error;
  } finally {
    releaseTransientPath(tempPath);
  }
}

/** Convenience for small outputs that are already in memory (reports, sidecars). */
export async function writeTextFileAtomically(target: string, text: string): Promise<void> {
  await writeFileAtomically(target, async (handle) => {
    await handle.writeFile(text, 'utf8');
  });
}
