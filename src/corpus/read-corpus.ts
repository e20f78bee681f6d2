import { rmSync } from 'node:fs';
import path from 'node:path';
import type { EncodingErrors } from './corpus-text.js';
import { readPartsInWorkers } from './read-in-workers.js';
import type { PartCount } from './read-part.js';
import { planReadParts } from './read-plan.js';
import { WordTable } from './word-table.js';

export interface ReadCorpusOptions {
  /** Directory for the parts' id files; the caller removes it (removePartFiles frees them sooner). */
  workDirectory: string;
  encodingErrors: EncodingErrors;
  /** Reader threads at most: the corpus is cut into that many parts, each of at least minPartBytes. */
  readers: number;
  minPartBytes?: number;
  /** Bytes read from the files (compressed ones for .gz) of their total, and tokens found so far. */
  onProgress?: (read: ReadProgress) => void;
}

export interface ReadProgress {
  fileBytes: number;
  totalBytes: number;
  tokens: number;
}

/** The text read once: each part's provisional ids on disk, and every distinct word in one numbering. */
export interface ReadCorpus {
  /** In corpus order; concatenated, their id files are the corpus (a line may go on into the next part). */
  parts: PartCount[];
  /** Every distinct word, numbered by its first appearance in the corpus, with its count. */
  words: WordTable;
  /** By part: provisional id there → id in `words`. */
  partIds: Int32Array[];
  tokens: number;
  cutTokens: number;
  lineFeeds: number;
  replacedSequences: number;
}

/**
 * Tokenizes the corpus in parallel parts (one reader thread each, see read-plan.ts) that count
 * words while writing provisional ids, then merges the parts' words in order of first appearance
 * in the whole corpus, so that the numbering does not depend on the number of readers.
 */
export async function readCorpus(files: string[], options: ReadCorpusOptions): Promise<ReadCorpus> {
  const plan = await planReadParts(files, options.readers, options.minPartBytes);
  // The ranges tile the files, so they add up to the bytes there are to read.
  const totalBytes = plan.flat().reduce((sum, range) => sum + range.end - range.start, 0);
  const parts = await readPartsInWorkers(
    plan.map((ranges, k) => ({ ranges, idsPath: path.join(options.workDirectory, `part${k}.u32`) })),
    { encodingErrors: options.encodingErrors, onProgress: (fileBytes, tokens) => options.onProgress?.({ fileBytes, totalBytes, tokens }) },
  );
  // Part 0's words in its order, then each later part's new words in theirs.
  const words = new WordTable();
  const partIds = parts.map((part) => words.merge(part.words));
  const sum = (key: 'tokens' | 'cutTokens' | 'lineFeeds' | 'replacedSequences') => parts.reduce((total, part) => total + part[key], 0);
  return {
    parts,
    words,
    partIds,
    tokens: sum('tokens'),
    cutTokens: sum('cutTokens'),
    lineFeeds: sum('lineFeeds'),
    replacedSequences: sum('replacedSequences'),
  };
}

/** Removes the parts' id files once their ids have been read for the last time. */
export function removePartFiles(read: Pick<ReadCorpus, 'parts'>): void {
  for (const part of read.parts) rmSync(part.idsPath, { force: true });
}
