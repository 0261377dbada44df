/**
 * The inner loops of radnomo's glmnet port (stats/lasso.ts): inner products, the fused
 * working-residual update of glmnet's coordinate step (`r = r - d*v*x(:,k)` followed by the next
 * `dot_product(r, x(:,k'))` in lognet2n), the IRLS column weights `xv(j) = dot_product(v, x(:,j)**2)`
 * and the strong-rule/KKT gradients `ga(k) = abs(dot_product(r, x(:,k)))`.
 *
 * Two implementations with bit-identical results: a small hand-written WebAssembly module using
 * 128-bit SIMD (f64x2), and plain JavaScript. Both sum with the same partial sums and neither fuses
 * multiply-add, so every result is the same double. Inner products: in blocks of 8 elements,
 * element i goes to partial sum s(i mod 8) (four f64x2 accumulators, so that additions do not wait
 * on each other); then even = (s0 + s2) + (s4 + s6) and odd = (s1 + s3) + (s5 + s7), the elements
 * after the last block are added to even one by one, and the result is even + odd. IRLS weights
 * likewise with blocks of 4: even = s0 + s2, odd = s1 + s3. (glmnet's own sums, Fortran loops or
 * Eigen's SIMD reductions, have yet another order; the results agree to rounding.)
 * All arrays live in one Float64 heap (a WebAssembly.Memory for the SIMD kernel) and are passed as
 * byte offsets into it.
 */

/** The kernel operations; pointers are byte offsets into `heap` (multiples of 8), n is a length. */
export interface LassoKernel {
  /** Heap of doubles holding every array the kernel works on. */
  readonly heap: Float64Array;
  /** Int32 view of the same heap (for index lists). */
  readonly heapI32: Int32Array;
  /** 'wasm' (SIMD) or 'js'. */
  readonly kind: 'wasm' | 'js';
  /** sum_i a[i] * c[i] */
  dot(a: number, c: number, n: number): number;
  /**
   * r[i] -= d * (v[i] * u[i]) for all i (glmnet's r = r - d*v*x(:,k); u = a column of ones gives
   * r - d*v exactly), then sum_i r[i] * c[i] over the updated r.
   */
  subScaledDot(r: number, d: number, v: number, u: number, c: number, n: number): number;
  /** sum_i (v[i] * c[i]) * c[i]: the IRLS weight of column c. */
  weightColumn(v: number, c: number, n: number): number;
  /**
   * out[t] = dot(r, x + idx[t] * colBytes) for t < cnt: the inner products of r with the columns
   * listed (Int32) at byte offset idx of a column-major matrix at x (columns colBytes apart).
   */
  dots(r: number, x: number, colBytes: number, idx: number, cnt: number, out: number, n: number): void;
  /** q[i] = (((q[i] + b1 c1[i]) + b2 c2[i]) + b3 c3[i]) + b4 c4[i]: four columns of the linear predictor. */
  addColumns4(q: number, b1: number, c1: number, b2: number, c2: number, b3: number, c3: number, b4: number, c4: number, n: number): void;
  /** q[i] += b c[i] */
  addScaled(q: number, b: number, c: number, n: number): void;
}

