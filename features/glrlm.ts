import { RadnomoError } from '../src/errors';
import { pairwiseSum } from './firstorder';
import { EPS, neighbourOffsets, roiBlock, textureSettings } from './gldm';
import { nanmean, sumRange } from './glcm';
import type { DiscretisedRoi, TextureSettings } from './roi';

/** PyRadiomics' GLRLM features, in the order its class defines them. */
export const GLRLM_FEATURE_NAMES = [
  'ShortRunEmphasis',
  'LongRunEmphasis',
  'GrayLevelNonUniformity',
  'GrayLevelNonUniformityNormalized',
  'RunLengthNonUniformity',
  'RunLengthNonUniformityNormalized',
  'RunPercentage',
  'GrayLevelVariance',
  'RunVariance',
  'RunEntropy',
  'LowGrayLevelRunEmphasis',
  'HighGrayLevelRunEmphasis',
  'ShortRunLowGrayLevelEmphasis',
  'ShortRunHighGrayLevelEmphasis',
  'LongRunLowGrayLevelEmphasis',
  'LongRunHighGrayLevelEmphasis',
] as const;

/** The raw GLRLMs of one ROI: one count matrix per direction. */
export interface GlrlmMatrices {
  /** Directions as [dx, dy, dz] triples (radnomo axis order), in PyRadiomics' order. */
  angles: Int32Array;
  /** The gray levels present in the ROI, ascending (rows; absent levels are deleted). */
  grayLevels: Float64Array;
  /** Number of run-length columns: run length j = column + 1, up to the largest block dimension. */
  Nr: number;
  /** Counts, angle-major: P[a·ng·Nr + g·Nr + (j − 1)], ng = grayLevels.length. */
  P: Float64Array;
}

/**
 * PyRadiomics GLRLM (radiomics/glrlm.py `_calculateMatrix`, `calculate_glrlm` in cmatrices.c;
 * IBSI GLRLM): for each direction a (the 13 unit offsets in 3D, one of each ± pair, or the 4
 * in-plane ones with `force2D`), P_a(i, j) counts runs — maximal sets of consecutive ROI voxels of
 * gray level i along a line of direction a, a voxel outside the ROI ending a run — of length j.
 * As in the C code, a direction along which no line holds two ROI voxels (e.g. out of plane for a
 * single-slice ROI) is emptied. Rows of gray levels absent from the ROI are deleted.
 */
export function glrlmMatrices(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): GlrlmMatrices {
  const s = textureSettings(settings);
  const b = roiBlock(roi);
  const [bx, by, bz] = b.size;
  // PyRadiomics runs on the image cropped to the ROI's bounding box; GLRLM always uses distance 1.
  const angles = neighbourOffsets(b.size, [1], s.force2D, s.force2Ddimension, false);
  const na = angles.length / 3;
  const ngMax = b.maxLevel;
  const Nr = Math.max(bx, by, bz);
  const { mask, levels } = b;
  const present = new Uint8Array(ngMax + 1);
  for (let k = 0; k < mask.length; k++) if (mask[k]) present[levels[k]!] = 1;
  const rowOf = new Int32Array(ngMax + 1).fill(-1);
  const gl: number[] = [];
  for (let g = 1; g <= ngMax; g++) {
    if (present[g]) {
      rowOf[g] = gl.length;
      gl.push(g);
    }
  }
  const ng = gl.length;
  const P = new Float64Array(na * ng * Nr);
  // The ROI voxels (block index and coordinates), in raster order.
  const nv = b.count;
  const vk = new Int32Array(nv);
  const vx = new Int32Array(nv);
  const vy = new Int32Array(nv);
  const vz = new Int32Array(nv);
  for (let z = 0, k = 0, v = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      for (let x = 0; x < bx; x++, k++) {
        if (!mask[k]) continue;
        vk[v] = k;
        vx[v] = x;
        vy[v] = y;
        vz[v] = z;
        v++;
      }
    }
  }
  const inBlock = (x: number, y: number, z: number): boolean => x >= 0 && x < bx && y >= 0 && y < by && z >= 0 && z < bz;
  for (let a = 0; a < na; a++) {
    const dx = angles[3 * a]!;
    const dy = angles[3 * a + 1]!;
    const dz = angles[3 * a + 2]!;
    const step = dx + bx * (dy + by * dz);
    const base = a * ng * Nr;
    // Does some line of this direction hold two ROI voxels (the C code's `multiElement`)?
    let multiElement = false;
    for (let v = 0; v < nv; v++) {
      const k = vk[v]!;
      const g = levels[k]!;
      const x = vx[v]!;
      const y = vy[v]!;
      const z = vz[v]!;
      // A run starts at a ROI voxel whose predecessor along the line is outside the block, outside
      // the ROI, or of another level.
      if (inBlock(x - dx, y - dy, z - dz) && mask[k - step]) {
        multiElement = true;
        if (levels[k - step] === g) continue;
      }
      let len = 1;
      let cx = x + dx;
      let cy = y + dy;
      let cz = z + dz;
      let kk = k + step;
      while (inBlock(cx, cy, cz) && mask[kk]) {
        multiElement = true;
        if (levels[kk] !== g) break;
        len++;
        cx += dx;
        cy += dy;
        cz += dz;
        kk += step;
      }
      P[base + rowOf[g]! * Nr + len - 1]! += 1;
    }
    if (!multiElement) {
      // No two ROI voxels are adjacent along this direction; look for two on one line with a gap.
      for (let v = 0; v < nv && !multiElement; v++) {
        let cx = vx[v]! + dx;
        let cy = vy[v]! + dy;
        let cz = vz[v]! + dz;
        let kk = vk[v]! + step;
        for (; inBlock(cx, cy, cz); cx += dx, cy += dy, cz += dz, kk += step) {
          if (mask[kk]) {
            multiElement = true;
            break;
          }
        }
      }
    }
    // As in the C code, a direction whose lines all hold at most one ROI voxel is emptied.
    if (!multiElement) P.fill(0, base, base + ng * Nr);
  }
  return { angles, grayLevels: Float64Array.from(gl), Nr, P };
}

