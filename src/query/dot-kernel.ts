import { loadWasmModule, wasmSimdAvailable } from '../base/wasm-module.js';

type DotsFunction = (rows: number, n: number, strideBytes: number, q: number, out: number) => void;
type DotsManyFunction = (rows: number, n: number, strideBytes: number, queries: number, q: number, out: number) => void;

/** Queries `dotsMany` scores at once: room for this many is kept after the rows. */
export const MAX_QUERIES = 8;

/**
 * Dot products of one query with many rows, in WebAssembly SIMD (src/kernel/assembly/dots.ts)
 * when the runtime has it. Exact nearest-neighbour search and analogy evaluation spend all
 * their time here, and a plain JavaScript loop runs at a fraction of the speed of f32x4 code.
 */
let compiled: WebAssembly.Module | null | undefined;
function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = wasmSimdAvailable() ? loadWasmModule('dots') : null;
  return compiled;
}

/** wasm32 addresses end at 4 GiB; keep well inside. */
const MAX_BYTES = 2 ** 32 - 2 ** 26;

/**
 * Rows copied once into WebAssembly memory, padded to a multiple of 8 floats; `dots` then
 * scores a query against the first n of them. Returns null where WebAssembly SIMD is missing
 * or the rows do not fit, and callers use their plain loop instead.
 */
export class DotKernel {
  private constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly run: DotsFunction,
    private readonly runMany: DotsManyFunction,
    readonly rows: number,
    readonly dim: number,
    private readonly stride: number,
  ) {}

  static create(rows: Float32Array, count: number, dim: number): DotKernel | null {
    const module = compiledModule();
    if (!module || count === 0) return null;
    const stride = Math.ceil(dim / 8) * 8;
    const bytes = (count * stride + MAX_QUERIES * (stride + count)) * 4;
    if (bytes > MAX_BYTES) return null;
    const exports = new WebAssembly.Instance(module).exports as { memory: WebAssembly.Memory; dots: DotsFunction; dotsMany: DotsManyFunction };
    const memory = exports.memory;
    const pages = Math.ceil(bytes / 65536);
    const have = memory.buffer.byteLength / 65536;
    if (pages > have) memory.grow(pages - have);
    const view = new Float32Array(memory.buffer);
    for (let i = 0; i < count; i++) view.set(rows.subarray(i * dim, (i + 1) * dim), i * stride);
    return new DotKernel(memory, exports.dots, exports.dotsMany, count, dim, stride);
  }

  /** Dot product of `query` with each of the first `n` rows. */
  dots(query: Float32Array, n = this.rows): Float32Array {
    const queryAt = this.rows * this.stride;
    const outAt = queryAt + this.stride;
    const view = new Float32Array(this.memory.buffer);
    view.fill(0, queryAt, outAt);
    view.set(query.subarray(0, this.dim), queryAt);
    this.run(0, n, this.stride * 4, queryAt * 4, outAt * 4);
    return view.slice(outAt, outAt + n);
  }

  /**
   * Dot products of q ≤ MAX_QUERIES queries (`queries`: q rows of `dim` floats) with each of the
   * first `n` rows, row by row: out[r · q + i] is row r with query i. Each row is read once for
   * all q, which is what makes many queries against a large matrix cheaper than one at a time.
   */
  dotsMany(queries: Float32Array, q: number, n = this.rows): Float32Array {
    if (!(Number.isInteger(q) && q >= 1 && q <= MAX_QUERIES)) throw new RangeError(`dotsMany takes 1 to ${MAX_QUERIES} queries, got ${q}`);
    const queriesAt = this.rows * this.stride;
    const outAt = queriesAt + MAX_QUERIES * this.stride;
    const view = new Float32Array(this.memory.buffer);
    view.fill(0, queriesAt, outAt);
    for (let i = 0; i < q; i++) view.set(queries.subarray(i * this.dim, (i + 1) * this.dim), queriesAt + i * this.stride);
    this.runMany(0, n, this.stride * 4, queriesAt * 4, q, outAt * 4);
    return view.slice(outAt, outAt + n * q);
  }
}
