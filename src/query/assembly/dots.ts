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

/** The sum of a vector's four lanes. */
// @ts-ignore: decorator
@inline function lanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * out[r · q + i] = rows[r] · queries[i] for r < n and i < q, the q queries strideBytes apart.
 * Each row is scored against four queries at once: four independent sums, so the adds do not
 * wait on each other as one query's chain of adds does, and each lane of the row is loaded once
 * for the four. About three times the rate of one query at a time (k-means' centroids).
 */
export function dotsMany(rows: usize, n: i32, strideBytes: usize, queries: usize, q: i32, out: usize): void {
  for (let r: i32 = 0; r < n; r++) {
    let i: i32 = 0;
    for (; i + 4 <= q; i += 4) {
      const q0 = queries + <usize>i * strideBytes;
      const q1 = q0 + strideBytes;
      const q2 = q1 + strideBytes;
      const q3 = q2 + strideBytes;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      for (let j: usize = 0; j < strideBytes; j += 16) {
        const x = v128.load(rows + j);
        a0 = f32x4.add(a0, f32x4.mul(x, v128.load(q0 + j)));
        a1 = f32x4.add(a1, f32x4.mul(x, v128.load(q1 + j)));
        a2 = f32x4.add(a2, f32x4.mul(x, v128.load(q2 + j)));
        a3 = f32x4.add(a3, f32x4.mul(x, v128.load(q3 + j)));
      }
      store<f32>(out, lanes(a0));
      store<f32>(out, lanes(a1), 4);
      store<f32>(out, lanes(a2), 8);
      store<f32>(out, lanes(a3), 12);
      out += 16;
    }
    for (; i < q; i++) {
      const query = queries + <usize>i * strideBytes;
      let a = f32x4.splat(0);
      let b = f32x4.splat(0);
      for (let j: usize = 0; j < strideBytes; j += 32) {
        a = f32x4.add(a, f32x4.mul(v128.load(rows + j), v128.load(query + j)));
        b = f32x4.add(b, f32x4.mul(v128.load(rows + j + 16), v128.load(query + j + 16)));
      }
      store<f32>(out, lanes(f32x4.add(a, b)));
      out += 4;
    }
    rows += strideBytes;
  }
}
