import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';

/**
 * A scratch folder for a test file, made before its tests and removed after them, handing out
 * one fresh folder per case with a private TMPDIR inside (so a test can check that the trainer
 * removed its work directory).
 */
export function caseDirectories(prefix: string): { root(): string; next(): { dir: string; tmp: string } } {
  let root = '';
  let cases = 0;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  after(() => rmSync(root, { recursive: true, force: true }));
  return {
    root: () => root,
    next() {
      const dir = path.join(root, `case${cases++}`);
      const tmp = path.join(dir, 'tmp');
      mkdirSync(tmp, { recursive: true });
      return { dir, tmp };
    },
  };
}
