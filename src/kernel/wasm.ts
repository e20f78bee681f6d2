import { UserError } from '../base/errors.js';
import { loadWasmModule, wasmSimdAvailable } from '../base/wasm-module.js';
import type { KernelChoice, KernelKind, TrainingKernel } from './kernel.js';

export { wasmSimdAvailable };

/** Compiled once in the main thread; the Module object passes to workers, which instantiate it. */
export function compileKernelModule(): WebAssembly.Module {
  return loadWasmModule('kernel');
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
