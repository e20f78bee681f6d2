// Compiles the AssemblyScript training kernel to dist/kernel.wasm.
// The module imports one shared memory owned by the host (see src/shared-memory.ts), uses the
// stub runtime (no GC, no allocation), and must contain no data segments: every worker
// instantiates it against the same memory, and a data segment would be copied in each time.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const ascBin = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
mkdirSync(path.join(root, 'dist'), { recursive: true });
execFileSync(process.execPath, [
  ascBin,
  path.join(root, 'src/kernel/assembly/kernel.ts'),
  '--outFile', path.join(root, 'dist/kernel.wasm'),
  '--textFile', path.join(root, 'dist/kernel.wat'),
  '--runtime', 'stub',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory', '1',
  '--maximumMemory', '65536',
  '--enable', 'simd,threads',
  '--noAssert',
  '--optimizeLevel', '3',
  '--shrinkLevel', '0',
  '-O3',
], { stdio: 'inherit', cwd: root });