/**
 * PyRadiomics' GLRLM direction weights (glrlm.py `_calculateMatrix`), from the physical offset
 * d = |a|·spacing: infinity max(d), euclidean sqrt(Σd²), manhattan Σd, no_weighting 1 (numpy
 * axis order z, y, x). Unlike the GLCM's, these are not exponentials.
 */
export function glrlmAngleWeights(angles: Int32Array, spacing: readonly number[], norm: NonNullable<TextureSettings['weightingNorm']>): Float64Array {
  const na = angles.length / 3;
  const w = new Float64Array(na);
  for (let a = 0; a < na; a++) {
    const d = [2, 1, 0].map((k) => Math.abs(angles[3 * a + k]!) * spacing[k]!);
    switch (norm) {
      case 'infinity':
        w[a] = Math.max(d[0]!, d[1]!, d[2]!);
        break;
      case 'euclidean':
        w[a] = Math.sqrt(d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2);
        break;
      case 'manhattan':
        w[a] = d[0]! + d[1]! + d[2]!;
        break;
      case 'no_weighting':
        w[a] = 1;
        break;
      default:
        throw new RadnomoError('E_PARAMS', `weightingNorm must be manhattan, euclidean, infinity, no_weighting or null, got ${String(norm)}.`);
    }
  }
  return w;
}

/**
 * Variance of `values` weighted by the marginal counts / Nr (PyRadiomics' GrayLevelVariance and
 * RunVariance: Σ p(k)·(v(k) − μ)², μ = Σ p(k)·v(k)), each sum taken as `sumRange` takes it.
 * `buf` is scratch of at least `n` entries.
 */
function marginalVariance(pw: boolean, buf: Float64Array, counts: Float64Array, values: Float64Array, n: number, Nr: number): number {
  for (let k = 0; k < n; k++) buf[k] = (counts[k]! / Nr) * values[k]!;
  const mu = sumRange(pw, buf, 0, n);
  for (let k = 0; k < n; k++) {
    const d = values[k]! - mu;
    buf[k] = (counts[k]! / Nr) * (d * d);
  }
  return sumRange(pw, buf, 0, n);
}

/**
 * PyRadiomics GLRLM features (radiomics/glrlm.py; IBSI GLRLM family), all 16, under PyRadiomics'
 * names. Per direction on the run-length matrix (Nr = number of runs, Np = Σ j·P of that
 * direction for RunPercentage), averaged with nanmean; with `weightingNorm` the directions are
 * first summed with PyRadiomics' weights. Empty directions and run lengths that occur in no
 * direction are deleted, as PyRadiomics does. i are the gray levels present. Settings:
 * `weightingNorm`, `force2D`, `force2Ddimension` (`distances` is not used, as in PyRadiomics).
 */
