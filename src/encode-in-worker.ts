import { Worker } from 'node:worker_threads';
import type { EncodedCorpus, EncodeOptions, ReadProgress } from './encoded-corpus.js';
import { UserError } from './errors.js';

const WORKER_URL = new URL('../workers/encode-worker.js', import.meta.url);

export interface EncodeRequest {
  files: string[];
  options: Omit<EncodeOptions, 'onProgress'>;
}

export type EncodeReply =
  | { kind: 'progress'; read: ReadProgress }
  | { kind: 'done'; corpus: EncodedCorpus }
  | { kind: 'error'; message: string; userError: boolean };

/**
 * Runs encodeCorpus in a short-lived thread: the main thread stays responsive meanwhile, and the
 * reader's buffers and word table go away with the thread, so the main process's peak memory is
 * weights + tables + chunks. The result (vocabulary, chunk list, file path) is small and
 * crosses by copy.
 */
export function encodeCorpusInWorker(files: string[], options: EncodeOptions): Promise<EncodedCorpus> {
  const { onProgress, ...plain } = options;
  const request: EncodeRequest = { files, options: plain };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, {
      workerData: request,
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    let settled = false;
    worker.on('message', (reply: EncodeReply) => {
      if (reply.kind === 'progress') {
        onProgress?.(reply.read);
        return;
      }
      settled = true;
      if (reply.kind === 'done') resolve(reply.corpus);
      else reject(reply.userError ? new UserError(reply.message) : new Error(reply.message));
      void worker.terminate();
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the corpus reader stopped unexpectedly (exit code ${code})`));
    });
  });
}
