import { RadnomoError } from '../src/errors';
import { pairwiseSum } from './firstorder';
import { blockOffsets, EPS, neighbourOffsets, roiBlock, textureSettings } from './gldm';
import type { DiscretisedRoi, TextureSettings } from './roi';

/** PyRadiomics' GLCM features (non-deprecated), in the order its class defines them. */
export const GLCM_FEATURE_NAMES = [
  'Autocorrelation',
  'JointAverage',
  'ClusterProminence',
  'ClusterShade',
  'ClusterTendency',
  'Contrast',
  'Correlation',
  'DifferenceAverage',
  'DifferenceEntropy',
  'DifferenceVariance',
  'JointEnergy',
  'JointEntropy',
  'Imc1',
  'Imc2',
  'Idm',
  'MCC',
  'Idmn',
  'Id',
  'Idn',
  'InverseVariance',
  'MaximumProbability',
  'SumAverage',
  'SumEntropy',
  'SumSquares',
] as const;

/** The raw GLCMs of one ROI: one count matrix per direction, over the gray levels present. */
export interface GlcmMatrices {
  /** Directions as [dx, dy, dz] triples (radnomo axis order), in PyRadiomics' order. */
  angles: Int32Array;
  /** The gray levels present in the ROI (PyRadiomics `coefficients['grayLevels']`), ascending. */
  grayLevels: Float64Array;
  /** The largest gray level in the ROI (PyRadiomics `coefficients['Ng']`). */
  Ng: number;
  /**
   * Counts, angle-major: P[a·n² + r·n + c] for gray levels grayLevels[r] (reference voxel) and
   * grayLevels[c] (neighbour), n = grayLevels.length; P + Pᵀ when `symmetricalGLCM`.
   */
  P: Float64Array;
}

/**
 * PyRadiomics GLCM (radiomics/glcm.py `_calculateMatrix`, `calculate_glcm` in cmatrices.c; IBSI
 * GLCM): for each direction a (one of each ± pair of the offsets whose Chebyshev length is in
 * `distances`, in plane when `force2D`), P_a(i, j) counts ROI voxels of level i whose neighbour at
 * offset a is in the ROI with level j. Rows/columns of gray levels absent from the ROI are
 * removed, and P_a + P_aᵀ is taken when `symmetricalGLCM` (default). Not normalised, not weighted.
 */
export function glcmMatrices(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): GlcmMatrices {
  const s = textureSettings(settings);
  const b = roiBlock(roi);
  const [bx, by, bz] = b.size;
  // PyRadiomics runs on the image cropped to the ROI's bounding box, so angles follow its size.
  const angles = neighbourOffsets(b.size, s.distances, s.force2D, s.force2Ddimension, false);
  const { na, xyz, linear, margin } = blockOffsets(angles, b.size);
  const ngMax = b.maxLevel;
  const { mask, levels } = b;
  // Rows/columns only for the gray levels present (PyRadiomics deletes the others afterwards).
  const present = new Uint8Array(ngMax + 1);
  for (let k = 0; k < mask.length; k++) if (mask[k]) present[levels[k]!] = 1;
  const idxOf = new Int32Array(ngMax + 1).fill(-1);
  const gl: number[] = [];
  for (let g = 1; g <= ngMax; g++) {
    if (present[g]) {
      idxOf[g] = gl.length;
      gl.push(g);
    }
  }
  const n = gl.length;
  const n2 = n * n;
  const cidx = new Int32Array(levels.length);
  for (let k = 0; k < mask.length; k++) if (mask[k]) cidx[k] = idxOf[levels[k]!]!;
  const raw = new Float64Array(na * n2);
  for (let z = 0, k = 0; z < bz; z++) {
    const zIn = z >= margin && z < bz - margin;
    for (let y = 0; y < by; y++) {
      const yzIn = zIn && y >= margin && y < by - margin;
      for (let x = 0; x < bx; x++, k++) {
        if (!mask[k]) continue;
        const row = cidx[k]! * n;
        if (yzIn && x >= margin && x < bx - margin) {
          for (let a = 0; a < na; a++) {
            const j = k + linear[a]!;
            if (mask[j]) raw[a * n2 + row + cidx[j]!]! += 1;
          }
        } else {
          for (let a = 0; a < na; a++) {
            const nx = x + xyz[3 * a]!;
            const ny = y + xyz[3 * a + 1]!;
            const nz = z + xyz[3 * a + 2]!;
            if (nx < 0 || nx >= bx || ny < 0 || ny >= by || nz < 0 || nz >= bz) continue;
            const j = k + linear[a]!;
            if (mask[j]) raw[a * n2 + row + cidx[j]!]! += 1;
          }
        }
      }
    }
  }
  let P = raw;
  if (s.symmetricalGLCM) {
    P = new Float64Array(na * n2);
    for (let a = 0; a < na; a++) {
      const o = a * n2;
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) P[o + r * n + c] = raw[o + r * n + c]! + raw[o + c * n + r]!;
    }
  }
  return { angles, grayLevels: Float64Array.from(gl), Ng: ngMax, P };
}