// ---------------------------------------------------------------------------------------------
// WebAssembly module, emitted as bytes. The functions, in WAT (pointers are byte offsets):
//
// (func $dot (param $a i32) (param $c i32) (param $n i32) (result f64)
//   ;; acc0 holds partial sums (s0, s1), acc1 (s2, s3), acc2 (s4, s5), acc3 (s6, s7)
//   loop while i < (n & -8) * 8:           ;; 8 elements (64 bytes) per iteration
//     acc_k += v128.load offset=16k (a + i) * v128.load offset=16k (c + i)  for k = 0..3; i += 64
//   t = (acc0 + acc1) + (acc2 + acc3); s0 = t[0]
//   loop while i < n * 8: s0 += f64.load(a + i) * f64.load(c + i); i += 8
//   return s0 + t[1])
// (func $subScaledDot (param $r i32) (param $d f64) (param $v i32) (param $u i32) (param $c i32) (param $n i32) (result f64)
//   the same with t_k = v128.load(r + i + 16k) - splat(d) * (v128.load(v + i + 16k) * v128.load(u + i + 16k));
//   v128.store(r + i + 16k, t_k); acc_k += t_k * v128.load(c + i + 16k); scalar tail likewise)
// (func $weightColumn (param $v i32) (param $c i32) (param $n i32) (result f64)
//   4 elements per iteration: t_k = v * c; acc_k += t_k * c (k = 0, 1);
//   t = acc0 + acc1; tail into t[0]; return t[0] + t[1])
// (func $dots (param $r $x $colBytes $idx $cnt $out $n i32)
//   for t < cnt: f64.store(out + 8t, call $dot(r, x + i32.load(idx + 4t) * colBytes, n)))
// (func $addColumns4 (param $q i32) (param $b1 f64) (param $c1 i32) ... (param $b4 f64) (param $c4 i32) (param $n i32)
//   2 elements per iteration: v128.store(q + i, (((q + b1*c1) + b2*c2) + b3*c3) + b4*c4); then a scalar tail)
// (func $addScaled (param $q i32) (param $b f64) (param $c i32) (param $n i32)  ;; q += b*c likewise)
// The memory is imported as "e" "m".
// ---------------------------------------------------------------------------------------------

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const i32c = (v: number): number[] => [0x41, ...sleb(v)];
const ADD = [0x6a];
const MUL = [0x6c];
const AND = [0x71];
const SHL = [0x74];
const GE_S = [0x4e];
const F64ADD = [0xa0];
const F64SUB = [0xa1];
const F64MUL = [0xa2];
const f64load = (off: number): number[] => [0x2b, 3, ...uleb(off)];
const f64store = (off: number): number[] => [0x39, 3, ...uleb(off)];
const i32load = (off: number): number[] => [0x28, 2, ...uleb(off)];
const vload = (off: number): number[] => [0xfd, 0x00, 3, ...uleb(off)];
const vstore = (off: number): number[] => [0xfd, 0x0b, 3, ...uleb(off)];
const SPLAT = [0xfd, 0x14];
const lane = (l: number): number[] => [0xfd, 0x21, l];
const VADD = [0xfd, 0xf0, 0x01];
const VSUB = [0xfd, 0xf1, 0x01];
const VMUL = [0xfd, 0xf2, 0x01];
const CALL = (f: number): number[] => [0x10, f];
/** block { loop { if (i >= lim) break; body; br loop } } */
const whileLt = (i: number, lim: number, body: number[]): number[] => [0x02, 0x40, 0x03, 0x40, ...get(i), ...get(lim), ...GE_S, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
const incr = (i: number, by: number): number[] => [...get(i), ...i32c(by), ...ADD, ...set(i)];
/** p + i (two i32 locals) */
const at = (p: number, i: number): number[] => [...get(p), ...get(i), ...ADD];
/** local lim = (n & mask) << 3 */
const bytesOf = (n: number, mask: number, lim: number): number[] => [...get(n), ...i32c(mask), ...AND, ...i32c(3), ...SHL, ...set(lim)];

function funcBody(locals: Array<[number, number]>, code: number[]): number[] {
  const body = [...uleb(locals.length), ...locals.flatMap(([cnt, t]) => [...uleb(cnt), t]), ...code, 0x0b];
  return [...uleb(body.length), ...body];
}

/**
 * Body of $dot (ssd false) or $subScaledDot (ssd true) with `A` v128 accumulators (2A partial
 * sums, 2A elements per iteration), combined as a pairwise tree of vectors, then the scalar tail
 * added to lane 0, then lane 0 + lane 1.
 */
function dotLikeBody(ssd: boolean, A: number): number[] {
  // $dot: params a=0 c=1 n=2. $subScaledDot: params r=0 d=1 (f64) v=2 u=3 c=4 n=5.
  // locals: i, end, nb (i32); acc[A], dv, t (v128); s0, t0 (f64)
  const np = ssd ? 6 : 3;
  const [a, d, v, u, c, n] = ssd ? [0, 1, 2, 3, 4, 5] : [0, -1, -1, -1, 1, 2];
  const [i, end, nb] = [np, np + 1, np + 2];
  const acc = (k: number): number => np + 3 + k;
  const [dv, t] = [np + 3 + A, np + 4 + A];
  const [s0, t0] = [np + 5 + A, np + 6 + A];
  const loop: number[] = [];
  for (let k = 0; k < A; k++) {
    if (ssd) {
      loop.push(...at(a, i), ...vload(16 * k), ...get(dv), ...at(v, i), ...vload(16 * k), ...at(u, i), ...vload(16 * k), ...VMUL, ...VMUL, ...VSUB, ...set(t));
      loop.push(...at(a, i), ...get(t), ...vstore(16 * k));
      loop.push(...get(acc(k)), ...get(t), ...at(c, i), ...vload(16 * k), ...VMUL, ...VADD, ...set(acc(k)));
    } else {
      loop.push(...get(acc(k)), ...at(a, i), ...vload(16 * k), ...at(c, i), ...vload(16 * k), ...VMUL, ...VADD, ...set(acc(k)));
    }
  }
  loop.push(...incr(i, 16 * A));
  // pairwise tree of the accumulators: A = 4 gives (acc0 + acc1) + (acc2 + acc3)
  const tree = (lo: number, hi: number): number[] => {
    if (hi - lo === 1) return get(acc(lo));
    const mid = (lo + hi) >> 1;
    return [...tree(lo, mid), ...tree(mid, hi), ...VADD];
  };
  const tail: number[] = ssd
    ? [
        ...at(a, i), ...f64load(0), ...get(d), ...at(v, i), ...f64load(0), ...at(u, i), ...f64load(0), ...F64MUL, ...F64MUL, ...F64SUB, ...set(t0),
        ...at(a, i), ...get(t0), ...f64store(0),
        ...get(s0), ...get(t0), ...at(c, i), ...f64load(0), ...F64MUL, ...F64ADD, ...set(s0),
        ...incr(i, 8),
      ]
    : [...get(s0), ...at(a, i), ...f64load(0), ...at(c, i), ...f64load(0), ...F64MUL, ...F64ADD, ...set(s0), ...incr(i, 8)];
  return funcBody(
    [
      [3, I32],
      [A + 2, V128],
      [2, F64],
    ],
    [
      ...bytesOf(n, -2 * A, end),
      ...bytesOf(n, -1, nb),
      ...(ssd ? [...get(d), ...SPLAT, ...set(dv)] : []),
      ...whileLt(i, end, loop),
      ...tree(0, A), ...set(t),
      ...get(t), ...lane(0), ...set(s0),
      ...whileLt(i, nb, tail),
      ...get(s0), ...get(t), ...lane(1), ...F64ADD,
    ],
  );
}

function weightColumnBody(): number[] {
  // params v=0 c=1 n=2; locals i=3 end=4 nb=5 (i32), acc0=6 acc1=7 t=8 (v128), s0=9 t0=10 (f64)
  const [v, c, n, i, end, nb, acc0, acc1, t, s0, t0] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const half = (off: number, acc: number): number[] => [
    ...at(v, i), ...vload(off), ...at(c, i), ...vload(off), ...VMUL, ...set(t),
    ...get(acc), ...get(t), ...at(c, i), ...vload(off), ...VMUL, ...VADD, ...set(acc),
  ];
  return funcBody(
    [
      [3, I32],
      [3, V128],
      [2, F64],
    ],
    [
      ...bytesOf(n, -4, end),
      ...bytesOf(n, -1, nb),
      ...whileLt(i, end, [...half(0, acc0), ...half(16, acc1), ...incr(i, 32)]),
      ...get(acc0), ...get(acc1), ...VADD, ...set(t),
      ...get(t), ...lane(0), ...set(s0),
      ...whileLt(i, nb, [
        ...at(v, i), ...f64load(0), ...at(c, i), ...f64load(0), ...F64MUL, ...set(t0),
        ...get(s0), ...get(t0), ...at(c, i), ...f64load(0), ...F64MUL, ...F64ADD, ...set(s0),
        ...incr(i, 8),
      ]),
      ...get(s0), ...get(t), ...lane(1), ...F64ADD,
    ],
  );
}

function dotsBody(): number[] {
  // params r=0 x=1 colBytes=2 idx=3 cnt=4 out=5 n=6; local t=7 (i32)
  const [r, x, colBytes, idx, cnt, out, n, t] = [0, 1, 2, 3, 4, 5, 6, 7];
  return funcBody(
    [[1, I32]],
    [
      ...whileLt(t, cnt, [
        ...get(out), ...get(t), ...i32c(3), ...SHL, ...ADD,
        ...get(r),
        ...get(x), ...get(idx), ...get(t), ...i32c(2), ...SHL, ...ADD, ...i32load(0), ...get(colBytes), ...MUL, ...ADD,
        ...get(n),
        ...CALL(0),
        ...f64store(0),
        ...incr(t, 1),
      ]),
    ],
  );
}

function addColumnsBody(cols: number): number[] {
  // params q=0, then (b f64, c i32) per column, then n; locals i, end, nb (i32), bv per column (v128)
  const n = 1 + 2 * cols;
  const [i, end, nb] = [n + 1, n + 2, n + 3];
  const bv = (k: number): number => n + 4 + k;
  const q = 0;
  const vec: number[] = [...at(q, i), ...vload(0)];
  const sca: number[] = [...at(q, i), ...f64load(0)];
  for (let k = 0; k < cols; k++) {
    vec.push(...get(bv(k)), ...at(2 + 2 * k, i), ...vload(0), ...VMUL, ...VADD);
    sca.push(...get(1 + 2 * k), ...at(2 + 2 * k, i), ...f64load(0), ...F64MUL, ...F64ADD);
  }
  const splats: number[] = [];
  for (let k = 0; k < cols; k++) splats.push(...get(1 + 2 * k), ...SPLAT, ...set(bv(k)));
  // The stored address is computed before the value: q + i, value, store.
  return funcBody(
    [
      [3, I32],
      [cols, V128],
    ],
    [
      ...bytesOf(n, -2, end),
      ...bytesOf(n, -1, nb),
      ...splats,
      ...whileLt(i, end, [...at(q, i), ...vec, ...vstore(0), ...incr(i, 16)]),
      ...whileLt(i, nb, [...at(q, i), ...sca, ...f64store(0), ...incr(i, 8)]),
    ],
  );
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function str(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
}

/** The module's bytes (see the WAT above). */
export function lassoKernelWasmBytes(): Uint8Array {
  const types = [
    [0x60, 3, I32, I32, I32, 1, F64], // dot
    [0x60, 6, I32, F64, I32, I32, I32, I32, 1, F64], // subScaledDot
    [0x60, 3, I32, I32, I32, 1, F64], // weightColumn
    [0x60, 7, I32, I32, I32, I32, I32, I32, I32, 0], // dots
    [0x60, 10, I32, F64, I32, F64, I32, F64, I32, F64, I32, I32, 0], // addColumns4
    [0x60, 4, I32, F64, I32, I32, 0], // addScaled
  ];
  const exportsList: Array<[string, number]> = [
    ['dot', 0],
    ['subScaledDot', 1],
    ['weightColumn', 2],
    ['dots', 3],
    ['addColumns4', 4],
    ['addScaled', 5],
  ];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(types.length), ...types.flat()]),
    ...section(2, [1, ...str('e'), ...str('m'), 0x02, 0x00, 1]), // import memory e.m, min 1 page
    ...section(3, [6, 0, 1, 2, 3, 4, 5]),
    ...section(7, [...uleb(exportsList.length), ...exportsList.flatMap(([name, f]) => [...str(name), 0x00, f])]),
    ...section(10, [6, ...dotLikeBody(false, 4), ...dotLikeBody(true, 4), ...weightColumnBody(), ...dotsBody(), ...addColumnsBody(4), ...addColumnsBody(1)]),
  ];
  return Uint8Array.from(bytes);
}

