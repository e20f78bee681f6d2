import { openSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { readFully } from '../src/corpus/id-file.js';
import type { TrainingKernel } from '../src/kernel/kernel.js';
import { createReferenceKernel } from '../src/kernel/reference/kernel.js';
import { instantiateWasmKernel } from '../src/kernel/wasm.js';
import { readSlotResults, slotTokenOffset } from '../src/train/shared-memory.js';
import type { ChunkResult, ChunkTask, WorkerSetup } from '../src/train/training-task.js';

// One instance of the kernel per worker thread, bound to the shared memory; the encoded
// corpus is opened once and chunks are read straight into the slot's token buffer.
const setup = workerData as WorkerSetup;
const kernel: TrainingKernel =
  setup.kernel === 'wasm' && setup.module
    ? instantiateWasmKernel(setup.module, setup.memory)
    : createReferenceKernel(setup.memory);
const corpus = openSync(setup.corpusPath, 'r');

function readChunk(task: ChunkTask): void {
  const buffer = setup.memory.buffer;
  const bytes = new Uint8Array(buffer, slotTokenOffset(buffer, task.slot), task.entries * 4);
  const filled = readFully(corpus, bytes, task.offset * 4);
  if (filled < bytes.length) throw new Error(`encoded corpus ended early at entry ${task.offset + filled / 4}`);
}

/**
 * Test hook: W2V_TEST_FAIL_TASK=N:throw or N:exit makes this worker's Nth task throw, or end
 * the worker thread, so tests can check that a failing worker stops the run cleanly.
 */
const failAt = /^(\d+):(throw|exit)$/.exec(process.env.W2V_TEST_FAIL_TASK ?? '');
let tasksStarted = 0;

export default function trainChunk(task: ChunkTask): ChunkResult {
  if (failAt && ++tasksStarted === Number(failAt[1])) {
    if (failAt[2] === 'exit') process.exit(3);
    throw new Error(`test hook W2V_TEST_FAIL_TASK: task ${tasksStarted} failed`);
  }
  readChunk(task);
  kernel.trainChunk(setup.header, task.slot, task.entries, task.words, task.alphaStart, task.alphaEnd, task.seed);
  return readSlotResults(setup.memory.buffer, task.slot);
}
