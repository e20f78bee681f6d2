import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/scripts/ where the compiled scripts run. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The bundled corpora and evaluation sets (text8 prefix, analogies, word pairs): see corpora/README.md. */
export const DATA = resolve(ROOT, 'corpora');

/** The built CLI that the benches run as a child process. */
export const W2V_MAIN = resolve(ROOT, 'dist/src/cli/main.js');
