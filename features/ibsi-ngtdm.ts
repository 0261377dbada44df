import {
  averageFeatures,
  neighbourhood,
  occupiedSlices,
  type IbsiTextureRoi,
  type ZoneAggregation,
} from './ibsi-common';

/** IBSI NGTDM feature keys (manual section 3.10) with their IBSI codes. */
export const IBSI_NGTDM_FEATURES = [
  ['Coarseness', 'QCDE'],
  ['Contrast', '65HE'],
  ['Busyness', 'NQ30'],
  ['Complexity', 'HDEZ'],
  ['Strength', '1X9X'],
] as const;

/** NGTDM of slice z (or the block): per grey level, the count n_i and the sum s_i of |i − neighbourhood mean|. */
export interface IbsiNgtdm {
  n: Float64Array;
  s: Float64Array;
}

/**
 * IBSI neighbourhood grey tone difference matrix (Chebyshev distance 1; 8 in-slice neighbours in
 * 2D, 26 in 3D): the neighbourhood mean is over neighbours inside the ROI; voxels without any
 * neighbour in the ROI are left out entirely (IBSI; PyRadiomics keeps them in n_i).
 */
export function ibsiNgtdm(roi: IbsiTextureRoi, z: number | null): IbsiNgtdm {
  const [nx, ny, nz] = roi.size;
  const lv = roi.levels;
  const n = new Float64Array(roi.ng);
  const s = new Float64Array(roi.ng);
  const offs = neighbourhood(z !== null);
  const z0 = z === null ? 0 : z;
  const z1 = z === null ? nz : z + 1;
  for (let k = z0; k < z1; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const a = lv[i + nx * (j + ny * k)]!;
        if (a === 0) continue;
        let sum = 0, cnt = 0;
        for (const [dx, dy, dz] of offs) {
          const a2 = i + dx, b2 = j + dy, c2 = k + dz;
          if (a2 < 0 || b2 < 0 || c2 < 0 || a2 >= nx || b2 >= ny || c2 >= nz) continue;
          const b = lv[a2 + nx * (b2 + ny * c2)]!;
          if (b === 0) continue;
          sum += b;
          cnt++;
        }
        if (cnt === 0) continue;
        n[a - 1] += 1;
        s[a - 1] += Math.abs(a - sum / cnt);
      }
    }
  }
  return { n, s };
}

/** IBSI NGTDM features (manual 3.10.1–3.10.5); null when no voxel has a neighbour. */
export function ibsiNgtdmFeatures(m: IbsiNgtdm): Record<string, number> | null {
  const ng = m.n.length;
  let nvc = 0;
  for (let i = 0; i < ng; i++) nvc += m.n[i]!;
  if (nvc === 0) return null;
  const p = Float64Array.from(m.n, (v) => v / nvc);
  let ngp = 0, ps = 0, ssum = 0;
  for (let i = 0; i < ng; i++) {
    if (p[i]! > 0) ngp++;
    ps += p[i]! * m.s[i]!;
    ssum += m.s[i]!;
  }
  let c1 = 0, busyDen = 0, complexity = 0, strengthNum = 0;
  for (let a = 0; a < ng; a++) {
    if (p[a] === 0) continue;
    for (let b = 0; b < ng; b++) {
      if (p[b] === 0) continue;
      const i = a + 1, j = b + 1;
      c1 += p[a]! * p[b]! * (i - j) ** 2;
      busyDen += Math.abs(i * p[a]! - j * p[b]!);
      complexity += (Math.abs(i - j) * (p[a]! * m.s[a]! + p[b]! * m.s[b]!)) / (p[a]! + p[b]!);
      strengthNum += (p[a]! + p[b]!) * (i - j) ** 2;
    }
  }
  return {
    Coarseness: ps > 0 ? 1 / ps : 1e6,
    Contrast: ngp > 1 ? (c1 / (ngp * (ngp - 1))) * (ssum / nvc) : 0,
    Busyness: busyDen > 0 ? ps / busyDen : 0,
    Complexity: complexity / nvc,
    Strength: ssum > 0 ? strengthNum / ssum : 0,
  };
}

/** IBSI NGTDM features under aggregation 2D (per slice, averaged), 2.5D (slice matrices summed) or 3D. */
export function ibsiNgtdmFeaturesAggregated(roi: IbsiTextureRoi, aggregation: ZoneAggregation): Record<string, number> {
  if (aggregation === '3D') return ibsiNgtdmFeatures(ibsiNgtdm(roi, null)) ?? {};
  const mats = occupiedSlices(roi).map((z) => ibsiNgtdm(roi, z));
  if (aggregation === '2D') {
    return averageFeatures(mats.map(ibsiNgtdmFeatures).filter((r): r is Record<string, number> => r !== null));
  }
  const merged: IbsiNgtdm = { n: new Float64Array(roi.ng), s: new Float64Array(roi.ng) };
  for (const m of mats) {
    for (let i = 0; i < roi.ng; i++) {
      merged.n[i] += m.n[i]!;
      merged.s[i] += m.s[i]!;
    }
  }
  return ibsiNgtdmFeatures(merged) ?? {};
}
