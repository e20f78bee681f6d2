import type { FastifyInstance } from 'fastify';
import { loadVectorsOrModel } from '../../src/query/model.js';
import { openNeighborSearch } from '../../src/query/neighbor-search.js';
import { startServer } from '../../src/serve/server.js';
import { readTrainingReport } from '../../src/train/training-report.js';

/**
 * `w2v serve` in this process on a free loopback port, for the browser test and the screenshot:
 * the same vectors, search, report and routes as the command, without its output.
 */
export async function serveLocally(vectorsPath: string): Promise<{ app: FastifyInstance; url: string }> {
  const { embeddings, model } = await loadVectorsOrModel(vectorsPath);
  const search = await openNeighborSearch(vectorsPath, embeddings);
  const report = await readTrainingReport(vectorsPath);
  return startServer({ vectorsPath, embeddings, search, report, model, onError: (error) => console.error(error) }, { host: '127.0.0.1', port: 0 });
}
