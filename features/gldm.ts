import { RadnomoError } from '../src/errors';
import type { Vec3 } from '../src/image';
import { pairwiseSum } from './firstorder';
import { DEFAULT_TEXTURE_SETTINGS, type DiscretisedRoi, type TextureSettings } from './roi';

/** PyRadiomics' GLDM features (non-deprecated), in the order its class defines them. */
export const GLDM_FEATURE_NAMES = [
  'SmallDependenceEmphasis',
  'LargeDependenceEmphasis',
  'GrayLevelNonUniformity',
  'DependenceNonUniformity',
  'DependenceNonUniformityNormalized',
  'GrayLevelVariance',
  'DependenceVariance',
  'DependenceEntropy',
  'LowGrayLevelEmphasis',
  'HighGrayLevelEmphasis',
  'SmallDependenceLowGrayLevelEmphasis',
  'SmallDependenceHighGrayLevelEmphasis',
  'LargeDependenceLowGrayLevelEmphasis',
  'LargeDependenceHighGrayLevelEmphasis',
] as const;

/** numpy.spacing(1), the eps PyRadiomics adds inside its logarithms. */
export const EPS = 2.220446049250313e-16;

/** Settings with PyRadiomics' defaults filled in; checks `distances`. */
export function textureSettings(settings: Partial<TextureSettings> = {}): TextureSettings {
  const s: TextureSettings = { ...DEFAULT_TEXTURE_SETTINGS, ...settings };
  if (!Array.isArray(s.distances) || s.distances.length === 0) {
    throw new RadnomoError('E_PARAMS', 'distances must be a non-empty list of whole numbers >= 1.');
  }
  for (const d of s.distances) {
    if (!(Number.isInteger(d) && d >= 1)) {
      throw new RadnomoError('E_PARAMS', `distances must be whole numbers >= 1, got ${String(d)}.`);
    }
  }
  if (s.force2D && ![0, 1, 2].includes(s.force2Ddimension)) {
    throw new RadnomoError('E_PARAMS', `force2Ddimension must be 0, 1 or 2, got ${String(s.force2Ddimension)}.`);
  }
  return s;
}

/**
 * The neighbour offsets PyRadiomics' C extension generates (`get_angle_count` and `build_angles`
 * in radiomics/src/cmatrices.c): every offset whose Chebyshev length is one of `distances`, no
 * component as large as the image size along its axis, none out of plane along
 * `force2Ddimension` when `force2D`; `bidirectional` false keeps only the first half of the
 * enumeration (one of each ± pair). The enumeration follows the numpy axis order (z, y, x), last
 * axis fastest, offsets from +max to −max, and — like the C code — cycles through the offset
 * combinations again when a distance is listed twice. Returned as [dx, dy, dz] triples in radnomo's
 * axis order (numpy axis k is radnomo axis 2 − k).
 */
export function neighbourOffsets(
  size: Vec3,
  distances: readonly number[],
  force2D: boolean,
  force2Ddimension: number,
  bidirectional: boolean,
): Int32Array {
  const npSize = [size[2], size[1], size[0]];
  const skipDim = force2D ? force2Ddimension : -1;
  let na = 0;
  for (const dist of distances) {
    let nd = 1;
    let ndd = 1;
    for (let k = 0; k < 3; k++) {
      if (k === skipDim) continue;
      if (dist < npSize[k]!) {
        nd *= 2 * dist + 1;
        ndd *= 2 * dist - 1;
      } else {
        nd *= 2 * (npSize[k]! - 1) + 1;
        ndd *= 2 * (npSize[k]! - 1) + 1;
      }
    }
    na += nd - ndd;
  }
  if (!bidirectional) na = Math.trunc(na / 2);
  const out = new Int32Array(3 * na);
  if (na === 0) return out;
  let maxDist = 0;
  for (const d of distances) if (d > maxDist) maxDist = d;
  const nOff = 2 * maxDist + 1;
  const stride = [nOff * nOff, nOff, 1];
  const off = [0, 0, 0];
  let a = 0;
  for (let gen = 0; a < na; gen++) {
    let aDist = 0;
    for (let k = 0; k < 3; k++) {
      const o = maxDist - (Math.floor(gen / stride[k]!) % nOff);
      if ((k === skipDim && o !== 0) || o >= npSize[k]! || o <= -npSize[k]!) {
        aDist = -1;
        break;
      }
      off[k] = o;
      if (Math.abs(o) > aDist) aDist = Math.abs(o);
    }
    if (aDist < 1 || !distances.includes(aDist)) continue;
    out[3 * a] = off[2]!;
    out[3 * a + 1] = off[1]!;
    out[3 * a + 2] = off[0]!;
    a++;
  }
  return out;
}


