import { pairwiseSum } from './firstorder';
import { blockOffsets, neighbourOffsets, roiBlock, textureSettings } from './gldm';
import type { DiscretisedRoi, TextureSettings } from './roi';

/** PyRadiomics' NGTDM features, in the order its class defines them. */
export const NGTDM_FEATURE_NAMES = ['Coarseness', 'Contrast', 'Busyness', 'Complexity', 'Strength'] as const;

/** The NGTDM over the gray levels present in the ROI (PyRadiomics' P_ngtdm columns 0, 1, 2). */
export interface NgtdmMatrix {
  /** n_i: number of ROI voxels with gray level i. */
  n: Float64Array;
  /** s_i: sum over those voxels of |i − mean of their neighbours in the ROI|. */
  s: Float64Array;
  /** The gray levels i. */
  ivector: Float64Array;
}

/**
 * PyRadiomics NGTDM (radiomics/ngtdm.py, `calculate_ngtdm` in cmatrices.c; IBSI NGTDM): for each
 * ROI voxel, the mean gray level of its neighbours (offsets for `distances` from
 * `neighbourOffsets`) that lie in the ROI. As in PyRadiomics' C code, a voxel without any such
 * neighbour still counts in n_i and adds 0 to s_i (IBSI instead leaves it out). s_i accumulates in
 * raster order, like the C loop.
 */
export function ngtdmMatrix(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): NgtdmMatrix {
  const s = textureSettings(settings);
  const offsets = neighbourOffsets(roi.size, s.distances, s.force2D, s.force2Ddimension, true);
  const b = roiBlock(roi);
  const [bx, by, bz] = b.size;
  const { na, xyz, linear, margin } = blockOffsets(offsets, b.size);
  const ng = b.maxLevel;
  const cnt = new Float64Array(ng + 1);
  const sum = new Float64Array(ng + 1);
  const { mask, levels: lv } = b;
  for (let z = 0, k = 0; z < bz; z++) {
    const zIn = z >= margin && z < bz - margin;
    for (let y = 0; y < by; y++) {
      const yzIn = zIn && y >= margin && y < by - margin;
      for (let x = 0; x < bx; x++, k++) {
        if (!mask[k]) continue;
        let count = 0;
        let total = 0;
        if (yzIn && x >= margin && x < bx - margin) {
          for (let a = 0; a < na; a++) {
            const j = k + linear[a]!;
            if (!mask[j]) continue;
            count++;
            total += lv[j]!;
          }
        } else {
          for (let a = 0; a < na; a++) {
            const nx = x + xyz[3 * a]!;
            const ny = y + xyz[3 * a + 1]!;
            const nz = z + xyz[3 * a + 2]!;
            if (nx < 0 || nx >= bx || ny < 0 || ny >= by || nz < 0 || nz >= bz) continue;
            const j = k + linear[a]!;
            if (!mask[j]) continue;
            count++;
            total += lv[j]!;
          }
        }
        const gl = lv[k]!;
        const diff = count === 0 ? 0 : Math.abs(gl - total / count);
        cnt[gl]! += 1;
        sum[gl]! += diff;
      }
    }
  }
  const levels: number[] = [];
  for (let g = 1; g <= ng; g++) if (cnt[g] !== 0) levels.push(g);
  return {
    n: Float64Array.from(levels, (g) => cnt[g]!),
    s: Float64Array.from(levels, (g) => sum[g]!),
    ivector: Float64Array.from(levels),
  };
}

/**
 * PyRadiomics NGTDM features (radiomics/ngtdm.py; IBSI NGTDM family) under PyRadiomics' names,
 * with its special values: Coarseness 1e6 when Σ p_i s_i = 0; Contrast 0 when only one gray level
 * is present; Busyness 0 when Σ|i p_i − j p_j| = 0; Strength 0 when Σ s_i = 0.
 * Settings: `distances`, `force2D`, `force2Ddimension`.
 */
export function ngtdmFeatures(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): Record<string, number> {
  const { n, s, ivector: iv } = ngtdmMatrix(roi, settings);
  const ng = iv.length;
  // Each sum fills `b` in numpy's element order (k = a·ng + c) and sums it pairwise, as numpy does.
  const b = new Float64Array(Math.max(ng * ng, 1));
  for (let k = 0; k < ng; k++) b[k] = n[k]!;
  const nvp = pairwiseSum(b, 0, ng);
  const p = Float64Array.from(n, (v) => v / nvp);
  const ngp = ng; // every listed level has n_i > 0, so no p_i is 0
  const ps = Float64Array.from(p, (v, k) => v * s[k]!);
  for (let k = 0; k < ng; k++) b[k] = s[k]!;
  const sumS = pairwiseSum(b, 0, ng);
  for (let k = 0; k < ng; k++) b[k] = ps[k]!;
  const sumPs = pairwiseSum(b, 0, ng);

  const coarseness = sumPs !== 0 ? 1 / sumPs : 1e6;

  const div = ngp * (ngp - 1);
  for (let a = 0, k = 0; a < ng; a++) for (let c = 0; c < ng; c++, k++) b[k] = p[a]! * p[c]! * (iv[a]! - iv[c]!) ** 2;
  let contrast = (pairwiseSum(b, 0, ng * ng) * sumS) / nvp;
  contrast = div !== 0 ? contrast / div : 0;

  const ip = Float64Array.from(p, (v, k) => iv[k]! * v);
  for (let a = 0, k = 0; a < ng; a++) for (let c = 0; c < ng; c++, k++) b[k] = Math.abs(ip[a]! - ip[c]!);
  const absdiff = pairwiseSum(b, 0, ng * ng);
  const busyness = absdiff !== 0 ? sumPs / absdiff : 0;

  for (let a = 0, k = 0; a < ng; a++) {
    for (let c = 0; c < ng; c++, k++) {
      let d = p[a]! + p[c]!;
      if (d === 0) d = 1;
      b[k] = (Math.abs(iv[a]! - iv[c]!) * (ps[a]! + ps[c]!)) / d;
    }
  }
  const complexity = pairwiseSum(b, 0, ng * ng) / nvp;

  for (let a = 0, k = 0; a < ng; a++) for (let c = 0; c < ng; c++, k++) b[k] = (p[a]! + p[c]!) * (iv[a]! - iv[c]!) ** 2;
  let strength = pairwiseSum(b, 0, ng * ng);
  strength = sumS !== 0 ? strength / sumS : 0;

  return { Coarseness: coarseness, Contrast: contrast, Busyness: busyness, Complexity: complexity, Strength: strength };
}
