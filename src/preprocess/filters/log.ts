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
 */
import { RadnomoError } from '../../errors';
import type { Image, Vec3 } from '../../image';
import { withData } from '../../image';

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
  for (let i = 4; i < ln; i++) {
    let s = data[i]! * n0 + data[i - 1]! * n1 + data[i - 2]! * n2 + data[i - 3]! * n3;
    s -= out[i - 1]! * d1 + out[i - 2]! * d2 + out[i - 3]! * d3 + out[i - 4]! * d4;
    out[i] = s;
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
  for (let i = ln - 4; i > 0; i--) {
    let s = data[i]! * m1 + data[i + 1]! * m2 + data[i + 2]! * m3 + data[i + 3]! * m4;
    s -= sc[i]! * d1 + sc[i + 1]! * d2 + sc[i + 2]! * d3 + sc[i + 3]! * d4;
    sc[i - 1] = s;
  }
  for (let i = 0; i < ln; i++) out[i] = out[i]! + sc[i]!;
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
 * ITK `LaplacianRecursiveGaussianImageFilter` with SimpleITK's float output, sigma in mm: for each
 * axis d, a second-order pass along d then zero-order passes along the other axes in increasing
 * order, accumulated as float(sum + pass / spacing_d²). Returns float32 values in a Float64Array.
 * Requires at least 4 voxels along every axis (ITK's own limit).
 */
export function laplacianRecursiveGaussian(image: Image, sigma: number, normalizeAcrossScale = true): Image {
  const size = image.size;
  for (let d = 0; d < 3; d++) {
    if (size[d]! < 4) {
      throw new RadnomoError(
        'E_VALUE',
        `The recursive Gaussian filter needs at least 4 voxels along every axis; the image is ${size.join(' × ')}.`,
      );
    }
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
 * radnomo raises a RadnomoError naming the sigma and the image size instead.
 */
export function logImages(image: Image, sigmas: readonly SigmaSetting[]): { prefix: string; image: Image }[] {
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
    out.push({ prefix: `log-sigma-${name.replace(/\./g, '-')}-mm-3D`, image: laplacianRecursiveGaussian(image, sigma, true) });
  }
  return out;
}
