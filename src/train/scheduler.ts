import type { Piscina } from 'piscina';
import type { EncodedCorpus } from '../corpus/encoded-corpus.js';
import type { TrainOptions } from '../model/options.js';
import type { EpochTotals } from './checkpoint.js';
import type { MemoryLayout } from './shared-memory.js';
import type { TrainingObserver } from './training-callbacks.js';
import { CompletionTracker, plannedTasks, type CompletedTasks, type SchedulePlan } from './training-schedule.js';
import type { ChunkResult, ChunkTask } from './training-task.js';
import { workerFailure } from './worker-pool.js';

/** Where a run stands on its plan: what a checkpoint saves besides the weights. */
export interface ScheduleState {
  completed: CompletedTasks;
  epochs: EpochTotals[];
  trainSeconds: number;
}

export interface RunControl {
  stop?: AbortSignal;
  /** Called while no task runs; resolves once the checkpoint is on disk. */
  saveCheckpoint?: (state: ScheduleState) => Promise<void>;
  /** Checkpoints at epoch ends too, not only on stop. */
  periodic: boolean;
  /** With `periodic`, a checkpoint every this many milliseconds as well (0: none on a clock). */
  everyMs: number;
  /** The state to go on from: nothing done for a new run, the checkpoint's for a resumed one. */
  start: ScheduleState;
  /**
   * Evaluations while no task runs: at the first task boundary at or after each of `seconds`
   * (training seconds), and at every epoch end with `epochEnds`. Their time is not training time.
   */
  evaluate?: {
    seconds: readonly number[];
    epochEnds: boolean;
    run(at: { trainSeconds: number; wordsSeen: number; epochsDone: number }): Promise<void>;
  };
}

/**
 * The scheduler: the plan's tasks in order, each carrying the learning rate at its start and end
 * on the global linear decay (computed from the plan, so the decay is exact whatever the order
 * tasks finish in, and the same after a resume) and its seed. At most one task per scratch slot
 * is in flight; with one worker the tasks run in order and a rerun is bit-identical.
 *
 * A checkpoint is taken at a task boundary: submitting pauses, the running tasks finish, the
 * weights are copied, and training goes on while the copy is written. Elapsed training time
 * carries across a resume, so a --max-seconds budget counts only time spent training.
 */
