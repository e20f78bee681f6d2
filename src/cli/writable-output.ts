import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { UserError, errnoCode } from '../base/errors.js';

/**
 * Refuses an output path that cannot be written before hours of training, not after: it must
 * not be a directory, and the nearest existing folder on its way must be a folder that accepts
 * a new file (checked by creating and removing one there; missing folders below it are created
 * by the atomic write later).
 */
export async function checkWritableOutput(flag: string, file: string): Promise<void> {
  const target = path.resolve(file);
  const stats = await fsp.stat(target).catch(() => undefined);
  if (stats?.isDirectory()) throw new UserError(`${flag} ${file} is a directory: name a file, for example ${path.join(file, 'vectors.bin')}`);
  let folder = path.dirname(target);
  for (;;) {
    const info = await fsp.stat(folder).catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT') return undefined;
      throw new UserError(`${flag} ${file}: cannot use ${folder} (${errnoCode(error) ?? String(error)}); choose another place`);
    });
    if (info) {
      if (!info.isDirectory()) throw new UserError(`${flag} ${file}: ${folder} is not a folder; choose another place`);
      break;
    }
    const parent = path.dirname(folder);
    if (parent === folder) throw new UserError(`${flag} ${file}: no existing folder on its path; choose another place`);
    folder = parent;
  }
  const probe = path.join(folder, `.w2v-write-check.${process.pid}.${Date.now()}.tmp`);
  try {
    const handle = await fsp.open(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
    await handle.close();
    await fsp.rm(probe, { force: true });
  } catch (error) {
    const code = errnoCode(error) ?? String(error);
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : code === 'ENOSPC' ? 'the disk is full' : code;
    throw new UserError(`${flag} ${file}: cannot write in ${folder} (${why}); choose another place`);
  }
}
