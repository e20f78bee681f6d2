import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveSeed } from '../../src/base/random.js';
import { CompletionTracker, planSchedule, plannedTasks } from '../../src/train/training-schedule.js';

// Three chunks of 1,000, 600 and 400 words (entries include one sentence mark per 100 words).
const corpus = {
  chunks: [
    { offset: 0, entries: 1010, words: 1000 },
    { offset: 1010, entries: 606, words: 600 },
    { offset: 1616, entries: 404, words: 400 },
  ],
};
const TRAINING_WORDS = 2000;
const base = { epochs: 3, maxWords: 0, maxSeconds: 0, workers: 2, seed: 7 };

describe('planSchedule and plannedTasks', () => {
  it('whole chunks, epoch after epoch, each task placed on the decay after the words before it', () => {
    // 16 epochs of 3 chunks: 48 tasks, enough for 16 per worker on 2 workers.
    const plan = planSchedule(TRAINING_WORDS, { ...base, epochs: 16 });
    assert.equal(plan.pieceWords, 1000, 'ceil(32,000 / (2 × 16)) = 1000: no chunk is longer');
    const all = [...plannedTasks(corpus, plan)];
    assert.equal(all.length, 48);
    const tasks = all.slice(0, 9);
    assert.deepEqual(tasks.map((t) => t.index), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(tasks.map((t) => t.epoch), [0, 0, 0, 1, 1, 1, 2, 2, 2]);
    assert.deepEqual(tasks.map((t) => t.wordsBefore), [0, 1000, 1600, 2000, 3000, 3600, 4000, 5000, 5600]);
    assert.equal(tasks[4].seed, deriveSeed(7, 1, 1));
    assert.deepEqual({ offset: tasks[5].offset, entries: tasks[5].entries }, { offset: 1616, entries: 404 });
  });

  it('a run with too few chunks for its workers is cut into pieces: at least 16 tasks a worker', () => {
    const plan = planSchedule(TRAINING_WORDS, { ...base, workers: 1 });
    assert.equal(plan.pieceWords, 375, 'ceil(6000 / 16)');
    const tasks = [...plannedTasks(corpus, plan)];
    assert.equal(tasks.length, 21, 'chunks of 1000, 600 and 400 words in 3, 2 and 2 pieces, 3 epochs');
    assert.ok(tasks.every((t) => t.words <= 375));
    assert.equal(tasks.reduce((n, t) => n + t.words, 0), 6000, 'every word of every epoch, once');
    // Every epoch's pieces cover every chunk: the last epoch too, which an estimate of the
    // pieces' words that overshot the chunk's would cut short.
    for (const epoch of [0, 1, 2]) {
      for (const chunk of [0, 1, 2]) {
        const pieces = tasks.filter((t) => t.epoch === epoch && t.chunk === chunk);
        assert.equal(pieces.reduce((n, t) => n + t.entries, 0), corpus.chunks[chunk].entries, `epoch ${epoch}: the pieces cover chunk ${chunk}`);
        assert.equal(pieces.reduce((n, t) => n + t.words, 0), corpus.chunks[chunk].words, `epoch ${epoch}: chunk ${chunk}'s words`);
      }
    }
  });

  it('--max-words cuts pieces of at most 1/(16 × workers) of the slice and stops at the slice', () => {
    const plan = planSchedule(TRAINING_WORDS, { ...base, maxWords: 2500 });
    assert.equal(plan.wordsTotal, 2500);
    assert.equal(plan.pieceWords, 256, 'ceil(2500 / 32) = 79, raised to the 256 floor');
    const tasks = [...plannedTasks(corpus, plan)];
    assert.equal(tasks.reduce((n, t) => n + t.words, 0), 2500);
    assert.ok(tasks.every((t) => t.words <= 256));
    assert.equal(tasks.at(-1)!.epoch, 1, 'the slice ends inside the second epoch');
    const pieces = tasks.filter((t) => t.epoch === 0 && t.chunk === 0);
    assert.deepEqual(pieces.map((t) => t.part), [0, 1, 2, 3]);
    assert.equal(pieces[1].seed, deriveSeed(7, 0, 0, 1));
    assert.equal(pieces.reduce((n, t) => n + t.entries, 0), 1010, 'the pieces cover the chunk');
  });

  it('the plan of a run does not depend on the session: the same tasks every time', () => {
    const plan = planSchedule(TRAINING_WORDS, { ...base, maxWords: 2500 });
    assert.deepEqual([...plannedTasks(corpus, plan)], [...plannedTasks(corpus, JSON.parse(JSON.stringify(plan)))]);
  });
});

describe('CompletionTracker', () => {
  it('keeps a prefix and the few tasks done after it, as tasks finish out of order', () => {
    const done = new CompletionTracker();
    for (const index of [1, 0, 3, 5]) done.markDone(index);
    assert.deepEqual(done.snapshot(), { prefix: 2, after: [3, 5] });
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((i) => done.isDone(i)), [true, true, false, true, false, true, false]);
    done.markDone(2);
    assert.deepEqual(done.snapshot(), { prefix: 4, after: [5] });
  });

  it('goes on from a snapshot: a resumed run submits exactly the tasks not done', () => {
    const resumed = new CompletionTracker({ prefix: 2, after: [3, 5] });
    const wholeChunks = { epochs: 3, wordsTotal: 3 * TRAINING_WORDS, pieceWords: Infinity, seed: 7 };
    const rest = [...plannedTasks(corpus, wholeChunks)].filter((t) => !resumed.isDone(t.index));
    assert.deepEqual(rest.map((t) => t.index), [2, 4, 6, 7, 8]);
    assert.deepEqual(new CompletionTracker({ prefix: 0, after: [0, 1, 2] }).snapshot(), { prefix: 3, after: [] });
  });
});
