import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from './errors.js';

/**
 * The modules `npm run build:kernel` writes beside the compiled sources (dist/NAME.wasm): the
 * training kernel, and the search scan, tokenizer, re-encoding pass and phrase pass of the stages that use them.
 */
export type WasmModuleName = 'kernel' | 'dots' | 'tokens' | 'recode' | 'phrases';

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

export function loadWasmModule(name: WasmModuleName): WebAssembly.Module {
  const file = fileURLToPath(new URL(`../../${name}.wasm`, import.meta.url));
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new UserError(`the WebAssembly module ${file} is missing: run "npm run build"`);
  }
  return new WebAssembly.Module(bytes);
}
