/**
 * Laplacian of Gaussian image type: a port of PyRadiomics `imageoperations.getLoGImage`, which runs
 * SimpleITK's `LaplacianRecursiveGaussianImageFilter` (NormalizeAcrossScale on, sigma in mm).
 *
 * ITK computes it as the sum over the three axes of a second-order recursive Gaussian along that
 * axis followed by zero-order recursive Gaussians along the two others (Deriche's 4th-order IIR,
 * `itk::RecursiveGaussianImageFilter`, causal + anticausal passes with edge-extension initial
 * conditions, `itk::RecursiveSeparableImageFilter::FilterDataArray`). Each pass works in double
 * precision but ITK stores every intermediate image, the running sum and the output as float32
 * (`InternalRealType = float`; SimpleITK's output pixel type is float). This port reproduces those
 * roundings, so its output equals ITK's to the last float bit except where a libm sin/cos/exp
 * differs by one ulp from the platform's (then one float ulp, ~6e-8 relative, at some voxels).
 *
 * Given a region (extraction passes the ROI's bounding box), only the lines each pass's successors
 * read are filtered, each still whole, so values inside the region are bit-identical to the
 * whole-image computation (see `laplacianRegion`).
 */
import { RadnomoError } from '../../errors';
import type { Image, Vec3 } from '../../image';
import { withData } from '../../image';
import { checkRegion, regionImage, type FilterRegion } from './region';

/** Coefficients of one recursive Gaussian pass (ITK's m_N*, m_D*, m_M*, m_BN*, m_BM*). */
export interface RecursiveGaussianCoefficients {
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  d1: number;
  d2: number;
  d3: number;
  d4: number;
  m1: number;
  m2: number;
  m3: number;
  m4: number;
  bn1: number;
  bn2: number;
  bn3: number;
  bn4: number;
  bm1: number;
  bm2: number;
  bm3: number;
  bm4: number;
}

interface NTerms {
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  sn: number;
  dn: number;
  en: number;
}

// Deriche's exponential-series parameters as ITK writes them (order 0, 1, 2 for A and B).
const A1 = [1.353, -0.6724, -1.3563];
const B1 = [1.8151, -3.4327, 5.2318];
const W1 = 0.6681;
const L1 = -1.3932;
const A2 = [-0.3531, 0.6724, 0.3446];
const B2 = [0.0902, 0.61, -2.2355];
const W2 = 2.0787;
const L2 = -1.3732;

/** ITK `RecursiveGaussianImageFilter::ComputeNCoefficients`, same operation order. */
function nCoefficients(sigmad: number, a1: number, b1: number, a2: number, b2: number): NTerms {
  const sin1 = Math.sin(W1 / sigmad);
  const sin2 = Math.sin(W2 / sigmad);
  const cos1 = Math.cos(W1 / sigmad);
  const cos2 = Math.cos(W2 / sigmad);
  const exp1 = Math.exp(L1 / sigmad);
  const exp2 = Math.exp(L2 / sigmad);
  const n0 = a1 + a2;
  let n1 = exp2 * (b2 * sin2 - (a2 + 2 * a1) * cos2);
  n1 += exp1 * (b1 * sin1 - (a1 + 2 * a2) * cos1);
  let n2 = (a1 + a2) * cos2 * cos1;
  n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2;
  n2 *= 2 * exp1 * exp2;
  n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2;
  let n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2);
  n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
  return { n0, n1, n2, n3, sn: n0 + n1 + n2 + n3, dn: n1 + 2 * n2 + 3 * n3, en: n1 + 4 * n2 + 9 * n3 };
}

/**
 * Coefficients of ITK's `RecursiveGaussianImageFilter::SetUp(spacing)` for order 0 (smoothing) or 2
 * (second derivative), sigma in mm. With `normalizeAcrossScale` the second-order kernel is scaled
 * by sigma² (mm); the result is a derivative per voxel², which ITK's Laplacian divides by spacing².
 */
