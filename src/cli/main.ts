#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands.js';
import { UserError, errnoCode } from '../base/errors.js';
import { reportFailure } from './failure.js';

// A reader that stops early (`w2v neighbors … | head`) closes the pipe: the answer it wanted
// has been written, so that is an ordinary end, not a failure with a stack trace.
process.stdout.on('error', (error) => {
  if (errnoCode(error) === 'EPIPE') process.exit(0);
  reportFailure(error, false);
});

/**
 * yargs makes an option given twice an array, which a numeric option then reports as "got
 * 2,40"; say what happened instead. Options meant to repeat (--pairs, the corpus files, query
 * words) are declared arrays and pass.
 */
function refuseRepeatedOptions(argv: Record<string, unknown>, arrays: ReadonlySet<string>): void {
  for (const [key, value] of Object.entries(argv)) {
    if (key === '_' || !Array.isArray(value) || arrays.has(key)) continue;
    const flag = key.length === 1 ? `-${key}` : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UserError(`${flag} was given more than once (${value.join(', ')}); give it once`);
  }
}

/**
 * The options declared as arrays, the running command's included. yargs keeps them in
 * getOptions(), which its typings leave out; the CLI tests cover both sides of it.
 */
function declaredArrays(cli: Argv): ReadonlySet<string> {
  return new Set((cli as unknown as { getOptions(): { array: string[] } }).getOptions().array);
}

async function main(): Promise<void> {
  let cli: Argv = yargs(hideBin(process.argv))
    .scriptName('w2v')
    .usage('$0 <command> [options]\n\nTrain word2vec embeddings and query them.')
    .strict()
    .demandCommand(1, 'Name a command, for example: w2v train corpus.txt --out vectors.bin')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .middleware((argv) => refuseRepeatedOptions(argv, declaredArrays(cli)), true)
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