/**
 * Offsets prepared for a block of size `bsize`: linear index steps, and the margin m (largest
 * |component|) such that voxels at least m from every face of the block need no bounds check.
 */
export interface BlockOffsets {
  na: number;
  xyz: Int32Array;
  linear: Int32Array;
  margin: number;
}

/** Linear steps and margin of `offsets` ([dx, dy, dz] triples) in a block of size `bsize`. */
export function blockOffsets(offsets: Int32Array, bsize: Vec3): BlockOffsets {
  const na = offsets.length / 3;
  const linear = new Int32Array(na);
  let margin = 0;
  for (let a = 0; a < na; a++) {
    const dx = offsets[3 * a]!;
    const dy = offsets[3 * a + 1]!;
    const dz = offsets[3 * a + 2]!;
    linear[a] = dx + bsize[0] * (dy + bsize[1] * dz);
    margin = Math.max(margin, Math.abs(dx), Math.abs(dy), Math.abs(dz));
  }
  return { na, xyz: offsets, linear, margin };
}


/** The ROI cut to its bounding box: size, mask and levels of the box (x fastest), voxel count, max level. */
export interface RoiBlock {
  size: Vec3;
  mask: Uint8Array;
  levels: Int32Array;
  count: number;
  maxLevel: number;
}

/** Crops a DiscretisedRoi to the bounding box of its mask; throws E_MASK for an empty ROI or a level < 1. */
export function roiBlock(roi: DiscretisedRoi): RoiBlock {
  const [sx, sy, sz] = roi.size;
  let x0 = sx;
  let y0 = sy;
  let z0 = sz;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  for (let z = 0, i = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      for (let x = 0; x < sx; x++, i++) {
        if (!roi.mask[i]) continue;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (z < z0) z0 = z;
        if (z > z1) z1 = z;
      }
    }
  }
  if (x1 < 0) throw new RadnomoError('E_MASK', 'the ROI is empty: no voxel of the mask is set.');
  const bx = x1 - x0 + 1;
  const by = y1 - y0 + 1;
  const bz = z1 - z0 + 1;
  const mask = new Uint8Array(bx * by * bz);
  const levels = new Int32Array(bx * by * bz);
  let count = 0;
  let maxLevel = 0;
  for (let z = 0, k = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      let i = x0 + sx * (y + y0 + sy * (z + z0));
      for (let x = 0; x < bx; x++, k++, i++) {
        if (!roi.mask[i]) continue;
        const l = roi.levels[i]!;
        if (!(l >= 1)) throw new RadnomoError('E_VALUE', `ROI voxel ${i} has discretised gray level ${l}; levels must be >= 1.`);
        mask[k] = 1;
        levels[k] = l;
        count++;
        if (l > maxLevel) maxLevel = l;
      }
    }
  }
  return { size: [bx, by, bz], mask, levels, count, maxLevel };
}

/**
 * A matrix P(i, j) over gray levels i (rows, the gray levels present in the ROI) and a size-like
 * index j (columns, values in `jvector`), with the features PyRadiomics' GLRLM-style classes
 * derive from it. Empty rows and columns have been deleted, as PyRadiomics does.
 */
export interface GrayLevelSizeMatrix {
  /** Row-major, `ivector.length` × `jvector.length`. */
  P: Float64Array;
  ivector: Float64Array;
  jvector: Float64Array;
}

/**
 * PyRadiomics GLDM (radiomics/gldm.py, `calculate_gldm` in cmatrices.c; IBSI NGLDM with the
 * dependence counted as 1 + the number of dependent neighbours): for each ROI voxel with gray level
 * i, the number j of neighbours (offsets from `neighbourOffsets` for `distances`, within the ROI)
 * with |i − level| ≤ `gldm_a`, plus 1 for the voxel itself. Rows are the gray levels present,
 * columns the dependence counts that occur.
 */