export function recursiveGaussianCoefficients(
  sigma: number,
  spacing: number,
  order: 0 | 2,
  normalizeAcrossScale: boolean,
): RecursiveGaussianCoefficients {
  const sp = Math.abs(spacing);
  if (sp < 1e-8) throw new RadnomoError('E_GEOMETRY', `The spacing ${spacing} is too small for the recursive Gaussian filter.`);
  const sigmad = sigma / sp;
  // ComputeDCoefficients
  const cos1 = Math.cos(W1 / sigmad);
  const cos2 = Math.cos(W2 / sigmad);
  const exp1 = Math.exp(L1 / sigmad);
  const exp2 = Math.exp(L2 / sigmad);
  const d4 = exp1 * exp1 * exp2 * exp2;
  let d3 = -2 * cos1 * exp1 * exp2 * exp2;
  d3 += -2 * cos2 * exp2 * exp1 * exp1;
  let d2 = 4 * cos2 * cos1 * exp1 * exp2;
  d2 += exp1 * exp1 + exp2 * exp2;
  const d1 = -2 * (exp2 * cos2 + exp1 * cos1);
  const sd = 1.0 + d1 + d2 + d3 + d4;
  const dd = d1 + 2 * d2 + 3 * d3 + 4 * d4;
  const ed = d1 + 4 * d2 + 9 * d3 + 16 * d4;

  let n0: number, n1: number, n2: number, n3: number;
  if (order === 0) {
    const t = nCoefficients(sigmad, A1[0]!, B1[0]!, A2[0]!, B2[0]!);
    const alpha0 = (2 * t.sn) / sd - t.n0;
    const f = 1.0 / alpha0;
    n0 = t.n0 * f;
    n1 = t.n1 * f;
    n2 = t.n2 * f;
    n3 = t.n3 * f;
  } else {
    const across = normalizeAcrossScale ? sigma * sigma : 1.0;
    const t0 = nCoefficients(sigmad, A1[0]!, B1[0]!, A2[0]!, B2[0]!);
    const t2 = nCoefficients(sigmad, A1[2]!, B1[2]!, A2[2]!, B2[2]!);
    const beta = -(2 * t2.sn - sd * t2.n0) / (2 * t0.sn - sd * t0.n0);
    n0 = t2.n0 + beta * t0.n0;
    n1 = t2.n1 + beta * t0.n1;
    n2 = t2.n2 + beta * t0.n2;
    n3 = t2.n3 + beta * t0.n3;
    const sn = t2.sn + beta * t0.sn;
    const dn = t2.dn + beta * t0.dn;
    const en = t2.en + beta * t0.en;
    let alpha2 = en * sd * sd - ed * sn * sd - 2 * dn * dd * sd + 2 * dd * dd * sn;
    alpha2 /= sd * sd * sd;
    const f = across / alpha2;
    n0 *= f;
    n1 *= f;
    n2 *= f;
    n3 *= f;
  }
  // ComputeRemainingCoefficients(symmetric = true)
  const m1 = n1 - d1 * n0;
  const m2 = n2 - d2 * n0;
  const m3 = n3 - d3 * n0;
  const m4 = -d4 * n0;
  const sN = n0 + n1 + n2 + n3;
  const sM = m1 + m2 + m3 + m4;
  const sD = 1.0 + d1 + d2 + d3 + d4;
  return {
    n0, n1, n2, n3, d1, d2, d3, d4, m1, m2, m3, m4,
    bn1: (d1 * sN) / sD,
    bn2: (d2 * sN) / sD,
    bn3: (d3 * sN) / sD,
    bn4: (d4 * sN) / sD,
    bm1: (d1 * sM) / sD,
    bm2: (d2 * sM) / sD,
    bm3: (d3 * sM) / sD,
    bm4: (d4 * sM) / sD,
  };
}

/**
 * One line of ITK's `RecursiveSeparableImageFilter::FilterDataArray`: causal and anticausal
 * 4th-order recursions whose initial conditions assume the edge value extends to infinity.
 * `out` and `scratch` have the line's length (≥ 4).
 */
export function filterLine(
  c: RecursiveGaussianCoefficients,
  data: Float64Array,
  out: Float64Array,
  scratch: Float64Array,
  ln: number,
): void {
  filterLineRange(c, data, out, scratch, ln, 0, ln - 1);
}

/**
 * `filterLine` computing only outputs `lo`..`hi` (inclusive) of the whole line `data`: the causal
 * recursion runs from the start up to `hi`, the anticausal one from the end down to `lo`, with
 * ITK's initial conditions from the line's two ends, so `out[lo..hi]` are bit-identical to the
 * whole line's (other entries of `out` are unspecified).
 */
