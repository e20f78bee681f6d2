import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative as relative_, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/scripts/ where the compiled scripts run. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The bundled corpora and evaluation sets (text8 prefix, analogies, word pairs): see corpora/README.md. */
export const DATA = resolve(ROOT, 'corpora');

/** The built CLI that the benches run as a child process. */
export const W2V_MAIN = resolve(ROOT, 'dist/src/cli/main.js');

/**
 * A path as results files record it: relative to the repository when inside it, its file name
 * otherwise, so no machine's path is committed.
 */
export function displayPath(file: string): string {
  const relative = relative_(ROOT, resolve(file));
  return relative.startsWith('..') || isAbsolute(relative) ? basename(file) : relative;
}

/**
 * Stops a script before it starts when an input is missing: one line that names the file and
 * the option that sets it, not an errno and a stack trace.
 */
export function requireInputs(script: string, inputs: Record<string, string>): void {
  for (const [option, file] of Object.entries(inputs)) {
    if (!existsSync(file)) {
      process.stderr.write(`${script}: ${file} does not exist: give another with --${option}\n`);
      process.exit(1);
    }
  }
}
