import { statSync } from 'node:fs';
import type { EncodingErrors } from './corpus-text.js';
import { ID_BLOCK_ENTRIES, readIdBlocks } from './id-file.js';
import { PhraseTable, type PhraseScoring } from './phrase-table.js';
import { readCorpus, removePartFiles, type ReadCorpus, type ReadProgress } from './read-corpus.js';

export interface PhrasePassOptions {
  scoring: PhraseScoring;
  /** A pair is joined when its score is above this. */
  threshold: number;
  /** Pairs seen fewer times are never joined (and with the default scoring, nor are words seen fewer times). */
  minCount: number;
  /** Distinct pairs the table holds at most; at the bound it drops its rarest (see phrases.ts). */
  maxPairs: number;
  /** Directory for the parts' id files. */
  workDirectory: string;
  encodingErrors: EncodingErrors;
  readers: number;
  minPartBytes?: number;
  onReadProgress?: (read: ReadProgress) => void;
  /** Ids counted or written so far, of the corpus's ids (tokens and line ends), a block at a time. */
  onProgress?: (step: 'count' | 'write', done: number, total: number) => void;
}

/** What one pass found and did. */
export interface PhrasePassReport {
  threshold: number;
  /** Tokens read, and the words they make (the pass's input vocabulary). */
  tokens: number;
  words: number;
  /**
   * Distinct pairs of adjacent words counted: those of two words that can be in a phrase (seen
   * min-count times or more, and with the default scoring fewer than tokens / threshold times).
   */
  pairs: number;
  /** Pairs seen this many times or fewer were dropped when the table was full, so their counts are low (0: it never was). */
  prunedAtOrBelow: number;
  /** Pairs joined in the text, and the distinct phrases they are. */
  joins: number;
  phrases: number;
  cutTokens: number;
  replacedSequences: number;
  seconds: { read: number; count: number; write: number };
}

/**
 * One pass of phrase detection: the text read once into ids (in parallel, as `w2v train` reads
 * it), the pairs of adjacent words counted over those ids, then the text written again with
 * each pair that scores above the threshold joined by "_" (at most one join per word, as C
 * word2phrase: after "new_york", "york" does not join "city" in the same pass). Memory holds the
 * words and the pair table, not the corpus; `write` receives the text in pieces, each valid until
 * the promise it returns settles.
 */
export async function phrasePass(files: string[], write: (text: Uint8Array) => Promise<void>, options: PhrasePassOptions): Promise<PhrasePassReport> {
  const started = performance.now();
  const read = await readCorpus(files, { ...options, onProgress: options.onReadProgress });
  try {
    const counted = performance.now();
    const table = new PhraseTable(ID_BLOCK_ENTRIES, options.maxPairs, Math.max(...read.partIds.map((ids) => ids.length)), read.words);
    table.useScoring(options.scoring, options.threshold, options.minCount, read.tokens);
    await overIds(read, table, 'count', options, async (entries) => table.countPairs(entries));
    table.markPhrases();
    const written = performance.now();
    await overIds(read, table, 'write', options, async (entries) => {
      for (const piece of table.write(entries)) await write(piece);
    });
    return {
      threshold: options.threshold,
      tokens: read.tokens,
      words: read.words.size,
      pairs: table.pairs,
      prunedAtOrBelow: table.prunedAtOrBelow,
      joins: table.joins,
      phrases: table.phrases,
      cutTokens: read.cutTokens,
      replacedSequences: read.replacedSequences,
      seconds: { read: (counted - started) / 1000, count: (written - counted) / 1000, write: (performance.now() - written) / 1000 },
    };
  } finally {
    removePartFiles(read);
  }
}

/**
 * Every block of every part's ids, in corpus order, copied into the table's input with the
 * part's map in place. Copied rather than read into place: counting may grow the module's
 * memory, which detaches any view of it kept across calls.
 */
async function overIds(
  read: ReadCorpus,
  table: PhraseTable,
  step: 'count' | 'write',
  options: PhrasePassOptions,
  each: (entries: number) => Promise<void>,
): Promise<void> {
  const total = read.parts.reduce((sum, part) => sum + statSync(part.idsPath).size / 4, 0);
  let done = 0;
  for (let k = 0; k < read.parts.length; k++) {
    table.useMap(read.partIds[k]);
    for (const block of readIdBlocks(read.parts[k].idsPath)) {
      table.input.set(block);
      await each(block.length);
      done += block.length;
      options.onProgress?.(step, done, total);
    }
  }
}
