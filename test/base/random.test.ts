import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random, deriveSeed, xorshift32 } from '../../src/base/random.js';

/** An independent oracle: the same recurrence written with BigInt and explicit 32-bit masks. */
function xorshift32BigInt(state: bigint): bigint {
  const mask = 0xffffffffn;
  let x = state & mask;
  x ^= (x << 13n) & mask;
  x ^= x >> 17n;
  x ^= (x << 5n) & mask;
  return x;
}

describe('xorshift32', () => {
  it('reproduces Marsaglia\'s published sequence from y = 2463534242', () => {
    // "Xorshift RNGs" (2003), section 3: the first output of xorshift32 (13, 17, 5) from that seed.
    assert.equal(xorshift32(2463534242), 723471715);
  });

  it('matches a BigInt implementation over many steps, including high-bit states', () => {
    let a = 0x80000001;
    let b = 0x80000001n;
    for (let i = 0; i < 10_000; i++) {
      a = xorshift32(a);
      b = xorshift32BigInt(b);
      assert.equal(BigInt(a), b, `step ${i}`);
    }
  });

  it('always returns an unsigned 32-bit integer and never reaches 0 from a non-zero state', () => {
    let x = 1;
    for (let i = 0; i < 100_000; i++) {
      x = xorshift32(x);
      assert.ok(Number.isInteger(x) && x > 0 && x <= 0xffffffff);
    }
  });

  it('accepts a state given as a negative int32 (as wasm i32 values arrive)', () => {
    assert.equal(xorshift32(-1), xorshift32(0xffffffff));
  });
});

describe('Random', () => {
  it('steps the same sequence as xorshift32 and keeps the state in a public field', () => {
    const random = new Random(12345);
    let x = 12345;
    for (let i = 0; i < 100; i++) {
      x = xorshift32(x);
      assert.equal(random.nextUint32(), x);
      assert.equal(random.state, x);
    }
  });

  it('replaces a zero seed by a working non-zero state', () => {
    const random = new Random(0);
    assert.notEqual(random.state, 0);
    const first = random.nextUint32();
    assert.notEqual(first, 0);
    assert.notEqual(random.nextUint32(), first);
  });

  it('nextFloat is uint32 / 2^32, in [0, 1), and uniform (chi-square over 20 bins)', () => {
    const a = new Random(7);
    const b = new Random(7);
    assert.equal(a.nextFloat(), b.nextUint32() / 4294967296);
    const bins = new Float64Array(20);
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = a.nextFloat();
      assert.ok(u >= 0 && u < 1);
      bins[Math.floor(u * 20)]++;
    }
    const expected = n / 20;
    let chi2 = 0;
    for (const observed of bins) chi2 += (observed - expected) ** 2 / expected;
    // 19 degrees of freedom: the 0.999 quantile is 43.8.
    assert.ok(chi2 < 43.8, `chi-square ${chi2}`);
  });

  it('the largest state maps below 1', () => {
    const random = new Random(1);
    random.state = xorshift32BigIntInverseOfMax();
    assert.equal(random.nextUint32(), 0xffffffff);
    random.state = xorshift32BigIntInverseOfMax();
    assert.ok(random.nextFloat() < 1);
  });
});

/** The state whose successor is 0xffffffff, found by inverting each xorshift step with BigInt. */
function xorshift32BigIntInverseOfMax(): number {
  const mask = 0xffffffffn;
  // Inverting x ^= x << s (or >> s) repeats the step until the shifted bits run out.
  const undoLeft = (y: bigint, s: bigint) => {
    let x = y;
    for (let i = 0; i < 32; i++) x = y ^ ((x << s) & mask);
    return x;
  };
  const undoRight = (y: bigint, s: bigint) => {
    let x = y;
    for (let i = 0; i < 32; i++) x = y ^ (x >> s);
    return x;
  };
  const state = undoLeft(undoRight(undoLeft(0xffffffffn, 5n), 17n), 13n);
  assert.equal(xorshift32BigInt(state), 0xffffffffn);
  return Number(state);
}

describe('deriveSeed', () => {
  it('is MurmurHash3_x86_32 of the parts as little-endian u32s (published test vectors)', () => {
    // Vectors widely used to check MurmurHash3_x86_32 ports (key bytes, seed -> hash).
    assert.equal(deriveSeed(0x9747b28c, 0x61616161), 0x5a97808a); // "aaaa"
    assert.equal(deriveSeed(0, 0x87654321), 0xf55b516b); // 21 43 65 87
    assert.equal(deriveSeed(0x5082edee, 0x87654321), 0x2362f9de);
    assert.equal(deriveSeed(0, 0), 0x2362f9de); // 00 00 00 00
    assert.equal(deriveSeed(1), 0x514e28b7); // empty key
    assert.equal(deriveSeed(0xffffffff), 0x81f16f39); // seed handled as unsigned
  });

  it('never returns 0, even where the hash itself is 0', () => {
    // MurmurHash3 of the empty key with seed 0 is 0.
    assert.notEqual(deriveSeed(0), 0);
  });

  it('gives distinct seeds across a grid of (seed, epoch, chunk) and depends on order', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 4; seed++) {
      for (let epoch = 0; epoch < 10; epoch++) {
        for (let chunk = 0; chunk < 1000; chunk++) seen.add(deriveSeed(seed, epoch, chunk));
      }
    }
    assert.equal(seen.size, 4 * 10 * 1000);
    assert.notEqual(deriveSeed(1, 2, 3), deriveSeed(1, 3, 2));
    assert.notEqual(deriveSeed(1, 0), deriveSeed(1, 0, 0));
  });

  it('is deterministic and returns u32 values', () => {
    const s = deriveSeed(42, 3, 17);
    assert.equal(deriveSeed(42, 3, 17), s);
    assert.ok(Number.isInteger(s) && s > 0 && s <= 0xffffffff);
  });
});
