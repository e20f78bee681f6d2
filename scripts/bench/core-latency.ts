/**
 * The time a cache line takes to go from one core to another and back, measured by two threads
 * that hand a counter back and forth in a SharedArrayBuffer. Hogwild training pays it whenever
 * two workers write the same weight row. On a VM it is not a constant: the hypervisor may put
 * the two virtual CPUs on cores that share a cache or on cores far apart, and move them between
 * runs (on the same 2-core VM, seconds or minutes apart, a C probe read 53-80 ns at some times
 * and 287-342 ns at others), which moves the speed-up of modes that share rows with it. This
 * probe's Atomics are sequentially consistent (a fence each), so it reads about twice the C
 * probe's near value (112-150 ns) and the same far one; benchmarks print it beside their rounds.
 */
import { Worker } from 'node:worker_threads';

const ROUND_TRIPS = 200_000;

// The other side: waits for an odd value, answers with the next even one.
const ECHO = `
const { workerData } = require('node:worker_threads');
function echo(flag, count) {
  for (let i = 0; i < count; i++) {
    while (Atomics.load(flag, 0) !== 2 * i + 1);
    Atomics.store(flag, 0, 2 * i + 2);
  }
}
echo(new Int32Array(workerData.buffer), workerData.count);
`;

/** Round trips `from`..`to` - 1 with the echo thread; false if it stopped answering by `deadline`. */
function pingPong(flag: Int32Array, from: number, to: number, deadline: number): boolean {
  for (let i = from; i < to; i++) {
    Atomics.store(flag, 0, 2 * i + 1);
    for (let spins = 1; Atomics.load(flag, 0) !== 2 * i + 2; spins++) {
      // The spin holds the event loop, so a worker that never starts could not say so.
      if ((spins & 0xfffff) === 0 && performance.now() > deadline) return false;
    }
  }
  return true;
}

/** Nanoseconds per round trip between this thread and a worker thread, over `count` trips after a warm-up. */
export async function crossCoreRoundTripNs(count = ROUND_TRIPS): Promise<number> {
  const warmUp = Math.min(10_000, count);
  const flag = new Int32Array(new SharedArrayBuffer(64));
  const worker = new Worker(ECHO, { eval: true, workerData: { buffer: flag.buffer, count: warmUp + count } });
  const exited = new Promise<void>((done, fail) => {
    worker.once('error', fail);
    worker.once('exit', () => done());
  });
  const deadline = performance.now() + 30_000;
  let ns = NaN;
  if (pingPong(flag, 0, warmUp, deadline)) {
    const start = performance.now();
    if (pingPong(flag, warmUp, warmUp + count, deadline)) ns = ((performance.now() - start) * 1e6) / count;
  }
  if (Number.isNaN(ns)) {
    await worker.terminate();
    await exited.catch(() => undefined);
    throw new Error('the cross-core probe\'s worker thread did not answer within 30 s');
  }
  await exited;
  return ns;
}
