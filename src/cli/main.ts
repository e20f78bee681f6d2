#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands.js';
import { UserError, errnoCode } from '../base/errors.js';
import { UsageError, reportFailure } from './failure.js';
import { flagOf } from '../base/option-flag.js';
import { explainMissingArguments, explainUnknownOptions, refuseNonNumbers } from './usage-errors.js';

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
    throw new UserError(`${flagOf(key)} was given more than once (${value.join(', ')}); give it once`);
  }
}

/**
 * The options declared as arrays, the running command's included. yargs keeps them in
 * getOptions(), which its typings leave out; the CLI tests cover both sides of it.
 */
function declaredOptions(cli: Argv): { array: string[]; key: Record<string, unknown> } {
  return (cli as unknown as { getOptions(): { array: string[]; key: Record<string, unknown> } }).getOptions();
}

async function main(): Promise<void> {
  const args = hideBin(process.argv);
  let cli: Argv = yargs(args)
    .scriptName('w2v')
    .usage('$0 <command> [options]\n\nTrain word2vec embeddings and query them.')
    .epilogue('Each command has options of its own: w2v <command> --help lists them (w2v train --help, w2v neighbors --help, …).')
    .strict()
    .demandCommand(1, 'Name a command, for example: w2v train corpus.txt --out vectors.bin')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .middleware((argv) => {
      refuseRepeatedOptions(argv, new Set(declaredOptions(cli).array));
      refuseNonNumbers(argv, args);
    }, true)
    // yargs routes both its own parse errors (unknown option, bad choice: no error object or a
    // YError) and errors thrown by command handlers here; only the former are usage errors.
    .fail((message, error) => {
      const usage = !error || error.name === 'YError';
      const spec = commands.map((c) => String(c.command)).find((c) => c.split(' ')[0] === args[0]);
      const command = spec?.split(' ')[0];
      const explained = usage
        ? (explainUnknownOptions(message ?? '', Object.keys(declaredOptions(cli).key), command, args) ??
          explainMissingArguments(message ?? '', spec, args))
        : undefined;
      if (explained) reportFailure(new UsageError(explained), false);
      reportFailure(error ?? new Error(message), usage);
    });
  for (const command of commands) cli = cli.command(command);
  await cli.parseAsync();
}

main().catch((error: unknown) => reportFailure(error, false));
