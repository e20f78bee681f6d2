import { lstat } from 'node:fs/promises';
import { UserError } from './errors.js';

/** A file a command reads or writes, named as the user would know it (a flag, or what it is). */
export interface NamedPath {
  name: string;
  path: string;
}

/**
 * Refuses a command that would write over one of its own inputs: the vectors over the corpus,
 * an index over its vectors, an export over what it converts. The input would be gone once the
 * output is renamed into place (and it is still being read). Directory entries are compared
 * (device and inode of the entry itself, not of what a link points at), so another spelling of
 * the same path counts, while an output that is a symbolic link to an input does not: the atomic
 * write replaces the link, and the file it pointed at is kept.
 */
export async function refuseOverwritingInputs(inputs: readonly NamedPath[], outputs: readonly NamedPath[]): Promise<void> {
  const entryKey = async (file: string) => {
    const info = await lstat(file).catch(() => undefined);
    return info ? `${info.dev}:${info.ino}` : undefined;
  };
  const existing = new Map<string, NamedPath>();
  for (const output of outputs) {
    const key = await entryKey(output.path);
    if (key !== undefined && !existing.has(key)) existing.set(key, output);
  }
  if (existing.size === 0) return;
  for (const input of inputs) {
    const key = await entryKey(input.path);
    const output = key === undefined ? undefined : existing.get(key);
    if (output) {
      throw new UserError(`${output.name} ${output.path} is ${input.name} ${input.path}: writing it would destroy it; choose another path`);
    }
  }
}
