/**
 * The LBP3D image type: a port of PyRadiomics `imageoperations.getLBP3DImage` (3D local binary
 * patterns by spherical harmonics, Banerjee et al. 2013). For every ROI voxel PyRadiomics:
 *  1. samples the image on an icosphere around it (trimesh `icosphere(lbp3DIcosphereSubdivision,
 *     lbp3DIcosphereRadius)`; vertex coordinates are voxel-index offsets along numpy axes (z, y, x),
 *     spacing is ignored) by cubic B-spline interpolation (scipy `map_coordinates(order=3)`,
 *     see spline-interpolation.ts), the samples cast to the image's dtype;
 *  2. takes their kurtosis (scipy `stats.kurtosis`: Fisher, biased) → 'lbp-3D-k';
 *  3. thresholds them against the voxel's own value (sample ≥ centre → 1);
 *  4. projects the binary pattern on the complex spherical harmonics Y_n^m of degrees
 *     n < lbp3DLevels, evaluated as scipy `sph_harm(m, n, arccos(v_x / R), atan2(v_y, v_z))`
 *     (PyRadiomics passes the polar angle where scipy expects the azimuth and vice versa; this is
 *     reproduced), c_nm = Σ_v b_v Y_nm(v);
 *  5. for each degree n, the pattern's part of that degree at the vertices, f_n(v) = Σ_m c_nm Y_nm(v),
 *     and its "L2 norm" Re √(Σ_v f_n(v)²) (numpy squares the complex values, it does not take |·|²)
 *     → 'lbp-3D-m<n+1>'.
 * Images are yielded as 'lbp-3D-m1' … 'lbp-3D-m<levels>', then 'lbp-3D-k'. PyRadiomics defines
 * values only at ROI voxels (its output array is uninitialised elsewhere); radnomo writes 0 there.
 * Every result is a symmetric function of the sphere's vertices (sums over vertices only), so the
 * vertex order matters only to the last bits of the sums; trimesh's order is reproduced anyway.
 */
import { RadnomoError } from '../../errors';
import type { Image, Vec3 } from '../../image';
import { withData } from '../../image';
import { inferPixelType } from '../resample';
import { checkRegion, regionImage, regionSize, type FilterRegion } from './region';
import { CubicSplineSampler, allRepresentable, sampleCaster, splineFilter3D, type SampleType } from './spline-interpolation';
import { icosphereVertices, sphHarm } from './spherical';

/** Settings of the LBP3D image type (PyRadiomics names and defaults: 2 levels, radius 1, 1 subdivision). */
export interface Lbp3DSettings {
  lbp3DLevels?: number;
  lbp3DIcosphereRadius?: number;
  lbp3DIcosphereSubdivision?: number;
}

/** Largest icosphere subdivision accepted (163,842 vertices); more only exhausts memory. */
export const MAX_LBP3D_SUBDIVISION = 7;