export function gldmMatrix(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): GrayLevelSizeMatrix {
  const s = textureSettings(settings);
  const alpha = s.gldm_a;
  if (!Number.isInteger(alpha)) {
    throw new RadnomoError('E_PARAMS', `gldm_a must be a whole number (PyRadiomics passes it to C as int), got ${String(alpha)}.`);
  }
  const offsets = neighbourOffsets(roi.size, s.distances, s.force2D, s.force2Ddimension, true);
  const b = roiBlock(roi);
  const [bx, by, bz] = b.size;
  const { na, xyz, linear, margin } = blockOffsets(offsets, b.size);
  const ncol = na + 1;
  const ng = b.maxLevel;
  const full = new Float64Array(ng * ncol);
  const present = new Uint8Array(ng + 1);
  const { mask, levels } = b;
  for (let z = 0, k = 0; z < bz; z++) {
    const zIn = z >= margin && z < bz - margin;
    for (let y = 0; y < by; y++) {
      const yzIn = zIn && y >= margin && y < by - margin;
      for (let x = 0; x < bx; x++, k++) {
        if (!mask[k]) continue;
        const gl = levels[k]!;
        let dep = 0;
        if (yzIn && x >= margin && x < bx - margin) {
          for (let a = 0; a < na; a++) {
            const j = k + linear[a]!;
            if (!mask[j]) continue;
            const d = gl - levels[j]!;
            if ((d < 0 ? -d : d) <= alpha) dep++;
          }
        } else {
          for (let a = 0; a < na; a++) {
            const nx = x + xyz[3 * a]!;
            const ny = y + xyz[3 * a + 1]!;
            const nz = z + xyz[3 * a + 2]!;
            if (nx < 0 || nx >= bx || ny < 0 || ny >= by || nz < 0 || nz >= bz) continue;
            const j = k + linear[a]!;
            if (!mask[j]) continue;
            const d = gl - levels[j]!;
            if ((d < 0 ? -d : d) <= alpha) dep++;
          }
        }
        full[(gl - 1) * ncol + dep]! += 1;
        present[gl] = 1;
      }
    }
  }
  return compact(full, ng, ncol, present);
}

/** Deletes absent gray levels (rows) and empty columns; column c has j = c + 1. */
export function compact(full: Float64Array, ng: number, ncol: number, present: Uint8Array): GrayLevelSizeMatrix {
  const rows: number[] = [];
  for (let g = 1; g <= ng; g++) if (present[g]) rows.push(g);
  const cols: number[] = [];
  for (let c = 0; c < ncol; c++) {
    let t = 0;
    for (const g of rows) t += full[(g - 1) * ncol + c]!;
    if (t !== 0) cols.push(c);
  }
  const P = new Float64Array(rows.length * cols.length);
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < cols.length; c++) P[r * cols.length + c] = full[(rows[r]! - 1) * ncol + cols[c]!]!;
  }
  return { P, ivector: Float64Array.from(rows), jvector: Float64Array.from(cols, (c) => c + 1) };
}

/** Row sums (pg) and column sums (pj) of a GrayLevelSizeMatrix (exact: the entries are counts). */
export function marginals(m: GrayLevelSizeMatrix): { pg: Float64Array; pj: Float64Array; N: number } {
  const ni = m.ivector.length;
  const nj = m.jvector.length;
  const pg = new Float64Array(ni);
  const pj = new Float64Array(nj);
  let N = 0;
  for (let i = 0; i < ni; i++) {
    for (let j = 0; j < nj; j++) {
      const v = m.P[i * nj + j]!;
      pg[i]! += v;
      pj[j]! += v;
      N += v;
    }
  }
  return { pg, pj, N };
}

/**
 * The features shared by PyRadiomics' GLSZM and GLDM classes (same formulas, different names),
 * in numpy's evaluation order: `N` is Nz, `pj` the column marginal (ps or pd).
 */
