import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError, errnoCode } from '../base/errors.js';

/** Expands inputs: files as given, directories to their regular files (recursive, sorted by path). Missing/unreadable path or an empty result -> UserError with one line saying which path and what to do. */
export async function resolveCorpusFiles(inputs: string[]): Promise<string[]> {
  if (inputs.length === 0) {
    throw new UserError('No corpus given; pass one or more text files (.txt or .gz) or directories of them');
  }
  const files: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw pathError(input, error);
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      await collectFiles(input, found);
      // Code-unit order, not locale order, so the same tree gives the same corpus everywhere.
      found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (found.length === 0) {
        throw new UserError(`Corpus directory ${input} contains no files; add text files (.txt or .gz) to it or pass files directly`);
      }
      for (const file of found) await requireReadable(file);
      files.push(...found);
    } else {
      await requireReadable(input);
      files.push(input);
    }
  }
  return files;
}

/**
 * Regular files under dir, recursively. Symbolic links to files are followed; links to
 * directories are not, since they can form cycles and a corpus tree rarely needs them.
 */
async function collectFiles(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw pathError(dir, error);
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      await collectFiles(full, out);
    } else if (entry.isFile()) {
      out.push(full);
    } else if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined);
      if (target?.isFile()) out.push(full);
    }
  }
}

async function requireReadable(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw pathError(file, error);
  }
}

/** The one-line error for a corpus path that cannot be read, by errno. */
export function pathError(file: string, error: unknown): UserError {
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UserError(`Corpus path ${file} does not exist; check the path`, { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError(`Cannot read corpus path ${file}: permission denied; fix its permissions or pass another path`, { cause: error });
  }
  if (code === 'EISDIR') {
    return new UserError(`Corpus path ${file} is a directory where a file was expected; pass the directory itself as an input`, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new UserError(`Cannot read corpus path ${file}: ${reason}; check that it is a readable text or .gz file`, { cause: error });
}
