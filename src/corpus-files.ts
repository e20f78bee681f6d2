import { constants } from 'node:fs';
import { access, lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError, errnoCode } from './errors.js';

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

/** A file a run will write, named as the user would know it (a flag or what it is). */
export interface PlannedOutput {
  name: string;
  path: string;
}

/**
 * Refuses a run that would write one of its own corpus files: the vectors, the report or a
 * checkpoint would replace the text being trained on, and the corpus would be gone. Directory
 * entries are compared (device and inode of the entry itself, not of what a link points at), so
 * another spelling of the same path counts, while an output that is a symbolic link to a corpus
 * file does not: the atomic write replaces the link, and the file it pointed at is kept.
 */
export async function refuseCorpusOverwrite(files: readonly string[], outputs: readonly PlannedOutput[]): Promise<void> {
  const entryKey = async (file: string) => {
    const info = await lstat(file).catch(() => undefined);
    return info ? `${info.dev}:${info.ino}` : undefined;
  };
  const existing = new Map<string, PlannedOutput>();
  for (const output of outputs) {
    const key = await entryKey(output.path);
    if (key !== undefined && !existing.has(key)) existing.set(key, output);
  }
  if (existing.size === 0) return;
  for (const file of files) {
    const key = await entryKey(file);
    const output = key === undefined ? undefined : existing.get(key);
    if (output) {
      throw new UserError(`${output.name} ${output.path} is the corpus file ${file}: writing it would destroy the corpus; choose another path`);
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
