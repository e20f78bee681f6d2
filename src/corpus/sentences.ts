import { DEFAULT_CHUNK_BYTES, textChunks, type EncodingErrors, type TextRange, type TextStats } from './corpus-text.js';
import { planReadParts } from './read-plan.js';
import { SENTENCE_END } from './id-file.js';
import { TokenScanner } from './token-scanner.js';

export interface ScanOptions {
  /** Bytes per read; tiny values exercise chunk boundaries. */
  chunkBytes?: number;
  encodingErrors?: EncodingErrors;
  onFileBytes?: (bytes: number) => void;
}

/**
 * Tokenizes the ranges in order (see TokenScanner for the rules) and yields, after each chunk
 * of text, the word ids and line marks it produced; a token or line never spans two files.
 * Each block is valid until the next one is asked for.
 */
export async function* scanRanges(ranges: TextRange[], scanner: TokenScanner, options: ScanOptions, stats: TextStats): AsyncGenerator<Uint32Array> {
  const textOptions = {
    chunkBytes: Math.max(64, options.chunkBytes ?? DEFAULT_CHUNK_BYTES),
    encodingErrors: options.encodingErrors ?? 'strict',
    onFileBytes: options.onFileBytes,
  };
  for (const range of ranges) {
    // A range that starts inside a file may start inside a line: a line feed first thing must
    // still end that line (a mark after an empty line is harmless: it ends nothing).
    if (range.start > 0 && !range.gzip) scanner.continueLine();
    for await (const text of textChunks(range, textOptions, stats)) {
      scanner.scan(text);
      yield scanner.take();
    }
    if (range.endsFile) scanner.endFile();
    yield scanner.take();
  }
}

/**
 * The corpus as sentences of strings: the same tokenizer the trainer uses, for callers that
 * want words rather than ids (tests, tools). Lines longer than maxSentenceLength tokens are cut
 * into pieces of that many. UTF-8; `.gz` files are detected by content.
 */
export async function* readSentences(files: string[], maxSentenceLength: number, options: ScanOptions = {}): AsyncGenerator<string[]> {
  if (!(Number.isInteger(maxSentenceLength) && maxSentenceLength >= 1)) {
    throw new RangeError(`maxSentenceLength must be a positive integer, got ${maxSentenceLength}`);
  }
  const [ranges = []] = await planReadParts(files, 1);
  const scanner = new TokenScanner();
  const words: string[] = [];
  let sentence: string[] = [];
  for await (const block of scanRanges(ranges, scanner, options, { replaced: 0 })) {
    const ready: string[][] = [];
    for (const id of block) {
      if (id === SENTENCE_END) {
        if (sentence.length > 0) ready.push(sentence);
        sentence = [];
        continue;
      }
      while (words.length <= id) words.push(scanner.word(words.length));
      sentence.push(words[id]);
      if (sentence.length === maxSentenceLength) {
        ready.push(sentence);
        sentence = [];
      }
    }
    yield* ready;
  }
}
