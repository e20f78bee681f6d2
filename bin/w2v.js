#!/usr/bin/env node
// The `w2v` command. It is committed with its run bit, so `npx w2v`, `npm link` and
// `npm install -g` keep working after any rebuild; it runs the CLI that `npm install` compiles.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(`w2v: not built yet: run "npm install" (or "npm run build") in ${new URL('..', import.meta.url).pathname}\n`);
  process.exit(1);
}
await import(cli.href);
