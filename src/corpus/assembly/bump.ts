// Memory for the modules that own theirs (tokens.ts, recode.ts, phrases.ts): regions handed out
// from a bump pointer, memory grown as they need it; only the last regions can be given back
// (release). Each module compiles its own copy.

let top: usize = 0;

/** A new region of `bytes`, 16-byte aligned and zeroed; traps where wasm32's 4 GiB run out. */
export function reserve(bytes: usize): usize {
  const start = (top + 15) & ~(<usize>15);
  const end = start + bytes;
  const have = <usize>memory.size() << 16;
  if (end > have && memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) unreachable();
  top = end;
  return start;
}

/** Gives back every region from `to` up: the next reserve starts there again, on zeroed bytes as ever. */
export function release(to: usize): void {
  if (to < top) memory.fill(to, 0, top - to);
  top = to;
}
