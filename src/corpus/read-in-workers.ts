import { Worker } from 'node:worker_threads';
import { UserError } from '../base/errors.js';
import type { PartCount, ReadPartOptions } from './read-part.js';
import type { TextRange } from './corpus-text.js';

const WORKER_URL = new URL('../../workers/read-worker.js', import.meta.url);

export interface ReadRequest {
  ranges: TextRange[];
  idsPath: string;
  options: Omit<ReadPartOptions, 'onProgress'>;
}

export type ReadReply =
  | { kind: 'progress'; fileBytes: number; tokens: number }
  | { kind: 'done'; part: PartCount }
  | { kind: 'error'; message: string; userError: boolean };

/**
 * Reads the parts at once, each in a short-lived thread of its own, and returns their counts in
 * part order. Progress sums the parts. When several parts fail, the error of the first part is
 * the one reported: it is the first bad place in the corpus.
 */
export async function readPartsInWorkers(
  parts: { ranges: TextRange[]; idsPath: string }[],
  options: ReadPartOptions,
): Promise<PartCount[]> {
  const { onProgress, ...plain } = options;
  const progress = parts.map(() => ({ fileBytes: 0, tokens: 0 }));
  const report = () => {
    let fileBytes = 0;
    let tokens = 0;
    for (const p of progress) {
      fileBytes += p.fileBytes;
      tokens += p.tokens;
    }
    onProgress?.(fileBytes, tokens);
  };
  const settled = await Promise.allSettled(
    parts.map((part, k) =>
      readInWorker({ ...part, options: plain }, (fileBytes, tokens) => {
        progress[k] = { fileBytes, tokens };
        report();
      }),
    ),
  );
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<PartCount>).value);
}

function readInWorker(request: ReadRequest, onProgress: (fileBytes: number, tokens: number) => void): Promise<PartCount> {
  return new Promise((resolve, reject) => {
    // No flags of the parent's: a worker refuses some that a parent may run with (see
    // src/train/worker-pool.ts), and a reader needs none.
    const worker = new Worker(WORKER_URL, { workerData: request, execArgv: [] });
    let settled = false;
    worker.on('message', (reply: ReadReply) => {
      if (reply.kind === 'progress') {
        onProgress(reply.fileBytes, reply.tokens);
        return;
      }
      settled = true;
      if (reply.kind === 'done') resolve(reply.part);
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
