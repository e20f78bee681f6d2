import { UserError } from '../base/errors.js';
import { flagOf } from './option-names.js';

/** yargs turns "-k abc" into NaN and accepts 2.5; query options are whole positive numbers. Named as typed: -k, --limit. */
export function positiveInteger(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) throw new UserError(`${flagOf(name)} must be a positive integer, got ${value}`);
  return value;
}

/** Similarities in plain output: four decimals, aligned under each other. */
export function formatNeighbors(neighbors: readonly { word: string; similarity: number }[]): string {
  const width = Math.max(8, ...neighbors.map((n) => [...n.word].length));
  return neighbors.map((n) => `  ${n.word.padEnd(width)}  ${n.similarity.toFixed(4)}`).join('\n');
}

/** The first positional of every query command: any word2vec file, whoever wrote it. */
export const VECTORS_POSITIONAL = {
  type: 'string',
  demandOption: true,
  describe: 'word2vec vectors file (.bin, .txt or fastText .vec)',
} as const;
