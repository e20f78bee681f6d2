/**
 * Dot products of one query with many rows, in WebAssembly SIMD when the runtime has it.
 * Exact nearest-neighbour search and analogy evaluation spend all their time here, and a plain
 * JavaScript loop runs at a fraction of the speed of f32x4 code (see DESIGN.md's measurements).
 *
 * The module is small enough to be written out here byte by byte instead of adding a build step.
 * It is this WAT (locals: 0 rows, 1 n, 2 strideBytes, 3 q, 4 out, 5 end, 6 j, 7 a, 8 b):
 *
 *   (func (export "dots") (param $rows i32) (param $n i32) (param $strideBytes i32) (param $q i32) (param $out i32)
 *     (local $end i32) (local $j i32) (local $a v128) (local $b v128)
 *     (br_if 0 (i32.eqz (local.get $n)))
 *     (local.set $end (i32.add (local.get $out) (i32.mul (local.get $n) (i32.const 4))))
 *     (loop $row
 *       (local.set $a (v128.const i32x4 0 0 0 0)) (local.set $b (v128.const i32x4 0 0 0 0))
 *       (local.set $j (i32.const 0))
 *       (loop $col   ;; two accumulators, 8 floats per step; strideBytes is a multiple of 32
 *         (local.set $a (f32x4.add (local.get $a) (f32x4.mul (v128.load (i32.add $rows $j)) (v128.load (i32.add $q $j)))))
 *         (local.set $b (f32x4.add (local.get $b) (f32x4.mul (v128.load offset=16 (i32.add $rows $j)) (v128.load offset=16 (i32.add $q $j)))))
 *         (br_if $col (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 32))) (local.get $strideBytes))))
 *       (local.set $a (f32x4.add $a $b))
 *       (f32.store (local.get $out) (lane0 + lane1 + lane2 + lane3 of $a))
 *       (local.set $rows (i32.add $rows $strideBytes))
 *       (br_if $row (i32.lt_u (local.tee $out (i32.add $out (i32.const 4))) (local.get $end)))))
 *   (memory (export "memory") 1)
 */
const ZERO_V128 = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const F32X4_MUL = [0xfd, 0xe6, 0x01];
const F32X4_ADD = [0xfd, 0xe4, 0x01];
const load = (offset: number) => [0xfd, 0x00, 0x04, offset];
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const lane = (i: number) => [0xfd, 0x1f, i];

const BODY = [
  0x02, 0x02, 0x7f, 0x02, 0x7b, // locals: 2 × i32, 2 × v128
  ...get(1), 0x45, 0x0d, 0x00,
  ...get(4), ...get(1), 0x41, 0x04, 0x6c, 0x6a, ...set(5),
  0x03, 0x40,
  ...ZERO_V128, ...set(7),
  ...ZERO_V128, ...set(8),
  0x41, 0x00, ...set(6),
  0x03, 0x40,
  ...get(7), ...get(0), ...get(6), 0x6a, ...load(0), ...get(3), ...get(6), 0x6a, ...load(0), ...F32X4_MUL, ...F32X4_ADD, ...set(7),
  ...get(8), ...get(0), ...get(6), 0x6a, ...load(16), ...get(3), ...get(6), 0x6a, ...load(16), ...F32X4_MUL, ...F32X4_ADD, ...set(8),
  ...get(6), 0x41, 0x20, 0x6a, ...tee(6), ...get(2), 0x49, 0x0d, 0x00,
  0x0b,
  ...get(4),
  ...get(7), ...get(8), ...F32X4_ADD, ...tee(7), ...lane(0),
  ...get(7), ...lane(1), 0x92,
  ...get(7), ...lane(2), 0x92,
  ...get(7), ...lane(3), 0x92,
  0x38, 0x02, 0x00,
  ...get(0), ...get(2), 0x6a, ...set(0),
  ...get(4), 0x41, 0x04, 0x6a, ...tee(4), ...get(5), 0x49, 0x0d, 0x00,
  0x0b,
  0x0b,
];

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
const name = (s: string) => [s.length, ...Buffer.from(s, 'ascii')];

const MODULE_BYTES = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]),
  ...section(3, [0x01, 0x00]),
  ...section(5, [0x01, 0x00, 0x01]),
  ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('dots'), 0x00, 0x00]),
  ...section(10, [0x01, ...leb(BODY.length), ...BODY]),
]);

// The tsconfig's lib has no WebAssembly types; this is the little of the API used here.
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: WasmMemory; dots: (rows: number, n: number, strideBytes: number, q: number, out: number) => void } };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;
function compiledModule(): object | null {
  if (compiled === undefined) {
    compiled = wasm && wasm.validate(MODULE_BYTES) ? new wasm.Module(MODULE_BYTES) : null;
  }
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
    private readonly memory: WasmMemory,
    private readonly run: (rows: number, n: number, strideBytes: number, q: number, out: number) => void,
    readonly rows: number,
    readonly dim: number,
    private readonly stride: number,
  ) {}

  static create(rows: Float32Array, count: number, dim: number): DotKernel | null {
    const module = compiledModule();
    if (!module || !wasm || count === 0) return null;
    const stride = Math.ceil(dim / 8) * 8;
    const bytes = (count * stride + stride + count) * 4;
    if (bytes > MAX_BYTES) return null;
    const instance = new wasm.Instance(module);
    const memory = instance.exports.memory;
    const pages = Math.ceil(bytes / 65536);
    const have = memory.buffer.byteLength / 65536;
    if (pages > have) memory.grow(pages - have);
    const view = new Float32Array(memory.buffer);
    for (let i = 0; i < count; i++) view.set(rows.subarray(i * dim, (i + 1) * dim), i * stride);
    return new DotKernel(memory, instance.exports.dots, count, dim, stride);
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
}
