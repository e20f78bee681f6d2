import { realpathSync } from 'node:fs';
import path from 'node:path';

/** A path or word as it can be pasted into a shell. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function realPath(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * How the user started w2v, as a command to paste where they stand: `w2v` when that name on the
 * PATH is this program (npm link, npm install -g), `npx w2v` under npx, and otherwise the script
 * as it was run (`node dist/src/cli/main.js` under `npm start`, `./bin/w2v.js`).
 */
export function commandName(): string {
  if (process.env.npm_command === 'exec') return 'npx w2v';
  const script = process.argv[1] ? realPath(process.argv[1]) : undefined;
  if (script === undefined) return 'w2v';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && realPath(path.join(dir, 'w2v')) === script) return 'w2v';
  }
  const relative = path.relative(process.cwd(), process.argv[1]);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? process.argv[1] : relative;
  return path.basename(shown) === 'w2v.js' ? shellWord(shown.includes(path.sep) ? shown : `./${shown}`) : `node ${shellWord(shown)}`;
}
