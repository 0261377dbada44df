import {
  IBSI_DIRECTIONS,
  averageFeatures,
  mergeSizeMatrices,
  matrixTotal,
  newSizeMatrix,
  occupiedSlices,
  sizeMatrixFeatures,
  type DirectionalAggregation,
  type IbsiTextureRoi,
  type SizeMatrix,
} from './ibsi-common';

/** IBSI GLRLM feature keys (manual section 3.7) with their IBSI codes and generic size-matrix keys. */
export const IBSI_GLRLM_FEATURES = [
  ['ShortRunsEmphasis', '22OV', 'SE'],
  ['LongRunsEmphasis', 'W4KF', 'LE'],
  ['LowGreyLevelRunEmphasis', 'V3SW', 'LGE'],
  ['HighGreyLevelRunEmphasis', 'G3QZ', 'HGE'],
  ['ShortRunLowGreyLevelEmphasis', 'HTZT', 'SLGE'],
  ['ShortRunHighGreyLevelEmphasis', 'GD3A', 'SHGE'],
  ['LongRunLowGreyLevelEmphasis', 'IVPO', 'LLGE'],
  ['LongRunHighGreyLevelEmphasis', '3KUM', 'LHGE'],
  ['GreyLevelNonUniformity', 'R5YN', 'GLNU'],
  ['NormalisedGreyLevelNonUniformity', 'OVBL', 'GLNUN'],
  ['RunLengthNonUniformity', 'W92Y', 'SNU'],
  ['NormalisedRunLengthNonUniformity', 'IC23', 'SNUN'],
  ['RunPercentage', '9ZK5', 'PERC'],
  ['GreyLevelVariance', '8CE5', 'GLV'],
  ['RunLengthVariance', 'SXLW', 'SV'],
  ['RunEntropy', 'HJ9O', 'ENT'],
] as const;

/**
 * IBSI grey level run length matrix of direction (dx, dy, dz) over slice z (or the whole block):
 * maximal runs of equal grey level along the direction within the ROI.
 */
export function ibsiGlrlmMatrix(roi: IbsiTextureRoi, d: readonly [number, number, number], z: number | null): SizeMatrix {
  const [nx, ny, nz] = roi.size;
  const lv = roi.levels;
  const ncol = Math.max(nx, ny, nz);
  const out = newSizeMatrix(roi.ng, ncol);
  const [dx, dy, dz] = d;
  const z0 = z === null ? 0 : z;
  const z1 = z === null ? nz : z + 1;
  const at = (i: number, j: number, k: number): number =>
    i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz || k < z0 || k >= z1 ? 0 : lv[i + nx * (j + ny * k)]!;
  for (let k = z0; k < z1; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const a = lv[i + nx * (j + ny * k)]!;
        if (a === 0) continue;
        if (at(i - dx, j - dy, k - dz) === a) continue; // not the start of a run
        let len = 1;
        while (at(i + len * dx, j + len * dy, k + len * dz) === a) len++;
        out.m[(a - 1) * ncol + (len - 1)] += 1;
      }
    }
  }
  return out;
}

function features(m: SizeMatrix): Record<string, number> | null {
  if (matrixTotal(m) === 0) return null;
  // every direction's matrix covers each ROI voxel once: Nv = Σ j·r_ij (merged: summed over directions)
  let nv = 0;
  for (let i = 0; i < m.ng; i++) for (let j = 0; j < m.ncol; j++) nv += (j + 1) * m.m[i * m.ncol + j]!;
  const g = sizeMatrixFeatures(m, nv);
  const out: Record<string, number> = {};
  for (const [name, , key] of IBSI_GLRLM_FEATURES) out[name] = g[key]!;
  return out;
}

function collect(list: Array<Record<string, number> | null>): Array<Record<string, number>> {
  return list.filter((r): r is Record<string, number> => r !== null);
}

/** IBSI GLRLM features under one aggregation method (as for GLCM; merged run percentage counts Nv per merged matrix). */
export function ibsiGlrlmFeaturesAggregated(roi: IbsiTextureRoi, aggregation: DirectionalAggregation): Record<string, number> {
  const ng = roi.ng;
  const dirs2 = IBSI_DIRECTIONS.slice(0, 4);
  if (aggregation.startsWith('3D')) {
    const mats = IBSI_DIRECTIONS.map((d) => ibsiGlrlmMatrix(roi, d, null));
    if (aggregation === '3D_merged') return features(mergeSizeMatrices(mats, ng)) ?? {};
    return averageFeatures(collect(mats.map(features)));
  }
  const per = occupiedSlices(roi).map((z) => dirs2.map((d) => ibsiGlrlmMatrix(roi, d, z)));
  switch (aggregation) {
    case '2D_averaged':
      return averageFeatures(collect(per.flat().map(features)));
    case '2D_slice_merged':
      return averageFeatures(collect(per.map((ms) => features(mergeSizeMatrices(ms, ng)))));
    case '2.5D_direction_merged':
      return averageFeatures(collect(dirs2.map((_, a) => features(mergeSizeMatrices(per.map((ms) => ms[a]!), ng)))));
    case '2.5D_merged':
      return features(mergeSizeMatrices(per.flat(), ng)) ?? {};
  }
  return {};
}
