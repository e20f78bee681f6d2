import { parentPort, workerData } from 'node:worker_threads';
import { encodeCorpus, type EncodeOptions } from '../src/encoded-corpus.js';
import { UserError } from '../src/errors.js';
import type { EncodeReply, EncodeRequest } from '../src/encode-in-worker.js';

// Tokenizing allocates millions of short-lived strings. Doing it in this thread, whose heap is
// thrown away when it ends, keeps that garbage out of the main process for the whole run.
const request = workerData as EncodeRequest;
const post = (reply: EncodeReply) => parentPort!.postMessage(reply);
const options: EncodeOptions = { ...request.options, onTokens: (tokens) => post({ kind: 'tokens', tokens }) };

encodeCorpus(request.files, options).then(
  (corpus) => post({ kind: 'done', corpus }),
  (error: unknown) =>
    post({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
      userError: error instanceof UserError,
    }),
);
