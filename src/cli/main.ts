#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands.js';
import { reportFailure } from './failure.js';

async function main(): Promise<void> {
  let cli = yargs(hideBin(process.argv))
    .scriptName('w2v')
    .usage('$0 <command> [options]\n\nTrain word2vec embeddings and query them.')
    .strict()
    .demandCommand(1, 'Name a command, for example: w2v train corpus.txt --out vectors.bin')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    // yargs' own parse errors (unknown option, missing argument) become one line, not a dump.
    .fail((message, error) => {
      reportFailure(error ?? new Error(message), true);
    });
  for (const command of commands) cli = cli.command(command);
  await cli.parseAsync();
}

main().catch((error: unknown) => reportFailure(error, false));
