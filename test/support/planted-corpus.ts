import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Random } from '../../src/base/random.js';

export const TOPICS = 8;
export const WORDS_PER_TOPIC = 6;

/**
 * A corpus with planted structure: every sentence draws its words from one topic, so words of
 * a topic share all their contexts and nothing else. Training that works puts them together.
 */
export function plantedCorpus(sentences: number, seed: number): string {
  const random = new Random(seed);
  const lines: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const topic = random.nextUint32() % TOPICS;
    const words: string[] = [];
    for (let i = 0; i < 8; i++) words.push(`t${topic}w${random.nextUint32() % WORDS_PER_TOPIC}`);
    lines.push(words.join(' '));
  }
  return `${lines.join('\n')}\n`;
}

/** `t3w5` → `t3`. */
export function topicOf(word: string): string {
  return word.slice(0, word.indexOf('w'));
}

/** Writes a planted corpus as `planted.txt` in `dir` and returns its path. */
export function writePlantedCorpus(dir: string, sentences: number, seed: number): string {
  const file = path.join(dir, 'planted.txt');
  writeFileSync(file, plantedCorpus(sentences, seed));
  return file;
}