export function glrlmFeatures(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): Record<string, number> {
  const s = textureSettings(settings);
  const m = glrlmMatrices(roi, s);
  const ng = m.grayLevels.length;
  const nr = m.Nr;
  const cell = ng * nr;
  let na = m.angles.length / 3;
  let P = m.P;
  if (s.weightingNorm !== null && s.weightingNorm !== undefined) {
    const w = glrlmAngleWeights(m.angles, roi.spacing, s.weightingNorm);
    const W = new Float64Array(cell);
    const buf = new Float64Array(na);
    for (let e = 0; e < cell; e++) {
      for (let a = 0; a < na; a++) buf[a] = P[a * cell + e]! * w[a]!;
      W[e] = pairwiseSum(buf, 0, na);
    }
    P = W;
    na = 1;
  }
  // Number of runs per direction; empty directions are deleted when there is more than one.
  const keep: number[] = [];
  const totals: number[] = [];
  for (let a = 0; a < na; a++) {
    // (a single summed matrix is contiguous: numpy sums it pairwise; counts are exact either way)
    const t = sumRange(na === 1, P, a * cell, cell);
    totals.push(t);
    if (na === 1 || t !== 0) keep.push(a);
  }
  // Run lengths that occur in no (kept) direction are deleted.
  const cols: number[] = [];
  for (let j = 0; j < nr; j++) {
    let t = 0;
    for (const a of keep) for (let g = 0; g < ng; g++) t += P[a * cell + g * nr + j]!;
    if (t !== 0) cols.push(j);
  }
  const jv = Float64Array.from(cols, (j) => j + 1);
  const iv = m.grayLevels;
  const nj = cols.length;
  const pw = keep.length === 1;
  const perAngle: Record<string, number[]> = {};
  for (const name of GLRLM_FEATURE_NAMES) perAngle[name] = [];
  const p = new Float64Array(ng * nj);
  const pr = new Float64Array(nj);
  const pg = new Float64Array(ng);
  const buf = new Float64Array(Math.max(ng, nj, 1));
  const T = new Float64Array(5 * ng * nj);
  for (const a of keep) {
    for (let g = 0; g < ng; g++) for (let c = 0; c < nj; c++) p[g * nj + c] = P[a * cell + g * nr + cols[c]!]!;
    // pr: sum over gray levels (sequential, strided in numpy); pg: sum over run lengths
    pr.fill(0);
    for (let g = 0; g < ng; g++) for (let c = 0; c < nj; c++) pr[c]! += p[g * nj + c]!;
    // (pg over the full row, zeros of deleted run lengths included, as numpy sums it)
    for (let g = 0; g < ng; g++) pg[g] = sumRange(pw, P, a * cell + g * nr, nr);
    const Nr = totals[a] === 0 ? NaN : totals[a]!;
    const f = perAngle;
    for (let k = 0; k < nj; k++) buf[k] = pr[k]! / (jv[k]! * jv[k]!);
    f.ShortRunEmphasis!.push(sumRange(pw, buf, 0, nj) / Nr);
    for (let k = 0; k < nj; k++) buf[k] = pr[k]! * (jv[k]! * jv[k]!);
    f.LongRunEmphasis!.push(sumRange(pw, buf, 0, nj) / Nr);
    for (let k = 0; k < ng; k++) buf[k] = pg[k]! * pg[k]!;
    const sumPg2 = sumRange(pw, buf, 0, ng);
    f.GrayLevelNonUniformity!.push(sumPg2 / Nr);
    f.GrayLevelNonUniformityNormalized!.push(sumPg2 / (Nr * Nr));
    for (let k = 0; k < nj; k++) buf[k] = pr[k]! * pr[k]!;
    const sumPr2 = sumRange(pw, buf, 0, nj);
    f.RunLengthNonUniformity!.push(sumPr2 / Nr);
    f.RunLengthNonUniformityNormalized!.push(sumPr2 / (Nr * Nr));
    for (let k = 0; k < nj; k++) buf[k] = pr[k]! * jv[k]!;
    f.RunPercentage!.push(Nr / sumRange(pw, buf, 0, nj));
    f.GrayLevelVariance!.push(marginalVariance(pw, buf, pg, iv, ng, Nr));
    f.RunVariance!.push(marginalVariance(pw, buf, pr, jv, nj, Nr));
    // The ng × nj sums: one pass filling a row of T per feature, each summed in C order.
    const cells = ng * nj;
    for (let g = 0, e = 0; g < ng; g++) {
      const i2 = iv[g]! * iv[g]!;
      for (let c = 0; c < nj; c++, e++) {
        const pe = p[e]!;
        const j2 = jv[c]! * jv[c]!;
        const q = pe / Nr;
        T[e] = q === 0 ? 0 : q * Math.log2(q + EPS);
        T[cells + e] = pe / (i2 * j2);
        T[2 * cells + e] = (pe * i2) / j2;
        T[3 * cells + e] = (pe * j2) / i2;
        T[4 * cells + e] = pe * (j2 * i2);
      }
    }
    f.RunEntropy!.push(-sumRange(pw, T, 0 * cells, cells));
    for (let k = 0; k < ng; k++) buf[k] = pg[k]! / (iv[k]! * iv[k]!);
    f.LowGrayLevelRunEmphasis!.push(sumRange(pw, buf, 0, ng) / Nr);
    for (let k = 0; k < ng; k++) buf[k] = pg[k]! * (iv[k]! * iv[k]!);
    f.HighGrayLevelRunEmphasis!.push(sumRange(pw, buf, 0, ng) / Nr);
    f.ShortRunLowGrayLevelEmphasis!.push(sumRange(pw, T, 1 * cells, cells) / Nr);
    f.ShortRunHighGrayLevelEmphasis!.push(sumRange(pw, T, 2 * cells, cells) / Nr);
    f.LongRunLowGrayLevelEmphasis!.push(sumRange(pw, T, 3 * cells, cells) / Nr);
    f.LongRunHighGrayLevelEmphasis!.push(sumRange(pw, T, 4 * cells, cells) / Nr);
  }
  const out: Record<string, number> = {};
  for (const name of GLRLM_FEATURE_NAMES) out[name] = nanmean(perAngle[name]!);
  return out;
}
