import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { scanCorpus } from './corpus.js';
import type { EncodingErrors, TextStats } from './corpus-text.js';
import { SENTENCE_END } from './shared-memory.js';
import { TokenScanner } from './token-scanner.js';
import { buildVocabulary, type Vocabulary } from './vocabulary.js';

/**
 * The corpus after one read of the text: u32 word ids on disk, sentences ended by
 * SENTENCE_END, cut into chunks at sentence ends. Workers read chunks straight from the file,
 * so memory does not grow with the corpus.
 */
export interface EncodedCorpus {
  path: string;
  vocabulary: Vocabulary;
  /** Every token read, out-of-vocabulary ones included. */
  corpusTokens: number;
  /** Tokens kept in the vocabulary: what one epoch trains on before subsampling. */
  trainingWords: number;
  /** Tokens longer than MAX_TOKEN_BYTES, cut to it. */
  cutTokens: number;
  /** NUL bytes and ill-formed UTF-8 sequences replaced by U+FFFD (--encoding-errors replace). */
  replacedSequences: number;
  chunks: CorpusChunk[];
  /** Entries (ids and sentence marks) in the longest chunk: the size of a worker's buffer. */
  maxChunkEntries: number;
  /** Wall seconds of the tokenizing pass (with the vocabulary) and of the re-encoding pass. */
  seconds: { read: number; encode: number };
}

export interface CorpusChunk {
  /** Position in the file, in u32 entries. */
  offset: number;
  /** Entries, sentence marks included. */
  entries: number;
  /** Words (entries that are not sentence marks). */
  words: number;
}

export interface EncodeOptions {
  minCount: number;
  maxVocab: number;
  maxSentenceLength: number;
  /** A chunk closes at the first sentence end after this many words. */
  chunkTokens: number;
  /** Directory for the id files; the caller removes it. */
  workDirectory: string;
  encodingErrors: EncodingErrors;
  /** Bytes read from the files (compressed ones for .gz) and tokens found so far. */
  onProgress?: (read: ReadProgress) => void;
}

export interface ReadProgress {
  fileBytes: number;
  tokens: number;
}

/** Progress is reported about every this many file bytes. */
const PROGRESS_BYTES = 8 << 20;

const BLOCK_ENTRIES = 1 << 18;

/** Buffered u32 writer: one write(2) per 1 MiB block instead of one per token. */
class IdWriter {
  private readonly fd: number;
  private readonly block = new Uint32Array(BLOCK_ENTRIES);
  private used = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  push(id: number): void {
    this.block[this.used++] = id;
    if (this.used === BLOCK_ENTRIES) this.flush();
  }
  pushAll(ids: Uint32Array): void {
    for (let from = 0; from < ids.length; ) {
      const take = Math.min(ids.length - from, BLOCK_ENTRIES - this.used);
      this.block.set(ids.subarray(from, from + take), this.used);
      this.used += take;
      from += take;
      if (this.used === BLOCK_ENTRIES) this.flush();
    }
  }
  flush(): void {
    if (this.used === 0) return;
    writeSync(this.fd, this.block, 0, this.used * 4);
    this.used = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * Reads until `bytes` is full or the file ends, and returns how many bytes were read; a null
 * position reads on from the file's current offset. One read(2) may return less than asked.
 */
export function readFully(fd: number, bytes: Uint8Array, position: number | null): number {
  let filled = 0;
  while (filled < bytes.length) {
    const n = readSync(fd, bytes, filled, bytes.length - filled, position === null ? null : position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled;
}

/** Reads a file of u32 entries block by block. */
function* readIdBlocks(file: string): Generator<Uint32Array> {
  const fd = openSync(file, 'r');
  const block = new Uint32Array(BLOCK_ENTRIES);
  const bytes = new Uint8Array(block.buffer);
  try {
    for (;;) {
      const filled = readFully(fd, bytes, null);
      if (filled === 0) return;
      yield block.subarray(0, filled >> 2);
      if (filled < bytes.length) return;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Tokenizes the text once, counting words while writing provisional ids (in order of first
 * appearance); then fixes the vocabulary and rewrites the ids in their final numbering, which
 * drops rare words, empty sentences, and records chunk boundaries. The second pass reads
 * binary ids only, which costs a small fraction of the tokenizing pass.
 */
export async function encodeCorpus(files: string[], options: EncodeOptions): Promise<EncodedCorpus> {
  const provisionalPath = path.join(options.workDirectory, 'provisional.u32');
  const encodedPath = path.join(options.workDirectory, 'corpus.u32');
  const readStart = performance.now();
  const scanner = new TokenScanner(options.maxSentenceLength);
  const stats: TextStats = { replaced: 0 };
  let fileBytes = 0;
  let nextReport = PROGRESS_BYTES;
  const onFileBytes = (bytes: number) => {
    fileBytes += bytes;
    if (fileBytes >= nextReport) {
      options.onProgress?.({ fileBytes, tokens: scanner.tokens });
      nextReport = fileBytes + PROGRESS_BYTES;
    }
  };
  const provisional = new IdWriter(provisionalPath);
  try {
    for await (const block of scanCorpus(files, scanner, { encodingErrors: options.encodingErrors, onFileBytes }, stats)) {
      provisional.pushAll(block);
    }
  } finally {
    provisional.close();
  }
  options.onProgress?.({ fileBytes, tokens: scanner.tokens });
  const corpusTokens = scanner.tokens;
  const table = scanner.table;

  const { vocabulary, remap } = buildVocabulary(table.words(), table.counts.subarray(0, table.size), options.minCount, options.maxVocab);
  const encodeStart = performance.now();
  const chunks: CorpusChunk[] = [];
  let trainingWords = 0;
  let maxChunkEntries = 0;
  const encoded = new IdWriter(encodedPath);
  try {
    let pushed = 0;
    let chunkStart = 0;
    let chunkWords = 0;
    let sentenceWords = 0;
    const closeChunk = () => {
      const entries = pushed - chunkStart;
      chunks.push({ offset: chunkStart, entries, words: chunkWords });
      maxChunkEntries = Math.max(maxChunkEntries, entries);
      chunkStart = pushed;
      chunkWords = 0;
    };
    for (const block of readIdBlocks(provisionalPath)) {
      for (let i = 0; i < block.length; i++) {
        const provisionalId = block[i];
        if (provisionalId === SENTENCE_END) {
          // Sentences emptied by the vocabulary cut leave nothing behind.
          if (sentenceWords === 0) continue;
          encoded.push(SENTENCE_END);
          pushed++;
          sentenceWords = 0;
          if (chunkWords >= options.chunkTokens) closeChunk();
          continue;
        }
        const id = remap[provisionalId];
        if (id < 0) continue;
        encoded.push(id);
        pushed++;
        sentenceWords++;
        chunkWords++;
        trainingWords++;
      }
    }
    if (chunkWords > 0) closeChunk();
  } finally {
    encoded.close();
    rmSync(provisionalPath, { force: true });
  }
  const seconds = { read: (encodeStart - readStart) / 1000, encode: (performance.now() - encodeStart) / 1000 };
  return {
    path: encodedPath,
    vocabulary,
    corpusTokens,
    trainingWords,
    cutTokens: scanner.cutTokens,
    replacedSequences: stats.replaced,
    chunks,
    maxChunkEntries,
    seconds,
  };
}