export async function runEpochs(
  pool: Piscina,
  corpus: EncodedCorpus,
  options: TrainOptions,
  plan: SchedulePlan,
  layout: MemoryLayout,
  observer: TrainingObserver,
  control: RunControl,
): Promise<ScheduleState & { stopped: boolean; sessionWordsSeen: number; checkpointsWritten: number; evaluationSeconds: number }> {
  const start = performance.now();
  const { wordsTotal } = plan;
  const budgetMs = options.maxSeconds * 1000;
  // Time spent in evaluations: the budget, the learning-rate decay and the report never see it.
  let pausedMs = 0;
  const elapsedMs = () => control.start.trainSeconds * 1000 + performance.now() - start - pausedMs;
  // Progress on the learning-rate schedule: the share of the words, or of the time budget, spent.
  const alphaAt = (words: number) => {
    const progress = Math.max(words / Math.max(1, wordsTotal), budgetMs > 0 ? elapsedMs() / budgetMs : 0);
    return options.alpha - (options.alpha - options.minAlpha) * Math.min(1, progress);
  };
  const outOfTime = () => budgetMs > 0 && elapsedMs() >= budgetMs;
  const done = new CompletionTracker(control.start.completed);
  const epochs: EpochTotals[] = control.start.epochs.map((e) => ({ ...e }));
  // Seconds an epoch had before this session, and when this session first worked on it.
  const epochBase = new Map<number, { seconds: number; since: number }>();
  const freeSlots = layout.slots.slice().reverse();
  const inFlight = new Set<Promise<void>>();
  let wordsDone = epochs.reduce((sum, e) => sum + e.wordsSeen, 0);
  let sessionWordsSeen = 0;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let lastCheckpoint = performance.now();
  let writing: Promise<void> = Promise.resolve();
  let checkpointsWritten = 0;
  const state = (): ScheduleState => ({ completed: done.snapshot(), epochs: epochs.map((e) => ({ ...e })), trainSeconds: elapsedMs() / 1000 });
  const drain = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  };
  const checkpoint = async () => {
    if (!control.saveCheckpoint) return;
    await drain();
    // One write at a time; the weights are copied now, while no task runs.
    await writing;
    writing = control.saveCheckpoint(state());
    checkpointsWritten++;
    // A failed write fails the run at the next await of `writing`, not as an unhandled rejection.
    writing.catch((error: unknown) => {
      failure ??= { error };
    });
    lastCheckpoint = performance.now();
  };
  const evaluation = control.evaluate;
  const evaluationPoints = [...(evaluation?.seconds ?? [])];
  const evaluate = async (epochsDone: number) => {
    await drain();
    const paused = performance.now();
    await evaluation!.run({ trainSeconds: elapsedMs() / 1000, wordsSeen: wordsDone, epochsDone });
    pausedMs += performance.now() - paused;
    // Every point passed during the wait for the running tasks is served by this evaluation.
    while (evaluationPoints.length > 0 && evaluationPoints[0] * 1000 <= elapsedMs()) evaluationPoints.shift();
  };
  const totalsFor = (epoch: number): EpochTotals => {
    let totals = epochs.find((e) => e.epoch === epoch + 1);
    if (!totals) {
      totals = { epoch: epoch + 1, lossSum: 0, predictions: 0, wordsSeen: 0, wordsTrained: 0, seconds: 0 };
      epochs.push(totals);
    }
    if (!epochBase.has(epoch)) epochBase.set(epoch, { seconds: totals.seconds, since: performance.now() });
    return totals;
  };
  try {
    let previousEpoch = -1;
    for (const task of plannedTasks(corpus, plan)) {
      if (done.isDone(task.index)) continue;
      if (task.epoch !== previousEpoch) {
        // The epoch before ended in this session: evaluate and checkpoint it.
        if (previousEpoch >= 0 && evaluation?.epochEnds) await evaluate(task.epoch);
        if (previousEpoch >= 0 && control.periodic) await checkpoint();
        previousEpoch = task.epoch;
      } else if (control.everyMs > 0 && performance.now() - lastCheckpoint >= control.everyMs) {
        await checkpoint();
      }
      while (freeSlots.length === 0 && !failure) await Promise.race(inFlight);
      if (failure) throw failure.error;
      if (control.stop?.aborted) {
        stopped = true;
        break;
      }
      if (outOfTime()) break;
      if (evaluationPoints.length > 0 && evaluationPoints[0] * 1000 <= elapsedMs()) {
        await evaluate(task.epoch);
        if (outOfTime()) break;
      }
      const report = totalsFor(task.epoch);
      const base = epochBase.get(task.epoch)!;
      const slot = freeSlots.pop()!;
      const chunkTask: ChunkTask = {
        slot,
        offset: task.offset,
        entries: task.entries,
        words: task.words,
        alphaStart: alphaAt(task.wordsBefore),
        alphaEnd: alphaAt(task.wordsBefore + task.words),
        seed: task.seed,
      };
      const running: Promise<void> = (pool.run(chunkTask) as Promise<ChunkResult>).then(
        (result) => {
          freeSlots.push(slot);
          inFlight.delete(running);
          done.markDone(task.index);
          wordsDone += result.wordsSeen;
          sessionWordsSeen += result.wordsSeen;
          report.wordsSeen += result.wordsSeen;
          report.wordsTrained += result.wordsTrained;
          report.lossSum += result.lossSum;
          report.predictions += result.predictions;
          report.seconds = base.seconds + (performance.now() - base.since) / 1000;
          observer.onProgress?.({
            epoch: task.epoch + 1,
            wordsDone,
            wordsTotal,
            // Tasks finish out of order; the rate at overall progress reads monotonically.
            alpha: alphaAt(wordsDone),
            loss: report.predictions > 0 ? report.lossSum / report.predictions : 0,
            wordsPerSecond: sessionWordsSeen / Math.max(1e-9, (performance.now() - start) / 1000),
          });
        },
        (error: unknown) => {
          // The first failing task fails the run; later ones (often aborted by the pool's
          // shutdown) must not surface as unhandled rejections.
          failure ??= { error: workerFailure(error) };
          inFlight.delete(running);
        },
      );
      inFlight.add(running);
    }
    // The end of the run (finished or out of time) is an epoch end.
    if (evaluation?.epochEnds && !stopped && !failure) await evaluate(epochs.length);
    if (stopped || control.periodic) await checkpoint();
    await drain();
    await writing;
    if (failure) throw failure.error;
  } finally {
    // A failed run still lets a checkpoint being written finish (or remove its temporary file).
    await writing.catch(() => undefined);
  }
  return { ...state(), stopped, sessionWordsSeen, checkpointsWritten, evaluationSeconds: pausedMs / 1000 };
}

