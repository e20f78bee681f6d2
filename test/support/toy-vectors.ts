import { writeWord2vecFile } from '../../src/vectors/word2vec-format.js';

// Toy words on dimensions 0-3 (royalty, male, female, fruit); filler words only on 4-7, so they
// never come near the toy words. cos(king, man) = 0.70, cos(king, queen) = 0.5, and
// man : king :: woman : queen by both analogy methods.
export const TOY_WORDS = ['man', 'woman', 'king', 'queen', 'apple', 'pear'];
const toyRows = [[0, 1, 0, 0.1], [0, 0, 1, 0.1], [1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 1], [0, 0.1, 0, 1]];
const FILLER = 300;

export const TOY_DIM = 8;
export const toyWords = [...TOY_WORDS, ...Array.from({ length: FILLER }, (_, i) => `filler${i}`)];
export const toyValues: number[] = [];
toyRows.forEach((r) => toyValues.push(...r, 0, 0, 0, 0));
for (let i = 0; i < FILLER; i++) toyValues.push(0, 0, 0, 0, Math.sin(i), Math.cos(i * 1.3), Math.sin(i * 0.7), 1);

export function writeToyVectors(file: string, format: 'bin' | 'text' = 'bin'): Promise<void> {
  return writeWord2vecFile(file, { words: toyWords, dim: TOY_DIM, vectors: Float32Array.from(toyValues) }, format);
}
