import type { Vec3 } from '../src/image';

/**
 * The discretised ROI as the IBSI texture families see it (IBSI reference manual, chapter
 * "Image processing" → "Discretisation"): a block of voxels (x fastest; z is the slice axis),
 * the discretised grey level 1..ng of every voxel in the intensity mask (0 elsewhere), and,
 * for GLDZM, the morphological mask the distance map is computed on.
 */
export interface IbsiTextureRoi {
  size: Vec3;
  spacing: Vec3;
  /** Discretised grey level 1..ng of voxels in the intensity mask; 0 outside it. */
  levels: Int32Array;
  /** Number of discretised grey levels Ng (the discretised range, empty levels included). */
  ng: number;
  /** Morphological mask (1 in the ROI before re-segmentation); defaults to levels > 0. */
  morph?: Uint8Array;
}

/** IBSI texture aggregation labels for GLCM and GLRLM (manual "Feature aggregation"), with their codes. */
export const DIRECTIONAL_AGGREGATIONS = [
  ['2D_averaged', '2D, averaged', 'BTW3'],
  ['2D_slice_merged', '2D, slice-merged', 'SUJT'],
  ['2.5D_direction_merged', '2.5D, direction-merged', 'JJUI'],
  ['2.5D_merged', '2.5D, merged', 'ZW7Z'],
  ['3D_averaged', '3D, averaged', 'ITBB'],
  ['3D_merged', '3D, merged', 'IAZD'],
] as const;
export type DirectionalAggregation = (typeof DIRECTIONAL_AGGREGATIONS)[number][0];

/** IBSI aggregation labels of GLSZM, GLDZM, NGTDM and NGLDM, with their codes. */
export const ZONE_AGGREGATIONS = [
  ['2D', '2D', '8QNN'],
  ['2.5D', '2.5D', '62GR'],
  ['3D', '3D', 'KOBO'],
] as const;
export type ZoneAggregation = (typeof ZONE_AGGREGATIONS)[number][0];

/**
 * The 13 unique directions of a 26-neighbourhood as (dx, dy, dz); the first four lie in the
 * axial (xy) plane and are the 2D directions (IBSI: 0°, 45°, 90°, 135°).
 */
export const IBSI_DIRECTIONS: ReadonlyArray<readonly [number, number, number]> = [
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [-1, 1, 0],
  [0, 0, 1],
  [1, 0, 1],
  [-1, 0, 1],
  [0, 1, 1],
  [0, -1, 1],
  [1, 1, 1],
  [-1, 1, 1],
  [1, -1, 1],
  [-1, -1, 1],
];

/** Neighbour offsets (dx, dy, dz) within Chebyshev distance 1, centre excluded: 8 in 2D, 26 in 3D. */
export function neighbourhood(twoD: boolean): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (let dz = twoD ? 0 : -1; dz <= (twoD ? 0 : 1); dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) if (dx || dy || dz) out.push([dx, dy, dz]);
    }
  }
  return out;
}

/** Arithmetic mean ignoring NaN; NaN when nothing is left. */
export function meanOf(values: number[]): number {
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    s += v;
    n++;
  }
  return n ? s / n : NaN;
}

/** Averages records of features key by key (IBSI aggregation by averaging). */
export function averageFeatures(list: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  if (list.length === 0) return out;
  for (const k of Object.keys(list[0]!)) out[k] = meanOf(list.map((r) => r[k]!));
  return out;
}

/**
 * A grey-level × size matrix (GLRLM runs, GLSZM zones, GLDZM distances, NGLDM dependence
 * counts): `m[(i − 1) * ncol + (j − 1)]` counts grey level i and size/length/distance/count j.
 */
export interface SizeMatrix {
  ng: number;
  ncol: number;
  m: Float64Array;
}

export function newSizeMatrix(ng: number, ncol: number): SizeMatrix {
  return { ng, ncol, m: new Float64Array(ng * ncol) };
}

