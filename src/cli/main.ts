#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands.js';
import { errnoCode } from '../errors.js';
import { reportFailure } from './failure.js';

// A reader that stops early (`w2v neighbors … | head`) closes the pipe: the answer it wanted
// has been written, so that is an ordinary end, not a failure with a stack trace.
process.stdout.on('error', (error) => {
  if (errnoCode(error) === 'EPIPE') process.exit(0);
  reportFailure(error, false);
});

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
    // yargs routes both its own parse errors (unknown option, bad choice: no error object or a
    // YError) and errors thrown by command handlers here; only the former are usage errors.
    .fail((message, error) => {
      const usage = !error || error.name === 'YError';
      reportFailure(error ?? new Error(message), usage);
    });
  for (const command of commands) cli = cli.command(command);
  await cli.parseAsync();
}

main().catch((error: unknown) => reportFailure(error, false));
