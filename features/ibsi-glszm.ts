import {
  averageFeatures,
  mergeSizeMatrices,
  matrixTotal,
  newSizeMatrix,
  neighbourhood,
  occupiedSlices,
  roiVoxelCount,
  sizeMatrixFeatures,
  type IbsiTextureRoi,
  type SizeMatrix,
  type ZoneAggregation,
} from './ibsi-common';

/** IBSI GLSZM feature keys (manual section 3.8) with their IBSI codes and generic size-matrix keys. */
export const IBSI_GLSZM_FEATURES = [
  ['SmallZoneEmphasis', '5QRC', 'SE'],
  ['LargeZoneEmphasis', '48P8', 'LE'],
  ['LowGreyLevelZoneEmphasis', 'XMSY', 'LGE'],
  ['HighGreyLevelZoneEmphasis', '5GN9', 'HGE'],
  ['SmallZoneLowGreyLevelEmphasis', '5RAI', 'SLGE'],
  ['SmallZoneHighGreyLevelEmphasis', 'HW1V', 'SHGE'],
  ['LargeZoneLowGreyLevelEmphasis', 'YH51', 'LLGE'],
  ['LargeZoneHighGreyLevelEmphasis', 'J17V', 'LHGE'],
  ['GreyLevelNonUniformity', 'JNSA', 'GLNU'],
  ['NormalisedGreyLevelNonUniformity', 'Y1RO', 'GLNUN'],
  ['ZoneSizeNonUniformity', '4JP3', 'SNU'],
  ['NormalisedZoneSizeNonUniformity', 'VB3A', 'SNUN'],
  ['ZonePercentage', 'P30P', 'PERC'],
  ['GreyLevelVariance', 'BYLV', 'GLV'],
  ['ZoneSizeVariance', '3NSA', 'SV'],
  ['ZoneSizeEntropy', 'GU8N', 'ENT'],
] as const;

/** Zones of one slice (or the block): each ROI voxel's zone id (−1 outside), and each zone's level and voxel list. */
export interface Zones {
  /** zone id per voxel of the block; −1 outside the ROI or outside the slice */
  id: Int32Array;
  level: number[];
  voxels: number[][];
}

/**
 * Connected zones of equal grey level (IBSI 3.8: 8-connected within a slice for 2D, 26-connected
 * in 3D) over slice z or the whole block (z null).
 */
export function ibsiZones(roi: IbsiTextureRoi, z: number | null): Zones {
  const [nx, ny, nz] = roi.size;
  const lv = roi.levels;
  const id = new Int32Array(lv.length).fill(-1);
  const offs = neighbourhood(z !== null);
  const level: number[] = [];
  const voxels: number[][] = [];
  const z0 = z === null ? 0 : z;
  const z1 = z === null ? nz : z + 1;
  const stack: number[] = [];
  for (let k = z0; k < z1; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        const a = lv[v]!;
        if (a === 0 || id[v] !== -1) continue;
        const zoneId = level.length;
        const list: number[] = [];
        id[v] = zoneId;
        stack.push(v);
        while (stack.length) {
          const u = stack.pop()!;
          list.push(u);
          const ui = u % nx;
          const uj = Math.floor(u / nx) % ny;
          const uk = Math.floor(u / (nx * ny));
          for (const [dx, dy, dz] of offs) {
            const a2 = ui + dx, b2 = uj + dy, c2 = uk + dz;
            if (a2 < 0 || b2 < 0 || c2 < z0 || a2 >= nx || b2 >= ny || c2 >= z1) continue;
            const w = a2 + nx * (b2 + ny * c2);
            if (id[w] !== -1 || lv[w] !== a) continue;
            id[w] = zoneId;
            stack.push(w);
          }
        }
        level.push(a);
        voxels.push(list);
      }
    }
  }
  return { id, level, voxels };
}

/** IBSI grey level size zone matrix of slice z (or the whole block). */
export function ibsiGlszmMatrix(roi: IbsiTextureRoi, z: number | null): SizeMatrix {
  const zones = ibsiZones(roi, z);
  let ncol = 1;
  for (const l of zones.voxels) ncol = Math.max(ncol, l.length);
  const out = newSizeMatrix(roi.ng, ncol);
  zones.level.forEach((a, k) => {
    out.m[(a - 1) * ncol + (zones.voxels[k]!.length - 1)] += 1;
  });
  return out;
}

/** Maps the generic size-matrix features to named ones. */
export function namedFeatures(
  m: SizeMatrix,
  nv: number,
  table: ReadonlyArray<readonly [string, string, string]>,
): Record<string, number> | null {
  if (matrixTotal(m) === 0) return null;
  const g = sizeMatrixFeatures(m, nv);
  const out: Record<string, number> = {};
  for (const [name, , key] of table) out[name] = g[key]!;
  return out;
}

/**
 * Per-slice / merged / 3D aggregation shared by GLSZM, GLDZM, NGLDM (IBSI: 2D = features per
 * slice averaged, 2.5D = slice matrices summed, 3D = one 3D matrix); the percentage feature
 * divides by the voxel count of the slice or volume the matrix covers.
 */
export function aggregateZoneFamily(
  roi: IbsiTextureRoi,
  aggregation: ZoneAggregation,
  matrix: (z: number | null) => SizeMatrix,
  table: ReadonlyArray<readonly [string, string, string]>,
): Record<string, number> {
  if (aggregation === '3D') return namedFeatures(matrix(null), roiVoxelCount(roi, null), table) ?? {};
  const slices = occupiedSlices(roi);
  const mats = slices.map((z) => matrix(z));
  if (aggregation === '2D') {
    const list = slices.map((z, k) => namedFeatures(mats[k]!, roiVoxelCount(roi, z), table));
    return averageFeatures(list.filter((r): r is Record<string, number> => r !== null));
  }
  return namedFeatures(mergeSizeMatrices(mats, roi.ng), roiVoxelCount(roi, null), table) ?? {};
}

/** IBSI GLSZM features under aggregation 2D, 2.5D or 3D. */
export function ibsiGlszmFeaturesAggregated(roi: IbsiTextureRoi, aggregation: ZoneAggregation): Record<string, number> {
  return aggregateZoneFamily(roi, aggregation, (z) => ibsiGlszmMatrix(roi, z), IBSI_GLSZM_FEATURES);
}
