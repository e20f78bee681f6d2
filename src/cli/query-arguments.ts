import readline from 'node:readline';
import { UserError } from '../base/errors.js';
import { flagOf } from '../base/option-flag.js';

/** yargs turns "-k abc" into NaN and accepts 2.5; query options are whole positive numbers. Named as typed: -k, --limit. */
export function positiveInteger(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) throw new UserError(`${flagOf(name)} must be a positive integer, got ${value}`);
  return value;
}

/** Similarities in plain output: four decimals, aligned under each other. */
export function formatNeighbors(neighbors: readonly { word: string; similarity: number }[]): string {
  return formatScores(neighbors.map((n) => ({ word: n.word, value: n.similarity.toFixed(4) })));
}

/** Words and their figures in plain output, aligned under each other. */
export function formatScores(rows: readonly { word: string; value: string }[]): string {
  const width = Math.max(8, ...rows.map((r) => [...r.word].length));
  return rows.map((r) => `  ${r.word.padEnd(width)}  ${r.value}`).join('\n');
}

/**
 * Queries from standard input: interactive on a terminal (like C word2vec's distance), otherwise
 * one query per input line. Each query is the line's words.
 */
export async function readQueries(prompt: string, answer: (words: string[]) => void): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY);
  const lines = readline.createInterface({ input: process.stdin, output: interactive ? process.stderr : undefined, terminal: interactive });
  if (interactive) lines.setPrompt(prompt);
  if (interactive) lines.prompt();
  for await (const line of lines) {
    const words = line.trim().split(/\s+/).filter((w) => w.length > 0);
    if (words.length === 1 && words[0] === 'EXIT') break;
    if (words.length > 0) answer(words);
    if (interactive) lines.prompt();
  }
  lines.close();
}

/** The first positional of every query command: any word2vec file, whoever wrote it. */
export const VECTORS_POSITIONAL = {
  type: 'string',
  demandOption: true,
  describe: 'vectors: a word2vec file (.bin, .txt or fastText .vec), w2v\'s CSV export, or a w2v model file',
} as const;