const SAMPLE_TYPES: readonly SampleType[] = ['float64', 'float32', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'];

/**
 * The numpy dtype PyRadiomics' array of this image would have, which `map_coordinates` casts its
 * samples to: the image's `pixelType` when every voxel value is a value of that type, otherwise
 * radnomo's usual guess for an image of unknown type (`inferPixelType`: float64 unless all values
 * are whole numbers, then int16/int32 by range).
 */
export function lbp3DSampleType(image: Image): SampleType {
  const t = image.pixelType as SampleType | undefined;
  if (t && SAMPLE_TYPES.includes(t) && allRepresentable(image.data, t)) return t;
  return inferPixelType(image.data) as SampleType;
}

function checkSettings(settings: Lbp3DSettings): { levels: number; radius: number; subdivision: number } {
  const levels = settings.lbp3DLevels ?? 2;
  const radius = settings.lbp3DIcosphereRadius ?? 1;
  const subdivision = settings.lbp3DIcosphereSubdivision ?? 1;
  if (typeof levels !== 'number' || !Number.isInteger(levels) || levels < 2) {
    throw new RadnomoError(
      'E_PARAMS',
      `lbp3DLevels must be a whole number of at least 2, got ${JSON.stringify(levels)} (PyRadiomics' getLBP3DImage fails with an IndexError for 1 level).`,
    );
  }
  if (typeof radius !== 'number' || !Number.isFinite(radius) || radius <= 0) {
    throw new RadnomoError('E_PARAMS', `lbp3DIcosphereRadius must be a positive number (voxels), got ${JSON.stringify(radius)}.`);
  }
  if (typeof subdivision !== 'number' || !Number.isInteger(subdivision) || subdivision < 0 || subdivision > MAX_LBP3D_SUBDIVISION) {
    throw new RadnomoError(
      'E_PARAMS',
      `lbp3DIcosphereSubdivision must be a whole number from 0 to ${MAX_LBP3D_SUBDIVISION}, got ${JSON.stringify(subdivision)}.`,
    );
  }
  return { levels, radius, subdivision };
}

/**
 * numpy's pairwise summation (`DOUBLE_pairwise_sum`, what `sum`/`mean` use along a contiguous
 * axis) of a[off .. off+n); `r` rounds each partial result (Math.fround for float32 arrays).
 */
function pairwiseSum(a: Float64Array, off: number, n: number, r: (x: number) => number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = r(res + a[off + i]!);
    return res;
  }
  if (n <= 128) {
    const acc = [a[off]!, a[off + 1]!, a[off + 2]!, a[off + 3]!, a[off + 4]!, a[off + 5]!, a[off + 6]!, a[off + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) acc[j] = r(acc[j]! + a[off + i + j]!);
    let res = r(r(r(acc[0]! + acc[1]!) + r(acc[2]! + acc[3]!)) + r(r(acc[4]! + acc[5]!) + r(acc[6]! + acc[7]!)));
    for (; i < n; i++) res = r(res + a[off + i]!);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return r(pairwiseSum(a, off, n2, r) + pairwiseSum(a, off + n2, n - n2, r));
}

const identity = (x: number): number => x;

/**
 * scipy `stats.kurtosis(samples)` with its defaults (fisher=True, bias=True) for one row:
 * m4 / m2² − 3 with central moments about the numpy mean, NaN when m2 ≤ (resolution · mean)²
 * (resolution 1e-15 for float64; float32 rows are computed in float32 with resolution 1e-6, as numpy
 * does). `d2` is scratch space of the row's length.
 */
export function scipyKurtosis(samples: Float64Array, float32: boolean, d2: Float64Array = new Float64Array(samples.length)): number {
  const n = samples.length;
  const r = float32 ? Math.fround : identity;
  const mean = r(pairwiseSum(samples, 0, n, r) / n);
  for (let i = 0; i < n; i++) {
    const d = r(samples[i]! - mean);
    d2[i] = r(d * d);
  }
  const m2 = r(pairwiseSum(d2, 0, n, r) / n);
  for (let i = 0; i < n; i++) d2[i] = r(d2[i]! * d2[i]!);
  const m4 = r(pairwiseSum(d2, 0, n, r) / n);
  const res = r(r((float32 ? Math.fround(1e-6) : 1e-15) * mean) ** 2);
  if (m2 <= res) return NaN;
  return r(r(m4 / r(m2 * m2)) - 3);
}

/**
 * numpy's pairwise sum of complex values (`CDOUBLE_pairwise_sum`: 4 complex accumulators for
 * 4..64 terms, halves above) of re/im[off .. off+n); result in out[0], out[1].
 */
function complexPairwiseSum(re: Float64Array, im: Float64Array, off: number, n: number, out: Float64Array): void {
  if (2 * n < 8) {
    let sr = 0;
    let si = 0;
    for (let i = 0; i < n; i++) {
      sr += re[off + i]!;
      si += im[off + i]!;
    }
    out[0] = sr;
    out[1] = si;
    return;
  }
  if (2 * n <= 128) {
    const ar = [re[off]!, re[off + 1]!, re[off + 2]!, re[off + 3]!];
    const ai = [im[off]!, im[off + 1]!, im[off + 2]!, im[off + 3]!];
    let i = 4;
    for (; i < n - (n % 4); i += 4) {
      for (let j = 0; j < 4; j++) {
        ar[j] = ar[j]! + re[off + i + j]!;
        ai[j] = ai[j]! + im[off + i + j]!;
      }
    }
    let sr = ar[0]! + ar[1]! + (ar[2]! + ar[3]!);
    let si = ai[0]! + ai[1]! + (ai[2]! + ai[3]!);
    for (; i < n; i++) {
      sr += re[off + i]!;
      si += im[off + i]!;
    }
    out[0] = sr;
    out[1] = si;
    return;
  }
  let n2 = Math.floor((2 * n) / 2);
  n2 -= n2 % 8;
  const h = n2 / 2;
  complexPairwiseSum(re, im, off, h, out);
  const r0 = out[0]!;
  const i0 = out[1]!;
  complexPairwiseSum(re, im, off + h, n - h, out);
  out[0] = r0 + out[0]!;
  out[1] = i0 + out[1]!;
}

/** Real part of the principal complex square root (glibc `csqrt`, which numpy's `sqrt` calls). */
function csqrtReal(re: number, im: number): number {
  if (im === 0) return re < 0 ? 0 : Math.sqrt(re);
  if (re === 0) return Math.sqrt(0.5 * Math.abs(im));
  const d = Math.hypot(re, im);
  if (re > 0) return Math.sqrt(0.5 * (d + re));
  const s = Math.sqrt(0.5 * (d - re));
  return Math.abs(0.5 * (im / s));
}

/** The icosphere and its spherical-harmonic table as PyRadiomics sets them up. */
interface Sphere {
  /** Vertex offsets in numpy axis order (z, y, x), flattened. */
  offsets: Float64Array;
  nv: number;
  /** Number of (n, m) columns, levels². Column j of vertex v at yRe/yIm[v * nc + j]. */
  nc: number;
  yRe: Float64Array;
  yIm: Float64Array;
}

function makeSphere(levels: number, radius: number, subdivision: number): Sphere {
  const offsets = icosphereVertices(subdivision, radius);
  const nv = offsets.length / 3;
  const nc = levels * levels;
  const yRe = new Float64Array(nv * nc);
  const yIm = new Float64Array(nv * nc);
  for (let v = 0; v < nv; v++) {
    // theta = arccos(vertex[2] / R), phi = arctan2(vertex[1], vertex[0]); sph_harm(m, n, theta, phi)
    const theta = Math.acos(offsets[3 * v + 2]! / radius);
    const phi = Math.atan2(offsets[3 * v + 1]!, offsets[3 * v]!);
    let j = 0;
    for (let n = 0; n < levels; n++) {
      for (let m = -n; m <= n; m++, j++) {
        const [re, im] = sphHarm(m, n, theta, phi);
        yRe[v * nc + j] = re;
        yIm[v * nc + j] = im;
      }
    }
  }
  return { offsets, nv, nc, yRe, yIm };
}

/** A derived image of the LBP3D image type. */
export interface Lbp3DImage {
  prefix: string;
  image: Image;
}

/**
 * PyRadiomics `getLBP3DImage(image, mask, **settings)`: 'lbp-3D-m1' … 'lbp-3D-m<lbp3DLevels>'
 * then 'lbp-3D-k', computed at the voxels where `roi` is non-zero (0 elsewhere). With `region`
 * (inclusive voxel box) every image is only that box, computed only at the ROI voxels inside it,
 * with the values the whole-image computation has there (the spline prefilter always runs over
 * the whole image, as scipy's does). Bad settings are RadnomoErrors naming the setting.
 */
export function lbp3DImages(image: Image, roi: ArrayLike<number>, settings: Lbp3DSettings = {}, region?: FilterRegion): Lbp3DImage[] {
  const { levels, radius, subdivision } = checkSettings(settings);
  const [nx, ny, nz] = image.size;
  if (roi.length !== image.data.length) {
    throw new RadnomoError('E_GEOMETRY', `LBP3D: the ROI has ${roi.length} voxels but the image has ${image.data.length}.`);
  }
  if (region) checkRegion(region, image.size);
  const lower: Vec3 = region ? region.lower : [0, 0, 0];
  const osize: Vec3 = region ? regionSize(region) : [nx, ny, nz];
  const nOut = osize[0] * osize[1] * osize[2];

  const type = lbp3DSampleType(image);
  const float32 = type === 'float32';
  const cast = sampleCaster(type);
  const sphere = makeSphere(levels, radius, subdivision);
  const { offsets, nv, nc, yRe, yIm } = sphere;

  const outs: Float64Array[] = [];
  for (let l = 0; l <= levels; l++) outs.push(new Float64Array(nOut));

  // ROI voxels inside the output box
  const todo: number[] = [];
  for (let z = lower[2]; z < lower[2] + osize[2]; z++) {
    for (let y = lower[1]; y < lower[1] + osize[1]; y++) {
      const row = nx * (y + ny * z);
      for (let x = lower[0]; x < lower[0] + osize[0]; x++) if (roi[row + x]) todo.push(row + x);
    }
  }
  if (todo.length > 0) {
    const sampler = new CubicSplineSampler(splineFilter3D(image.data, image.size), image.size);
    const samples = new Float64Array(nv);
    const scratch = new Float64Array(nv);
    const bits = new Uint8Array(nv);
    const cRe = new Float64Array(nc);
    const cIm = new Float64Array(nc);
    const tRe = new Float64Array(2 * levels);
    const tIm = new Float64Array(2 * levels);
    const sum = new Float64Array(2);
    for (const p of todo) {
      const x = p % nx;
      const y = Math.floor(p / nx) % ny;
      const z = Math.floor(p / (nx * ny));
      for (let v = 0; v < nv; v++) {
        samples[v] = cast(sampler.sample(z + offsets[3 * v]!, y + offsets[3 * v + 1]!, x + offsets[3 * v + 2]!));
      }
      const k = scipyKurtosis(samples, float32, scratch);
      const centre = image.data[p]!;
      for (let v = 0; v < nv; v++) bits[v] = samples[v]! >= centre ? 1 : 0;
      // c_j = Σ_v b_v Y_j(v), summed in vertex order
      cRe.fill(0);
      cIm.fill(0);
      for (let v = 0; v < nv; v++) {
        if (!bits[v]) continue;
        const base = v * nc;
        for (let j = 0; j < nc; j++) {
          cRe[j] = cRe[j]! + yRe[base + j]!;
          cIm[j] = cIm[j]! + yIm[base + j]!;
        }
      }
      const o = (x - lower[0]) + osize[0] * ((y - lower[1]) + osize[1] * (z - lower[2]));
      for (let n = 0; n < levels; n++) {
        const j0 = n * n; // columns of degree n: j0 .. j0 + 2n
        let sRe = 0;
        let sIm = 0;
        for (let v = 0; v < nv; v++) {
          const base = v * nc;
          let fRe: number;
          let fIm: number;
          if (n === 0) {
            fRe = cRe[0]! * yRe[base]! - cIm[0]! * yIm[base]!;
            fIm = cRe[0]! * yIm[base]! + cIm[0]! * yRe[base]!;
          } else {
            for (let t = 0; t <= 2 * n; t++) {
              const j = j0 + t;
              const ar = cRe[j]!;
              const ai = cIm[j]!;
              const br = yRe[base + j]!;
              const bi = yIm[base + j]!;
              tRe[t] = ar * br - ai * bi;
              tIm[t] = ar * bi + ai * br;
            }
            complexPairwiseSum(tRe, tIm, 0, 2 * n + 1, sum);
            fRe = sum[0]!;
            fIm = sum[1]!;
          }
          sRe += fRe * fRe - fIm * fIm;
          sIm += fRe * fIm + fIm * fRe;
        }
        outs[n]![o] = csqrtReal(sRe, sIm);
      }
      outs[levels]![o] = k;
    }
  }

  const wrap = (data: Float64Array): Image => (region ? regionImage(image, region, data) : withData(image, data));
  const result: Lbp3DImage[] = [];
  for (let n = 0; n < levels; n++) result.push({ prefix: `lbp-3D-m${n + 1}`, image: wrap(outs[n]!) });
  result.push({ prefix: 'lbp-3D-k', image: wrap(outs[levels]!) });
  return result;
}