// Minimal typing of the WebAssembly JS API (the project's lib settings do not declare it).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
interface WasmExports {
  dot(a: number, c: number, n: number): number;
  subScaledDot(r: number, d: number, v: number, u: number, c: number, n: number): number;
  weightColumn(v: number, c: number, n: number): number;
  dots(r: number, x: number, colBytes: number, idx: number, cnt: number, out: number, n: number): void;
  addColumns4(q: number, b1: number, c1: number, b2: number, c2: number, b3: number, c3: number, b4: number, c4: number, n: number): void;
  addScaled(q: number, b: number, c: number, n: number): void;
}

let wasmModule: object | null | undefined;

/** The compiled module, or null where WebAssembly (with SIMD) is unavailable. */
function compiledModule(): object | null {
  if (wasmModule !== undefined) return wasmModule;
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    wasmModule = api ? new api.Module(lassoKernelWasmBytes()) : null;
  } catch {
    wasmModule = null;
  }
  return wasmModule;
}

class WasmKernel implements LassoKernel {
  readonly kind = 'wasm' as const;
  readonly heap: Float64Array;
  readonly heapI32: Int32Array;
  readonly dot: (a: number, c: number, n: number) => number;
  readonly subScaledDot: (r: number, d: number, v: number, u: number, c: number, n: number) => number;
  readonly weightColumn: (v: number, c: number, n: number) => number;
  readonly dots: (r: number, x: number, colBytes: number, idx: number, cnt: number, out: number, n: number) => void;
  readonly addColumns4: (q: number, b1: number, c1: number, b2: number, c2: number, b3: number, c3: number, b4: number, c4: number, n: number) => void;
  readonly addScaled: (q: number, b: number, c: number, n: number) => void;

