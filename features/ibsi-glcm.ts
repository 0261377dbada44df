import {
  IBSI_DIRECTIONS,
  averageFeatures,
  occupiedSlices,
  type DirectionalAggregation,
  type IbsiTextureRoi,
} from './ibsi-common';

/** IBSI GLCM feature keys (manual section 3.6) with their IBSI codes, in the manual's order. */
export const IBSI_GLCM_FEATURES = [
  ['JointMaximum', 'GYBY'],
  ['JointAverage', '60VM'],
  ['JointVariance', 'UR99'],
  ['JointEntropy', 'TU9B'],
  ['DifferenceAverage', 'TF7R'],
  ['DifferenceVariance', 'D3YU'],
  ['DifferenceEntropy', 'NTRS'],
  ['SumAverage', 'ZGXS'],
  ['SumVariance', 'OEEB'],
  ['SumEntropy', 'P6QZ'],
  ['AngularSecondMoment', '8ZQL'],
  ['Contrast', 'ACUI'],
  ['Dissimilarity', '8S9J'],
  ['InverseDifference', 'IB1Z'],
  ['NormalisedInverseDifference', 'NDRX'],
  ['InverseDifferenceMoment', 'WF0Z'],
  ['NormalisedInverseDifferenceMoment', '1QCO'],
  ['InverseVariance', 'E8JP'],
  ['Correlation', 'NI2N'],
  ['Autocorrelation', 'QWB0'],
  ['ClusterTendency', 'DG8W'],
  ['ClusterShade', '7NFM'],
  ['ClusterProminence', 'AE86'],
  ['InformationCorrelation1', 'R8DG'],
  ['InformationCorrelation2', 'JN9H'],
] as const;

/**
 * Symmetric co-occurrence counts (IBSI GLCM, distance 1) of direction (dx, dy, dz) over the
 * voxels of slice z (or of the whole block when z is null): each pair of ROI voxels one step
 * apart is counted as (a, b) and (b, a). Returns ng × ng counts, row-major, levels 1..ng at 0..ng−1.
 */
export function ibsiGlcmCounts(roi: IbsiTextureRoi, d: readonly [number, number, number], z: number | null): Float64Array {
  const [nx, ny, nz] = roi.size;
  const ng = roi.ng;
  const out = new Float64Array(ng * ng);
  const [dx, dy, dz] = d;
  const z0 = z === null ? 0 : z;
  const z1 = z === null ? nz : z + 1;
  const lv = roi.levels;
  for (let k = z0; k < z1; k++) {
    const k2 = k + dz;
    if (k2 < 0 || k2 >= nz) continue;
    for (let j = 0; j < ny; j++) {
      const j2 = j + dy;
      if (j2 < 0 || j2 >= ny) continue;
      for (let i = 0; i < nx; i++) {
        const i2 = i + dx;
        if (i2 < 0 || i2 >= nx) continue;
        const a = lv[i + nx * (j + ny * k)]!;
        if (a === 0) continue;
        const b = lv[i2 + nx * (j2 + ny * k2)]!;
        if (b === 0) continue;
        out[(a - 1) * ng + (b - 1)] += 1;
        out[(b - 1) * ng + (a - 1)] += 1;
      }
    }
  }
  return out;
}

