// The lane helpers every loss uses: dot products, fused pair updates, vector sums, and the
// few transcendental functions the losses need. AssemblyScript's Math carries lookup tables
// as data segments, which this kernel must not have, so exp and log are written out here.
import { EXP_SCALE, MAX_EXP } from './layout';
import { lossTable, sigmoidTable } from './state';

// @ts-ignore: decorator
@inline function sum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** a · b over n lanes. */
// @ts-ignore: decorator
@inline export function dot(a: usize, b: usize, n: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 4;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + o + 16), v128.load(b + o + 16)));
  }
  if (i < n) {
    const o = <usize>i << 4;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  return sum4(f32x4.add(acc0, acc1));
}

/**
 * input · row for four consecutive rows `rowStep` bytes apart at once, stored as four floats at
 * `into`: each lane of the input is loaded once for four rows.
 */
// @ts-ignore: decorator
@inline export function dot4(input: usize, row0: usize, rowStep: usize, n: i32, into: usize): void {
  const row1 = row0 + rowStep;
  const row2 = row1 + rowStep;
  const row3 = row2 + rowStep;
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    const x = v128.load(input + o);
    a0 = f32x4.add(a0, f32x4.mul(x, v128.load(row0 + o)));
    a1 = f32x4.add(a1, f32x4.mul(x, v128.load(row1 + o)));
    a2 = f32x4.add(a2, f32x4.mul(x, v128.load(row2 + o)));
    a3 = f32x4.add(a3, f32x4.mul(x, v128.load(row3 + o)));
  }
  // Transpose-and-add: four horizontal sums in three shuffles' worth of work.
  const s01 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), v128.shuffle<f32>(a0, a1, 2, 6, 3, 7));
  const s23 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), v128.shuffle<f32>(a2, a3, 2, 6, 3, 7));
  v128.store(into, f32x4.add(v128.shuffle<f32>(s01, s23, 0, 1, 4, 5), v128.shuffle<f32>(s01, s23, 2, 3, 6, 7)));
}

/** error += g * output; output += g * input — the two axpys of one pair, fused into one pass. */
// @ts-ignore: decorator
@inline export function updatePair(input: usize, output: usize, error: usize, g: f32, n: i32): void {
  const gv = f32x4.splat(g);
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    const out = v128.load(output + o);
    v128.store(error + o, f32x4.add(v128.load(error + o), f32x4.mul(gv, out)));
    v128.store(output + o, f32x4.add(out, f32x4.mul(gv, v128.load(input + o))));
  }
}

/**
 * updatePair for four consecutive rows `rowStep` bytes apart, each with its own g: the input and
 * error lanes are loaded once.
 */
// @ts-ignore: decorator
@inline export function updatePair4(input: usize, row0: usize, rowStep: usize, error: usize, g: v128, n: i32): void {
  const row1 = row0 + rowStep;
  const row2 = row1 + rowStep;
  const row3 = row2 + rowStep;
  const g0 = f32x4.splat(f32x4.extract_lane(g, 0));
  const g1 = f32x4.splat(f32x4.extract_lane(g, 1));
  const g2 = f32x4.splat(f32x4.extract_lane(g, 2));
  const g3 = f32x4.splat(f32x4.extract_lane(g, 3));
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    const x = v128.load(input + o);
    let e = v128.load(error + o);
    const o0 = v128.load(row0 + o);
    const o1 = v128.load(row1 + o);
    const o2 = v128.load(row2 + o);
    const o3 = v128.load(row3 + o);
    e = f32x4.add(e, f32x4.mul(g0, o0));
    e = f32x4.add(e, f32x4.mul(g1, o1));
    e = f32x4.add(e, f32x4.mul(g2, o2));
    e = f32x4.add(e, f32x4.mul(g3, o3));
    v128.store(row0 + o, f32x4.add(o0, f32x4.mul(g0, x)));
    v128.store(row1 + o, f32x4.add(o1, f32x4.mul(g1, x)));
    v128.store(row2 + o, f32x4.add(o2, f32x4.mul(g2, x)));
    v128.store(row3 + o, f32x4.add(o3, f32x4.mul(g3, x)));
    v128.store(error + o, e);
  }
}

/**
 * updatePair, then input · next, in one pass; `next` is read after `output` is written. The
 * score is what the caller waits on before its next step, so it is summed in two accumulators:
 * one would make the pass a chain of `n` dependent adds.
 */
