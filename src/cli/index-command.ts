import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_TARGET_RECALL } from '../query/ef-tuning.js';
import { Embeddings } from '../query/embeddings.js';
import { UserError } from '../base/errors.js';
import { DEFAULT_INDEX_PARAMS, buildIndexFile, defaultIndexPath, sidecarPath } from '../query/nearest.js';
import { positiveInteger, VECTORS_POSITIONAL } from './query-arguments.js';

interface IndexArgs {
  vectors: string;
  out?: string;
  M: number;
  efConstruction: number;
  ef?: number;
  targetRecall: number;
  seed: number;
  json: boolean;
}

function builder(yargs: Argv): Argv<IndexArgs> {
  return yargs
    .positional('vectors', VECTORS_POSITIONAL)
    .options({
      out: { alias: 'o', type: 'string', describe: 'Where to write the index (default: <vectors>.hnsw; the sidecar goes to <out>.json)' },
      M: { type: 'number', default: DEFAULT_INDEX_PARAMS.M, describe: 'HNSW links per node: higher gives better recall, a bigger index and a slower build' },
      'ef-construction': { type: 'number', default: DEFAULT_INDEX_PARAMS.efConstruction, describe: 'Candidate list size while building: higher gives a better graph and a slower build' },
      ef: { type: 'number', describe: 'Candidate list size for queries, saved in the sidecar (hnswlib does not store it) [default: the smallest that reaches --target-recall]' },
      'target-recall': {
        type: 'number',
        default: DEFAULT_TARGET_RECALL,
        describe: 'Without --ef: measure recall@10 against exact search on a sample of the words and keep the smallest ef that reaches this',
      },
      seed: { type: 'number', default: DEFAULT_INDEX_PARAMS.seed, describe: 'Random seed for the level assignment, so rebuilds are repeatable' },
      json: { type: 'boolean', default: false, describe: 'Print a JSON summary instead of a sentence' },
    }) as unknown as Argv<IndexArgs>;
}

export const indexCommand: CommandModule<object, IndexArgs> = {
  command: 'index <vectors>',
  describe: 'Build a cosine HNSW index (hnswlib) for fast neighbour queries',
  builder,
  handler: async (args) => {
    const started = performance.now();
    const embeddings = await Embeddings.load(args.vectors);
    const loadSeconds = (performance.now() - started) / 1000;
    if (!(args.targetRecall > 0 && args.targetRecall <= 1)) throw new UserError(`--target-recall must be a number in (0, 1], got ${args.targetRecall}`);
    const { indexPath, buildSeconds, tuneSeconds, sidecar } = await buildIndexFile(args.vectors, embeddings, {
      out: args.out ?? defaultIndexPath(args.vectors),
      M: positiveInteger('M', args.M),
      efConstruction: positiveInteger('ef-construction', args.efConstruction),
      ef: positiveInteger('ef', args.ef),
      targetRecall: args.targetRecall,
      seed: args.seed,
    });
    const summary = {
      index: indexPath, sidecar: sidecarPath(indexPath), words: embeddings.size, dim: embeddings.dim, M: args.M,
      efConstruction: args.efConstruction, ef: sidecar.ef, tuning: sidecar.tuning, loadSeconds, buildSeconds, tuneSeconds,
    };
    if (args.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    const tuned = sidecar.tuning
      ? `; ef ${sidecar.ef} reaches recall@${sidecar.tuning.k} ${sidecar.tuning.recall.toFixed(3)} on ${sidecar.tuning.sample} words (target ${sidecar.tuning.targetRecall}, measured in ${tuneSeconds.toFixed(1)} s)`
      : `; ef ${sidecar.ef}`;
    process.stdout.write(`indexed ${embeddings.size} words of dimension ${embeddings.dim} in ${buildSeconds.toFixed(1)} s: ${indexPath} (+ ${sidecarPath(indexPath)})${tuned}\n`);
  },
};
