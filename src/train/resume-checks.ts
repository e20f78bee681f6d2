import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Checkpoint, CorpusFileStamp } from './checkpoint.js';
import { UserError } from '../base/errors.js';
import { EXACT_LOSSES, type TrainOptions } from '../model/options.js';
import type { Vocabulary } from '../corpus/vocabulary.js';

// What a resumed run must match: the options it was started with, and the same corpus.

/**
 * Resolved options as if given by hand: without the loss-specific ones the loss does not read,
 * which resolveTrainOptions refuses when given (it fills them in with their defaults again).
 */
export function givenOptions(saved: TrainOptions): Partial<TrainOptions> {
  const { hsTree, activation, taylorOrder, margin, bands, mixture, ...shared } = saved;
  return {
    ...shared,
    ...(saved.loss === 'hs' ? { hsTree } : {}),
    ...(EXACT_LOSSES.includes(saved.loss) ? { activation, margin } : {}),
    // Checkpoints written before the Taylor order existed have none: the order was 2.
    ...(EXACT_LOSSES.includes(saved.loss) && activation === 'taylor' ? { taylorOrder: taylorOrder ?? 2 } : {}),
    ...(saved.loss === 'dsoftmax' ? { bands } : {}),
    // Checkpoints written before mixtures existed have none: the softmax was plain.
    ...(mixture !== undefined && mixture > 1 ? { mixture } : {}),
  };
}

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