/** IBSI GLCM features (manual 3.6.1–3.6.25) of a count matrix; null when it is empty. Logs are base 2. */
export function ibsiGlcmFeatures(counts: Float64Array, ng: number): Record<string, number> | null {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k]!;
  if (total === 0) return null;
  const p = new Float64Array(counts.length);
  for (let k = 0; k < counts.length; k++) p[k] = counts[k]! / total;
  const pi = new Float64Array(ng);
  const pj = new Float64Array(ng);
  const pDiff = new Float64Array(ng);
  const pSum = new Float64Array(2 * ng + 1);
  let jmax = 0, hxy = 0, asm = 0, contrast = 0, dissim = 0, id = 0, idn = 0, idm = 0, idmn = 0, autocorr = 0;
  for (let i = 1; i <= ng; i++) {
    for (let j = 1; j <= ng; j++) {
      const v = p[(i - 1) * ng + (j - 1)]!;
      if (v === 0) continue;
      pi[i - 1] += v;
      pj[j - 1] += v;
      const k = Math.abs(i - j);
      pDiff[k] += v;
      pSum[i + j] += v;
      if (v > jmax) jmax = v;
      hxy -= v * Math.log2(v);
      asm += v * v;
      contrast += k * k * v;
      dissim += k * v;
      id += v / (1 + k);
      idn += v / (1 + k / ng);
      idm += v / (1 + k * k);
      idmn += v / (1 + (k * k) / (ng * ng));
      autocorr += i * j * v;
    }
  }
  let mui = 0, muj = 0;
  for (let i = 1; i <= ng; i++) {
    mui += i * pi[i - 1]!;
    muj += i * pj[i - 1]!;
  }
  let vari = 0, varj = 0, hx = 0;
  for (let i = 1; i <= ng; i++) {
    vari += (i - mui) ** 2 * pi[i - 1]!;
    varj += (i - muj) ** 2 * pj[i - 1]!;
    if (pi[i - 1]! > 0) hx -= pi[i - 1]! * Math.log2(pi[i - 1]!);
  }
  let jointVar = 0, cov = 0, ct = 0, cs = 0, cp = 0, hxy1 = 0, hxy2 = 0;
  for (let i = 1; i <= ng; i++) {
    for (let j = 1; j <= ng; j++) {
      const v = p[(i - 1) * ng + (j - 1)]!;
      const q = pi[i - 1]! * pj[j - 1]!;
      if (q > 0) {
        hxy2 -= q * Math.log2(q);
        if (v > 0) hxy1 -= v * Math.log2(q);
      }
      if (v === 0) continue;
      jointVar += (i - mui) ** 2 * v;
      cov += (i - mui) * (j - muj) * v;
      const c = i + j - mui - muj;
      ct += c * c * v;
      cs += c * c * c * v;
      cp += c * c * c * c * v;
    }
  }
  let dAvg = 0, dEnt = 0, invVar = 0;
  for (let k = 0; k < ng; k++) {
    const v = pDiff[k]!;
    if (v === 0) continue;
    dAvg += k * v;
    dEnt -= v * Math.log2(v);
    if (k > 0) invVar += v / (k * k);
  }
  let dVar = 0;
  for (let k = 0; k < ng; k++) dVar += (k - dAvg) ** 2 * pDiff[k]!;
  let sAvg = 0, sEnt = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    const v = pSum[k]!;
    if (v === 0) continue;
    sAvg += k * v;
    sEnt -= v * Math.log2(v);
  }
  let sVar = 0;
  for (let k = 2; k <= 2 * ng; k++) sVar += (k - sAvg) ** 2 * pSum[k]!;
  return {
    JointMaximum: jmax,
    JointAverage: mui,
    JointVariance: jointVar,
    JointEntropy: hxy,
    DifferenceAverage: dAvg,
    DifferenceVariance: dVar,
    DifferenceEntropy: dEnt,
    SumAverage: sAvg,
    SumVariance: sVar,
    SumEntropy: sEnt,
    AngularSecondMoment: asm,
    Contrast: contrast,
    Dissimilarity: dissim,
    InverseDifference: id,
    NormalisedInverseDifference: idn,
    InverseDifferenceMoment: idm,
    NormalisedInverseDifferenceMoment: idmn,
    InverseVariance: invVar,
    Correlation: cov / Math.sqrt(vari * varj),
    Autocorrelation: autocorr,
    ClusterTendency: ct,
    ClusterShade: cs,
    ClusterProminence: cp,
    InformationCorrelation1: hx > 0 ? (hxy - hxy1) / hx : 0,
    InformationCorrelation2: Math.sqrt(Math.max(0, 1 - Math.exp(-2 * (hxy2 - hxy)))),
  };
}

function sum(list: Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (const a of list) for (let k = 0; k < n; k++) out[k] += a[k]!;
  return out;
}

function collect(list: Array<Record<string, number> | null>): Array<Record<string, number>> {
  return list.filter((r): r is Record<string, number> => r !== null);
}

/**
 * IBSI GLCM features under one aggregation method (manual "Feature aggregation"):
 * 2D averaged (per slice and in-plane direction, averaged), 2D slice-merged (per slice, the 4
 * direction matrices merged, averaged over slices), 2.5D direction-merged (per direction, the
 * slice matrices merged, averaged over directions), 2.5D merged (one matrix), 3D averaged (13
 * direction matrices, features averaged), 3D merged (13 matrices merged).
 */
export function ibsiGlcmFeaturesAggregated(roi: IbsiTextureRoi, aggregation: DirectionalAggregation): Record<string, number> {
  const ng = roi.ng;
  const n2 = ng * ng;
  const dirs2 = IBSI_DIRECTIONS.slice(0, 4);
  if (aggregation.startsWith('3D')) {
    const mats = IBSI_DIRECTIONS.map((d) => ibsiGlcmCounts(roi, d, null));
    if (aggregation === '3D_merged') return ibsiGlcmFeatures(sum(mats, n2), ng) ?? {};
    return averageFeatures(collect(mats.map((m) => ibsiGlcmFeatures(m, ng))));
  }
  const slices = occupiedSlices(roi);
  const per = slices.map((z) => dirs2.map((d) => ibsiGlcmCounts(roi, d, z)));
  switch (aggregation) {
    case '2D_averaged':
      return averageFeatures(collect(per.flat().map((m) => ibsiGlcmFeatures(m, ng))));
    case '2D_slice_merged':
      return averageFeatures(collect(per.map((ms) => ibsiGlcmFeatures(sum(ms, n2), ng))));
    case '2.5D_direction_merged':
      return averageFeatures(collect(dirs2.map((_, a) => ibsiGlcmFeatures(sum(per.map((ms) => ms[a]!), n2), ng))));
    case '2.5D_merged':
      return ibsiGlcmFeatures(sum(per.flat(), n2), ng) ?? {};
  }
  return {};
}
