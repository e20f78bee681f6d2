import type { TrainedModel } from '../../src/train/trainer.js';
import { WORDS_PER_TOPIC, topicOf } from './planted-corpus.js';

type Vectors = Pick<TrainedModel, 'vocabulary' | 'vectors' | 'stride' | 'dim'>;

function cosine(model: Vectors, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < model.dim; i++) {
    const x = model.vectors[a * model.stride + i];
    const y = model.vectors[b * model.stride + i];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

/**
 * Share of (word, neighbour) pairs among each word's k nearest (over the whole vocabulary) that
 * belong to its own topic, over the words `scored` picks (every word by default).
 */
export function topicPurity(model: Vectors, k = WORDS_PER_TOPIC - 1, scored: (word: string) => boolean = () => true): number {
  const words = model.vocabulary.words;
  let same = 0;
  let pairs = 0;
  for (let w = 0; w < words.length; w++) {
    if (!scored(words[w])) continue;
    const ranked = words
      .map((_, other) => ({ other, similarity: other === w ? -Infinity : cosine(model, w, other) }))
      .sort((x, y) => y.similarity - x.similarity)
      .slice(0, k);
    same += ranked.filter(({ other }) => topicOf(words[other]) === topicOf(words[w])).length;
    pairs += k;
  }
  return same / pairs;
}