/**
 * PyRadiomics' direction weights (glcm.py `_calculateMatrix`): with the physical offset
 * d = |a|·spacing, infinity exp(−max(d)²), euclidean exp(−Σd²), manhattan exp(−(Σd)²),
 * no_weighting 1. Summed in numpy's axis order (z, y, x).
 */
export function glcmAngleWeights(angles: Int32Array, spacing: readonly number[], norm: NonNullable<TextureSettings['weightingNorm']>): Float64Array {
  const na = angles.length / 3;
  const w = new Float64Array(na);
  for (let a = 0; a < na; a++) {
    // numpy order: z, y, x
    const d = [2, 1, 0].map((k) => Math.abs(angles[3 * a + k]!) * spacing[k]!);
    switch (norm) {
      case 'infinity':
        w[a] = Math.exp(-(Math.max(d[0]!, d[1]!, d[2]!) ** 2));
        break;
      case 'euclidean':
        w[a] = Math.exp(-(d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2));
        break;
      case 'manhattan':
        w[a] = Math.exp(-((d[0]! + d[1]! + d[2]!) ** 2));
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

/** Mean of the non-NaN values (numpy.nanmean); NaN when there are none. */
export function nanmean(v: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isNaN(x)) {
      s += x;
      c++;
    }
  }
  return c === 0 ? NaN : s / c;
}

/**
 * Sums `n` values of `buf` from `start`: numpy's pairwise sum when the reduction runs over a
 * contiguous block (`pairwise`: a single direction left), else in order (numpy accumulates across
 * the trailing direction axis).
 */
export function sumRange(pairwise: boolean, buf: Float64Array, start: number, n: number): number {
  if (pairwise) return pairwiseSum(buf, start, n);
  let t = 0;
  for (let i = start; i < start + n; i++) t += buf[i]!;
  return t;
}

/**
 * PyRadiomics GLCM features (radiomics/glcm.py; IBSI GLCM family), all 24 non-deprecated ones,
 * under PyRadiomics' names. Each is computed per direction on the normalised matrix and averaged
 * over directions with nanmean (JointAverage with a plain mean); with `weightingNorm`, the
 * directions' matrices are first summed with PyRadiomics' distance weights into one. Directions
 * without any pair are dropped. i and j are the gray levels present; Ng (Idmn, Idn and the
 * k ranges of p_{x+y}, p_{x−y}) is the largest gray level. Settings: `distances`,
 * `symmetricalGLCM`, `weightingNorm`, `force2D`, `force2Ddimension`.
 */
export function glcmFeatures(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): Record<string, number> {
  const s = textureSettings(settings);
  const m = glcmMatrices(roi, s);
  const n = m.grayLevels.length;
  const n2 = n * n;
  let na = m.angles.length / 3;
  let P = m.P;
  if (s.weightingNorm !== null && s.weightingNorm !== undefined) {
    const w = glcmAngleWeights(m.angles, roi.spacing, s.weightingNorm);
    const W = new Float64Array(n2);
    const buf = new Float64Array(na);
    for (let e = 0; e < n2; e++) {
      for (let a = 0; a < na; a++) buf[a] = P[a * n2 + e]! * w[a]!;
      W[e] = pairwiseSum(buf, 0, na);
    }
    P = W;
    na = 1;
  }
  // Totals per direction; empty directions are deleted when there is more than one.
  const keep: number[] = [];
  const totals: number[] = [];
  for (let a = 0; a < na; a++) {
    // (a single summed matrix is contiguous: numpy sums it pairwise; counts are exact either way)
    const t = sumRange(na === 1, P, a * n2, n2);
    totals.push(t);
    if (na === 1 || t !== 0) keep.push(a);
  }
  const pw = keep.length === 1;
  const Ng = m.Ng;
  const gv = m.grayLevels;
  const kSum = 2 * Ng - 1; // k = 2 .. 2Ng
  const kDiff = Ng; // k = 0 .. Ng − 1
  const perAngle: Record<string, number[]> = {};
  for (const name of GLCM_FEATURE_NAMES) perAngle[name] = [];
  const p = new Float64Array(n2);
  const buf = new Float64Array(Math.max(n2, kSum));
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const pxAddy = new Float64Array(kSum);
  const pxSuby = new Float64Array(kDiff);
  // Per-element terms of the n × n sums, one row of T each, summed in C order (numpy's order).
  const NT = 8;
  const T = new Float64Array(NT * n2);
  // Element indices (C order) with gv_i + gv_j = k + 2, and with |gv_i − gv_j| = k
  const { idx: addIdx, start: addStart } = groupIndices(gv, kSum, true);
  const { idx: subIdx, start: subStart } = groupIndices(gv, kDiff, false);
  const gbuf = new Float64Array(n2);
  for (const a of keep) {
    const t = totals[a] === 0 ? NaN : totals[a]!;
    for (let e = 0; e < n2; e++) p[e] = P[a * n2 + e]! / t;
    for (let r = 0; r < n; r++) px[r] = sumRange(pw, p, r * n, n);
    for (let c = 0; c < n; c++) {
      let v = 0;
      for (let r = 0; r < n; r++) v += p[r * n + c]!;
      py[c] = v;
    }
    for (let r = 0, e = 0; r < n; r++) {
      const gr = gv[r]!;
      for (let c = 0; c < n; c++, e++) {
        const pe = p[e]!;
        const gc = gv[c]!;
        const pxy = px[r]! * py[c]!;
        const dij = Math.abs(gr - gc);
        T[e] = gr * pe; // ux
        T[n2 + e] = gc * pe; // uy
        // (0 · log2(eps) = 0: the logarithms are skipped where they are multiplied by 0)
        const lxy = pxy === 0 ? 0 : Math.log2(pxy + EPS);
        T[2 * n2 + e] = pe === 0 ? 0 : pe * Math.log2(pe + EPS); // HXY
        T[3 * n2 + e] = pe * (gr * gc); // Autocorrelation
        T[4 * n2 + e] = pe * (dij * dij); // Contrast
        T[5 * n2 + e] = pe * pe; // JointEnergy
        T[6 * n2 + e] = pe * lxy; // HXY1
        T[7 * n2 + e] = pxy * lxy; // HXY2
      }
    }
    const ux = sumRange(pw, T, 0 * n2, n2);
    const uy = sumRange(pw, T, 1 * n2, n2);
    const HXY = -sumRange(pw, T, 2 * n2, n2);
    const autocorrelation = sumRange(pw, T, 3 * n2, n2);
    const contrast = sumRange(pw, T, 4 * n2, n2);
    const energy = sumRange(pw, T, 5 * n2, n2);
    const HXY1 = -sumRange(pw, T, 6 * n2, n2);
    const HXY2 = -sumRange(pw, T, 7 * n2, n2);
    for (let r = 0, e = 0; r < n; r++) {
      const gr = gv[r]!;
      const dx = gr - ux;
      for (let c = 0; c < n; c++, e++) {
        const pe = p[e]!;
        const dy = gv[c]! - uy;
        const d = gr + gv[c]! - ux - uy;
        const d2 = d * d;
        T[e] = pe * (d2 * d2); // ClusterProminence
        T[n2 + e] = pe * (d2 * d); // ClusterShade
        T[2 * n2 + e] = pe * d2; // ClusterTendency
        T[3 * n2 + e] = pe * (dx * dx); // sigx², SumSquares
        T[4 * n2 + e] = pe * (dy * dy); // sigy²
        T[5 * n2 + e] = pe * dx * dy; // corm
      }
    }
    const sumSquares = sumRange(pw, T, 3 * n2, n2);
    const sigx = Math.sqrt(sumSquares);
    const sigy = Math.sqrt(sumRange(pw, T, 4 * n2, n2));
    const corm = sumRange(pw, T, 5 * n2, n2);
    // p_{x+y}(k) and p_{x−y}(k): sums over the selected elements in C order
    for (let k = 0; k < kSum; k++) pxAddy[k] = sumIndexed(pw, p, addIdx, addStart[k]!, addStart[k + 1]!, gbuf);
    for (let k = 0; k < kDiff; k++) pxSuby[k] = sumIndexed(pw, p, subIdx, subStart[k]!, subStart[k + 1]!, gbuf);
    const f = perAngle;
    f.Autocorrelation!.push(autocorrelation);
    f.JointAverage!.push(ux);
    f.ClusterProminence!.push(sumRange(pw, T, 0 * n2, n2));
    f.ClusterShade!.push(sumRange(pw, T, 1 * n2, n2));
    f.ClusterTendency!.push(sumRange(pw, T, 2 * n2, n2));
    f.Contrast!.push(contrast);
    f.Correlation!.push(sigx * sigy === 0 ? 1 : corm / (sigx * sigy + EPS));
    for (let k = 0; k < kDiff; k++) buf[k] = k * pxSuby[k]!;
    const diffavg = sumRange(pw, buf, 0, kDiff);
    f.DifferenceAverage!.push(diffavg);
    for (let k = 0; k < kDiff; k++) buf[k] = pxSuby[k]! * Math.log2(pxSuby[k]! + EPS);
    f.DifferenceEntropy!.push(-sumRange(pw, buf, 0, kDiff));
    for (let k = 0; k < kDiff; k++) buf[k] = pxSuby[k]! * (k - diffavg) ** 2;
    f.DifferenceVariance!.push(sumRange(pw, buf, 0, kDiff));
    f.JointEnergy!.push(energy);
    f.JointEntropy!.push(HXY);
    for (let k = 0; k < n; k++) buf[k] = px[k]! * Math.log2(px[k]! + EPS);
    const HX = -sumRange(pw, buf, 0, n);
    for (let k = 0; k < n; k++) buf[k] = py[k]! * Math.log2(py[k]! + EPS);
    const HY = -sumRange(pw, buf, 0, n);
    const div = Math.max(HX, HY);
    f.Imc1!.push(div !== 0 ? (HXY - HXY1) / div : Number.isNaN(div) ? NaN : 0);
    f.Imc2!.push(HXY2 === HXY ? 0 : (1 - Math.E ** (-2 * (HXY2 - HXY))) ** 0.5);
    for (let k = 0; k < kDiff; k++) buf[k] = pxSuby[k]! / (1 + k ** 2);
    f.Idm!.push(sumRange(pw, buf, 0, kDiff));
    for (let k = 0; k < kDiff; k++) buf[k] = pxSuby[k]! / (1 + k ** 2 / Ng ** 2);
    f.Idmn!.push(sumRange(pw, buf, 0, kDiff));
    for (let k = 0; k < kDiff; k++) buf[k] = pxSuby[k]! / (1 + k);
    f.Id!.push(sumRange(pw, buf, 0, kDiff));
    for (let k = 0; k < kDiff; k++) buf[k] = pxSuby[k]! / (1 + k / Ng);
    f.Idn!.push(sumRange(pw, buf, 0, kDiff));
    for (let k = 0; k < kDiff - 1; k++) buf[k] = pxSuby[k + 1]! / (k + 1) ** 2;
    f.InverseVariance!.push(sumRange(pw, buf, 0, kDiff - 1));
    let maxp = -Infinity;
    for (let e = 0; e < n2; e++) {
      if (Number.isNaN(p[e]!)) {
        maxp = NaN;
        break;
      }
      if (p[e]! > maxp) maxp = p[e]!;
    }
    f.MaximumProbability!.push(maxp);
    for (let k = 0; k < kSum; k++) buf[k] = (k + 2) * pxAddy[k]!;
    f.SumAverage!.push(sumRange(pw, buf, 0, kSum));
    for (let k = 0; k < kSum; k++) buf[k] = pxAddy[k]! * Math.log2(pxAddy[k]! + EPS);
    f.SumEntropy!.push(-sumRange(pw, buf, 0, kSum));
    f.SumSquares!.push(sumSquares);
    if (n >= 2) f.MCC!.push(mcc(p, px, py, n));
  }
  const out: Record<string, number> = {};
  for (const name of GLCM_FEATURE_NAMES) out[name] = nanmean(perAngle[name]!);
  // JointAverage: plain mean over directions (ux.mean), NaN propagates
  const ja = perAngle.JointAverage!;
  out.JointAverage = ja.length === 0 ? NaN : ja.reduce((u, v) => u + v, 0) / ja.length;
  // MCC: a single gray level (Q is 1 × 1) gives 1
  if (n < 2) out.MCC = 1;
  return out;
}

/** Sum of p[idx[from..to)] (gathered into `gbuf` first, so the rounding is numpy's over the selection). */
function sumIndexed(pw: boolean, p: Float64Array, idx: Int32Array, from: number, to: number, gbuf: Float64Array): number {
  for (let e = from; e < to; e++) gbuf[e - from] = p[idx[e]!]!;
  return sumRange(pw, gbuf, 0, to - from);
}

/**
 * Indices e = r·n + c of the n × n matrix over gray levels `gv`, grouped by the key
 * gv_r + gv_c − 2 (`bySum`) or |gv_r − gv_c| in [0, nk), each group in C order.
 */
function groupIndices(gv: Float64Array, nk: number, bySum: boolean): { idx: Int32Array; start: Int32Array } {
  const n = gv.length;
  const key = new Int32Array(n * n);
  for (let r = 0, e = 0; r < n; r++) for (let c = 0; c < n; c++, e++) key[e] = bySum ? gv[r]! + gv[c]! - 2 : Math.abs(gv[r]! - gv[c]!);
  const start = new Int32Array(nk + 1);
  for (let e = 0; e < n * n; e++) start[key[e]! + 1]! += 1;
  for (let k = 0; k < nk; k++) start[k + 1]! += start[k]!;
  const fill = Int32Array.from(start);
  const idx = new Int32Array(n * n);
  for (let e = 0; e < n * n; e++) idx[fill[key[e]!]!++] = e;
  return { idx, start };
}

/**
 * PyRadiomics' Maximal Correlation Coefficient for one direction: sqrt of the second-largest
 * eigenvalue of Q(i, j) = Σ_k p(i, k) p(j, k) / (p_x(i) p_y(k) + eps) (numpy.linalg.eigvals,
 * sorted). Q = D⁻¹·(P D_y⁻¹ Pᵀ) up to the eps terms, D = diag(p_x), so S = D^½ Q D^−½ is symmetric
 * but for those terms; an antisymmetric perturbation moves the eigenvalues of a symmetric matrix
 * only to second order, so the eigenvalues of (S + Sᵀ)/2 — from a symmetric solver — are those of
 * Q to within (eps / p_x p_y)² relative. Gray levels with p_x(i) = 0 have a zero row and column
 * in Q (eigenvalue 0) and are left out of S. A negative second eigenvalue (round-off of 0) gives
 * NaN, as numpy's real sqrt does, and nanmean drops it.
 */
function mcc(p: Float64Array, px: Float64Array, py: Float64Array, n: number): number {
  const live: number[] = [];
  for (let r = 0; r < n; r++) {
    if (Number.isNaN(px[r]!)) return NaN;
    if (px[r]! > 0) live.push(r);
  }
  const m = live.length;
  if (m < 2) return m === 1 && n >= 2 ? 0 : NaN;
  // A(i, k) = p(i, k) / (p_x(i) p_y(k) + eps) on the live rows, kept as lists of its non-zeros
  // (skipping zero terms leaves every sum unchanged).
  const nzStart = new Int32Array(m + 1);
  const nzK = new Int32Array(m * n);
  const nzA = new Float64Array(m * n);
  let nnz = 0;
  for (let u = 0; u < m; u++) {
    const r = live[u]!;
    for (let k = 0; k < n; k++) {
      const v = p[r * n + k]!;
      if (v === 0) continue;
      nzK[nnz] = k;
      nzA[nnz++] = v / (px[r]! * py[k]! + EPS);
    }
    nzStart[u + 1] = nnz;
  }
  const sq = new Float64Array(m);
  for (let u = 0; u < m; u++) sq[u] = Math.sqrt(px[live[u]!]!);
  const S = new Float64Array(m * m);
  for (let u = 0; u < m; u++) {
    const ru = live[u]! * n;
    const u0 = nzStart[u]!;
    const u1 = nzStart[u + 1]!;
    for (let v = u; v < m; v++) {
      const rv = live[v]! * n;
      let quv = 0; // Q(u, v) = Σ_k A(u, k) p(v, k)
      for (let t = u0; t < u1; t++) quv += nzA[t]! * p[rv + nzK[t]!]!;
      let qvu = 0;
      for (let t = nzStart[v]!, t1 = nzStart[v + 1]!; t < t1; t++) qvu += nzA[t]! * p[ru + nzK[t]!]!;
      const val = 0.5 * (quv * (sq[u]! / sq[v]!) + qvu * (sq[v]! / sq[u]!));
      S[u * m + v] = val;
      S[v * m + u] = val;
    }
  }
  const ev = symmetricEigenvalues(S, m);
  ev.sort();
  // zero eigenvalues of the left-out levels sit below the live ones' when those are ≥ 0
  let second = ev[m - 2]!;
  if (m < n && second < 0) second = 0;
  return second < 0 ? NaN : Math.sqrt(second);
}

/**
 * Eigenvalues of a real symmetric n × n matrix (row-major; overwritten): Householder reduction to
 * tridiagonal form, then the implicit QL algorithm with Wilkinson shifts (eigenvalues only).
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // Householder tridiagonalisation, working on the lower triangle from the last row up.
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const ri = i * n;
    let h = 0;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(a[ri + k]!);
      if (scale === 0) {
        e[i] = a[ri + l]!;
      } else {
        for (let k = 0; k <= l; k++) {
          a[ri + k]! /= scale;
          h += a[ri + k]! * a[ri + k]!;
        }
        let f = a[ri + l]!;
        let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        a[ri + l] = f - g;
        f = 0;
        for (let j = 0; j <= l; j++) {
          g = 0;
          for (let k = 0; k <= j; k++) g += a[j * n + k]! * a[ri + k]!;
          for (let k = j + 1; k <= l; k++) g += a[k * n + j]! * a[ri + k]!;
          e[j] = g / h;
          f += e[j]! * a[ri + j]!;
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) {
          f = a[ri + j]!;
          g = e[j]! - hh * f;
          e[j] = g;
          for (let k = 0; k <= j; k++) a[j * n + k]! -= f * e[k]! + g * a[ri + k]!;
        }
      }
    } else {
      e[i] = a[ri + l]!;
    }
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i]!;
  // Implicit QL on the tridiagonal matrix (diagonal d, off-diagonal e shifted down by one).
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iter > 100) throw new RadnomoError('E_VALUE', 'symmetric eigenvalue iteration did not converge.');
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1]! -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (underflow) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return d;
}
