import { open, stat } from 'node:fs/promises';
import { pathError } from './corpus-files.js';
import type { TextRange } from './corpus-text.js';
import { isAsciiSpace } from './token-scanner.js';

/** Below this many bytes a part is not worth a reader thread of its own. */
export const MIN_PART_BYTES = 4 << 20;

/** Bytes read at a time while looking for whitespace to split at. */
const PROBE_BYTES = 1 << 16;

/**
 * Cuts the corpus into at most `parts` consecutive parts of about equal size, one per reader.
 * Plain files are split just after an ASCII whitespace byte, which can never fall inside a
 * token or inside a UTF-8 character, so every part tokenizes on its own; gzip streams cannot be
 * entered in the middle and go whole. Concatenated in order, the parts are the corpus.
 */
export async function planReadParts(files: string[], parts: number, minPartBytes = MIN_PART_BYTES): Promise<TextRange[][]> {
  const sized: { file: string; size: number; gzip: boolean }[] = [];
  for (const file of files) {
    try {
      sized.push({ file, size: (await stat(file)).size, gzip: await isGzip(file) });
    } catch (error) {
      throw pathError(file, error);
    }
  }
  const total = sized.reduce((sum, f) => sum + f.size, 0);
  const count = Math.max(1, Math.min(parts, Math.floor(total / minPartBytes)));
  const plan: TextRange[][] = [[]];
  let before = 0;
  for (const { file, size, gzip } of sized) {
    let start = 0;
    while (!gzip && plan.length < count) {
      // The next part starts where the running total passes its share of the corpus.
      const target = Math.ceil((plan.length * total) / count) - before;
      if (target >= size) break;
      const split = await splitPointAfter(file, Math.max(start, target), size);
      if (split >= size) break;
      if (split > start) plan[plan.length - 1].push({ file, start, end: split, gzip, endsFile: false });
      plan.push([]);
      start = split;
    }
    plan[plan.length - 1].push({ file, start, end: size, gzip, endsFile: true });
    before += size;
    if (gzip && plan.length < count && before >= (plan.length * total) / count) plan.push([]);
  }
  return plan.filter((part) => part.length > 0);
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The offset just after the first ASCII whitespace byte at or after `from`, or the file size. */
async function splitPointAfter(file: string, from: number, size: number): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const probe = Buffer.allocUnsafe(PROBE_BYTES);
    for (let at = from; at < size; ) {
      const { bytesRead } = await handle.read(probe, 0, PROBE_BYTES, at);
      if (bytesRead === 0) break;
      for (let k = 0; k < bytesRead; k++) if (isAsciiSpace(probe[k])) return at + k + 1;
      at += bytesRead;
    }
    return size;
  } finally {
    await handle.close();
  }
}