  constructor(module: object, bytes: number) {
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const memory = new api.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const ex = new api.Instance(module, { e: { m: memory } }).exports as unknown as WasmExports;
    this.heap = new Float64Array(memory.buffer);
    this.heapI32 = new Int32Array(memory.buffer);
    this.dot = ex.dot;
    this.subScaledDot = ex.subScaledDot;
    this.weightColumn = ex.weightColumn;
    this.dots = ex.dots;
    this.addColumns4 = ex.addColumns4;
    this.addScaled = ex.addScaled;
  }
}

/** The same operations in JavaScript, with the same partial sums (bit-identical results). */
class JsKernel implements LassoKernel {
  readonly kind = 'js' as const;
  readonly heap: Float64Array;
  readonly heapI32: Int32Array;

  constructor(bytes: number) {
    const buf = new ArrayBuffer(Math.max(8, Math.ceil(bytes / 8) * 8));
    this.heap = new Float64Array(buf);
    this.heapI32 = new Int32Array(buf);
  }

  dot(a: number, c: number, n: number): number {
    const h = this.heap;
    const ai = a / 8;
    const ci = c / 8;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    let i = 0;
    for (; i + 7 < n; i += 8) {
      s0 += h[ai + i]! * h[ci + i]!;
      s1 += h[ai + i + 1]! * h[ci + i + 1]!;
      s2 += h[ai + i + 2]! * h[ci + i + 2]!;
      s3 += h[ai + i + 3]! * h[ci + i + 3]!;
      s4 += h[ai + i + 4]! * h[ci + i + 4]!;
      s5 += h[ai + i + 5]! * h[ci + i + 5]!;
      s6 += h[ai + i + 6]! * h[ci + i + 6]!;
      s7 += h[ai + i + 7]! * h[ci + i + 7]!;
    }
    let l0 = s0 + s2 + (s4 + s6);
    const l1 = s1 + s3 + (s5 + s7);
    for (; i < n; i++) l0 += h[ai + i]! * h[ci + i]!;
    return l0 + l1;
  }

