import path from 'node:path';
import type { EncodingErrors } from './corpus-text.js';
import { ID_BLOCK_ENTRIES, IdWriter, readIdBlocks } from './id-file.js';
import { IdRecoder } from './id-recoder.js';
import type { PartCount } from './read-part.js';
import { readCorpus, removePartFiles, type ReadProgress } from './read-corpus.js';
import { buildVocabulary, extendVocabulary, remapToVocabulary, type Vocabulary } from './vocabulary.js';

export type { ReadProgress } from './read-corpus.js';

/**
 * The corpus after one read of the text: u32 word ids on disk, sentences ended by
 * SENTENCE_END, cut into chunks at sentence ends. Workers read chunks straight from the file,
 * so memory does not grow with the corpus.
 */
export interface EncodedCorpus {
  path: string;
  vocabulary: Vocabulary;
  /** With `extend`: final id -> the word's id in the extended vocabulary, -1 for a word that joined. */
  knownIds?: Int32Array;
  /** Every token read, out-of-vocabulary ones included. */
  corpusTokens: number;
  /** Tokens kept in the vocabulary: what one epoch trains on before subsampling. */
  trainingWords: number;
  /** Tokens longer than MAX_TOKEN_BYTES, cut to it. */
  cutTokens: number;
  /** Line feed bytes, empty lines' included: what C word2vec counts as its word </s>. */
  lineFeeds: number;
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
  /**
   * A vocabulary fixed in advance (read from a vocabulary file, minCount and maxVocab already
   * applied): its words keep their order and counts, and corpus words not in it are dropped as
   * rare words are. Without it the vocabulary is counted from the corpus.
   */
  vocabulary?: Vocabulary;
  /**
   * The vocabulary of a model to train on (not with `vocabulary`): its words stay and the corpus
   * adds to their counts, corpus words it lacks join at minCount (maxVocab does not apply).
   */
  extend?: Vocabulary;
  /** Bytes read from the files (compressed ones for .gz) of their total, and tokens found so far. */
  onProgress?: (read: ReadProgress) => void;
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
  const read = await readCorpus(files, options);
  try {
    const { words } = read;
    const wordOf = (id: number) => words.word(id);
    const counts = words.counts.subarray(0, words.size);
    const { vocabulary, remap, knownIds } = options.vocabulary
      ? { vocabulary: options.vocabulary, remap: remapToVocabulary(wordOf, words.size, options.vocabulary), knownIds: undefined }
      : options.extend
        ? extendVocabulary(options.extend, wordOf, counts, options.minCount)
        : { ...buildVocabulary(wordOf, counts, options.minCount, options.maxVocab), knownIds: undefined };
    const encodeStart = performance.now();
    const encodedPath = path.join(options.workDirectory, 'corpus.u32');
    const encoded = encodeIds(read.parts, read.partIds.map((ids) => ids.map((id) => remap[id])), encodedPath, options);
    return {
      path: encodedPath,
      vocabulary,
      ...(knownIds ? { knownIds } : {}),
      corpusTokens: read.tokens,
      ...encoded,
      cutTokens: read.cutTokens,
      lineFeeds: read.lineFeeds,
      replacedSequences: read.replacedSequences,
      seconds: { read: (encodeStart - readStart) / 1000, encode: (performance.now() - encodeStart) / 1000 },
    };
  } finally {
    removePartFiles(read);
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
  let maxChunkEntries = 0;
  // Entries written before the current block's output; the chunk being filled starts at chunkStart.
  let flushed = 0;
  let chunkStart = 0;
  const closeChunk = (end: number, words: number) => {
    chunks.push({ offset: chunkStart, entries: end - chunkStart, words });
    maxChunkEntries = Math.max(maxChunkEntries, end - chunkStart);
    chunkStart = end;
  };
  const recoder = new IdRecoder(ID_BLOCK_ENTRIES, options.maxSentenceLength, options.chunkTokens);
  const writer = new IdWriter(encodedPath);
  try {
    parts.forEach((part, k) => {
      recoder.useMap(finalIds[k]);
      for (const block of readIdBlocks(part.idsPath, recoder.input)) {
        const { output, closes } = recoder.recode(block.length);
        for (const close of closes) closeChunk(flushed + close.end, close.words);
        writer.pushAll(output);
        flushed += output.length;
      }
    });
    // Every part's last line was ended by its file's end, so no sentence is left open.
    if (recoder.openChunkWords > 0) closeChunk(flushed, recoder.openChunkWords);
  } finally {
    writer.close();
  }
  return { trainingWords: recoder.trainingWords, chunks, maxChunkEntries };
}
