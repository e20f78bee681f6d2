import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capture } from './measure.js';

export type Mode = 'sg-ns' | 'sg-hs' | 'cbow-ns' | 'cbow-hs';
export const MODES: readonly Mode[] = ['sg-ns', 'sg-hs', 'cbow-ns', 'cbow-hs'];
export type ToolName = 'w2v' | 'c' | 'gensim' | 'fasttext';
export const TOOL_NAMES: readonly ToolName[] = ['w2v', 'c', 'gensim', 'fasttext'];

/** Settings every tool gets; the fixed ones are the spec's and C word2vec's defaults. */
export interface Job {
  mode: Mode;
  epochs: number;
  workers: number;
  dim: number;
  window: number;
  negative: number;
  sample: number;
  minCount: number;
  /** C word2vec's default starting learning rate, used for every tool. */
  alpha: number;
  sg: boolean;
  hs: boolean;
  /** Plain-text corpus, and the same text with lines cut at 10,000 tokens (gensim's corpus_file). */
  text: string;
  lines: string;
  gensimReader: 'iterable' | 'corpus_file';
  /** Output path without extension. */
  outPrefix: string;
}

export function jobSettings(mode: Mode): Pick<Job, 'sg' | 'hs' | 'negative' | 'alpha' | 'mode'> {
  const sg = mode.startsWith('sg');
  const hs = mode.endsWith('hs');
  return { mode, sg, hs, negative: hs ? 0 : 5, alpha: sg ? 0.025 : 0.05 };
}

export interface Invocation {
  cmd: string;
  args: string[];
  vectors: string;
  binary: boolean;
}

export interface Tool {
  name: ToolName;
  /** Why the tool cannot run here, or undefined when it can. */
  missing(): string | undefined;
  version(): string;
  invocation(job: Job): Invocation;
}

export function makeTools(root: string, python: string | undefined): Record<ToolName, Tool> {
  const w2vMain = join(root, 'dist/src/cli/main.js');
  const cBinary = join(root, 'node_modules/word2vec/src/word2vec');
  const gensimScript = join(root, 'scripts/bench_train_gensim.py');
  const hasFasttext = capture('sh', ['-c', 'command -v fasttext']) !== undefined;
  const n = (x: number): string => String(x);
  return {
    w2v: {
      name: 'w2v',
      // Never skipped: if it is not built or its train command fails, the run says so.
      missing: () => undefined,
      version: () => {
        const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
        const commit = capture('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
        return `${pkg.version}${commit ? ` (git ${commit})` : ''}`;
      },
      invocation: (j) => {
        const vectors = `${j.outPrefix}.bin`;
        return {
          cmd: process.execPath, vectors, binary: true,
          args: [w2vMain, 'train', j.text, '--out', vectors, '--model', j.sg ? 'sg' : 'cbow',
            '--loss', j.hs ? 'hs' : 'ns', '--dim', n(j.dim), '--window', n(j.window), '--negative', n(j.negative),
            '--sample', n(j.sample), '--min-count', n(j.minCount), '--epochs', n(j.epochs),
            '--workers', n(j.workers), '--format', 'bin', '--no-progress', '--json'],
        };
      },
    },
    c: {
      name: 'c',
      missing: () => (existsSync(cBinary) ? undefined : `${cBinary} not found (npm install builds it)`),
      version: () => {
        const pkg = join(root, 'node_modules/word2vec/package.json');
        return existsSync(pkg)
          ? `npm word2vec ${(JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version}` : '?';
      },
      invocation: (j) => {
        const vectors = `${j.outPrefix}.bin`;
        return {
          cmd: cBinary, vectors, binary: true,
          args: ['-train', j.text, '-output', vectors, '-cbow', j.sg ? '0' : '1', '-size', n(j.dim),
            '-window', n(j.window), '-sample', n(j.sample), '-hs', j.hs ? '1' : '0', '-negative', n(j.negative),
            '-threads', n(j.workers), '-iter', n(j.epochs), '-min-count', n(j.minCount), '-alpha', n(j.alpha),
            '-binary', '1'],
        };
      },
    },
    gensim: {
      name: 'gensim',
      missing: () => (python ? undefined : 'python3 with gensim not found (scripts/install-peers.sh)'),
      version: () => `gensim ${capture(python ?? 'python3', ['-c', 'import gensim; print(gensim.__version__)']) ?? '?'}`,
      invocation: (j) => {
        const vectors = `${j.outPrefix}.bin`;
        return {
          cmd: python ?? 'python3', vectors, binary: true,
          args: [gensimScript, '--reader', j.gensimReader,
            '--corpus', j.gensimReader === 'corpus_file' ? j.lines : j.text, '--out', vectors,
            '--sg', j.sg ? '1' : '0', '--hs', j.hs ? '1' : '0', '--negative', n(j.negative), '--dim', n(j.dim),
            '--window', n(j.window), '--sample', n(j.sample), '--min-count', n(j.minCount),
            '--epochs', n(j.epochs), '--workers', n(j.workers), '--alpha', n(j.alpha)],
        };
      },
    },
    fasttext: {
      name: 'fasttext',
      missing: () => (hasFasttext ? undefined : 'fasttext not found (scripts/install-peers.sh)'),
      version: () => `fasttext ${capture('dpkg-query', ['-W', '-f', '${Version}', 'fasttext']) ?? '?'}`,
      invocation: (j) => ({
        // fastText always writes <prefix>.bin (its own format) and <prefix>.vec (word2vec text).
        cmd: 'fasttext', vectors: `${j.outPrefix}.vec`, binary: false,
        args: [j.sg ? 'skipgram' : 'cbow', '-input', j.text, '-output', j.outPrefix, '-dim', n(j.dim),
          '-ws', n(j.window), '-loss', j.hs ? 'hs' : 'ns', ...(j.hs ? [] : ['-neg', n(j.negative)]),
          '-minCount', n(j.minCount), '-epoch', n(j.epochs), '-thread', n(j.workers), '-t', n(j.sample),
          '-lr', n(j.alpha), '-minn', '0', '-maxn', '0', '-verbose', '1'],
      }),
    },
  };
}
