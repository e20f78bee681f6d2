import type { Vocabulary } from '../corpus/vocabulary.js';
import { readVocabularyFile, vocabularyOf } from '../corpus/vocabulary-file.js';
import type { TrainOptions } from '../model/options.js';
import type { Checkpoint } from './checkpoint.js';

/** A vocabulary fixed before the corpus is read, and the count of </s> its file gave, if any. */
export interface GivenVocabulary {
  vocabulary: Vocabulary;
  sentenceEnds?: number;
}

/**
 * The vocabulary of a run started with `readVocab`: read from the file (minCount and maxVocab
 * applied) or, when the run resumes, the checkpoint's, so a file changed or removed since does
 * not change the model halfway. Without `readVocab` the corpus is counted (undefined).
 */
export async function givenVocabulary(options: TrainOptions, resumed?: { checkpoint: Checkpoint }): Promise<GivenVocabulary | undefined> {
  // A run that trained a model on keeps the merged vocabulary its checkpoint holds.
  if (resumed?.checkpoint.header.continued) return vocabularyOfCheckpoint(resumed.checkpoint);
  if (options.readVocab === undefined) return undefined;
  if (resumed) return vocabularyOfCheckpoint(resumed.checkpoint);
  const file = await readVocabularyFile(options.readVocab);
  return { vocabulary: vocabularyOf(options.readVocab, file, options.minCount, options.maxVocab), sentenceEnds: file.sentenceEnds };
}

function vocabularyOfCheckpoint(checkpoint: Checkpoint): GivenVocabulary {
  const { words, counts } = checkpoint.header.vocabulary;
  return { vocabulary: { words, counts: Float64Array.from(counts), totalCount: counts.reduce((a, b) => a + b, 0) } };
}
