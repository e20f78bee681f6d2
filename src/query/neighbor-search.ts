import type { Embeddings, Neighbor } from './embeddings.js';
import { DiskFullError, UserError } from '../base/errors.js';
import { NearestIndex, buildIndexFile, defaultIndexPath, refuseIndexOverVectors, staleReason, type IndexBuildProgress } from './nearest.js';
import { chooseSearch, type SearchWay } from './search-choice.js';

/** Answers "which words are nearest to these?" one way, chosen once for a set of vectors. */
export interface NeighborSearch {
  readonly way: SearchWay;
  /** The k words nearest to one word, or to the mean of several, leaving the query words out. */
  search(words: readonly string[], k: number): Neighbor[];
}

export interface NeighborSearchOptions {
  /** Force one way; by default the vocabulary's size decides (search-choice.ts). */
  way?: SearchWay;
  /** Index file to use (default: <vectors>.hnsw); built and saved when missing or stale. */
  indexFile?: string;
  /** HNSW candidate list size (default: the one saved with the index). */
  ef?: number;
}

/** What a caller may want to tell its user while the index is being made ready. */
export interface NeighborSearchEvents {
  /** No usable index was found at `indexPath` (`reason` says why), so one is being built. */
  onBuild?(reason: string, indexPath: string): void;
  onBuildProgress?: IndexBuildProgress;
  /** The built index could not be saved; it is used from memory. */
  onSaveFailed?(message: string): void;
}

/**
 * Exact search for small vocabularies; otherwise the saved index when it matches the vectors, or
 * one built (and saved for next time). The entry point for `w2v neighbors` and `w2v serve`.
 */
export async function openNeighborSearch(
  vectorsPath: string,
  embeddings: Embeddings,
  options: NeighborSearchOptions = {},
  events: NeighborSearchEvents = {},
): Promise<NeighborSearch> {
  const way = options.way ?? chooseSearch(embeddings.size, embeddings.dim);
  if (way === 'exact') return { way, search: (words, k) => embeddings.mostSimilar(words, k) };
  const index = await readyIndex(vectorsPath, embeddings, options, events);
  return {
    way,
    search(words, k) {
      const exclude = new Set(words.map((w) => embeddings.requireIndex(w)));
      return index.search(embeddings.combine(words, []), k, exclude);
    },
  };
}

async function readyIndex(vectorsPath: string, embeddings: Embeddings, options: NeighborSearchOptions, events: NeighborSearchEvents): Promise<NearestIndex> {
  const indexPath = options.indexFile ?? defaultIndexPath(vectorsPath);
  await refuseIndexOverVectors(vectorsPath, indexPath);
  const { ef } = options;
  let reason = await staleReason(indexPath, vectorsPath, embeddings);
  if (reason === null) {
    try {
      return (await NearestIndex.load(indexPath, { ef })).index;
    } catch (error) {
      // An unreadable index is as good as a missing one: rebuild it rather than give up.
      if (!(error instanceof UserError)) throw error;
      reason = error.message.replace(/; rebuild it with w2v index$/, '');
    }
  }
  events.onBuild?.(reason, indexPath);
  try {
    return (await buildIndexFile(vectorsPath, embeddings, { out: indexPath, ef, onProgress: events.onBuildProgress })).index;
  } catch (error) {
    if (error instanceof UserError && !(error instanceof DiskFullError)) throw error;
    // Answering does not need the saved file: say why it was not kept and go on in memory.
    events.onSaveFailed?.(error instanceof Error ? error.message : String(error));
    return NearestIndex.build(embeddings, { ef });
  }
}