/** Sum of matrices of the same ng (columns padded to the widest). */
export function mergeSizeMatrices(list: SizeMatrix[], ng: number): SizeMatrix {
  let ncol = 1;
  for (const s of list) ncol = Math.max(ncol, s.ncol);
  const out = newSizeMatrix(ng, ncol);
  for (const s of list) {
    for (let i = 0; i < s.ng; i++) for (let j = 0; j < s.ncol; j++) out.m[i * ncol + j] += s.m[i * s.ncol + j]!;
  }
  return out;
}

export function matrixTotal(s: SizeMatrix): number {
  let t = 0;
  for (let k = 0; k < s.m.length; k++) t += s.m[k]!;
  return t;
}

/**
 * The features IBSI defines identically for GLRLM, GLSZM, GLDZM and NGLDM (manual sections
 * 3.7–3.11), on a matrix with grey levels i = 1..ng and sizes j = 1..ncol, N = Σ m, and the
 * voxel count `nv` for the percentage feature. Keys are generic: SE (small/short emphasis),
 * LE, LGE, HGE, SLGE, SHGE, LLGE, LHGE, GLNU, GLNUN, SNU, SNUN, PERC, GLV, SV, ENT, ENERGY.
 */
export function sizeMatrixFeatures(s: SizeMatrix, nv: number): Record<string, number> {
  const { ng, ncol, m } = s;
  const N = matrixTotal(s);
  let se = 0, le = 0, lge = 0, hge = 0, slge = 0, shge = 0, llge = 0, lhge = 0;
  let ent = 0, energy = 0, mi = 0, mj = 0;
  const ri = new Float64Array(ng);
  const cj = new Float64Array(ncol);
  for (let i = 1; i <= ng; i++) {
    for (let j = 1; j <= ncol; j++) {
      const v = m[(i - 1) * ncol + (j - 1)]!;
      if (v === 0) continue;
      const i2 = i * i, j2 = j * j;
      se += v / j2;
      le += v * j2;
      lge += v / i2;
      hge += v * i2;
      slge += v / (i2 * j2);
      shge += (v * i2) / j2;
      llge += (v * j2) / i2;
      lhge += v * i2 * j2;
      ri[i - 1] += v;
      cj[j - 1] += v;
      const p = v / N;
      ent -= p * Math.log2(p);
      energy += p * p;
      mi += i * p;
      mj += j * p;
    }
  }
  let glnu = 0, snu = 0, glv = 0, sv = 0;
  for (let i = 1; i <= ng; i++) glnu += ri[i - 1]! ** 2;
  for (let j = 1; j <= ncol; j++) snu += cj[j - 1]! ** 2;
  for (let i = 1; i <= ng; i++) {
    for (let j = 1; j <= ncol; j++) {
      const v = m[(i - 1) * ncol + (j - 1)]!;
      if (v === 0) continue;
      const p = v / N;
      glv += (i - mi) ** 2 * p;
      sv += (j - mj) ** 2 * p;
    }
  }
  return {
    SE: se / N,
    LE: le / N,
    LGE: lge / N,
    HGE: hge / N,
    SLGE: slge / N,
    SHGE: shge / N,
    LLGE: llge / N,
    LHGE: lhge / N,
    GLNU: glnu / N,
    GLNUN: glnu / (N * N),
    SNU: snu / N,
    SNUN: snu / (N * N),
    PERC: N / nv,
    GLV: glv,
    SV: sv,
    ENT: ent,
    ENERGY: energy,
  };
}

/** Slices (z indices) of the block holding at least one voxel with level > 0. */
export function occupiedSlices(roi: IbsiTextureRoi): number[] {
  const [nx, ny, nz] = roi.size;
  const out: number[] = [];
  for (let z = 0; z < nz; z++) {
    const base = z * nx * ny;
    for (let k = 0; k < nx * ny; k++) {
      if (roi.levels[base + k]! > 0) {
        out.push(z);
        break;
      }
    }
  }
  return out;
}

/** Number of voxels with level > 0 in slice z, or in the whole block when z is null. */
export function roiVoxelCount(roi: IbsiTextureRoi, z: number | null): number {
  const [nx, ny] = roi.size;
  const lo = z === null ? 0 : z * nx * ny;
  const hi = z === null ? roi.levels.length : lo + nx * ny;
  let n = 0;
  for (let k = lo; k < hi; k++) if (roi.levels[k]! > 0) n++;
  return n;
}
