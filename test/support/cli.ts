import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/test/support/cli.js → the project root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI as a child process, as a user would. With `tmp`, TMPDIR points there so that
 * the trainer's work directory can be checked too; W2V_DEBUG is cleared so that failures show
 * exactly what a user sees.
 */
export function runCli(args: string[], options: { tmp?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, W2V_DEBUG: '', ...options.env };
    if (options.tmp) Object.assign(env, { TMPDIR: options.tmp, TMP: options.tmp, TEMP: options.tmp });
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `w2v ...args` to the end with empty standard input, waiting for it (for short commands). */
export function w2v(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A failure is one "w2v: ..." line on stderr, with no stack trace. */
export function assertOneLineFailure(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 1, 'a user error exits with 1 (2 is for usage errors)');
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^w2v: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}
