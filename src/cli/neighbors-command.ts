import readline from 'node:readline';
import type { Argv, CommandModule } from 'yargs';
import { Embeddings, UnknownWordError, type Neighbor } from '../embeddings.js';
import { DiskFullError, UserError } from '../errors.js';
import { NearestIndex, buildIndexFile, defaultIndexPath, staleReason } from '../nearest.js';
import { chooseSearch, type SearchWay } from '../search-choice.js';
import { formatNeighbors, positiveInteger, VECTORS_POSITIONAL } from './query-arguments.js';

interface NeighborsArgs {
  vectors: string;
  words: string[];
  k: number;
  ef?: number;
  exact: boolean;
  index: boolean;
  json: boolean;
  indexFile?: string;
}

function builder(yargs: Argv): Argv<NeighborsArgs> {
  return yargs
    .positional('vectors', VECTORS_POSITIONAL)
    .positional('words', { type: 'string', array: true, default: [], describe: 'Query words; none on a terminal starts an interactive prompt, none on a pipe reads one query per line' })
    .options({
      k: { alias: 'n', type: 'number', default: 10, describe: 'How many neighbours to show per word' },
      ef: { type: 'number', describe: 'HNSW candidate list size for this run (default: the one saved with the index); higher is slower and more exact' },
      exact: { type: 'boolean', default: false, describe: 'Always search exactly (SIMD cosine over every word); by default, small vocabularies are searched exactly' },
      index: { type: 'boolean', default: false, describe: 'Always use the HNSW index; by default, vocabularies above 50,000 components (500 words of dimension 100) use it' },
      json: { type: 'boolean', default: false, describe: 'One JSON object per query word: {"word", "search": "exact"|"index", "neighbors": [{"word", "similarity"}]} or {"word", "error"}' },
      'index-file': { type: 'string', describe: 'Index file to use (default: <vectors>.hnsw); built and saved when missing or stale' },
    }) as unknown as Argv<NeighborsArgs>;
}

type Searcher = (words: string[], k: number) => Neighbor[];

/** The saved index when it matches the vectors; otherwise one is built (and saved for next time). */
async function indexSearcher(args: NeighborsArgs, embeddings: Embeddings): Promise<Searcher> {
  const indexPath = args.indexFile ?? defaultIndexPath(args.vectors);
  const ef = positiveInteger('ef', args.ef);
  let reason = await staleReason(indexPath, args.vectors, embeddings);
  let index: NearestIndex | undefined;
  if (reason === null) {
    try {
      index = (await NearestIndex.load(indexPath, { ef })).index;
    } catch (error) {
      // An unreadable index is as good as a missing one: rebuild it rather than give up.
      if (!(error instanceof UserError)) throw error;
      reason = error.message.replace(/; rebuild it with w2v index$/, '');
    }
  }
  if (!index) {
    process.stderr.write(`w2v: building the index (${reason}): ${indexPath}\n`);
    try {
      index = (await buildIndexFile(args.vectors, embeddings, { out: indexPath, ef })).index;
    } catch (error) {
      if (error instanceof UserError && !(error instanceof DiskFullError)) throw error;
      // Answering does not need the saved file: say why it was not kept and go on in memory.
      process.stderr.write(`w2v: could not save the index (${error instanceof Error ? error.message : String(error)}); using it unsaved\n`);
      index = NearestIndex.build(embeddings, { ef });
    }
  }
  const ready = index;
  return (words, k) => {
    const exclude = new Set(words.map((w) => embeddings.requireIndex(w)));
    return ready.search(embeddings.combine(words, []), k, exclude);
  };
}

export const neighborsCommand: CommandModule<object, NeighborsArgs> = {
  command: 'neighbors <vectors> [words..]',
  aliases: ['neighbours'],
  describe: 'Most similar words by cosine (HNSW index, or --exact)',
  builder,
  handler: async (args) => {
    const k = positiveInteger('k', args.k) ?? 10;
    if (args.exact && args.index) throw new UserError('--exact and --index each force one way to search: give one of them');
    const embeddings = await Embeddings.load(args.vectors);
    const way: SearchWay = args.exact ? 'exact' : args.index ? 'index' : chooseSearch(embeddings.size, embeddings.dim);
    const search: Searcher = way === 'exact' ? (words, n) => embeddings.mostSimilar(words, n) : await indexSearcher(args, embeddings);
    let failures = 0;
    /** Answers one query (one word, or several words whose mean is searched, as C word2vec's distance does). */
    const answer = (words: string[]): void => {
      const label = words.join(' ');
      try {
        const neighbors = search(words, k);
        if (args.json) process.stdout.write(`${JSON.stringify({ word: label, search: way, neighbors })}\n`);
        else process.stdout.write(`${label}\n${formatNeighbors(neighbors)}\n`);
      } catch (error) {
        if (!(error instanceof UnknownWordError)) throw error;
        failures++;
        if (args.json) process.stdout.write(`${JSON.stringify({ word: label, error: error.message })}\n`);
        else process.stderr.write(`w2v: ${error.message}\n`);
      }
    };
    if (args.words.length > 0) {
      for (const word of args.words) answer([word]);
    } else {
      await readQueries(answer);
    }
    if (failures > 0) process.exitCode = 1;
  },
};

/** Interactive on a terminal (like C word2vec's distance), otherwise one query per input line. */
async function readQueries(answer: (words: string[]) => void): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY);
  const lines = readline.createInterface({ input: process.stdin, output: interactive ? process.stderr : undefined, terminal: interactive });
  const prompt = 'Enter a word or several (EXIT or Ctrl-D to quit): ';
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
