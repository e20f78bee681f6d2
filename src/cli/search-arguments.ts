import type { Embeddings } from '../query/embeddings.js';
import { UserError } from '../base/errors.js';
import { openNeighborSearch, type NeighborSearch } from '../query/neighbor-search.js';
import type { SearchWay } from '../query/search-choice.js';
import { createCountProgress } from './progress.js';
import { positiveInteger } from './query-arguments.js';

/** The options that choose how neighbour queries are answered (`w2v neighbors`, `w2v serve`). */
export interface SearchArgs {
  vectors: string;
  ef?: number;
  exact: boolean;
  index: boolean;
  indexFile?: string;
}

export const SEARCH_OPTIONS = {
  ef: { type: 'number', describe: 'HNSW candidate list size for this run (default: the one saved with the index); higher is slower and more exact' },
  exact: { type: 'boolean', default: false, describe: 'Always search exactly (SIMD cosine over every word); by default, small vocabularies are searched exactly' },
  index: { type: 'boolean', default: false, describe: 'Always use the HNSW index; by default, vocabularies above 50,000 components (500 words of dimension 100) use it' },
  'index-file': { type: 'string', describe: 'Index file to use (default: <vectors>.hnsw); built and saved when missing or stale' },
} as const;

/** The way --exact or --index forces, if any; checked before the vectors are read, so a mistake costs no wait. */
export function forcedSearchWay(args: SearchArgs): SearchWay | undefined {
  if (args.exact && args.index) throw new UserError('--exact and --index each force one way to search: give one of them');
  positiveInteger('ef', args.ef);
  return args.exact ? 'exact' : args.index ? 'index' : undefined;
}

/** The search those options ask for, saying on stderr when an index has to be built, with its progress. */
export async function openSearchFromArgs(args: SearchArgs, embeddings: Embeddings): Promise<NeighborSearch> {
  const way = forcedSearchWay(args);
  const progress = createCountProgress('indexing words');
  try {
    return await openNeighborSearch(
      args.vectors,
      embeddings,
      { way, indexFile: args.indexFile, ef: args.ef },
      {
        onBuild: (reason, indexPath) => process.stderr.write(`w2v: building the index (${reason}): ${indexPath}\n`),
        onBuildProgress: (done, total) => progress.update(done, total),
        onSaveFailed: (message) => process.stderr.write(`w2v: could not save the index (${message}); using it unsaved\n`),
      },
    );
  } finally {
    progress.stop();
  }
}
