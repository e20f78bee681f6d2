// Compiles the AssemblyScript kernels to dist/: kernel.wasm (training), dots.wasm (search),
// tokens.wasm and recode.wasm (reading), phrases.wasm (w2v phrases).
// All use the stub runtime (no GC, no allocation) and contain no data segments. The training
// kernel imports one shared memory owned by the host (see src/train/shared-memory.ts): every worker
// instantiates it against the same memory, and a data segment would be copied in each time.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const ascBin = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const common = ['--runtime', 'stub', '--noAssert', '--optimizeLevel', '3', '--shrinkLevel', '0', '-O3'];

function compile(source, output, flags) {
  execFileSync(process.execPath, [
    ascBin,
    path.join(root, 'src', source),
    '--outFile', path.join(root, 'dist', `${output}.wasm`),
    '--textFile', path.join(root, 'dist', `${output}.wat`),
    ...common,
    ...flags,
  ], { stdio: 'inherit', cwd: root });
}

mkdirSync(path.join(root, 'dist'), { recursive: true });
compile('kernel/assembly/kernel.ts', 'kernel', [
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536', '--enable', 'simd,threads',
]);
// Search owns its memory and grows it to fit the rows.
compile('query/assembly/dots.ts', 'dots', ['--initialMemory', '1', '--enable', 'simd']);
// The tokenizer and the re-encoding pass own their memory too; plain WebAssembly, so reading
// never needs SIMD.
compile('corpus/assembly/tokens.ts', 'tokens', ['--initialMemory', '1']);
compile('corpus/assembly/recode.ts', 'recode', ['--initialMemory', '1']);
compile('corpus/assembly/phrases.ts', 'phrases', ['--initialMemory', '1']);
