import type { Argv, CommandModule } from 'yargs';
import { Embeddings, type AnalogyMethod } from '../query/embeddings.js';
import { UserError } from '../base/errors.js';
import { answerAnalogy } from '../query/query-answers.js';
import { formatNeighbors, positiveInteger, VECTORS_POSITIONAL } from './query-arguments.js';

interface AnalogyArgs {
  vectors: string;
  a: string;
  b: string;
  c: string;
  method: AnalogyMethod;
  k: number;
  json: boolean;
}

function builder(yargs: Argv): Argv<AnalogyArgs> {
  return yargs
    .positional('vectors', VECTORS_POSITIONAL)
    .positional('a', { type: 'string', demandOption: true, describe: 'a, in "a is to b as c is to ?" (e.g. man)' })
    .positional('b', { type: 'string', demandOption: true, describe: 'b (e.g. king)' })
    .positional('c', { type: 'string', demandOption: true, describe: 'c (e.g. woman)' })
    .options({
      method: { type: 'string', default: 'add', describe: 'add or mul. add: 3CosAdd, cos(x, b − a + c); mul: 3CosMul (Levy & Goldberg 2014)' },
      k: { alias: 'n', type: 'number', default: 10, describe: 'How many answers to show' },
      json: { type: 'boolean', default: false, describe: 'Print {"a", "b", "c", "method", "answers": [{"word", "similarity"}]}' },
    }) as unknown as Argv<AnalogyArgs>;
}

export const analogyCommand: CommandModule<object, AnalogyArgs> = {
  command: 'analogy <vectors> <a> <b> <c>',
  describe: 'Solve "a is to b as c is to ?" by exact search; the three words are never answers',
  builder,
  handler: async (args) => {
    const k = positiveInteger('k', args.k) ?? 10;
    if (args.method !== 'add' && args.method !== 'mul') throw new UserError(`--method must be add or mul, got ${JSON.stringify(args.method)}`);
    const embeddings = await Embeddings.load(args.vectors);
    const answer = answerAnalogy(embeddings, String(args.a), String(args.b), String(args.c), args.method, k);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    } else {
      process.stdout.write(`${answer.a} : ${answer.b} :: ${answer.c} : ?\n${formatNeighbors(answer.answers)}\n`);
    }
  },
};
