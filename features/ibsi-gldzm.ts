import type { IbsiTextureRoi, SizeMatrix, ZoneAggregation } from './ibsi-common';
import { newSizeMatrix } from './ibsi-common';
import { aggregateZoneFamily, ibsiZones } from './ibsi-glszm';

/** IBSI GLDZM feature keys (manual section 3.9) with their IBSI codes and generic size-matrix keys. */
export const IBSI_GLDZM_FEATURES = [
  ['SmallDistanceEmphasis', '0GBI', 'SE'],
  ['LargeDistanceEmphasis', 'MB4I', 'LE'],
  ['LowGreyLevelZoneEmphasis', 'S1RA', 'LGE'],
  ['HighGreyLevelZoneEmphasis', 'K26C', 'HGE'],
  ['SmallDistanceLowGreyLevelEmphasis', 'RUVG', 'SLGE'],
  ['SmallDistanceHighGreyLevelEmphasis', 'DKNJ', 'SHGE'],
  ['LargeDistanceLowGreyLevelEmphasis', 'A7WM', 'LLGE'],
  ['LargeDistanceHighGreyLevelEmphasis', 'KLTH', 'LHGE'],
  ['GreyLevelNonUniformity', 'VFT7', 'GLNU'],
  ['NormalisedGreyLevelNonUniformity', '7HP3', 'GLNUN'],
  ['ZoneDistanceNonUniformity', 'V294', 'SNU'],
  ['NormalisedZoneDistanceNonUniformity', 'IATH', 'SNUN'],
  ['ZonePercentage', 'VIWW', 'PERC'],
  ['GreyLevelVariance', 'QK93', 'GLV'],
  ['ZoneDistanceVariance', '7WT1', 'SV'],
  ['ZoneDistanceEntropy', 'GBDU', 'ENT'],
] as const;

/**
 * Distance to the ROI edge (IBSI 3.9): for each voxel of the morphological mask, the smallest
 * number of 4-connected (2D, within slice z) or 6-connected (3D) steps to a voxel outside the
 * mask (the block's outside counts as outside); 1 for edge voxels, 0 outside the mask.
 */
export function ibsiEdgeDistance(mask: Uint8Array, size: readonly [number, number, number], z: number | null): Int32Array {
  const [nx, ny, nz] = size;
  const dist = new Int32Array(mask.length);
  const z0 = z === null ? 0 : z;
  const z1 = z === null ? nz : z + 1;
  const offs: Array<[number, number, number]> = [
    [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0],
  ];
  if (z === null) offs.push([0, 0, 1], [0, 0, -1]);
  let queue: number[] = [];
  for (let k = z0; k < z1; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (!mask[v]) continue;
        for (const [dx, dy, dz] of offs) {
          const a = i + dx, b = j + dy, c = k + dz;
          if (a < 0 || b < 0 || c < z0 || a >= nx || b >= ny || c >= z1 || !mask[a + nx * (b + ny * c)]) {
            dist[v] = 1;
            queue.push(v);
            break;
          }
        }
      }
    }
  }
  let d = 1;
  while (queue.length) {
    const next: number[] = [];
    for (const u of queue) {
      const i = u % nx, j = Math.floor(u / nx) % ny, k = Math.floor(u / (nx * ny));
      for (const [dx, dy, dz] of offs) {
        const a = i + dx, b = j + dy, c = k + dz;
        if (a < 0 || b < 0 || c < z0 || a >= nx || b >= ny || c >= z1) continue;
        const w = a + nx * (b + ny * c);
        if (!mask[w] || dist[w] !== 0) continue;
        dist[w] = d + 1;
        next.push(w);
      }
    }
    queue = next;
    d++;
  }
  return dist;
}

/**
 * IBSI grey level distance zone matrix of slice z (or the block): zones as for the GLSZM, each
 * counted at its smallest distance to the edge of the morphological mask.
 */
export function ibsiGldzmMatrix(roi: IbsiTextureRoi, z: number | null): SizeMatrix {
  const morph = roi.morph ?? Uint8Array.from(roi.levels, (l) => (l > 0 ? 1 : 0));
  const dist = ibsiEdgeDistance(morph, roi.size, z);
  const zones = ibsiZones(roi, z);
  const zd = zones.voxels.map((list) => {
    let m = Infinity;
    for (const v of list) m = Math.min(m, dist[v]!);
    return m;
  });
  let ncol = 1;
  for (const d of zd) ncol = Math.max(ncol, d);
  const out = newSizeMatrix(roi.ng, ncol);
  zones.level.forEach((a, k) => {
    out.m[(a - 1) * ncol + (zd[k]! - 1)] += 1;
  });
  return out;
}

/** IBSI GLDZM features under aggregation 2D, 2.5D or 3D. */
export function ibsiGldzmFeaturesAggregated(roi: IbsiTextureRoi, aggregation: ZoneAggregation): Record<string, number> {
  return aggregateZoneFamily(roi, aggregation, (z) => ibsiGldzmMatrix(roi, z), IBSI_GLDZM_FEATURES);
}