  subScaledDot(r: number, d: number, v: number, u: number, c: number, n: number): number {
    const h = this.heap;
    const ri = r / 8;
    const vi = v / 8;
    const ui = u / 8;
    const ci = c / 8;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    let i = 0;
    for (; i + 7 < n; i += 8) {
      const r0 = h[ri + i]! - d * (h[vi + i]! * h[ui + i]!);
      const r1 = h[ri + i + 1]! - d * (h[vi + i + 1]! * h[ui + i + 1]!);
      const r2 = h[ri + i + 2]! - d * (h[vi + i + 2]! * h[ui + i + 2]!);
      const r3 = h[ri + i + 3]! - d * (h[vi + i + 3]! * h[ui + i + 3]!);
      const r4 = h[ri + i + 4]! - d * (h[vi + i + 4]! * h[ui + i + 4]!);
      const r5 = h[ri + i + 5]! - d * (h[vi + i + 5]! * h[ui + i + 5]!);
      const r6 = h[ri + i + 6]! - d * (h[vi + i + 6]! * h[ui + i + 6]!);
      const r7 = h[ri + i + 7]! - d * (h[vi + i + 7]! * h[ui + i + 7]!);
      h[ri + i] = r0;
      h[ri + i + 1] = r1;
      h[ri + i + 2] = r2;
      h[ri + i + 3] = r3;
      h[ri + i + 4] = r4;
      h[ri + i + 5] = r5;
      h[ri + i + 6] = r6;
      h[ri + i + 7] = r7;
      s0 += r0 * h[ci + i]!;
      s1 += r1 * h[ci + i + 1]!;
      s2 += r2 * h[ci + i + 2]!;
      s3 += r3 * h[ci + i + 3]!;
      s4 += r4 * h[ci + i + 4]!;
      s5 += r5 * h[ci + i + 5]!;
      s6 += r6 * h[ci + i + 6]!;
      s7 += r7 * h[ci + i + 7]!;
    }
    let l0 = s0 + s2 + (s4 + s6);
    const l1 = s1 + s3 + (s5 + s7);
    for (; i < n; i++) {
      const r0 = h[ri + i]! - d * (h[vi + i]! * h[ui + i]!);
      h[ri + i] = r0;
      l0 += r0 * h[ci + i]!;
    }
    return l0 + l1;
  }