export function filterLineRange(
  c: RecursiveGaussianCoefficients,
  data: Float64Array,
  out: Float64Array,
  scratch: Float64Array,
  ln: number,
  lo: number,
  hi: number,
): void {
  const { n0, n1, n2, n3, d1, d2, d3, d4, m1, m2, m3, m4, bn1, bn2, bn3, bn4, bm1, bm2, bm3, bm4 } = c;
  const v1 = data[0]!;
  const x1 = data[1]!;
  const x2 = data[2]!;
  const x3 = data[3]!;
  out[0] = v1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
  out[1] = x1 * n0 + v1 * n1 + v1 * n2 + v1 * n3;
  out[2] = x2 * n0 + x1 * n1 + v1 * n2 + v1 * n3;
  out[3] = x3 * n0 + x2 * n1 + x1 * n2 + v1 * n3;
  out[0] -= v1 * bn1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
  out[1] -= out[0]! * d1 + v1 * bn2 + v1 * bn3 + v1 * bn4;
  out[2] -= out[1]! * d1 + out[0]! * d2 + v1 * bn3 + v1 * bn4;
  out[3] -= out[2]! * d1 + out[1]! * d2 + out[0]! * d3 + v1 * bn4;
  // The recursions keep their last inputs and outputs in locals (same operations, same order).
  let xa = x3;
  let xb = x2;
  let xc = x1;
  let ya = out[3]!;
  let yb = out[2]!;
  let yc = out[1]!;
  let yd = out[0]!;
  for (let i = 4; i <= hi; i++) {
    const xi = data[i]!;
    let s = xi * n0 + xa * n1 + xb * n2 + xc * n3;
    s -= ya * d1 + yb * d2 + yc * d3 + yd * d4;
    out[i] = s;
    xc = xb;
    xb = xa;
    xa = xi;
    yd = yc;
    yc = yb;
    yb = ya;
    ya = s;
  }
  const v2 = data[ln - 1]!;
  const y1 = data[ln - 2]!;
  const y2 = data[ln - 3]!;
  const sc = scratch;
  sc[ln - 1] = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  sc[ln - 2] = v2 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  sc[ln - 3] = y1 * m1 + v2 * m2 + v2 * m3 + v2 * m4;
  sc[ln - 4] = y2 * m1 + y1 * m2 + v2 * m3 + v2 * m4;
  sc[ln - 1] -= v2 * bm1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
  sc[ln - 2] -= sc[ln - 1]! * d1 + v2 * bm2 + v2 * bm3 + v2 * bm4;
  sc[ln - 3] -= sc[ln - 2]! * d1 + sc[ln - 1]! * d2 + v2 * bm3 + v2 * bm4;
  sc[ln - 4] -= sc[ln - 3]! * d1 + sc[ln - 2]! * d2 + sc[ln - 1]! * d3 + v2 * bm4;
  let ua = y2;
  let ub = y1;
  let uc = v2;
  let sa = sc[ln - 4]!;
  let sb = sc[ln - 3]!;
  let sc2 = sc[ln - 2]!;
  let sd = sc[ln - 1]!;
  for (let i = ln - 4; i > lo; i--) {
    const xi = data[i]!;
    let s = xi * m1 + ua * m2 + ub * m3 + uc * m4;
    s -= sa * d1 + sb * d2 + sc2 * d3 + sd * d4;
    sc[i - 1] = s;
    uc = ub;
    ub = ua;
    ua = xi;
    sd = sc2;
    sc2 = sb;
    sb = sa;
    sa = s;
  }
  for (let i = lo; i <= hi; i++) out[i] = out[i]! + sc[i]!;
}

/**
 * Applies one recursive Gaussian pass along `axis` (0 = x, 1 = y, 2 = z) of a volume, writing
 * float32 results (ITK's RealImageType) into `dst`.
 */
