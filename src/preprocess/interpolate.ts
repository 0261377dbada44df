/**
 * Image interpolation with ITK's semantics, as SimpleITK's ResampleImageFilter uses it
 * (ITK 5 NearestNeighborInterpolateImageFunction, LinearInterpolateImageFunction,
 * BSplineInterpolateImageFunction with BSplineDecompositionImageFilter, spline order 3).
 *
 * All functions work on continuous indices (voxel units, voxel centres at integers) of a volume
 * whose data are stored x fastest. The arithmetic follows ITK's operation order so that results
 * agree with ITK to the last bits (checked against ITK 5.2 in test/src/resample.test.ts).
 */
import type { Vec3 } from '../image';

/** Evaluates a volume at a continuous index (ci0, ci1, ci2). */
export type ContinuousEvaluator = (ci0: number, ci1: number, ci2: number) => number;

/**
 * ITK's ImageFunction::IsInsideBuffer for a continuous index: every coordinate in
 * [start − 0.5, end + 0.5), i.e. [−0.5, size − 0.5) for a buffer starting at index 0
 * (NaN is outside).
 */
export function isInsideBuffer(size: Vec3, ci0: number, ci1: number, ci2: number): boolean {
  return (
    ci0 >= -0.5 && ci0 < size[0] - 0.5 && ci1 >= -0.5 && ci1 < size[1] - 0.5 && ci2 >= -0.5 && ci2 < size[2] - 0.5
  );
}

/**
 * ITK's Math::Round (RoundHalfIntegerUp): the nearest integer, halves rounded towards +∞, computed
 * exactly (no `x + 0.5` rounding error).
 */
export function roundHalfUp(x: number): number {
  const f = Math.floor(x);
  return x - f >= 0.5 ? f + 1 : f;
}

/**
 * ITK's NearestNeighborInterpolateImageFunction: the voxel at the continuous index rounded half
 * up on each axis (ContinuousIndex::CopyWithRound). Call only for indices inside the buffer.
 */
export function nearestNeighbor(data: ArrayLike<number>, size: Vec3): ContinuousEvaluator {
  const [nx, ny] = size;
  return (c0, c1, c2) => data[roundHalfUp(c0) + nx * (roundHalfUp(c1) + ny * roundHalfUp(c2))]!;
}

/**
 * ITK's LinearInterpolateImageFunction (3-D optimised path): base voxel floor(index) clamped to
 * the buffer start; an axis takes part only where its distance is > 0 and the next voxel exists
 * (at the far border the base value is kept), lerps in x, then y, then z as
 * `a + (b − a) · d`. Call only for indices inside the buffer.
 */
export function linear(data: ArrayLike<number>, size: Vec3): ContinuousEvaluator {
  const [nx, ny, nz] = size;
  const sy = nx;
  const sz = nx * ny;
  return (c0, c1, c2) => {
    let b0 = Math.floor(c0);
    if (b0 < 0) b0 = 0;
    let b1 = Math.floor(c1);
    if (b1 < 0) b1 = 0;
    let b2 = Math.floor(c2);
    if (b2 < 0) b2 = 0;
    const d0 = c0 - b0;
    const d1 = c1 - b1;
    const d2 = c2 - b2;
    const ax = d0 > 0 && b0 + 1 <= nx - 1;
    const ay = d1 > 0 && b1 + 1 <= ny - 1;
    const az = d2 > 0 && b2 + 1 <= nz - 1;
    const i000 = b0 + sy * b1 + sz * b2;
    const lx = (i: number): number => {
      const v = data[i]!;
      return ax ? v + (data[i + 1]! - v) * d0 : v;
    };
    const lxy = (i: number): number => {
      const v = lx(i);
      return ay ? v + (lx(i + sy) - v) * d1 : v;
    };
    const v0 = lxy(i000);
    return az ? v0 + (lxy(i000 + sz) - v0) * d2 : v0;
  };
}

/** The pole of the cubic B-spline prefilter, √3 − 2 (BSplineDecompositionImageFilter::SetPoles). */
export const BSPLINE3_POLE = Math.sqrt(3) - 2;

/**
 * ITK's BSplineDecompositionImageFilter (spline order 3, tolerance 1e-10): the cubic B-spline
 * coefficients of a volume, by the recursive causal / anti-causal prefilter with mirror boundary
 * conditions, along x, then y, then z. Lines of length 1 are left as they are.
 */
export function bsplineCoefficients(data: ArrayLike<number>, size: Vec3): Float64Array {
  const coef = Float64Array.from(data as ArrayLike<number>);
  const [nx, ny, nz] = size;
  const tmp = new Float64Array(nx);
  // Lines along x one at a time; lines along y and z are processed a whole x-row at a time (each
  // lane is one line, with exactly the operations of the line-by-line filter), which keeps memory
  // access contiguous.
  if (nx > 1) for (let r = 0; r < ny * nz; r++) prefilterLanes(coef, r * nx, 1, nx, 1, tmp);
  if (ny > 1) for (let k = 0; k < nz; k++) prefilterLanes(coef, k * nx * ny, nx, ny, nx, tmp);
  if (nz > 1) for (let j = 0; j < ny; j++) prefilterLanes(coef, j * nx, nx * ny, nz, nx, tmp);
  return coef;
}

