import { neighbourhood, newSizeMatrix, type IbsiTextureRoi, type SizeMatrix, type ZoneAggregation } from './ibsi-common';
import { aggregateZoneFamily } from './ibsi-glszm';

/** IBSI NGLDM feature keys (manual section 3.11) with their IBSI codes and generic size-matrix keys. */
export const IBSI_NGLDM_FEATURES = [
  ['LowDependenceEmphasis', 'SODN', 'SE'],
  ['HighDependenceEmphasis', 'IMOQ', 'LE'],
  ['LowGreyLevelCountEmphasis', 'TL9H', 'LGE'],
  ['HighGreyLevelCountEmphasis', 'OAE7', 'HGE'],
  ['LowDependenceLowGreyLevelEmphasis', 'EQ3F', 'SLGE'],
  ['LowDependenceHighGreyLevelEmphasis', 'JA6D', 'SHGE'],
  ['HighDependenceLowGreyLevelEmphasis', 'NBZI', 'LLGE'],
  ['HighDependenceHighGreyLevelEmphasis', '9QMG', 'LHGE'],
  ['GreyLevelNonUniformity', 'FP8K', 'GLNU'],
  ['NormalisedGreyLevelNonUniformity', '5SPA', 'GLNUN'],
  ['DependenceCountNonUniformity', 'Z87G', 'SNU'],
  ['NormalisedDependenceCountNonUniformity', 'OKJI', 'SNUN'],
  ['DependenceCountPercentage', '6XV8', 'PERC'],
  ['GreyLevelVariance', '1PFV', 'GLV'],
  ['DependenceCountVariance', 'DNX2', 'SV'],
  ['DependenceCountEntropy', 'FCBV', 'ENT'],
  ['DependenceCountEnergy', 'CAS9', 'ENERGY'],
] as const;

/**
 * IBSI neighbouring grey level dependence matrix (Chebyshev distance 1, coarseness α): for each
 * ROI voxel of slice z (or the block), j = 1 + the number of ROI neighbours (8 in-slice in 2D,
 * 26 in 3D) whose grey level differs by at most α; s(i, j) counts voxels of level i with count j.
 */
export function ibsiNgldmMatrix(roi: IbsiTextureRoi, z: number | null, alpha = 0): SizeMatrix {
  const [nx, ny, nz] = roi.size;
  const lv = roi.levels;
  const offs = neighbourhood(z !== null);
  const ncol = offs.length + 1;
  const out = newSizeMatrix(roi.ng, ncol);
  const z0 = z === null ? 0 : z;
  const z1 = z === null ? nz : z + 1;
  for (let k = z0; k < z1; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const a = lv[i + nx * (j + ny * k)]!;
        if (a === 0) continue;
        let cnt = 1;
        for (const [dx, dy, dz] of offs) {
          const a2 = i + dx, b2 = j + dy, c2 = k + dz;
          if (a2 < 0 || b2 < 0 || c2 < 0 || a2 >= nx || b2 >= ny || c2 >= nz) continue;
          const b = lv[a2 + nx * (b2 + ny * c2)]!;
          if (b !== 0 && Math.abs(b - a) <= alpha) cnt++;
        }
        out.m[(a - 1) * ncol + (cnt - 1)] += 1;
      }
    }
  }
  return out;
}

/** IBSI NGLDM features under aggregation 2D, 2.5D or 3D. */
export function ibsiNgldmFeaturesAggregated(roi: IbsiTextureRoi, aggregation: ZoneAggregation, alpha = 0): Record<string, number> {
  return aggregateZoneFamily(roi, aggregation, (z) => ibsiNgldmMatrix(roi, z, alpha), IBSI_NGLDM_FEATURES);
}
