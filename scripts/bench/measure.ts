import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

/**
 * Runs the tool as the only child of a tiny Python parent that times it and reads its rusage from
 * wait4(): ru_maxrss is the tool's own peak resident set (threads included, and any children it
 * waited for), which works the same for a native binary, Python and Node. Python is used
 * instead of GNU time because it is always there and gives sub-millisecond wall time.
 */
const WRAPPER = `
import json, os, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
try:
    p = subprocess.Popen(cmd)
except OSError as e:
    json.dump({"error": str(e)}, open(out, "w")); sys.exit(127)
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - t0
json.dump({"wall": wall, "maxrss_kb": ru.ru_maxrss, "user": ru.ru_utime, "sys": ru.ru_stime,
           "exit": os.waitstatus_to_exitcode(status)}, open(out, "w"))
`;

export interface Measurement {
  wallSeconds: number;
  peakRssMB: number;
  cpuSeconds: number;
  exitCode: number;
}

export interface RunFiles {
  stdout: string;
  stderr: string;
  /** Where the wrapper writes its measurement. */
  stats: string;
}

/** Runs `cmd args` once, stdout/stderr to files; rejects with a one-line reason on failure. */
export async function measure(python: string, cmd: string, args: string[], files: RunFiles,
  timeoutSeconds: number): Promise<Measurement> {
  const out = openSync(files.stdout, 'w');
  const err = openSync(files.stderr, 'w');
  const child = spawn(python, ['-c', WRAPPER, files.stats, cmd, ...args], {
    stdio: ['ignore', out, err],
    detached: true, // own process group, so a timeout can stop the tool together with the wrapper
  });
  closeSync(out);
  closeSync(err);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }, timeoutSeconds * 1000);
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (c) => done(c));
  }).finally(() => clearTimeout(timer));
  if (timedOut) throw new Error(`timed out after ${timeoutSeconds} s`);
  if (!existsSync(files.stats)) throw new Error(`measurement wrapper failed (exit ${code}), see ${files.stderr}`);
  const s = JSON.parse(readFileSync(files.stats, 'utf8')) as
    { error?: string; wall: number; maxrss_kb: number; user: number; sys: number; exit: number };
  if (s.error) throw new Error(`cannot start ${cmd}: ${s.error}`);
  if (s.exit !== 0) throw new Error(`exit code ${s.exit}: ${failureLine(files.stderr) || failureLine(files.stdout)}`);
  return { wallSeconds: s.wall, peakRssMB: s.maxrss_kb / 1024, cpuSeconds: s.user + s.sys, exitCode: s.exit };
}

/** The line of a log that says why a run failed: the first error line, else the last line. */
export function failureLine(path: string): string {
  if (!existsSync(path)) return '';
  const lines = readFileSync(path, 'utf8').split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /error|ERR_|cannot|not found/i.test(l)) ?? lines.at(-1) ?? '').slice(0, 300);
}

/** Last non-empty line of a log (progress lines use \\r, so split on both). */
export function lastLine(path: string): string {
  if (!existsSync(path)) return '';
  const lines = readFileSync(path, 'utf8').split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 300);
}

/** stdout of a short command, or undefined when it cannot run. */
export function capture(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The interpreter that has gensim (Debian's python3-gensim lives in /usr/bin/python3, not in pyenv). */
export function findPython(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((p) => capture(p, ['-c', 'import gensim']) !== undefined);
}

/** w2v's --json report: the last stdout line that parses as a JSON object. */
export function jsonReport(path: string): unknown {
  const lines = readFileSync(path, 'utf8').trim().split('\n').reverse();
  for (const l of lines) {
    try { return JSON.parse(l); } catch { /* not JSON */ }
  }
  try { return JSON.parse(readFileSync(path, 'utf8')); } catch { return undefined; }
}