const BSPLINE3_C0 = 1.0 * (1.0 - BSPLINE3_POLE) * (1.0 - 1.0 / BSPLINE3_POLE);
const BSPLINE3_HORIZON = Math.ceil(Math.log(1e-10) / Math.log(Math.abs(BSPLINE3_POLE)));

/**
 * BSplineDecompositionImageFilter::DataToCoefficients1D (one pole, order 3) on `width` parallel
 * lines: element n of lane x is c[base + n·step + x].
 */
function prefilterLanes(c: Float64Array, base: number, step: number, len: number, width: number, sum: Float64Array): void {
  const z = BSPLINE3_POLE;
  const c0 = BSPLINE3_C0;
  const end = base + (len - 1) * step;
  // ITK first multiplies the whole line by c0; here each value is multiplied where it is first
  // read (the same products, one pass fewer).
  // SetInitialCausalCoefficient
  if (BSPLINE3_HORIZON < len) {
    for (let x = 0; x < width; x++) sum[x] = c[base + x]! * c0;
    let zn = z;
    for (let n = 1; n < BSPLINE3_HORIZON; n++) {
      const o = base + n * step;
      for (let x = 0; x < width; x++) sum[x] = sum[x]! + zn * (c[o + x]! * c0);
      zn *= z;
    }
    for (let x = 0; x < width; x++) c[base + x] = sum[x]!;
  } else {
    let zn = z;
    const iz = 1.0 / z;
    let z2n = Math.pow(z, len - 1);
    for (let x = 0; x < width; x++) sum[x] = c[base + x]! * c0 + z2n * (c[end + x]! * c0);
    z2n *= z2n * iz;
    for (let n = 1; n <= len - 2; n++) {
      const o = base + n * step;
      const f = zn + z2n;
      for (let x = 0; x < width; x++) sum[x] = sum[x]! + f * (c[o + x]! * c0);
      zn *= z;
      z2n *= iz;
    }
    const d = 1.0 - zn * zn;
    for (let x = 0; x < width; x++) c[base + x] = sum[x]! / d;
  }
  // causal recursion (on the c0-scaled values)
  for (let n = 1; n < len; n++) {
    const o = base + n * step;
    const p = o - step;
    for (let x = 0; x < width; x++) c[o + x] = c[o + x]! * c0 + z * c[p + x]!;
  }
  // SetInitialAntiCausalCoefficient, then the anti-causal recursion
  const k = z / (z * z - 1.0);
  for (let x = 0; x < width; x++) c[end + x] = k * (z * c[end - step + x]! + c[end + x]!);
  for (let n = len - 2; n >= 0; n--) {
    const o = base + n * step;
    const q = o + step;
    for (let x = 0; x < width; x++) c[o + x] = z * (c[q + x]! - c[o + x]!);
  }
}

/**
 * ITK's BSplineInterpolateImageFunction of order 3 over precomputed coefficients
 * (`bsplineCoefficients`): support floor(float(x)) − 1 … + 2 on each axis (ITK rounds the index to
 * single precision to find the support), cubic B-spline weights as ITK computes them, mirror
 * boundary conditions (i < 0 → −i; i ≥ n − 1 → 2(n − 1) − i; an axis of length 1 uses index 0),
 * and the 64-term sum with x fastest. Call only for indices inside the buffer.
 */
export function bspline3(coef: Float64Array, size: Vec3): ContinuousEvaluator {
  const [nx, ny] = size;
  const idx = new Int32Array(12);
  const wts = new Float64Array(12);
  const sixth = 1.0 / 6.0;
  return (c0, c1, c2) => {
    const ci = [c0, c1, c2];
    for (let n = 0; n < 3; n++) {
      const x = ci[n]!;
      const first = Math.floor(Math.fround(x)) - 1;
      const w = x - (first + 1);
      const w3 = sixth * w * w * w;
      const w0 = sixth + 0.5 * w * (w - 1.0) - w3;
      const w2 = w + w0 - 2.0 * w3;
      const w1 = 1.0 - w0 - w2 - w3;
      wts[4 * n] = w0;
      wts[4 * n + 1] = w1;
      wts[4 * n + 2] = w2;
      wts[4 * n + 3] = w3;
      const len = size[n]!;
      const end = len - 1;
      for (let k = 0; k < 4; k++) {
        let i = first + k;
        if (len === 1) {
          i = 0;
        } else {
          if (i < 0) i = -i;
          if (i >= end) i = end - (i - end);
        }
        idx[4 * n + k] = i;
      }
    }
    let value = 0.0;
    for (let kz = 0; kz < 4; kz++) {
      const wz = wts[8 + kz]!;
      const oz = nx * ny * idx[8 + kz]!;
      for (let ky = 0; ky < 4; ky++) {
        const wy = wts[4 + ky]!;
        const oy = oz + nx * idx[4 + ky]!;
        for (let kx = 0; kx < 4; kx++) {
          value += wts[kx]! * wy * wz * coef[oy + idx[kx]!]!;
        }
      }
    }
    return value;
  };
}
