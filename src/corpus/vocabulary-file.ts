import { isUtf8 } from 'node:buffer';
import { promises as fsp } from 'node:fs';
import { writeFileAtomically } from '../base/atomic-file.js';
import { UserError, openFailure } from '../base/errors.js';
import { buildVocabulary, type Vocabulary } from './vocabulary.js';

// C word2vec's vocabulary files (-save-vocab, -read-vocab): "word count" a line, most frequent
// first, with its sentence word </s> on the first line, counted once per line feed of the corpus.

/** C word2vec's word for the end of a line. */
export const SENTENCE_WORD = '</s>';

/** A vocabulary file as read: its words in the file's order, and the count it gives </s>, if any. */
export interface VocabularyFile {
  words: string[];
  counts: Float64Array;
  sentenceEnds?: number;
}

/** Lines are joined into pieces of about this many characters before they are written. */
const WRITE_PIECE_CHARS = 1 << 20;

/**
 * Writes the vocabulary as C word2vec's -save-vocab does, byte for byte: `</s>` first with
 * `sentenceEnds` (C counts one per line feed), then every word with its count, in the
 * vocabulary's order (most frequent first, ties in order of first appearance, as C's stable sort
 * leaves them).
 */
export async function writeVocabularyFile(file: string, vocabulary: Vocabulary, sentenceEnds: number): Promise<void> {
  await writeFileAtomically(file, async (handle) => {
    let piece = `${SENTENCE_WORD} ${sentenceEnds}\n`;
    for (let id = 0; id < vocabulary.words.length; id++) {
      piece += `${vocabulary.words[id]} ${vocabulary.counts[id]}\n`;
      if (piece.length >= WRITE_PIECE_CHARS) {
        await handle.write(piece, null, 'utf8');
        piece = '';
      }
    }
    await handle.write(piece, null, 'utf8');
  });
}

/** A line: a word (no ASCII whitespace, as the tokenizer splits), a space or tab, a count. */
const LINE = /^([^\t\n\v\f\r ]+)[ \t]+(\d+)$/;

/**
 * Reads a vocabulary file in C word2vec's format (what -save-vocab and --save-vocab write). Every
 * problem is one line naming the file and the line: a line that is not "word count", a word
 * listed twice, text that is not UTF-8, a file with no words.
 */
export async function readVocabularyFile(file: string): Promise<VocabularyFile> {
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(file);
  } catch (error) {
    throw openFailure(file, 'vocabulary file', error);
  }
  const refuse = (why: string) => new UserError(`${file}: ${why}; a vocabulary file has a "word count" line per word, as --save-vocab writes it`);
  if (!isUtf8(bytes)) throw refuse('it is not UTF-8 text');
  const lines = bytes.toString('utf8').split('\n');
  const words: string[] = [];
  const counts: number[] = [];
  const lineOf = new Map<string, number>();
  let sentenceEnds: number | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
    if (line.trim() === '') continue;
    const match = LINE.exec(line);
    if (!match) throw refuse(`line ${n + 1} (${JSON.stringify(line.slice(0, 60))}) is not a word and a count`);
    const [, word, digits] = match;
    const count = Number(digits);
    if (!Number.isSafeInteger(count)) throw refuse(`line ${n + 1}: the count ${digits} is too large`);
    if (word === SENTENCE_WORD) {
      sentenceEnds = count;
      continue;
    }
    const first = lineOf.get(word);
    if (first !== undefined) throw refuse(`line ${n + 1}: "${word}" is listed twice (first on line ${first})`);
    lineOf.set(word, n + 1);
    words.push(word);
    counts.push(count);
  }
  if (words.length === 0) throw refuse('it lists no words');
  return { words, counts: Float64Array.from(counts), sentenceEnds };
}

/**
 * The training vocabulary of a vocabulary file: words with count >= minCount, ordered by count
 * (most frequent first; a stable sort, so a file in that order keeps its order exactly, ties
 * included), then the maxVocab most frequent when maxVocab > 0.
 */
export function vocabularyOf(file: string, read: VocabularyFile, minCount: number, maxVocab: number): Vocabulary {
  const highest = read.counts.reduce((a, b) => Math.max(a, b), 0);
  if (highest < minCount) {
    throw new UserError(`${file}: no word has a count of at least ${minCount} (the highest is ${highest}); lower --min-count`);
  }
  return buildVocabulary((id) => read.words[id], read.counts, minCount, maxVocab).vocabulary;
}
