import type { Argv, CommandModule } from 'yargs';
import { loadVectorsOrModel } from '../query/model.js';
import { UserError } from '../base/errors.js';
import { readTrainingReport, reportPathFor, type SavedTrainingReport } from '../train/training-report.js';
import { VECTORS_POSITIONAL } from './query-arguments.js';
import { forcedSearchWay, openSearchFromArgs, SEARCH_OPTIONS, type SearchArgs } from './search-arguments.js';

interface ServeArgs extends SearchArgs {
  port: number;
  host: string;
  open: boolean;
}

const LOOPBACK = '127.0.0.1';

function builder(yargs: Argv): Argv<ServeArgs> {
  return yargs
    .positional('vectors', VECTORS_POSITIONAL)
    .options({
      port: { alias: 'p', type: 'number', default: 8080, describe: 'Port to listen on (0: any free port)' },
      host: { type: 'string', default: LOOPBACK, describe: 'Address to listen on; the default answers only this machine, 0.0.0.0 answers every network it is on' },
      open: { type: 'boolean', default: false, describe: 'Open the page in the default browser' },
      ...SEARCH_OPTIONS,
    }) as unknown as Argv<ServeArgs>;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a whole number from 0 to 65535, got ${port}`);
  return port;
}

/** A broken report is no reason not to serve the vectors: say so and serve without it. */
async function reportOrNothing(vectorsPath: string): Promise<SavedTrainingReport | null> {
  try {
    return await readTrainingReport(vectorsPath);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`w2v: warning: ${error.message}; serving without the training report\n`);
    return null;
  }
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve <vectors>',
  describe: 'Explore the vectors in a browser: neighbours, analogies, a map of a neighbourhood, the training report',
  builder,
  handler: async (args) => {
    const port = checkPort(args.port);
    forcedSearchWay(args);
    const { embeddings, model } = await loadVectorsOrModel(args.vectors);
    const search = await openSearchFromArgs(args, embeddings);
    const report = await reportOrNothing(args.vectors);
    // Loaded here, not at the top: every other command would pay for fastify and the layouts at start.
    const { isLoopbackAddress, startServer } = await import('../serve/server.js');
    const { app, url } = await startServer(
      {
        vectorsPath: args.vectors,
        embeddings,
        search,
        report,
        model,
        onError: (error) => process.stderr.write(`w2v: error answering a request: ${error instanceof Error ? error.message : String(error)}\n`),
      },
      { host: args.host, port },
    );
    const reportNote = `${report ? `, with ${reportPathFor(args.vectors)}` : ''}${model ? ', predicting with its output layer' : ''}`;
    process.stdout.write(`w2v: serving ${args.vectors} (${embeddings.size} words, ${search.way} search${reportNote}) at ${url}\n`);
    if (!isLoopbackAddress(args.host)) {
      process.stderr.write(`w2v: warning: listening on ${args.host}, so other machines can read these vectors\n`);
    }
    if (args.open) {
      const { default: open } = await import('open');
      open(url).catch((error: unknown) => process.stderr.write(`w2v: warning: could not open a browser (${error instanceof Error ? error.message : String(error)}); visit ${url}\n`));
    }
    // Serve until told to stop; close lets requests in flight finish.
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void app.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};