// @ts-ignore: decorator
@inline export function updatePairThenDot(input: usize, output: usize, error: usize, g: f32, next: usize, n: i32): f32 {
  const gv = f32x4.splat(g);
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 4;
    const x0 = v128.load(input + o);
    const x1 = v128.load(input + o + 16);
    const out0 = v128.load(output + o);
    const out1 = v128.load(output + o + 16);
    v128.store(error + o, f32x4.add(v128.load(error + o), f32x4.mul(gv, out0)));
    v128.store(error + o + 16, f32x4.add(v128.load(error + o + 16), f32x4.mul(gv, out1)));
    v128.store(output + o, f32x4.add(out0, f32x4.mul(gv, x0)));
    v128.store(output + o + 16, f32x4.add(out1, f32x4.mul(gv, x1)));
    acc0 = f32x4.add(acc0, f32x4.mul(x0, v128.load(next + o)));
    acc1 = f32x4.add(acc1, f32x4.mul(x1, v128.load(next + o + 16)));
  }
  if (i < n) {
    const o = <usize>i << 4;
    const x = v128.load(input + o);
    const out = v128.load(output + o);
    v128.store(error + o, f32x4.add(v128.load(error + o), f32x4.mul(gv, out)));
    v128.store(output + o, f32x4.add(out, f32x4.mul(gv, x)));
    acc0 = f32x4.add(acc0, f32x4.mul(x, v128.load(next + o)));
  }
  return sum4(f32x4.add(acc0, acc1));
}

// @ts-ignore: decorator
@inline export function addTo(target: usize, source: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(target + o, f32x4.add(v128.load(target + o), v128.load(source + o)));
  }
}

/**
 * row += step, then sum += row, in one pass: a context row's update for one CBOW centre word
 * and its part of the next centre word's window sum (the windows overlap in most of their rows).
 */
// @ts-ignore: decorator
@inline export function addToThenAccumulate(row: usize, step: usize, sum: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    const updated = f32x4.add(v128.load(row + o), v128.load(step + o));
    v128.store(row + o, updated);
    v128.store(sum + o, f32x4.add(v128.load(sum + o), updated));
  }
}

// @ts-ignore: decorator
@inline export function clear(target: usize, n: i32): void {
  const zero = f32x4.splat(0);
  for (let i: i32 = 0; i < n; i++) v128.store(target + (<usize>i << 4), zero);
}

// @ts-ignore: decorator
@inline export function scale(target: usize, factor: f32, n: i32): void {
  const fv = f32x4.splat(factor);
  for (let i: i32 = 0; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(target + o, f32x4.mul(v128.load(target + o), fv));
  }
}

/** C word2vec's sigmoid table lookup, for |f| < MAX_EXP. */
// @ts-ignore: decorator
@inline export function tableSigmoid(f: f32): f32 {
  return load<f32>(sigmoidTable + (<usize><i32>((f + MAX_EXP) * EXP_SCALE) << 2));
}

/** -log σ(z) from the host-computed table; beyond the table, the linear tail. */
// @ts-ignore: decorator
@inline export function tableLogLoss(z: f32): f32 {
  if (z >= MAX_EXP) return 0;
  if (z <= -MAX_EXP) return -z;
  return load<f32>(lossTable + (<usize><i32>((z + MAX_EXP) * EXP_SCALE) << 2));
}

/**
 * e^x lane-wise, relative error below 2e-7 on [-87, 88] (inputs are clamped there): Cody–Waite
 * reduction x = n·ln2 + r, Cephes' degree-6 polynomial for e^r, 2^n built in the exponent bits.
 */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  const c = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(c, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(c, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline export function exp32(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** σ(x) = 1 / (1 + e^-x), lane-wise. */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), exp4(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline export function sigmoid32(x: f32): f32 {
  return <f32>1 / (<f32>1 + exp32(-x));
}

/** tanh x = 1 - 2 / (e^{2x} + 1), saturating to ±1 where e^{2x} is clamped. */
// @ts-ignore: decorator
@inline export function tanh32(x: f32): f32 {
  return <f32>1 - <f32>2 / (exp32(<f32>2 * x) + <f32>1);
}

const LN2: f64 = 0.6931471805599453;
const SQRT2: f64 = 1.4142135623730951;

/**
 * ln x for finite x > 0 (normal range): x = m·2^e with m in [√½, √2), then
 * ln m = 2·atanh(s), s = (m - 1)/(m + 1), |s| ≤ 0.172, by its series to s^17 (error < 1e-15).
 */
export function log64(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let e = <i32>((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  const tail = s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 * (1.0 / 11 + s2 * (1.0 / 13 + s2 * (1.0 / 15 + s2 / 17)))))));
  return <f64>e * LN2 + 2 * s + 2 * s * tail;
}

/** softplus(x) = ln(1 + e^x) = -ln σ(-x), without overflow. */
export function softplus(x: f32): f64 {
  const t = x > 0 ? -x : x;
  return <f64>(x > 0 ? x : 0) + log64(1 + <f64>exp32(t));
}
