// Runs the real CLI as a child process, for tests that check exit codes, messages and files.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/test/support/cli.js → the project root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** The preload that fills the disk after W2V_TEST_ENOSPC_AFTER bytes. */
/** Training options that make a CLI run on a small corpus take a moment: one worker, one epoch, tiny vectors. */
export const QUICK_TRAINING = ['--workers', '1', '--epochs', '1', '--dim', '8', '--min-count', '1', '--no-progress'];

export const ENOSPC_PRELOAD = path.join(ROOT, 'dist', 'test', 'support', 'enospc.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** TMPDIR for the child, so the trainer's work directory can be checked too. */
  tmp?: string;
  env?: Record<string, string>;
  /** Modules for `node --import`, before the CLI. */
  imports?: string[];
  /** Killed with SIGKILL after this long; the test then fails on its signal. */
  timeoutMs?: number;
  /** Sees the child and each chunk of its stderr as it arrives (to signal it at the right time). */
  onStderr?: (child: ChildProcess, stderrSoFar: string) => void;
}

/**
 * Runs the real CLI as a child process, as a user would. W2V_DEBUG is cleared so that failures
 * show exactly what a user sees.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, W2V_DEBUG: '', ...options.env };
    if (options.tmp) Object.assign(env, { TMPDIR: options.tmp, TMP: options.tmp, TEMP: options.tmp });
    const imports = (options.imports ?? []).flatMap((m) => ['--import', m]);
    const child = spawn(process.execPath, [...imports, MAIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      options.onStderr?.(child, stderr);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `w2v ...args` to the end with empty standard input, waiting for it (for short commands). */
export function w2v(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A user-facing failure: exit `code` (1; 2 is for usage errors), exactly one "w2v: …" line on stderr matching `pattern`, no stack trace. */
export function assertOneLineFailure(r: { code: number | null; stderr: string; signal?: NodeJS.Signals | null }, pattern: RegExp, code = 1): void {
  assert.equal(r.signal ?? null, null, `ended by ${r.signal}, stderr: ${r.stderr}`);
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.split('\n');
  assert.equal(lines.at(-1), '', 'stderr ends with a newline');
  assert.equal(lines.length, 2, `exactly one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], /^w2v: \S/);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
}
