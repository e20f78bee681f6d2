import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../src/base/errors.js';
import type { ReadReply, ReadRequest } from '../src/corpus/read-in-workers.js';
import { readPart } from '../src/corpus/read-part.js';

// One part of the corpus per thread: parts are tokenized at once on as many cores, and each
// reader's buffers and word table go away with its thread.
const request = workerData as ReadRequest;
const post = (reply: ReadReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(reply, transfer);

readPart(request.ranges, request.idsPath, {
  ...request.options,
  onProgress: (fileBytes, tokens) => post({ kind: 'progress', fileBytes, tokens }),
}).then(
  (part) => {
    const { arena, starts, lengths, hashes, counts } = part.words;
    // The word arrays move to the main thread rather than being copied.
    post({ kind: 'done', part }, [arena, starts, lengths, hashes, counts].map((array) => array.buffer as ArrayBuffer));
  },
  (error: unknown) =>
    post({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
      userError: error instanceof UserError,
    }),
);
