import cliProgress from 'cli-progress';
import type { TrainingObserver, TrainingProgress } from '../trainer.js';

const PLAIN_INTERVAL_MS = 5000;

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** A live bar on stderr: percent, ETA and a line of detail that each update may change. */
function newBar(total: number, detail: string): cliProgress.SingleBar {
  const format = ' {bar} {percentage}% | ETA {eta_formatted} | {detail}';
  const created = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, etaBuffer: 20 }, cliProgress.Presets.shades_classic);
  created.start(total, 0, { detail });
  return created;
}

/**
 * Shows training progress on stderr (stdout stays clean for --json): a live bar with percent,
 * words/s, ETA, alpha and mean loss on a terminal; a plain line every few seconds otherwise,
 * so logs of unattended runs stay readable.
 */
export function createProgressObserver(enabled: boolean): TrainingObserver & { stop(): void } {
  const stream = process.stderr;
  const write = (line: string) => stream.write(`${line}\n`);
  if (!enabled) return { onWarning: (message) => write(`w2v: warning: ${message}`), stop() {} };

  const tty = Boolean(stream.isTTY);
  let readBar: cliProgress.SingleBar | undefined;
  let bar: cliProgress.SingleBar | undefined;
  let lastPlain = 0;
  const stopReadBar = () => {
    readBar?.stop();
    readBar = undefined;
  };
  const writeLine = (line: string) => {
    stopReadBar();
    write(line);
  };
  const describe = (p: TrainingProgress) =>
    `epoch ${p.epoch} | ${formatCount(p.wordsPerSecond)} words/s | alpha ${p.alpha.toFixed(5)} | loss ${p.loss.toFixed(4)}`;

  return {
    onWarning: (message) => writeLine(`w2v: warning: ${message}`),
    onPhase: (_phase, detail) => writeLine(`w2v: ${detail}`),
    onReadProgress(read) {
      const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
      const detail = `${mib(read.fileBytes)} of ${mib(read.totalBytes)} MiB read | ${formatCount(read.tokens)} tokens`;
      if (tty) {
        readBar ??= newBar(read.totalBytes, detail);
        readBar.update(Math.min(read.fileBytes, read.totalBytes), { detail });
        return;
      }
      const now = Date.now();
      if (now - lastPlain >= PLAIN_INTERVAL_MS) {
        lastPlain = now;
        write(`w2v: ${detail}`);
      }
    },
    onProgress(p) {
      if (tty) {
        if (!bar) {
          stopReadBar();
          bar = newBar(p.wordsTotal, '');
        }
        bar.update(p.wordsDone, { detail: describe(p) });
        return;
      }
      const now = Date.now();
      if (now - lastPlain >= PLAIN_INTERVAL_MS || p.wordsDone >= p.wordsTotal) {
        lastPlain = now;
        write(`w2v: ${((100 * p.wordsDone) / p.wordsTotal).toFixed(1)}% | ${describe(p)}`);
      }
    },
    stop() {
      stopReadBar();
      bar?.stop();
    },
  };
}

/**
 * Progress of a counted job (words added to an index) on stderr: a bar on a terminal, a plain
 * line every few seconds and at the end otherwise. `update` may be called as often as wanted.
 */
export function createCountProgress(label: string): { update(done: number, total: number): void; stop(): void } {
  const stream = process.stderr;
  let bar: cliProgress.SingleBar | undefined;
  let lastPlain = 0;
  return {
    update(done, total) {
      const detail = `${label}: ${formatCount(done)} of ${formatCount(total)}`;
      if (stream.isTTY) {
        bar ??= newBar(total, detail);
        bar.update(done, { detail });
        return;
      }
      const now = Date.now();
      if (now - lastPlain >= PLAIN_INTERVAL_MS || done >= total) {
        lastPlain = now;
        stream.write(`w2v: ${detail}\n`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
