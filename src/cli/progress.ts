import cliProgress from 'cli-progress';
import type { TrainingObserver, TrainingProgress } from '../train/training-callbacks.js';

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

/** When the last plain progress line was written; jobs that share one take turns with it. */
interface PlainThrottle {
  last: number;
}

/**
 * One job's progress on stderr: a bar on a terminal; elsewhere a plain line at most every few
 * seconds, so logs of unattended runs stay readable.
 */
class StderrProgress {
  private bar: cliProgress.SingleBar | undefined;

  constructor(private readonly plain: PlainThrottle = { last: 0 }) {}

  /** `detail` goes on the bar, `plainLine` off a terminal; `force` writes it even within the interval. */
  update(done: number, total: number, detail: string, plainLine: string, force: boolean): void {
    if (process.stderr.isTTY) {
      this.bar ??= newBar(total, detail);
      this.bar.update(Math.min(done, total), { detail });
      return;
    }
    const now = Date.now();
    if (force || now - this.plain.last >= PLAIN_INTERVAL_MS) {
      this.plain.last = now;
      process.stderr.write(`w2v: ${plainLine}\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/**
 * Shows training progress on stderr (stdout stays clean for --json): a bar for reading the
 * corpus, then one with percent, words/s, ETA, alpha and mean loss on a terminal; plain lines
 * every few seconds otherwise.
 */
export function createProgressObserver(enabled: boolean): TrainingObserver & { stop(): void } {
  const write = (line: string) => process.stderr.write(`${line}\n`);
  if (!enabled) return { onWarning: (message) => write(`w2v: warning: ${message}`), stop() {} };

  // Reading and training take turns with the plain lines' interval.
  const plain: PlainThrottle = { last: 0 };
  const reading = new StderrProgress(plain);
  const training = new StderrProgress(plain);
  const writeLine = (line: string) => {
    reading.stop();
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
      reading.update(read.fileBytes, read.totalBytes, detail, detail, false);
    },
    onProgress(p) {
      reading.stop();
      const detail = describe(p);
      const percent = `${((100 * p.wordsDone) / p.wordsTotal).toFixed(1)}%`;
      training.update(p.wordsDone, p.wordsTotal, detail, `${percent} | ${detail}`, p.wordsDone >= p.wordsTotal);
    },
    stop() {
      reading.stop();
      training.stop();
    },
  };
}

/**
 * Progress of a counted job (words added to an index) on stderr: a bar on a terminal, a plain
 * line every few seconds and at the end otherwise. `update` may be called as often as wanted.
 */
export function createCountProgress(label: string): { update(done: number, total: number): void; stop(): void } {
  const progress = new StderrProgress();
  return {
    update(done, total) {
      const detail = `${label}: ${formatCount(done)} of ${formatCount(total)}`;
      progress.update(done, total, detail, detail, done >= total);
    },
    stop: () => progress.stop(),
  };
}
