import { DEFAULT_CHUNK_BYTES, textChunks, type EncodingErrors, type TextStats } from './corpus-text.js';
import { SENTENCE_END } from './shared-memory.js';
import { TokenScanner } from './token-scanner.js';

export { MAX_TOKEN_BYTES } from './token-scanner.js';

export interface ScanOptions {
  /** Bytes per read; tiny values exercise chunk boundaries. */
  chunkBytes?: number;
  encodingErrors?: EncodingErrors;
  onFileBytes?: (bytes: number) => void;
}

/**
 * Tokenizes the files in order (see TokenScanner for the rules) and yields, after each chunk
 * of text, the word ids and sentence marks it produced; a token or sentence never spans two
 * files. Each block is valid until the next one is asked for.
 */
export async function* scanCorpus(files: string[], scanner: TokenScanner, options: ScanOptions, stats: TextStats): AsyncGenerator<Uint32Array> {
  const textOptions = {
    chunkBytes: Math.max(64, options.chunkBytes ?? DEFAULT_CHUNK_BYTES),
    encodingErrors: options.encodingErrors ?? 'strict',
    onFileBytes: options.onFileBytes,
  };
  for (const file of files) {
    for await (const text of textChunks(file, textOptions, stats)) {
      scanner.scan(text);
      yield scanner.take();
    }
    scanner.endFile();
    yield scanner.take();
  }
}

/**
 * The corpus as sentences of strings: the same tokenizer the trainer uses, for callers that
 * want words rather than ids (tests, tools). UTF-8; `.gz` files are detected by content.
 */
export async function* readSentences(files: string[], maxSentenceLength: number, options: ScanOptions = {}): AsyncGenerator<string[]> {
  const scanner = new TokenScanner(maxSentenceLength);
  const words: string[] = [];
  let sentence: string[] = [];
  for await (const block of scanCorpus(files, scanner, options, { replaced: 0 })) {
    const ready: string[][] = [];
    for (const id of block) {
      if (id === SENTENCE_END) {
        ready.push(sentence);
        sentence = [];
        continue;
      }
      while (words.length <= id) words.push(scanner.table.word(words.length));
      sentence.push(words[id]);
    }
    yield* ready;
  }
}
