import { removeTransientPathsSync } from '../base/exit-cleanup.js';
import { haltProgress } from './progress.js';

/** What the run is doing: what the first Ctrl-C means depends on it. */
export type RunPhase = 'read' | 'train' | 'finish';

export const INTERRUPTED_EXIT_CODE = 130;

export interface StopSignals {
  /** Aborted by the first SIGINT or SIGTERM while training. */
  readonly signal: AbortSignal;
  setPhase(phase: RunPhase): void;
  dispose(): void;
}

/**
 * SIGINT and SIGTERM for a training run. While training, the first one asks the trainer to stop
 * at the next task boundary and write a checkpoint (`checkpointPath`). Before training there is
 * nothing to keep, so it exits at once; while the output is written, it lets the writing finish.
 * A second signal always exits at once: the temporary files of unfinished atomic writes and the
 * trainer's work directory are removed on the way, so no partial file is left.
 */
export function installStopSignals(checkpointPath: string): StopSignals {
  const controller = new AbortController();
  let phase: RunPhase = 'read';
  let signals = 0;
  // Every notice here means the run is ending: the progress bar is cleared and stays away.
  const say = (line: string) => haltProgress(`w2v: ${line}`);
  const exitNow = (line: string): never => {
    removeTransientPathsSync();
    say(line);
    process.exit(INTERRUPTED_EXIT_CODE);
  };
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    if (signals > 1) exitNow(`${name} again: stopped at once; nothing more was written`);
    if (phase === 'read') exitNow(`${name}: stopped before training started; nothing to resume`);
    if (phase === 'finish') {
      say(`${name}: training is done, writing the output (${name} again abandons it)`);
      return;
    }
    say(`${name}: stopping after the running tasks, then writing checkpoint ${checkpointPath} (${name} again quits at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    setPhase(next) {
      phase = next;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
