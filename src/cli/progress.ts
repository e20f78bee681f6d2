import cliProgress from 'cli-progress';
import type { TrainingObserver, TrainingProgress } from '../trainer.js';

const PLAIN_INTERVAL_MS = 5000;

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
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
  let bar: cliProgress.SingleBar | undefined;
  let lastPlain = 0;
  // The token counter rewrites one line in place; the next message must start a fresh one.
  let counterOpen = false;
  const writeLine = (line: string) => {
    if (counterOpen) stream.write('\n');
    counterOpen = false;
    write(line);
  };
  const describe = (p: TrainingProgress) =>
    `epoch ${p.epoch} | ${formatCount(p.wordsPerSecond)} words/s | alpha ${p.alpha.toFixed(5)} | loss ${p.loss.toFixed(4)}`;

  return {
    onWarning: (message) => writeLine(`w2v: warning: ${message}`),
    onPhase: (_phase, detail) => writeLine(`w2v: ${detail}`),
    onTokensRead(tokens) {
      if (!tty) return;
      stream.write(`\rw2v: ${formatCount(tokens)} tokens read`);
      counterOpen = true;
    },
    onProgress(p) {
      if (tty) {
        if (!bar) {
          if (counterOpen) stream.write('\n');
          counterOpen = false;
          bar = new cliProgress.SingleBar(
            { format: ' {bar} {percentage}% | ETA {eta_formatted} | {detail}', stream, hideCursor: true, etaBuffer: 20 },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.wordsTotal, 0, { detail: '' });
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
      bar?.stop();
    },
  };
}