  weightColumn(v: number, c: number, n: number): number {
    const h = this.heap;
    const vi = v / 8;
    const ci = c / 8;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += h[vi + i]! * h[ci + i]! * h[ci + i]!;
      s1 += h[vi + i + 1]! * h[ci + i + 1]! * h[ci + i + 1]!;
      s2 += h[vi + i + 2]! * h[ci + i + 2]! * h[ci + i + 2]!;
      s3 += h[vi + i + 3]! * h[ci + i + 3]! * h[ci + i + 3]!;
    }
    let l0 = s0 + s2;
    const l1 = s1 + s3;
    for (; i < n; i++) l0 += h[vi + i]! * h[ci + i]! * h[ci + i]!;
    return l0 + l1;
  }

  dots(r: number, x: number, colBytes: number, idx: number, cnt: number, out: number, n: number): void {
    const ii = idx / 4;
    const oi = out / 8;
    for (let t = 0; t < cnt; t++) this.heap[oi + t] = this.dot(r, x + this.heapI32[ii + t]! * colBytes, n);
  }

  addColumns4(q: number, b1: number, c1: number, b2: number, c2: number, b3: number, c3: number, b4: number, c4: number, n: number): void {
    const h = this.heap;
    const [qi, i1, i2, i3, i4] = [q / 8, c1 / 8, c2 / 8, c3 / 8, c4 / 8];
    for (let i = 0; i < n; i++) h[qi + i] = h[qi + i]! + b1 * h[i1 + i]! + b2 * h[i2 + i]! + b3 * h[i3 + i]! + b4 * h[i4 + i]!;
  }

  addScaled(q: number, b: number, c: number, n: number): void {
    const h = this.heap;
    const qi = q / 8;
    const ci = c / 8;
    for (let i = 0; i < n; i++) h[qi + i] = h[qi + i]! + b * h[ci + i]!;
  }
}

let forced: 'wasm' | 'js' | null = null;

/**
 * Chooses the implementation for kernels created from now on (tests run both); null restores the
 * default (WebAssembly SIMD where available, else JavaScript). Returns the previous setting.
 */
export function setLassoKernelKind(kind: 'wasm' | 'js' | null): 'wasm' | 'js' | null {
  const prev = forced;
  forced = kind;
  return prev;
}

const WASM_MAX_BYTES = 2 ** 31 - 65536;
/** Heaps up to this size are kept for the next call (cv.glmnet fits 1 + nfolds paths in a row). */
const KEEP_BYTES = 64 * 1024 * 1024;
let kept: LassoKernel | null = null;

/**
 * A kernel whose heap holds at least `bytes` bytes. Its contents are unspecified (a heap of up to
 * 64 MB is reused from the previous call, which saves allocating and first-touching fresh pages
 * for every fold): callers write every region before reading it. Not reentrant, like the
 * synchronous solver that uses it.
 */
export function createLassoKernel(bytes: number): LassoKernel {
  // The module addresses its memory with signed 32-bit offsets: beyond 2 GB, JavaScript.
  const kind = forced ?? (compiledModule() && bytes < WASM_MAX_BYTES ? 'wasm' : 'js');
  if (kept && kept.kind === kind && kept.heap.byteLength >= bytes) return kept;
  let k: LassoKernel;
  if (kind === 'wasm') {
    const m = compiledModule();
    if (!m || bytes >= WASM_MAX_BYTES) throw new Error('lasso kernel: WebAssembly SIMD is not available here (or the data exceed 2 GB).');
    k = new WasmKernel(m, bytes);
  } else k = new JsKernel(bytes);
  kept = bytes <= KEEP_BYTES ? k : null;
  return k;
}
