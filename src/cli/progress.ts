import cliProgress from 'cli-progress';
import type { TrainingObserver, TrainingProgress } from '../train/training-callbacks.js';

const PLAIN_INTERVAL_MS = 5000;

/** The bar's width in characters: it takes what the fields leave of the line, within these bounds. */
const MIN_BAR = 10;
const MAX_BAR = 40;

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** One field of a progress line; `keep` ranks it (0 first) for when the line must lose some. */
export interface ProgressField {
  text: string;
  keep: number;
}

/**
 * A progress line that fits `width` columns: the bar, the percentage, then the fields in their
 * order. Where the line would be wider, the least wanted fields go first, then the bar shrinks
 * to MIN_BAR; the line never reaches the last column, where a terminal would wrap it.
 */
export function fitProgressLine(fraction: number, fields: readonly ProgressField[], width: number): string {
  const percent = `${String(Math.floor(Math.min(1, Math.max(0, fraction)) * 100)).padStart(3)}%`;
  const room = Math.max(1, width - 1);
  const kept = [...fields];
  const text = () => [percent, ...kept.map((f) => f.text)].join(' | ');
  while (kept.length > 0 && MIN_BAR + 1 + text().length > room) {
    const drop = kept.reduce((worst, f) => (f.keep > worst.keep ? f : worst));
    kept.splice(kept.indexOf(drop), 1);
  }
  const size = Math.min(MAX_BAR, Math.max(MIN_BAR, room - 1 - text().length));
  const done = Math.round(fraction * size);
  const bar = '\u2588'.repeat(done) + '\u2591'.repeat(size - done);
  return `${bar} ${text()}`.slice(0, room);
}

/** The bar on stderr, if one is drawn: at most one at a time, since they share the line. */
let shownBar: cliProgress.SingleBar | undefined;
/** Once the run is ending (a stop, a failure), no bar is drawn again. */
let halted = false;

/** Removes the bar from the terminal (its line is cleared), so a message can take the line. */
export function clearProgress(): void {
  shownBar?.stop();
  shownBar = undefined;
}

/** Clears the bar for good, then writes `line`: what a stop or a failure says last. */
export function haltProgress(line: string): void {
  halted = true;
  clearProgress();
  process.stderr.write(`${line}\n`);
}

/** A live bar on stderr, its line fitted to the terminal's width at every redraw. */
function newBar(total: number, fields: (eta: string) => ProgressField[]): cliProgress.SingleBar {
  clearProgress();
  const format: cliProgress.GenericFormatter = (options, params) => {
    const eta = Number.isFinite(params.eta) ? cliProgress.Format.TimeFormat(params.eta, options, 5) : 'n/a';
    return fitProgressLine(params.progress, fields(eta), params.maxWidth);
  };
  const created = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 20 });
  created.start(total, 0);
  shownBar = created;
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
  private fields: ProgressField[] = [];

  constructor(private readonly plain: PlainThrottle = { last: 0 }) {}

  /**
   * `fields` go on the bar (with the ETA among them, ranked `etaKeep`), `plainLine` off a
   * terminal; `force` writes the plain line even within the interval.
   */
  update(done: number, total: number, fields: ProgressField[], etaKeep: number, plainLine: string, force: boolean): void {
    if (process.stderr.isTTY) {
      if (halted) return;
      this.fields = fields;
      if (this.bar === undefined || this.bar !== shownBar) {
        this.bar = newBar(total, (eta) => [{ text: `ETA ${eta}`, keep: etaKeep }, ...this.fields]);
      }
      this.bar.update(Math.min(done, total));
      return;
    }
    const now = Date.now();
    if (force || now - this.plain.last >= PLAIN_INTERVAL_MS) {
      this.plain.last = now;
      process.stderr.write(`w2v: ${plainLine}\n`);
    }
  }

  stop(): void {
    if (this.bar !== undefined && this.bar === shownBar) clearProgress();
    this.bar = undefined;
  }
}

/**
 * Shows training progress on stderr (stdout stays clean for --json): a bar for reading the
 * corpus, then one with percent, ETA, epoch, words/s, alpha and mean loss on a terminal (the
 * loss and epoch kept longest on a narrow one); plain lines every few seconds otherwise.
 */
export function createProgressObserver(enabled: boolean): TrainingObserver & { stop(): void } {
  const write = (line: string) => {
    clearProgress();
    process.stderr.write(`${line}\n`);
  };
  if (!enabled) return { onWarning: (message) => write(`w2v: warning: ${message}`), stop() {} };

  // Reading and training take turns with the plain lines' interval.
  const plain: PlainThrottle = { last: 0 };
  const reading = new StderrProgress(plain);
  const training = new StderrProgress(plain);
  const trainingFields = (p: TrainingProgress): ProgressField[] => [
    { text: `epoch ${p.epoch}`, keep: 1 },
    { text: `${formatCount(p.wordsPerSecond)} words/s`, keep: 4 },
    { text: `alpha ${p.alpha.toFixed(5)}`, keep: 3 },
    { text: `loss ${p.loss.toFixed(4)}`, keep: 0 },
  ];

  return {
    onWarning: (message) => write(`w2v: warning: ${message}`),
    onPhase: (_phase, detail) => write(`w2v: ${detail}`),
    onReadProgress(read) {
      const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
      const fields = [
        { text: `${mib(read.fileBytes)} of ${mib(read.totalBytes)} MiB read`, keep: 0 },
        { text: `${formatCount(read.tokens)} tokens`, keep: 1 },
      ];
      reading.update(read.fileBytes, read.totalBytes, fields, 2, fields.map((f) => f.text).join(' | '), false);
    },
    onProgress(p) {
      reading.stop();
      const fields = trainingFields(p);
      const percent = `${((100 * p.wordsDone) / p.wordsTotal).toFixed(1)}%`;
      const line = [percent, ...fields.map((f) => f.text)].join(' | ');
      training.update(p.wordsDone, p.wordsTotal, fields, 2, line, p.wordsDone >= p.wordsTotal);
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
      progress.update(done, total, [{ text: detail, keep: 0 }], 1, detail, done >= total);
    },
    stop: () => progress.stop(),
  };
}
