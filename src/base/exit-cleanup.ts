import { rmSync } from 'node:fs';

/**
 * Paths that exist only while an operation runs (an atomic write's temporary file, the
 * trainer's work directory). An ordinary failure removes them in a `finally`; a process that
 * must exit at once (a second Ctrl-C) cannot wait for that, so it removes what is listed here,
 * synchronously, on its way out.
 */
const pending = new Set<string>();

export function registerTransientPath(file: string): void {
  pending.add(file);
}

export function releaseTransientPath(file: string): void {
  pending.delete(file);
}

/** Removes every registered path; for an exit path that cannot await. */
export function removeTransientPathsSync(): void {
  for (const file of pending) rmSync(file, { recursive: true, force: true });
  pending.clear();
}
