import { blockOffsets, compact, marginals, neighbourOffsets, roiBlock, sizeMatrixFeatures, textureSettings, type GrayLevelSizeMatrix } from './gldm';
import type { DiscretisedRoi, TextureSettings } from './roi';

/** PyRadiomics' GLSZM features, in the order its class defines them. */
export const GLSZM_FEATURE_NAMES = [
  'SmallAreaEmphasis',
  'LargeAreaEmphasis',
  'GrayLevelNonUniformity',
  'GrayLevelNonUniformityNormalized',
  'SizeZoneNonUniformity',
  'SizeZoneNonUniformityNormalized',
  'ZonePercentage',
  'GrayLevelVariance',
  'ZoneVariance',
  'ZoneEntropy',
  'LowGrayLevelZoneEmphasis',
  'HighGrayLevelZoneEmphasis',
  'SmallAreaLowGrayLevelEmphasis',
  'SmallAreaHighGrayLevelEmphasis',
  'LargeAreaLowGrayLevelEmphasis',
  'LargeAreaHighGrayLevelEmphasis',
] as const;

/** The GLSZM with the number of ROI voxels Np (= Σ zone sizes) that ZonePercentage divides by. */
export interface GlszmMatrix extends GrayLevelSizeMatrix {
  Np: number;
}

/**
 * PyRadiomics GLSZM (radiomics/glszm.py, `calculate_glszm` in cmatrices.c; IBSI GLSZM):
 * P(i, j) = number of zones of gray level i and size j, a zone being a connected set of ROI voxels
 * of one gray level under the distance-1 neighbourhood PyRadiomics builds (26-connected in 3D,
 * 8-connected within planes of `force2Ddimension` when `force2D`; `distances` is not used).
 * Zones are grown with an explicit stack. Rows are the gray levels present, columns the zone
 * sizes that occur (values in `jvector`).
 */
export function glszmMatrix(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): GlszmMatrix {
  const s = textureSettings(settings);
  const offsets = neighbourOffsets(roi.size, [1], s.force2D, s.force2Ddimension, true);
  const b = roiBlock(roi);
  const [bx, by, bz] = b.size;
  const { na, xyz, linear, margin } = blockOffsets(offsets, b.size);
  const bxy = bx * by;
  const levels = b.levels;
  const todo = Uint8Array.from(b.mask);
  const stack = new Int32Array(b.count);
  const zoneGl = new Int32Array(b.count);
  const zoneSize = new Int32Array(b.count);
  let nZones = 0;
  let maxSize = 0;
  const nvox = bx * by * bz;
  for (let start = 0; start < nvox; start++) {
    if (!todo[start]) continue;
    const gl = levels[start]!;
    let top = 0;
    let region = 0;
    stack[top++] = start;
    todo[start] = 0;
    while (top > 0) {
      const k = stack[--top]!;
      region++;
      const z = Math.floor(k / bxy);
      const r = k - z * bxy;
      const y = Math.floor(r / bx);
      const x = r - y * bx;
      const inside = z >= margin && z < bz - margin && y >= margin && y < by - margin && x >= margin && x < bx - margin;
      for (let a = 0; a < na; a++) {
        if (!inside) {
          const nx = x + xyz[3 * a]!;
          const ny = y + xyz[3 * a + 1]!;
          const nz = z + xyz[3 * a + 2]!;
          if (nx < 0 || nx >= bx || ny < 0 || ny >= by || nz < 0 || nz >= bz) continue;
        }
        const j = k + linear[a]!;
        if (todo[j] && levels[j] === gl) {
          stack[top++] = j;
          todo[j] = 0;
        }
      }
    }
    zoneGl[nZones] = gl;
    zoneSize[nZones] = region;
    nZones++;
    if (region > maxSize) maxSize = region;
  }
  const ng = b.maxLevel;
  const ncol = Math.max(maxSize, 1);
  const full = new Float64Array(ng * ncol);
  const present = new Uint8Array(ng + 1);
  for (let z = 0; z < nZones; z++) {
    full[(zoneGl[z]! - 1) * ncol + zoneSize[z]! - 1]! += 1;
    present[zoneGl[z]!] = 1;
  }
  return { ...compact(full, ng, ncol, present), Np: b.count };
}

/**
 * PyRadiomics GLSZM features (radiomics/glszm.py; IBSI GLSZM family), all 16, under PyRadiomics'
 * names. Settings: `force2D`, `force2Ddimension`.
 */
export function glszmFeatures(roi: DiscretisedRoi, settings: Partial<TextureSettings> = {}): Record<string, number> {
  const m = glszmMatrix(roi, settings);
  let nz = marginals(m).N;
  if (nz === 0) nz = 1;
  const np = m.Np === 0 ? 1 : m.Np;
  const f = sizeMatrixFeatures(m, nz);
  return {
    SmallAreaEmphasis: f.smallEmphasis,
    LargeAreaEmphasis: f.largeEmphasis,
    GrayLevelNonUniformity: f.grayNonUniformity,
    GrayLevelNonUniformityNormalized: f.grayNonUniformityNormalized,
    SizeZoneNonUniformity: f.sizeNonUniformity,
    SizeZoneNonUniformityNormalized: f.sizeNonUniformityNormalized,
    ZonePercentage: nz / np,
    GrayLevelVariance: f.grayVariance,
    ZoneVariance: f.sizeVariance,
    ZoneEntropy: f.entropy,
    LowGrayLevelZoneEmphasis: f.lowGray,
    HighGrayLevelZoneEmphasis: f.highGray,
    SmallAreaLowGrayLevelEmphasis: f.smallLow,
    SmallAreaHighGrayLevelEmphasis: f.smallHigh,
    LargeAreaLowGrayLevelEmphasis: f.largeLow,
    LargeAreaHighGrayLevelEmphasis: f.largeHighIJ,
  };
}
