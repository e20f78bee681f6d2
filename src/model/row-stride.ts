/** Rows are padded to a multiple of 4 floats so every row starts 16-byte aligned for f32x4. */
export function paddedStride(dim: number): number {
  return (dim + 3) & ~3;
}
