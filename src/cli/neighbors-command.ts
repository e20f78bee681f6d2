import type { Argv, CommandModule } from 'yargs';
import { Embeddings, UnknownWordError } from '../query/embeddings.js';
import { answerNeighbors, unknownWordAnswer } from '../query/query-answers.js';
import { formatNeighbors, positiveInteger, readQueries, VECTORS_POSITIONAL } from './query-arguments.js';
import { forcedSearchWay, openSearchFromArgs, SEARCH_OPTIONS, type SearchArgs } from './search-arguments.js';

interface NeighborsArgs extends SearchArgs {
  words: string[];
  k: number;
  json: boolean;
}

function builder(yargs: Argv): Argv<NeighborsArgs> {
  return yargs
    .positional('vectors', VECTORS_POSITIONAL)
    .positional('words', { type: 'string', array: true, default: [], describe: 'Query words; none on a terminal starts an interactive prompt, none on a pipe reads one query per line' })
    .options({
      k: { alias: 'n', type: 'number', default: 10, describe: 'How many neighbours to show per word' },
      ...SEARCH_OPTIONS,
      json: { type: 'boolean', default: false, describe: 'One JSON object per query word: {"word", "search": "exact"|"index", "neighbors": [{"word", "similarity"}]} or {"word", "error"}' },
    }) as unknown as Argv<NeighborsArgs>;
}

export const neighborsCommand: CommandModule<object, NeighborsArgs> = {
  command: 'neighbors <vectors> [words..]',
  aliases: ['neighbours'],
  describe: 'Most similar words by cosine (HNSW index, or --exact)',
  builder,
  handler: async (args) => {
    const k = positiveInteger('k', args.k) ?? 10;
    forcedSearchWay(args);
    const embeddings = await Embeddings.load(args.vectors);
    const search = await openSearchFromArgs(args, embeddings);
    let failures = 0;
    /** Answers one query (one word, or several words whose mean is searched, as C word2vec's distance does). */
    const answer = (words: string[]): void => {
      const label = words.join(' ');
      try {
        const result = answerNeighbors(search, words, k);
        if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else process.stdout.write(`${label}\n${formatNeighbors(result.neighbors)}\n`);
      } catch (error) {
        if (!(error instanceof UnknownWordError)) throw error;
        failures++;
        if (args.json) process.stdout.write(`${JSON.stringify(unknownWordAnswer(label, error))}\n`);
        else process.stderr.write(`w2v: ${error.message}\n`);
      }
    };
    if (args.words.length > 0) {
      for (const word of args.words) answer([word]);
    } else {
      await readQueries('Enter a word or several (EXIT or Ctrl-D to quit): ', answer);
    }
    if (failures > 0) process.exitCode = 1;
  },
};
