// Dot products of one query with many rows: the whole cost of exact nearest-neighbour search
// and of analogy evaluation. Compiled to WebAssembly with SIMD; the host (src/dot-kernel.ts)
// owns this module's memory layout: rows padded to a multiple of 8 floats, then the query,
// then the output scores.

/** out[r] = rows[r] · query for r < n; strideBytes is a multiple of 32. */
export function dots(rows: usize, n: i32, strideBytes: usize, query: usize, out: usize): void {
  for (let r: i32 = 0; r < n; r++) {
    let a = f32x4.splat(0);
    let b = f32x4.splat(0);
    for (let j: usize = 0; j < strideBytes; j += 32) {
      a = f32x4.add(a, f32x4.mul(v128.load(rows + j), v128.load(query + j)));
      b = f32x4.add(b, f32x4.mul(v128.load(rows + j + 16), v128.load(query + j + 16)));
    }
    const s = f32x4.add(a, b);
    store<f32>(out + (<usize>r << 2), f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
    rows += strideBytes;
  }
}
