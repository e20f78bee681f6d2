import type { EncodedCorpus } from '../corpus/encoded-corpus.js';
import { deriveSeed } from '../base/random.js';

/** Words per task in a --max-seconds run: milliseconds for the sparse losses, under a second for the exact ones up to V ≈ 10k. */
const TIMED_PIECE_WORDS = 4096;

/** What fixes the plan of a run; a checkpoint records it so that a resumed run cuts the same tasks. */
export interface SchedulePlan {
  epochs: number;
  /** Words handed out over the whole run (epochs × training words, or --max-words). */
  wordsTotal: number;
  /** At most this many words per task (Infinity: whole chunks). */
  pieceWords: number;
  seed: number;
}

/** One task of the plan: where its words are, its place on the learning-rate decay, and its seed. */
export interface PlannedTask {
  /** Position in the plan, 0-based; a checkpoint records which of these are done. */
  index: number;
  /** 0-based epoch. */
  epoch: number;
  chunk: number;
  /** Which piece of its chunk (0 when the chunk is whole). */
  part: number;
  offset: number;
  entries: number;
  words: number;
  /** Words planned before this task: where its learning rate starts on the global decay. */
  wordsBefore: number;
  seed: number;
}

/**
 * Tasks each worker should get over a run at least. A worker that finishes its last task waits
 * for the others, so a run's tail costs up to one task per worker: with 16 of them that is a
 * few per cent. A small corpus on many workers (the 12.5 MB text8 prefix is 40 whole-chunk tasks
 * over 5 epochs, 2.5 per worker on 16) is cut finer to get there.
 */
const TASKS_PER_WORKER = 16;

/** The smallest piece handed out as a task: below it a task's round trip would cost about as much as its training. */
const MIN_PIECE_WORDS = 256;

/**
 * Cuts a run into tasks: whole chunks where the run has enough of them for TASKS_PER_WORKER per
 * worker, equal pieces of each chunk where it has not (a small corpus on many workers, or a
 * --max-words slice); a --max-seconds run into pieces short enough that the last one ends soon
 * after the budget.
 * The worker count is part of the plan (it sizes the pieces), so a resumed run keeps the plan of
 * the run it continues whatever --workers it is given.
 */
export function planSchedule(
  trainingWords: number,
  options: { epochs: number; maxWords: number; maxSeconds: number; workers: number; seed: number },
): SchedulePlan {
  const wordsTotal = options.maxWords > 0 ? Math.min(options.maxWords, trainingWords * options.epochs) : trainingWords * options.epochs;
  // Chunks longer than this are cut into pieces; on large corpora no chunk is.
  const pieceWords = Math.min(
    Math.max(MIN_PIECE_WORDS, Math.ceil(wordsTotal / (options.workers * TASKS_PER_WORKER))),
    options.maxSeconds > 0 ? TIMED_PIECE_WORDS : Infinity,
  );
  return { epochs: options.epochs, wordsTotal, pieceWords, seed: options.seed };
}

/** How many tasks the plan has, counting no further than `atMost`. */
export function countTasks(corpus: Pick<EncodedCorpus, 'chunks'>, plan: SchedulePlan, atMost = Infinity): number {
  let count = 0;
  for (const _task of plannedTasks(corpus, plan)) if (++count >= atMost) break;
  return count;
}

/**
 * Every task of the plan in order: each epoch is the corpus chunks in order, each cut into equal
 * pieces of at most `pieceWords` words, until `wordsTotal` words are handed out (the last piece
 * cut short). A piece boundary may fall inside a sentence; the kernel then treats it as a
 * sentence end. Words per piece are estimated in proportion to its entries; the kernel counts
 * the exact number. The seed derives from (seed, epoch, chunk[, part]).
 */
export function* plannedTasks(corpus: Pick<EncodedCorpus, 'chunks'>, plan: SchedulePlan): Generator<PlannedTask> {
  let scheduled = 0;
  let index = 0;
  for (let epoch = 0; epoch < plan.epochs && scheduled < plan.wordsTotal; epoch++) {
    for (let chunk = 0; chunk < corpus.chunks.length && scheduled < plan.wordsTotal; chunk++) {
      const { offset, entries, words } = corpus.chunks[chunk];
      const parts = Number.isFinite(plan.pieceWords) ? Math.max(1, Math.ceil(words / plan.pieceWords)) : 1;
      for (let part = 0; part < parts && scheduled < plan.wordsTotal; part++) {
        const left = plan.wordsTotal - scheduled;
        const from = Math.floor((entries * part) / parts);
        let to = Math.floor((entries * (part + 1)) / parts);
        // Differences of rounded running totals, so that a chunk's pieces add up to its words.
        let pieceWordCount = parts === 1 ? words : Math.round((words * to) / entries) - Math.round((words * from) / entries);
        if (pieceWordCount > left) {
          to = from + Math.ceil(((to - from) * left) / pieceWordCount);
          pieceWordCount = left;
        }
        const seed = part === 0 ? deriveSeed(plan.seed, epoch, chunk) : deriveSeed(plan.seed, epoch, chunk, part);
        yield { index: index++, epoch, chunk, part, offset: offset + from, entries: to - from, words: pieceWordCount, wordsBefore: scheduled, seed };
        scheduled += pieceWordCount;
      }
    }
  }
}

/**
 * Which tasks of the plan are done. Tasks finish out of order with several workers, so this is
 * every task before `prefix` plus the ones listed after it (few: at most the tasks that were in
 * flight together).
 */
export interface CompletedTasks {
  prefix: number;
  after: number[];
}

/** The done set as it grows during a run; compacts into {@link CompletedTasks} for a checkpoint. */
export class CompletionTracker {
  private prefix: number;
  private readonly after: Set<number>;

  constructor(completed: CompletedTasks = { prefix: 0, after: [] }) {
    this.prefix = completed.prefix;
    this.after = new Set(completed.after);
    this.advance();
  }

  isDone(index: number): boolean {
    return index < this.prefix || this.after.has(index);
  }

  markDone(index: number): void {
    this.after.add(index);
    this.advance();
  }

  private advance(): void {
    while (this.after.delete(this.prefix)) this.prefix++;
  }

  snapshot(): CompletedTasks {
    return { prefix: this.prefix, after: [...this.after].sort((a, b) => a - b) };
  }
}