export function sizeMatrixFeatures(m: GrayLevelSizeMatrix, N: number) {
  const { pg, pj } = marginals(m);
  const iv = m.ivector;
  const jv = m.jvector;
  const ni = iv.length;
  const nj = jv.length;
  const cells = ni * nj;
  const P = m.P;
  // Each sum fills `b` in numpy's element order and sums it pairwise, as numpy does. (Plain loops,
  // not a callback per feature: per-call closures made V8 recompile them for every image.)
  const b = new Float64Array(Math.max(cells, ni, nj, 1));
  const pgn = Float64Array.from(pg, (v) => v / N);
  const pjn = Float64Array.from(pj, (v) => v / N);
  for (let k = 0; k < ni; k++) b[k] = pgn[k]! * iv[k]!;
  const ui = pairwiseSum(b, 0, ni);
  for (let k = 0; k < nj; k++) b[k] = pjn[k]! * jv[k]!;
  const uj = pairwiseSum(b, 0, nj);
  for (let k = 0; k < nj; k++) b[k] = pj[k]! / jv[k]! ** 2;
  const smallEmphasis = pairwiseSum(b, 0, nj) / N;
  for (let k = 0; k < nj; k++) b[k] = pj[k]! * jv[k]! ** 2;
  const largeEmphasis = pairwiseSum(b, 0, nj) / N;
  for (let k = 0; k < ni; k++) b[k] = pg[k]! ** 2;
  const sumPg2 = pairwiseSum(b, 0, ni);
  for (let k = 0; k < nj; k++) b[k] = pj[k]! ** 2;
  const sumPj2 = pairwiseSum(b, 0, nj);
  for (let k = 0; k < ni; k++) b[k] = pgn[k]! * (iv[k]! - ui) ** 2;
  const grayVariance = pairwiseSum(b, 0, ni);
  for (let k = 0; k < nj; k++) b[k] = pjn[k]! * (jv[k]! - uj) ** 2;
  const sizeVariance = pairwiseSum(b, 0, nj);
  for (let k = 0; k < cells; k++) {
    const p = P[k]! / N;
    b[k] = p * Math.log2(p + EPS);
  }
  const entropy = -pairwiseSum(b, 0, cells);
  for (let k = 0; k < ni; k++) b[k] = pg[k]! / iv[k]! ** 2;
  const lowGray = pairwiseSum(b, 0, ni) / N;
  for (let k = 0; k < ni; k++) b[k] = pg[k]! * iv[k]! ** 2;
  const highGray = pairwiseSum(b, 0, ni) / N;
  const i2 = Float64Array.from(iv, (v) => v ** 2);
  const j2 = Float64Array.from(jv, (v) => v ** 2);
  return {
    smallEmphasis,
    largeEmphasis,
    grayNonUniformity: sumPg2 / N,
    grayNonUniformityNormalized: sumPg2 / N ** 2,
    sizeNonUniformity: sumPj2 / N,
    sizeNonUniformityNormalized: sumPj2 / N ** 2,
    grayVariance,
    sizeVariance,
    entropy,
    lowGray,
    highGray,
    smallLow: jointEmphasis(P, i2, j2, b, N, 0),
    smallHigh: jointEmphasis(P, i2, j2, b, N, 1),
    largeLow: jointEmphasis(P, i2, j2, b, N, 2),
    largeHighIJ: jointEmphasis(P, i2, j2, b, N, 3),
    largeHighJI: jointEmphasis(P, i2, j2, b, N, 4),
  };
}

/** Σ over the cells of P of P·i^±2·j^±2 (the four joint emphases; `kind` picks the term), pairwise, / N. */
function jointEmphasis(P: Float64Array, i2: Float64Array, j2: Float64Array, b: Float64Array, N: number, kind: 0 | 1 | 2 | 3 | 4): number {
  const ni = i2.length;
  const nj = j2.length;
  for (let i = 0, k = 0; i < ni; i++) {
    const a = i2[i]!;
    for (let j = 0; j < nj; j++, k++) {
      const c = j2[j]!;
      const p = P[k]!;
      // the operand order of PyRadiomics' expressions, so the rounding matches
      b[k] = kind === 0 ? p / (a * c) : kind === 1 ? (p * a) / c : kind === 2 ? (p * c) / a : kind === 3 ? p * a * c : p * (c * a);
    }
  }
  return pairwiseSum(b, 0, ni * nj) / N;
}

/**
 * PyRadiomics GLDM features (radiomics/gldm.py; IBSI NGLDM family), all 14 non-deprecated ones,
 * under PyRadiomics' names. Settings: `distances`, `gldm_a`, `force2D`, `force2Ddimension`.
 */
export function gldmFeatures(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): Record<string, number> {
  const m = gldmMatrix(roi, settings);
  let nz = marginals(m).N;
  if (nz === 0) nz = 1;
  const f = sizeMatrixFeatures(m, nz);
  return {
    SmallDependenceEmphasis: f.smallEmphasis,
    LargeDependenceEmphasis: f.largeEmphasis,
    GrayLevelNonUniformity: f.grayNonUniformity,
    DependenceNonUniformity: f.sizeNonUniformity,
    DependenceNonUniformityNormalized: f.sizeNonUniformityNormalized,
    GrayLevelVariance: f.grayVariance,
    DependenceVariance: f.sizeVariance,
    DependenceEntropy: f.entropy,
    LowGrayLevelEmphasis: f.lowGray,
    HighGrayLevelEmphasis: f.highGray,
    SmallDependenceLowGrayLevelEmphasis: f.smallLow,
    SmallDependenceHighGrayLevelEmphasis: f.smallHigh,
    LargeDependenceLowGrayLevelEmphasis: f.largeLow,
    LargeDependenceHighGrayLevelEmphasis: f.largeHighJI,
  };
}
