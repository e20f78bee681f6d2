import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Checkpoint, CorpusFileStamp } from './checkpoint.js';
import { UserError } from '../base/errors.js';
import type { Vocabulary } from '../corpus/vocabulary.js';

// What a resumed run must match: the same corpus (its options are the checkpoint's).

/** Each corpus file's path, size and modification time, as a checkpoint records them. */
export async function stampCorpusFiles(files: string[]): Promise<CorpusFileStamp[]> {
  return Promise.all(
    files.map(async (file) => {
      const info = await stat(file);
      return { path: path.resolve(file), size: info.size, mtimeMs: info.mtimeMs };
    }),
  );
}

/** A corpus file that is gone or changed size is a different corpus; the vocabulary check after reading catches the rest. */
export async function checkCorpusStamps(checkpointPath: string, stamps: CorpusFileStamp[]): Promise<void> {
  for (const stamp of stamps) {
    const info = await stat(stamp.path).catch(() => undefined);
    if (!info) throw new UserError(`${stamp.path}: this corpus file of checkpoint ${checkpointPath} is missing; restore it to resume`);
    if (info.size !== stamp.size) {
      throw new UserError(`${stamp.path}: changed since checkpoint ${checkpointPath} was written (${info.size} bytes, was ${stamp.size}); resume needs the same corpus`);
    }
  }
}

/**
 * The vocabulary read again must be the checkpoint's, word for word and count for count, and the
 * corpus must keep as many words of it (which catches a changed corpus under a vocabulary file).
 */
export function checkSameVocabulary(resumed: { path: string; checkpoint: Checkpoint }, corpus: { vocabulary: Vocabulary; trainingWords: number }): void {
  const saved = resumed.checkpoint.header.vocabulary;
  const { vocabulary } = corpus;
  const same =
    saved.words.length === vocabulary.words.length &&
    saved.words.every((word, i) => word === vocabulary.words[i] && saved.counts[i] === vocabulary.counts[i]) &&
    resumed.checkpoint.header.corpus.trainingWords === corpus.trainingWords;
  if (!same) {
    const files = resumed.checkpoint.header.corpus.files.map((f) => f.path).join(', ');
    throw new UserError(`${files}: the corpus changed since checkpoint ${resumed.path} was written (its vocabulary differs); resume needs the same corpus`);
  }
}
