import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv, numericColumn } from '../../src/io/csv';
import { createLassoKernel, lassoKernelWasmBytes, setLassoKernelKind, type LassoKernel } from '../../stats/lasso-kernel';
import { cvGlmnetBinomial, glmnetBinomial } from '../../stats/lasso';
import { Random } from '../../src/random';

// Plain JavaScript references on ordinary arrays, written as the kernel documents its sums: in
// blocks of B elements (8 for inner products, 4 for IRLS weights), element i goes to partial sum
// i mod B; the even and the odd partial sums are each combined as a pairwise tree, the tail after
// the last block is added to the even one, and the result is even + odd.
function blockSum(terms: number[], B: number): number {
  const s = new Array<number>(B).fill(0);
  const nb = terms.length - (terms.length % B);
  for (let i = 0; i < nb; i++) s[i % B] += terms[i]!;
  const tree = (xs: number[]): number => (xs.length === 1 ? xs[0]! : tree(xs.slice(0, xs.length / 2)) + tree(xs.slice(xs.length / 2)));
  let even = tree(s.filter((_, k) => k % 2 === 0));
  const odd = tree(s.filter((_, k) => k % 2 === 1));
  for (let i = nb; i < terms.length; i++) even += terms[i]!;
  return even + odd;
}
function refDot(a: number[], c: number[]): number {
  return blockSum(a.map((ai, i) => ai * c[i]!), 8);
}
function refSubScaledDot(r: number[], d: number, v: number[], u: number[], c: number[]): number {
  for (let i = 0; i < r.length; i++) r[i] = r[i]! - d * (v[i]! * u[i]!);
  return refDot(r, c);
}
function refWeightColumn(v: number[], c: number[]): number {
  return blockSum(v.map((vi, i) => vi * c[i]! * c[i]!), 4);
}

function kernels(bytes: number): LassoKernel[] {
  const prev = setLassoKernelKind('wasm');
  try {
    const w = createLassoKernel(bytes);
    setLassoKernelKind('js');
    return [w, createLassoKernel(bytes)];
  } finally {
    setLassoKernelKind(prev);
  }
}

describe('lasso kernel (WebAssembly SIMD and JavaScript)', () => {
  test('the module validates and Node uses it by default', () => {
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(api.validate(lassoKernelWasmBytes())).toBe(true);
    expect(createLassoKernel(1024).kind).toBe('wasm');
  });

  // Lengths around the 8- and 4-element blocks, and odd element offsets (unaligned v128 loads).
  test.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 306, 307])('n = %i: every operation equals the plain reference exactly', (n) => {
    const rnd = new Random(1000 + n);
    const vec = (): number[] => Array.from({ length: n }, () => rnd.normal() * 10 ** (rnd.int(7) - 3));
    const [a, c, u, v, q, c2, c3, c4] = [vec(), vec(), vec(), vec(), vec(), vec(), vec(), vec()];
    const d = rnd.normal();
    // layout in doubles, starting at odd offsets
    const off = (k: number): number => 1 + k * (n + 3);
    const bytes = (off(10) + 8) * 8;
    for (const k of kernels(bytes)) {
      const put = (slot: number, xs: number[]): number => {
        k.heap.set(xs, off(slot));
        return off(slot) * 8;
      };
      const read = (slot: number): number[] => Array.from(k.heap.subarray(off(slot), off(slot) + n));
      const [A, C, U, Vv, Qq, C2, C3, C4] = [a, c, u, v, q, c2, c3, c4].map((xs, i) => put(i, xs)) as [number, number, number, number, number, number, number, number];
      expect(Object.is(k.dot(A, C, n), refDot(a, c))).toBe(true);
      const r = [...a];
      expect(Object.is(k.subScaledDot(A, d, Vv, U, C, n), refSubScaledDot(r, d, v, u, c))).toBe(true);
      expect(read(0)).toEqual(r);
      // with a column of ones, the update is exactly r - d * v
      const ONES = put(8, new Array<number>(n).fill(1));
      const r2 = r.map((ri, i) => ri - d * v[i]!);
      expect(Object.is(k.subScaledDot(A, d, Vv, ONES, C, n), refDot(r2, c))).toBe(true);
      expect(read(0)).toEqual(r2);
      expect(Object.is(k.weightColumn(Vv, C, n), refWeightColumn(v, c))).toBe(true);
      // dots over an index list of columns of a matrix whose columns are slots 1..4 (n + 3 apart)
      const IDX = off(9) * 8;
      const order = [3, 1, 0, 2, 1];
      k.heapI32.set(order, IDX / 4);
      const OUT = IDX + 8 * 4;
      k.dots(A, C, (n + 3) * 8, IDX, order.length, OUT, n);
      const cols = [c, u, v, q];
      expect(Array.from(k.heap.subarray(OUT / 8, OUT / 8 + order.length))).toEqual(order.map((j) => refDot(r2, cols[j]!)));
      // linear predictor columns (element-wise, left to right)
      k.addColumns4(Qq, 0.5, C2, -1.25, C3, d, C4, 3, U, n);
      k.addScaled(Qq, -d, C, n);
      const qq = q.map((qi, i) => qi + 0.5 * c2[i]! + -1.25 * c3[i]! + d * c4[i]! + 3 * u[i]! + -d * c[i]!);
      expect(read(4)).toEqual(qq);
      // the sums are inner products (a sanity check of the reference itself)
      let naive = 0;
      let scale = 0;
      for (let i = 0; i < n; i++) {
        naive += a[i]! * c[i]!;
        scale += Math.abs(a[i]! * c[i]!);
      }
      expect(Math.abs(refDot(a, c) - naive)).toBeLessThanOrEqual(1e-13 * scale);
    }
  });

  test('glmnet and cv.glmnet give identical doubles with either kernel', () => {
    const t = readCsv(path.join(__dirname, '..', '..', 'fixtures', 'lasso_wide.csv'));
    const names = t.names.filter((c) => c !== 'y' && !c.startsWith('foldid'));
    const cols = names.map((c) => numericColumn(t, c));
    const rows = Array.from({ length: t.nrows }, (_, i) => cols.map((c) => c[i]!));
    const y = numericColumn(t, 'y');
    const foldid = numericColumn(t, 'foldid');
    const run = (kind: 'wasm' | 'js'): { fit: ReturnType<typeof glmnetBinomial>; cvm: Float64Array } => {
      const prev = setLassoKernelKind(kind);
      try {
        return { fit: glmnetBinomial(rows, y, names, { alpha: 0.5 }), cvm: cvGlmnetBinomial(rows, y, names, { foldid }).cvm };
      } finally {
        setLassoKernelKind(prev);
      }
    };
    const w = run('wasm');
    const j = run('js');
    expect(w.fit.npasses).toBe(j.fit.npasses);
    expect(Array.from(w.fit.lambda)).toEqual(Array.from(j.fit.lambda));
    expect(Array.from(w.fit.a0)).toEqual(Array.from(j.fit.a0));
    expect(w.fit.beta.map((b) => Array.from(b))).toEqual(j.fit.beta.map((b) => Array.from(b)));
    expect(Array.from(w.cvm)).toEqual(Array.from(j.cvm));
  });
});