function passAlong(
  src: Float64Array | Float32Array,
  dst: Float32Array,
  size: Vec3,
  axis: 0 | 1 | 2,
  c: RecursiveGaussianCoefficients,
): void {
  const [nx, ny, nz] = size;
  const ln = size[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  const line = new Float64Array(ln);
  const out = new Float64Array(ln);
  const scratch = new Float64Array(ln);
  // Iterate over all lines along `axis`: the two other axes give the line start.
  const [o1, o2] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
  const strides = [1, nx, nx * ny];
  const n1 = size[o1 as 0 | 1 | 2];
  const n2 = size[o2 as 0 | 1 | 2];
  const s1 = strides[o1]!;
  const s2 = strides[o2]!;
  void nz;
  for (let b = 0; b < n2; b++) {
    for (let a = 0; a < n1; a++) {
      const base = a * s1 + b * s2;
      for (let i = 0, p = base; i < ln; i++, p += stride) line[i] = src[p]!;
      filterLine(c, line, out, scratch, ln);
      for (let i = 0, p = base; i < ln; i++, p += stride) dst[p] = out[i]!;
    }
  }
}

/**
 * One recursive Gaussian pass along `axis` from a block `src` (dims `sd`, x fastest) that holds
 * whole lines along `axis`, into the block `dst` (dims `dd`) whose voxel (i, j, k) is src's voxel
 * (i, j, k) + `off`: each needed line is filtered whole (ITK's border initial conditions from the
 * line's ends, as `filterLineRange`) and only the outputs inside dst are kept, rounded to float32
 * (ITK's float intermediate images; held in Float64Arrays so every pass reads one array type).
 * Lines go four at a time through `filterLines4` (neighbours along x for y and z passes, along y
 * for x passes).
 */
function passBlock(
  src: Float64Array,
  sd: Vec3,
  dst: Float64Array,
  dd: Vec3,
  off: Vec3,
  axis: 0 | 1 | 2,
  c: RecursiveGaussianCoefficients,
): void {
  const sStrides: Vec3 = [1, sd[0], sd[0] * sd[1]];
  const dStrides: Vec3 = [1, dd[0], dd[0] * dd[1]];
  const ln = sd[axis];
  const lo = off[axis];
  const hi = lo + dd[axis] - 1;
  const la = axis === 0 ? 1 : 0; // the axis four neighbouring lines step along
  const lb = (3 - axis - la) as 0 | 1 | 2;
  const na = dd[la];
  const buf = new Float64Array(4 * ln);
  const sb = new Int32Array(4);
  const db = new Int32Array(4);
  for (let b = 0; b < dd[lb]; b++) {
    for (let a = 0; a < na; a += 4) {
      for (let k = 0; k < 4; k++) {
        // past the block's end, repeat its last line (same values written twice)
        const ak = Math.min(a + k, na - 1);
        sb[k] = (ak + off[la]) * sStrides[la] + (b + off[lb]) * sStrides[lb];
        db[k] = ak * dStrides[la] + b * dStrides[lb];
      }
      filterLines4(c, src, sb, sStrides[axis], ln, lo, hi, buf, dst, db, dStrides[axis]);
    }
  }
}

/**
 * `filterLineRange` on four lines at once (starts `sb`, step `stride` in `src`), writing
 * float32(causal + anticausal) for positions lo..hi to `dst` (starts `db`, step `dStride`).
 * Each line goes through exactly `filterLineRange`'s operations in its order; running four
 * independent recursions side by side only lets the processor overlap them.
 */
function filterLines4(
  c: RecursiveGaussianCoefficients,
  src: Float64Array,
  sb: Int32Array,
  stride: number,
  ln: number,
  lo: number,
  hi: number,
  buf: Float64Array,
  dst: Float64Array,
  db: Int32Array,
  dStride: number,
): void {
  const { n0, n1, n2, n3, d1, d2, d3, d4, m1, m2, m3, m4, bn1, bn2, bn3, bn4, bm1, bm2, bm3, bm4 } = c;
  const b0 = sb[0]!;
  const q0 = 0 * ln;
  const b1 = sb[1]!;
  const q1 = 1 * ln;
  const b2 = sb[2]!;
  const q2 = 2 * ln;
  const b3 = sb[3]!;
  const q3 = 3 * ln;
  const v10 = src[b0]!;
  const x10 = src[b0 + stride]!;
  const x20 = src[b0 + 2 * stride]!;
  const x30 = src[b0 + 3 * stride]!;
  let o00 = v10 * n0 + v10 * n1 + v10 * n2 + v10 * n3;
  let o10 = x10 * n0 + v10 * n1 + v10 * n2 + v10 * n3;
  let o20 = x20 * n0 + x10 * n1 + v10 * n2 + v10 * n3;
  let o30 = x30 * n0 + x20 * n1 + x10 * n2 + v10 * n3;
  o00 -= v10 * bn1 + v10 * bn2 + v10 * bn3 + v10 * bn4;
  o10 -= o00 * d1 + v10 * bn2 + v10 * bn3 + v10 * bn4;
  o20 -= o10 * d1 + o00 * d2 + v10 * bn3 + v10 * bn4;
  o30 -= o20 * d1 + o10 * d2 + o00 * d3 + v10 * bn4;
  buf[q0] = o00;
  buf[q0 + 1] = o10;
  buf[q0 + 2] = o20;
  buf[q0 + 3] = o30;
  let xa0 = x30;
  let xb0 = x20;
  let xc0 = x10;
  let ya0 = o30;
  let yb0 = o20;
  let yc0 = o10;
  let yd0 = o00;
  const v11 = src[b1]!;
  const x11 = src[b1 + stride]!;
  const x21 = src[b1 + 2 * stride]!;
  const x31 = src[b1 + 3 * stride]!;
  let o01 = v11 * n0 + v11 * n1 + v11 * n2 + v11 * n3;
  let o11 = x11 * n0 + v11 * n1 + v11 * n2 + v11 * n3;
  let o21 = x21 * n0 + x11 * n1 + v11 * n2 + v11 * n3;
  let o31 = x31 * n0 + x21 * n1 + x11 * n2 + v11 * n3;
  o01 -= v11 * bn1 + v11 * bn2 + v11 * bn3 + v11 * bn4;
  o11 -= o01 * d1 + v11 * bn2 + v11 * bn3 + v11 * bn4;
  o21 -= o11 * d1 + o01 * d2 + v11 * bn3 + v11 * bn4;
  o31 -= o21 * d1 + o11 * d2 + o01 * d3 + v11 * bn4;
  buf[q1] = o01;
  buf[q1 + 1] = o11;
  buf[q1 + 2] = o21;
  buf[q1 + 3] = o31;
  let xa1 = x31;
  let xb1 = x21;
  let xc1 = x11;
  let ya1 = o31;
  let yb1 = o21;
  let yc1 = o11;
  let yd1 = o01;
  const v12 = src[b2]!;
  const x12 = src[b2 + stride]!;
  const x22 = src[b2 + 2 * stride]!;
  const x32 = src[b2 + 3 * stride]!;
  let o02 = v12 * n0 + v12 * n1 + v12 * n2 + v12 * n3;
  let o12 = x12 * n0 + v12 * n1 + v12 * n2 + v12 * n3;
  let o22 = x22 * n0 + x12 * n1 + v12 * n2 + v12 * n3;
  let o32 = x32 * n0 + x22 * n1 + x12 * n2 + v12 * n3;
  o02 -= v12 * bn1 + v12 * bn2 + v12 * bn3 + v12 * bn4;
  o12 -= o02 * d1 + v12 * bn2 + v12 * bn3 + v12 * bn4;
  o22 -= o12 * d1 + o02 * d2 + v12 * bn3 + v12 * bn4;
  o32 -= o22 * d1 + o12 * d2 + o02 * d3 + v12 * bn4;
  buf[q2] = o02;
  buf[q2 + 1] = o12;
  buf[q2 + 2] = o22;
  buf[q2 + 3] = o32;
  let xa2 = x32;
  let xb2 = x22;
  let xc2 = x12;
  let ya2 = o32;
  let yb2 = o22;
  let yc2 = o12;
  let yd2 = o02;
  const v13 = src[b3]!;
  const x13 = src[b3 + stride]!;
  const x23 = src[b3 + 2 * stride]!;
  const x33 = src[b3 + 3 * stride]!;
  let o03 = v13 * n0 + v13 * n1 + v13 * n2 + v13 * n3;
  let o13 = x13 * n0 + v13 * n1 + v13 * n2 + v13 * n3;
  let o23 = x23 * n0 + x13 * n1 + v13 * n2 + v13 * n3;
  let o33 = x33 * n0 + x23 * n1 + x13 * n2 + v13 * n3;
  o03 -= v13 * bn1 + v13 * bn2 + v13 * bn3 + v13 * bn4;
  o13 -= o03 * d1 + v13 * bn2 + v13 * bn3 + v13 * bn4;
  o23 -= o13 * d1 + o03 * d2 + v13 * bn3 + v13 * bn4;
  o33 -= o23 * d1 + o13 * d2 + o03 * d3 + v13 * bn4;
  buf[q3] = o03;
  buf[q3 + 1] = o13;
  buf[q3 + 2] = o23;
  buf[q3 + 3] = o33;
  let xa3 = x33;
  let xb3 = x23;
  let xc3 = x13;
  let ya3 = o33;
  let yb3 = o23;
  let yc3 = o13;
  let yd3 = o03;
  for (let i = 4, p = 4 * stride; i <= hi; i++, p += stride) {
    const xi0 = src[b0 + p]!;
    let s0 = xi0 * n0 + xa0 * n1 + xb0 * n2 + xc0 * n3;
    s0 -= ya0 * d1 + yb0 * d2 + yc0 * d3 + yd0 * d4;
    buf[q0 + i] = s0;
    xc0 = xb0;
    xb0 = xa0;
    xa0 = xi0;
    yd0 = yc0;
    yc0 = yb0;
    yb0 = ya0;
    ya0 = s0;
    const xi1 = src[b1 + p]!;
    let s1 = xi1 * n0 + xa1 * n1 + xb1 * n2 + xc1 * n3;
    s1 -= ya1 * d1 + yb1 * d2 + yc1 * d3 + yd1 * d4;
    buf[q1 + i] = s1;
    xc1 = xb1;
    xb1 = xa1;
    xa1 = xi1;
    yd1 = yc1;
    yc1 = yb1;
    yb1 = ya1;
    ya1 = s1;
    const xi2 = src[b2 + p]!;
    let s2 = xi2 * n0 + xa2 * n1 + xb2 * n2 + xc2 * n3;
    s2 -= ya2 * d1 + yb2 * d2 + yc2 * d3 + yd2 * d4;
    buf[q2 + i] = s2;
    xc2 = xb2;
    xb2 = xa2;
    xa2 = xi2;
    yd2 = yc2;
    yc2 = yb2;
    yb2 = ya2;
    ya2 = s2;
    const xi3 = src[b3 + p]!;
    let s3 = xi3 * n0 + xa3 * n1 + xb3 * n2 + xc3 * n3;
    s3 -= ya3 * d1 + yb3 * d2 + yc3 * d3 + yd3 * d4;
    buf[q3 + i] = s3;
    xc3 = xb3;
    xb3 = xa3;
    xa3 = xi3;
    yd3 = yc3;
    yc3 = yb3;
    yb3 = ya3;
    ya3 = s3;
  }
  const e0 = db[0]! - lo * dStride;
  const v20 = src[b0 + (ln - 1) * stride]!;
  const y10 = src[b0 + (ln - 2) * stride]!;
  const y20 = src[b0 + (ln - 3) * stride]!;
  let s10 = v20 * m1 + v20 * m2 + v20 * m3 + v20 * m4;
  let s20 = v20 * m1 + v20 * m2 + v20 * m3 + v20 * m4;
  let s30 = y10 * m1 + v20 * m2 + v20 * m3 + v20 * m4;
  let s40 = y20 * m1 + y10 * m2 + v20 * m3 + v20 * m4;
  s10 -= v20 * bm1 + v20 * bm2 + v20 * bm3 + v20 * bm4;
  s20 -= s10 * d1 + v20 * bm2 + v20 * bm3 + v20 * bm4;
  s30 -= s20 * d1 + s10 * d2 + v20 * bm3 + v20 * bm4;
  s40 -= s30 * d1 + s20 * d2 + s10 * d3 + v20 * bm4;
  let ua0 = y20;
  let ub0 = y10;
  let uc0 = v20;
  let sa0 = s40;
  let sb0 = s30;
  let sc0 = s20;
  let sd0 = s10;
  const e1 = db[1]! - lo * dStride;
  const v21 = src[b1 + (ln - 1) * stride]!;
  const y11 = src[b1 + (ln - 2) * stride]!;
  const y21 = src[b1 + (ln - 3) * stride]!;
  let s11 = v21 * m1 + v21 * m2 + v21 * m3 + v21 * m4;
  let s21 = v21 * m1 + v21 * m2 + v21 * m3 + v21 * m4;
  let s31 = y11 * m1 + v21 * m2 + v21 * m3 + v21 * m4;
  let s41 = y21 * m1 + y11 * m2 + v21 * m3 + v21 * m4;
  s11 -= v21 * bm1 + v21 * bm2 + v21 * bm3 + v21 * bm4;
  s21 -= s11 * d1 + v21 * bm2 + v21 * bm3 + v21 * bm4;
  s31 -= s21 * d1 + s11 * d2 + v21 * bm3 + v21 * bm4;
  s41 -= s31 * d1 + s21 * d2 + s11 * d3 + v21 * bm4;
  let ua1 = y21;
  let ub1 = y11;
  let uc1 = v21;
  let sa1 = s41;
  let sb1 = s31;
  let sc1 = s21;
  let sd1 = s11;
  const e2 = db[2]! - lo * dStride;
  const v22 = src[b2 + (ln - 1) * stride]!;
  const y12 = src[b2 + (ln - 2) * stride]!;
  const y22 = src[b2 + (ln - 3) * stride]!;
  let s12 = v22 * m1 + v22 * m2 + v22 * m3 + v22 * m4;
  let s22 = v22 * m1 + v22 * m2 + v22 * m3 + v22 * m4;
  let s32 = y12 * m1 + v22 * m2 + v22 * m3 + v22 * m4;
  let s42 = y22 * m1 + y12 * m2 + v22 * m3 + v22 * m4;
  s12 -= v22 * bm1 + v22 * bm2 + v22 * bm3 + v22 * bm4;
  s22 -= s12 * d1 + v22 * bm2 + v22 * bm3 + v22 * bm4;
  s32 -= s22 * d1 + s12 * d2 + v22 * bm3 + v22 * bm4;
  s42 -= s32 * d1 + s22 * d2 + s12 * d3 + v22 * bm4;
  let ua2 = y22;
  let ub2 = y12;
  let uc2 = v22;
  let sa2 = s42;
  let sb2 = s32;
  let sc2 = s22;
  let sd2 = s12;
  const e3 = db[3]! - lo * dStride;
  const v23 = src[b3 + (ln - 1) * stride]!;
  const y13 = src[b3 + (ln - 2) * stride]!;
  const y23 = src[b3 + (ln - 3) * stride]!;
  let s13 = v23 * m1 + v23 * m2 + v23 * m3 + v23 * m4;
  let s23 = v23 * m1 + v23 * m2 + v23 * m3 + v23 * m4;
  let s33 = y13 * m1 + v23 * m2 + v23 * m3 + v23 * m4;
  let s43 = y23 * m1 + y13 * m2 + v23 * m3 + v23 * m4;
  s13 -= v23 * bm1 + v23 * bm2 + v23 * bm3 + v23 * bm4;
  s23 -= s13 * d1 + v23 * bm2 + v23 * bm3 + v23 * bm4;
  s33 -= s23 * d1 + s13 * d2 + v23 * bm3 + v23 * bm4;
  s43 -= s33 * d1 + s23 * d2 + s13 * d3 + v23 * bm4;
  let ua3 = y23;
  let ub3 = y13;
  let uc3 = v23;
  let sa3 = s43;
  let sb3 = s33;
  let sc3 = s23;
  let sd3 = s13;
  // The anticausal values of the last four positions, then the recursion down to lo.
  for (let j = Math.max(lo, ln - 4); j <= hi; j++) {
    const t = ln - 1 - j;
    dst[e0 + j * dStride] = Math.fround(buf[q0 + j]! + (t === 0 ? s10 : t === 1 ? s20 : t === 2 ? s30 : s40));
    dst[e1 + j * dStride] = Math.fround(buf[q1 + j]! + (t === 0 ? s11 : t === 1 ? s21 : t === 2 ? s31 : s41));
    dst[e2 + j * dStride] = Math.fround(buf[q2 + j]! + (t === 0 ? s12 : t === 1 ? s22 : t === 2 ? s32 : s42));
    dst[e3 + j * dStride] = Math.fround(buf[q3 + j]! + (t === 0 ? s13 : t === 1 ? s23 : t === 2 ? s33 : s43));
  }
  for (let i = ln - 4, p = (ln - 4) * stride; i > lo; i--, p -= stride) {
    const j = i - 1;
    const xi0 = src[b0 + p]!;
    let s0 = xi0 * m1 + ua0 * m2 + ub0 * m3 + uc0 * m4;
    s0 -= sa0 * d1 + sb0 * d2 + sc0 * d3 + sd0 * d4;
    uc0 = ub0;
    ub0 = ua0;
    ua0 = xi0;
    sd0 = sc0;
    sc0 = sb0;
    sb0 = sa0;
    sa0 = s0;
    const xi1 = src[b1 + p]!;
    let s1 = xi1 * m1 + ua1 * m2 + ub1 * m3 + uc1 * m4;
    s1 -= sa1 * d1 + sb1 * d2 + sc1 * d3 + sd1 * d4;
    uc1 = ub1;
    ub1 = ua1;
    ua1 = xi1;
    sd1 = sc1;
    sc1 = sb1;
    sb1 = sa1;
    sa1 = s1;
    const xi2 = src[b2 + p]!;
    let s2 = xi2 * m1 + ua2 * m2 + ub2 * m3 + uc2 * m4;
    s2 -= sa2 * d1 + sb2 * d2 + sc2 * d3 + sd2 * d4;
    uc2 = ub2;
    ub2 = ua2;
    ua2 = xi2;
    sd2 = sc2;
    sc2 = sb2;
    sb2 = sa2;
    sa2 = s2;
    const xi3 = src[b3 + p]!;
    let s3 = xi3 * m1 + ua3 * m2 + ub3 * m3 + uc3 * m4;
    s3 -= sa3 * d1 + sb3 * d2 + sc3 * d3 + sd3 * d4;
    uc3 = ub3;
    ub3 = ua3;
    ua3 = xi3;
    sd3 = sc3;
    sc3 = sb3;
    sb3 = sa3;
    sa3 = s3;
    if (j <= hi) {
      dst[e0 + j * dStride] = Math.fround(buf[q0 + j]! + s0);
      dst[e1 + j * dStride] = Math.fround(buf[q1 + j]! + s1);
      dst[e2 + j * dStride] = Math.fround(buf[q2 + j]! + s2);
      dst[e3 + j * dStride] = Math.fround(buf[q3 + j]! + s3);
    }
  }
}

/**
 * `laplacianRecursiveGaussian` computed only inside `region` (inclusive voxel-index box), as a
 * region-sized float32 block (x fastest). For each axis d the passes run in ITK's order; a pass
 * filters whole lines (ITK's border conditions need the line's ends) but only the lines later
 * passes read: the first pass every line along d, keeping the region's extent along d; the
 * second the lines crossing the region along d; the third only the region's lines. Every kept
 * value, the float32 roundings and the running sum are those of the whole-image computation.
 */
function laplacianRegion(image: Image, sigma: number, normalizeAcrossScale: boolean, lower: Vec3, upper: Vec3): Float32Array {
  const size = image.size;
  const box: Vec3 = [upper[0] - lower[0] + 1, upper[1] - lower[1] + 1, upper[2] - lower[2] + 1];
  const cum = new Float32Array(box[0] * box[1] * box[2]);
  for (let dim = 0 as 0 | 1 | 2; dim < 3; dim = (dim + 1) as 0 | 1 | 2) {
    const others = ([0, 1, 2] as const).filter((a) => a !== dim);
    const a2 = others[0]!;
    const a3 = others[1]!;
    // Block 1: region along dim, whole along the others. Block 2: region along dim and a2.
    const d1: Vec3 = [...size] as Vec3;
    d1[dim] = box[dim];
    const off1: Vec3 = [0, 0, 0];
    off1[dim] = lower[dim];
    const t1 = new Float64Array(d1[0] * d1[1] * d1[2]);
    passBlock(image.data, size, t1, d1, off1, dim, recursiveGaussianCoefficients(sigma, image.spacing[dim], 2, normalizeAcrossScale));
    const d2: Vec3 = [...d1] as Vec3;
    d2[a2] = box[a2];
    const off2: Vec3 = [0, 0, 0];
    off2[a2] = lower[a2];
    const t2 = new Float64Array(d2[0] * d2[1] * d2[2]);
    passBlock(t1, d1, t2, d2, off2, a2, recursiveGaussianCoefficients(sigma, image.spacing[a2], 0, normalizeAcrossScale));
    const off3: Vec3 = [0, 0, 0];
    off3[a3] = lower[a3];
    const t3 = new Float64Array(cum.length);
    passBlock(t2, d2, t3, box, off3, a3, recursiveGaussianCoefficients(sigma, image.spacing[a3], 0, normalizeAcrossScale));
    const spacing2 = image.spacing[dim] * image.spacing[dim];
    const k = 1.0 / spacing2;
    for (let i = 0; i < cum.length; i++) cum[i] = cum[i]! + t3[i]! * k;
  }
  return cum;
}

/**
 * ITK `LaplacianRecursiveGaussianImageFilter` with SimpleITK's float output, sigma in mm: for each
 * axis d, a second-order pass along d then zero-order passes along the other axes in increasing
 * order, accumulated as float(sum + pass / spacing_d²). Returns float32 values in a Float64Array.
 * Requires at least 4 voxels along every axis (ITK's own limit). With `region` (an inclusive
 * voxel-index box) only that box is computed and returned, as a region-sized image whose origin is
 * the box's lower corner; its values are bit-identical to the whole image's inside the box.
 */
export function laplacianRecursiveGaussian(
  image: Image,
  sigma: number,
  normalizeAcrossScale = true,
  region?: FilterRegion,
): Image {
  const size = image.size;
  for (let d = 0; d < 3; d++) {
    if (size[d]! < 4) {
      throw new RadnomoError(
        'E_VALUE',
        `The recursive Gaussian filter needs at least 4 voxels along every axis; the image is ${size.join(' × ')}.`,
      );
    }
  }
  if (region) {
    checkRegion(region, size);
    return regionImage(image, region, Float64Array.from(laplacianRegion(image, sigma, normalizeAcrossScale, region.lower, region.upper)));
  }
  const n = size[0] * size[1] * size[2];
  const cum = new Float32Array(n);
  const t1 = new Float32Array(n);
  const t2 = new Float32Array(n);
  for (let dim = 0 as 0 | 1 | 2; dim < 3; dim = (dim + 1) as 0 | 1 | 2) {
    const others = ([0, 1, 2] as const).filter((a) => a !== dim);
    passAlong(image.data, t1, size, dim, recursiveGaussianCoefficients(sigma, image.spacing[dim], 2, normalizeAcrossScale));
    passAlong(t1, t2, size, others[0]!, recursiveGaussianCoefficients(sigma, image.spacing[others[0]!], 0, normalizeAcrossScale));
    passAlong(t2, t1, size, others[1]!, recursiveGaussianCoefficients(sigma, image.spacing[others[1]!], 0, normalizeAcrossScale));
    const spacing2 = image.spacing[dim] * image.spacing[dim];
    const k = 1.0 / spacing2;
    for (let i = 0; i < n; i++) cum[i] = cum[i]! + t1[i]! * k;
  }
  return withData(image, Float64Array.from(cum));
}

/**
 * Python's `str(float)` (shortest repr): used to name derived images exactly as PyRadiomics does
 * (`log-sigma-<str(sigma) with '.' → '-'>-mm-3D`). Numbers are taken as Python floats (a YAML
 * `3.0` and `3` are both the number 3 here, named '3.0'); pass the setting as a string to force
 * another spelling (e.g. '3' for a YAML integer).
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // Python repr: the same shortest round-trip digits as JS, in scientific notation when the
  // decimal exponent is < -4 or >= 16 (JS switches only at 1e-7 / 1e21).
  const [mant, ex] = x.toExponential().split('e') as [string, string];
  const e = Number(ex);
  if (e < -4 || e >= 16) return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}

/** A sigma setting: a number (a Python float) or its source text (kept verbatim for the name). */
export type SigmaSetting = number | string;

/**
 * PyRadiomics `getLoGImage`: one LoG image per sigma (mm), named `log-sigma-<s>-mm-3D`.
 * PyRadiomics logs a warning and skips a sigma ≤ 0 or one for which any axis has fewer than
 * ceil(sigma / spacing) + 1 voxels, and skips LoG entirely when an axis has fewer than 4 voxels;
 * radnomo raises a RadnomoError naming the sigma and the image size instead. With `region`, each
 * image is only that box (see `laplacianRecursiveGaussian`); the checks still use the whole image.
 */
export function logImages(
  image: Image,
  sigmas: readonly SigmaSetting[],
  region?: FilterRegion,
): { prefix: string; image: Image }[] {
  const size = image.size;
  const spacing = image.spacing;
  if (Math.min(...size) < 4) {
    throw new RadnomoError(
      'E_VALUE',
      `Image too small for the LoG filter: size ${size.join(' × ')} voxels, it needs at least 4 along every axis.`,
    );
  }
  const out: { prefix: string; image: Image }[] = [];
  for (const s of sigmas) {
    const sigma = typeof s === 'string' ? Number(s) : s;
    if (!Number.isFinite(sigma)) throw new RadnomoError('E_PARAMS', `LoG sigma ${JSON.stringify(s)} is not a number.`);
    if (!(sigma > 0)) throw new RadnomoError('E_PARAMS', `LoG sigma must be greater than 0 mm, got ${String(s)}.`);
    for (let d = 0; d < 3; d++) {
      if (!(size[d]! >= Math.ceil(sigma / spacing[d]!) + 1)) {
        throw new RadnomoError(
          'E_VALUE',
          `LoG sigma ${String(s)} mm is too large for the image: size ${size.join(' × ')} voxels at spacing ${spacing.join(
            ' × ',
          )} mm needs at least ceil(sigma / spacing) + 1 voxels along every axis.`,
        );
      }
    }
    const name = typeof s === 'string' ? s : pythonFloatRepr(s);
    out.push({ prefix: `log-sigma-${name.replace(/\./g, '-')}-mm-3D`, image: laplacianRecursiveGaussian(image, sigma, true, region) });
  }
  return out;
}
