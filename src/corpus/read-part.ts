import type { EncodingErrors, TextStats } from './corpus-text.js';
import { scanRanges } from './sentences.js';
import { IdWriter } from './id-file.js';
import type { TextRange } from './corpus-text.js';
import { TokenScanner } from './token-scanner.js';
import type { WordBytes } from './word-table.js';

/** What one reader found in its part of the corpus. */
export interface PartCount {
  /** Distinct words, by provisional id (order of first appearance in the part), with their counts. */
  words: WordBytes;
  /** The part's tokens as provisional ids, with SENTENCE_END at line ends: u32 entries. */
  idsPath: string;
  tokens: number;
  cutTokens: number;
  /** Line feed bytes in the part, empty lines' included. */
  lineFeeds: number;
  replacedSequences: number;
}

export interface ReadPartOptions {
  encodingErrors: EncodingErrors;
  /** File bytes read so far (compressed ones for .gz) and tokens found, about every PROGRESS_BYTES. */
  onProgress?: (fileBytes: number, tokens: number) => void;
}

const PROGRESS_BYTES = 8 << 20;

/**
 * Tokenizes one part of the corpus, counting words and writing their provisional ids to
 * `idsPath`. Several parts run at once in reader threads; encoded-corpus.ts merges them.
 */
export async function readPart(ranges: TextRange[], idsPath: string, options: ReadPartOptions): Promise<PartCount> {
  const scanner = new TokenScanner();
  const stats: TextStats = { replaced: 0 };
  let fileBytes = 0;
  let nextReport = PROGRESS_BYTES;
  const onFileBytes = (bytes: number) => {
    fileBytes += bytes;
    if (fileBytes >= nextReport) {
      options.onProgress?.(fileBytes, scanner.tokens);
      nextReport = fileBytes + PROGRESS_BYTES;
    }
  };
  const writer = new IdWriter(idsPath);
  try {
    for await (const block of scanRanges(ranges, scanner, { encodingErrors: options.encodingErrors, onFileBytes }, stats)) writer.pushAll(block);
  } finally {
    writer.close();
  }
  options.onProgress?.(fileBytes, scanner.tokens);
  return {
    words: scanner.contents(),
    idsPath,
    tokens: scanner.tokens,
    cutTokens: scanner.cutTokens,
    lineFeeds: scanner.lineFeeds,
    replacedSequences: stats.replaced,
  };
}
