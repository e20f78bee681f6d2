import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import type { KernelChoice } from '../options.js';
import type { KernelKind, TrainingKernel } from './kernel.js';

/** The modules `npm run build:kernel` writes next to the compiled sources (dist/NAME.wasm). */
export type KernelModuleName = 'kernel' | 'dots' | 'tokens' | 'recode';

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

export function loadKernelModule(name: KernelModuleName): WebAssembly.Module {
  const file = fileURLToPath(new URL(`../../${name}.wasm`, import.meta.url));
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UserError(`the WebAssembly module ${file} is missing: run "npm run build"`);
  }
  return new WebAssembly.Module(bytes);
}

/** Compiled once in the main thread; the Module object passes to workers, which instantiate it. */
export function compileKernelModule(): WebAssembly.Module {
  return loadKernelModule('kernel');
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
