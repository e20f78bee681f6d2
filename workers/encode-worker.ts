import { parentPort, workerData } from 'node:worker_threads';
import { encodeCorpus, type EncodeOptions } from '../src/encoded-corpus.js';
import { UserError } from '../src/errors.js';
import type { EncodeReply, EncodeRequest } from '../src/encode-in-worker.js';

// Reading runs in this thread so that the main thread stays free (progress, signals) and the
// reader's buffers and word table are thrown away with its heap when it ends.
const request = workerData as EncodeRequest;
const post = (reply: EncodeReply) => parentPort!.postMessage(reply);
const options: EncodeOptions = { ...request.options, onProgress: (read) => post({ kind: 'progress', read }) };

encodeCorpus(request.files, options).then(
  (corpus) => post({ kind: 'done', corpus }),
  (error: unknown) =>
    post({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
      userError: error instanceof UserError,
    }),
);
