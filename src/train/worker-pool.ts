import { Piscina } from 'piscina';
import { UserError } from '../base/errors.js';
import type { EncodedCorpus } from '../corpus/encoded-corpus.js';
import type { KernelKind } from '../kernel/kernel.js';
import { compileKernelModule } from '../kernel/wasm.js';
import type { MemoryLayout } from './shared-memory.js';
import type { WorkerSetup } from './training-task.js';

const WORKER_URL = new URL('../../workers/train-worker.js', import.meta.url);

/**
 * The flags a training worker starts with: the ones it needs, never a copy of the parent's. A
 * worker refuses some flags its parent may hold (the test runner of Node 24 and 26 passes
 * --secure-heap and --node-snapshot, ERR_WORKER_INVALID_EXEC_ARGV), and none of them matters here.
 *
 * piscina loads its worker file with require() first, which on Node versions that can require
 * ES modules takes a path that now and then aborts the whole process (an assertion in Node's
 * module loader, seen once in a test run). Where the flag exists, workers are started without
 * require(esm), so piscina's require throws and it imports the file instead, as on older Nodes.
 */
function workerExecArgv(): string[] {
  const flag = '--no-experimental-require-module';
  return process.allowedNodeEnvironmentFlags.has(flag) ? [flag] : [];
}

/** The training worker pool, its threads started now; the caller destroys it. */
export function startWorkers(corpus: EncodedCorpus, workers: number, kernel: KernelKind, layout: MemoryLayout, memory: WebAssembly.Memory): Piscina {
  const setup: WorkerSetup = {
    memory,
    module: kernel === 'wasm' ? compileKernelModule() : undefined,
    kernel,
    corpusPath: corpus.path,
    header: layout.header,
  };
  return new Piscina({
    filename: WORKER_URL.href,
    execArgv: workerExecArgv(),
    workerData: setup,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
  });
}

/** A task's error, or the exit of its worker thread, as one line that says a worker failed. */
export function workerFailure(error: unknown): unknown {
  if (error instanceof UserError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`a training worker failed: ${message}`, { cause: error });
}
