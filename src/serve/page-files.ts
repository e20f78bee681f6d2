import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The page's HTML, CSS and browser script. They are not TypeScript, so the compiler does not copy
 * them to dist/: from this module's compiled place, dist/src/serve/, this names the package's own
 * src/serve/page/.
 */
export const PAGE_DIR = fileURLToPath(new URL('../../../src/serve/page/', import.meta.url));

const require = createRequire(import.meta.url);

/**
 * The browser builds of the charting libraries, served from node_modules so the page works
 * offline. Each package's main module sits in its build/ folder, beside its browser build.
 */
export const VENDOR_SCRIPTS: ReadonlyMap<string, string> = new Map(
  [
    ['vega.min.js', 'vega'],
    ['vega-lite.min.js', 'vega-lite'],
    ['vega-embed.min.js', 'vega-embed'],
  ].map(([file, name]) => [file, path.dirname(require.resolve(name))]),
);
