import { rmSync } from 'node:fs';
import path from 'node:path';
import type { EncodingErrors } from './corpus-text.js';
import { ID_BLOCK_ENTRIES, IdWriter, readIdBlocks } from './id-file.js';
import { readPartsInWorkers } from './read-in-workers.js';
import type { PartCount } from './read-part.js';
import { planReadParts } from './read-plan.js';
import { SENTENCE_END } from './shared-memory.js';
import { buildVocabulary, type Vocabulary } from './vocabulary.js';
import { WordTable } from './word-table.js';

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

/**
 * Reads the text once, in parallel parts that count words while writing provisional ids; merges
 * the parts' words in order of first appearance in the whole corpus (so the result does not
 * depend on the number of readers), fixes the vocabulary, and rewrites the ids in their final
 * numbering. That second pass reads binary ids only: it drops rare words and empty sentences,
 * cuts lines longer than maxSentenceLength tokens (counted before the vocabulary cut, as the
 * text has them), and records chunk boundaries.
 */
export async function encodeCorpus(files: string[], options: EncodeOptions): Promise<EncodedCorpus> {
  const readStart = performance.now();
  const plan = await planReadParts(files, options.readers, options.minPartBytes);
  // The ranges tile the files, so they add up to the bytes there are to read.
  const totalBytes = plan.flat().reduce((sum, range) => sum + range.end - range.start, 0);
  const parts = await readPartsInWorkers(
    plan.map((ranges, k) => ({ ranges, idsPath: path.join(options.workDirectory, `part${k}.u32`) })),
    { encodingErrors: options.encodingErrors, onProgress: (fileBytes, tokens) => options.onProgress?.({ fileBytes, totalBytes, tokens }) },
  );
  try {
    // One numbering for the words of all parts: part 0's in its order, then each later part's
    // new words in theirs, which is their order of first appearance in the corpus.
    const merged = new WordTable();
    const partIds = parts.map((part) => merged.merge(part.words));
    const { vocabulary, remap } = buildVocabulary((id) => merged.word(id), merged.counts.subarray(0, merged.size), options.minCount, options.maxVocab);
    const encodeStart = performance.now();
    const encodedPath = path.join(options.workDirectory, 'corpus.u32');
    const encoded = encodeIds(parts, partIds.map((ids) => ids.map((id) => remap[id])), encodedPath, options);
    const sum = (key: 'tokens' | 'cutTokens' | 'replacedSequences') => parts.reduce((total, part) => total + part[key], 0);
    return {
      path: encodedPath,
      vocabulary,
      corpusTokens: sum('tokens'),
      ...encoded,
      cutTokens: sum('cutTokens'),
      replacedSequences: sum('replacedSequences'),
      seconds: { read: (encodeStart - readStart) / 1000, encode: (performance.now() - encodeStart) / 1000 },
    };
  } finally {
    for (const part of parts) rmSync(part.idsPath, { force: true });
  }
}

/** The final id file: parts in order, each provisional id mapped by finalIds[part] (-1: dropped). */
function encodeIds(
  parts: PartCount[],
  finalIds: Int32Array[],
  encodedPath: string,
  options: EncodeOptions,
): Pick<EncodedCorpus, 'trainingWords' | 'chunks' | 'maxChunkEntries'> {
  const chunks: CorpusChunk[] = [];
  const max = options.maxSentenceLength;
  const chunkTokens = options.chunkTokens;
  let trainingWords = 0;
  let maxChunkEntries = 0;
  // Entries written before `out`'s first entry; the chunk being filled starts at chunkStart.
  let flushed = 0;
  let chunkStart = 0;
  let chunkWords = 0;
  let sentenceWords = 0;
  // Tokens of the line since it started or was last cut, out-of-vocabulary ones included.
  let lineTokens = 0;
  const writer = new IdWriter(encodedPath);
  // Entries are gathered here and handed to the writer a block at a time; an input entry makes
  // at most two (a word and the cut after it). Both sides are read through Int32Array views, in
  // which the mark is -1: V8 keeps such values small integers, and this loop runs 1.5× faster
  // than over the Uint32Array values above 2^31.
  const out = new Int32Array(2 * ID_BLOCK_ENTRIES);
  const outIds = new Uint32Array(out.buffer);
  const mark = SENTENCE_END | 0;
  const closeChunk = (pushed: number) => {
    const entries = pushed - chunkStart;
    chunks.push({ offset: chunkStart, entries, words: chunkWords });
    maxChunkEntries = Math.max(maxChunkEntries, entries);
    chunkStart = pushed;
    chunkWords = 0;
  };
  try {
    parts.forEach((part, k) => {
      const toFinal = finalIds[k];
      for (const ids of readIdBlocks(part.idsPath)) {
        const block = new Int32Array(ids.buffer, ids.byteOffset, ids.length);
        let n = 0;
        for (let i = 0; i < block.length; ) {
          // A run of tokens up to the next mark or line cut, in a loop that only maps ids and
          // keeps the known ones (n moves on unless the id is -1, without a branch).
          const runEnd = Math.min(block.length, i + (max - lineTokens));
          const runStart = i;
          const kept = n;
          for (; i < runEnd; i++) {
            const provisionalId = block[i];
            if (provisionalId === mark) break;
            const id = toFinal[provisionalId];
            out[n] = id;
            n += 1 + (id >> 31);
          }
          lineTokens += i - runStart;
          sentenceWords += n - kept;
          chunkWords += n - kept;
          if (i < block.length && block[i] === mark) i++;
          else if (lineTokens !== max) continue; // the block ended inside the run
          // A line end, or a cut of a long line. Sentences emptied by the vocabulary cut leave
          // nothing behind.
          lineTokens = 0;
          if (sentenceWords === 0) continue;
          out[n++] = mark;
          trainingWords += sentenceWords;
          sentenceWords = 0;
          if (chunkWords >= chunkTokens) closeChunk(flushed + n);
        }
        writer.pushAll(outIds.subarray(0, n));
        flushed += n;
      }
    });
    // Every part's last line was ended by its file's end, so no sentence is left open.
    if (chunkWords > 0) closeChunk(flushed);
  } finally {
    writer.close();
  }
  return { trainingWords, chunks, maxChunkEntries };
}
