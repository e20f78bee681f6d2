import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import type { KernelChoice } from '../options.js';
import type { KernelKind, TrainingKernel } from './kernel.js';

/** Built by `npm run build:kernel` next to the compiled sources (dist/kernel.wasm). */
const KERNEL_PATH = fileURLToPath(new URL('../../kernel.wasm', import.meta.url));

/** The smallest module that uses f32x4 and a shared memory: validates only where both exist. */
const SIMD_THREADS_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x02, 0x09, 0x01, 0x01, 0x65, 0x01, 0x6d, 0x02, 0x03, 0x01, 0x01, // import e.m: shared memory 1..1
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0xfd, 0x00, 0x04, 0x00, 0x0b, // body: v128.load offset 0
]);

export function wasmSimdAvailable(): boolean {
  try {
    return WebAssembly.validate(SIMD_THREADS_PROBE);
  } catch {
    return false;
  }
}

/** Compiled once in the main thread; the Module object passes to workers, which instantiate it. */
export function compileKernelModule(): WebAssembly.Module {
  let bytes: Buffer;
  try {
    bytes = readFileSync(KERNEL_PATH);
  } catch {
    throw new UserError(`the WebAssembly kernel ${KERNEL_PATH} is missing: run "npm run build", or train with --kernel ts`);
  }
  return new WebAssembly.Module(bytes);
}

export function instantiateWasmKernel(module: WebAssembly.Module, memory: WebAssembly.Memory): TrainingKernel {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as TrainingKernel;
}

/**
 * Resolves `--kernel auto` to the SIMD kernel where the runtime supports it. Asking for wasm
 * explicitly where it cannot run is an error; falling back silently is reserved for `auto`,
 * and even then the caller warns.
 */
export function chooseKernel(choice: KernelChoice): { kind: KernelKind; warning?: string } {
  if (choice === 'ts') return { kind: 'ts' };
  if (wasmSimdAvailable()) return { kind: 'wasm' };
  if (choice === 'wasm') {
    throw new UserError('this runtime lacks WebAssembly SIMD or shared memory: use --kernel ts or Node 20+');
  }
  return { kind: 'ts', warning: 'WebAssembly SIMD is unavailable here: training with the slower TypeScript kernel' };
}
