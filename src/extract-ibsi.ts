import { RadnomoError } from './errors';
import type { Image, LabelMap, Vec3 } from './image';
import { resampleIbsi } from './preprocess/resample';
import {
  DIRECTIONAL_AGGREGATIONS,
  ZONE_AGGREGATIONS,
  type DirectionalAggregation,
  type IbsiTextureRoi,
  type ZoneAggregation,
} from '../features/ibsi-common';
import { IBSI_GLCM_FEATURES, ibsiGlcmFeaturesAggregated } from '../features/ibsi-glcm';
import { IBSI_GLRLM_FEATURES, ibsiGlrlmFeaturesAggregated } from '../features/ibsi-glrlm';
import { IBSI_GLSZM_FEATURES, ibsiGlszmFeaturesAggregated } from '../features/ibsi-glszm';
import { IBSI_GLDZM_FEATURES, ibsiGldzmFeaturesAggregated } from '../features/ibsi-gldzm';
import { IBSI_NGTDM_FEATURES, ibsiNgtdmFeaturesAggregated } from '../features/ibsi-ngtdm';
import { IBSI_NGLDM_FEATURES, ibsiNgldmFeaturesAggregated } from '../features/ibsi-ngldm';
import {
  IBSI_IH_FEATURES,
  IBSI_IVH_FEATURES,
  IBSI_LOCAL_FEATURES,
  IBSI_STAT_FEATURES,
  ibsiHistogramFeatures,
  ibsiIvhFeatures,
  ibsiLocalIntensity,
  ibsiStatFeatures,
} from '../features/ibsi-intensity';
import { IBSI_MORPH_FEATURES, ibsiMorphologyFeatures } from '../features/ibsi-morphology';

/** Discretisation for texture and intensity histogram (IBSI "Discretisation"). */
export type IbsiDiscretisation =
  /** fixed bin size: bin = ⌊(x − X_min)/w⌋ + 1, X_min = lower re-segmentation bound (else the ROI minimum) */
  | { method: 'FBS'; binWidth: number }
  /** fixed bin number: bin = ⌊N_g (x − min)/(max − min)⌋ + 1 over the ROI's range, max → N_g */
  | { method: 'FBN'; binCount: number };

/** Discretisation for the intensity-volume histogram (IBSI 3.5). */
export type IbsiIvhDiscretisation =
  /** calibrated discrete intensities (e.g. CT HU): intensities as they are, interval 1 */
  | { method: 'none' }
  /** calibrated continuous intensities: fixed bin size, bin centres */
  | { method: 'FBS'; binWidth: number }
  /** arbitrary units: fixed bin number over the ROI range (the re-segmentation range is not used) */
  | { method: 'FBN'; binCount: number };

/** IBSI feature families radnomo computes, with the output name token of each. */
export const IBSI_FAMILIES = ['morph', 'loc', 'stat', 'ih', 'ivh', 'glcm', 'glrlm', 'glszm', 'gldzm', 'ngtdm', 'ngldm'] as const;
export type IbsiFamily = (typeof IBSI_FAMILIES)[number];

/** Settings of the IBSI pipeline (IBSI reference manual, chapter "Image processing"). */
export interface IbsiSettings {
  /** ROI label in the mask; default 1. */
  label?: number;
  /** Round the input image to the nearest integer first (the manual asks this for the CT phantom). */
  roundInput?: boolean;
  /** IBSI interpolation ("align grid centers"); null/absent = none. */
  interpolation?: {
    /** new spacing [x, y, z] mm; 0 keeps an axis (2D in-slice interpolation: z = 0) */
    spacing: number[];
    method: 'nearest' | 'linear' | 'bspline';
    /** round interpolated intensities to integers; default false */
    roundIntensities?: boolean;
    /** ROI partial-volume threshold; default 0.5 */
    partialVolumeThreshold?: number;
    /** ROI interpolation; default 'linear' */
    maskInterpolation?: 'nearest' | 'linear';
  } | null;
  /** Re-segmentation range [lo, hi] (absolute intensities; ±Infinity for half-open); intensity mask only. */
  resegmentRange?: [number, number] | null;
  /** Outlier filtering: drop voxels outside mean ± k·SD of the ROI (k = 3 in IBSI); intersected with the range. */
  outlierSigma?: number | null;
  /** Discretisation for texture families and the intensity histogram. */
  discretisation: IbsiDiscretisation;
  /** Discretisation for the IVH; default 'none' (discrete calibrated intensities). */
  ivhDiscretisation?: IbsiIvhDiscretisation;
  /** Families to compute; default all. */
  families?: IbsiFamily[];
  /** Texture aggregation dimensions to compute; default all (2D, 2.5D, 3D). */
  textureDimensions?: Array<'2D' | '2.5D' | '3D'>;
  /** NGLDM coarseness α; default 0. */
  ngldmAlpha?: number;
  /** Moran's I / Geary's C (O(n²) in ROI voxels); default true. */
  spatialAutocorrelation?: boolean;
}

/** One IBSI output column: its radnomo name and the manual's family, aggregation label and code. */
export interface IbsiFeatureInfo {
  name: string;
  family: string;
  aggregation: string;
  code: string;
  /** the IBSI code of the aggregation method ('' for families without one) */
  aggregationCode: string;
}

const FAMILY_LABEL: Record<IbsiFamily, string> = {
  morph: 'morphology',
  loc: 'local intensity',
  stat: 'intensity-based statistics',
  ih: 'intensity histogram',
  ivh: 'intensity-volume histogram',
  glcm: 'GLCM',
  glrlm: 'GLRLM',
  glszm: 'GLSZM',
  gldzm: 'GLDZM',
  ngtdm: 'NGTDM',
  ngldm: 'NGLDM',
};

const PLAIN: Array<[IbsiFamily, ReadonlyArray<readonly [string, string, ...string[]]>]> = [
  ['morph', IBSI_MORPH_FEATURES],
  ['loc', IBSI_LOCAL_FEATURES],
  ['stat', IBSI_STAT_FEATURES],
  ['ih', IBSI_IH_FEATURES],
  ['ivh', IBSI_IVH_FEATURES],
];
const DIRECTIONAL: Array<[IbsiFamily, ReadonlyArray<readonly [string, string, ...string[]]>]> = [
  ['glcm', IBSI_GLCM_FEATURES],
  ['glrlm', IBSI_GLRLM_FEATURES],
];
const ZONE: Array<[IbsiFamily, ReadonlyArray<readonly [string, string, ...string[]]>]> = [
  ['glszm', IBSI_GLSZM_FEATURES],
  ['gldzm', IBSI_GLDZM_FEATURES],
  ['ngtdm', IBSI_NGTDM_FEATURES],
  ['ngldm', IBSI_NGLDM_FEATURES],
];

/**
 * Every IBSI output radnomo can produce, in the manual's order: `ibsi_<family>_<Feature>` for
 * morphology, local intensity, statistics, histogram and IVH, and
 * `ibsi_<family>_<aggregation>_<Feature>` for texture (e.g. `ibsi_glcm_3D_averaged_JointMaximum`,
 * `ibsi_glszm_2.5D_ZoneSizeEntropy`), each with the manual's IBSI code.
 */
export const IBSI_FEATURE_TABLE: readonly IbsiFeatureInfo[] = (() => {
  const out: IbsiFeatureInfo[] = [];
  for (const [fam, list] of PLAIN) {
    for (const [name, code] of list) out.push({ name: `ibsi_${fam}_${name}`, family: FAMILY_LABEL[fam], aggregation: '', code, aggregationCode: '' });
  }
  for (const [fam, list] of DIRECTIONAL) {
    for (const [agg, label, aggCode] of DIRECTIONAL_AGGREGATIONS) {
      for (const [name, code] of list) out.push({ name: `ibsi_${fam}_${agg}_${name}`, family: FAMILY_LABEL[fam], aggregation: label, code, aggregationCode: aggCode });
    }
  }
  for (const [fam, list] of ZONE) {
    for (const [agg, label, aggCode] of ZONE_AGGREGATIONS) {
      for (const [name, code] of list) out.push({ name: `ibsi_${fam}_${agg}_${name}`, family: FAMILY_LABEL[fam], aggregation: label, code, aggregationCode: aggCode });
    }
  }
  return out;
})();

/** Radius (mm) of the 1 cm³ sphere of the local intensity features. */
const PEAK_RADIUS = Math.cbrt(3 / (4 * Math.PI)) * 10;

function cropTo<T extends Float64Array | Uint8Array>(data: T, size: Vec3, lo: Vec3, dims: Vec3, make: (n: number) => T): T {
  const out = make(dims[0] * dims[1] * dims[2]);
  for (let k = 0; k < dims[2]; k++) {
    for (let j = 0; j < dims[1]; j++) {
      const src = lo[0] + size[0] * (lo[1] + j + size[1] * (lo[2] + k));
      const dst = dims[0] * (j + dims[1] * k);
      for (let i = 0; i < dims[0]; i++) out[dst + i] = data[src + i]!;
    }
  }
  return out;
}

/**
 * Extracts IBSI features under the IBSI reference manual's conventions: optional IBSI
 * interpolation (centre-aligned grids, trilinear ROI with partial-volume threshold, optional
 * rounding), re-segmentation of the intensity mask by range and/or outlier filtering (their
 * intersection; the morphological mask keeps the ROI), FBS (bins from the lower re-segmentation
 * bound) or FBN (over the ROI's range, ⌊N_g(x − min)/(max − min)⌋ + 1, max in the top bin)
 * discretisation, then each family with every aggregation variant. Names: `IBSI_FEATURE_TABLE`.
 */
export function extractIbsiFeatures(image: Image, mask: LabelMap, settings: IbsiSettings): Record<string, number> {
  const label = settings.label ?? 1;
  let img = image;
  if (settings.roundInput) img = { ...image, data: image.data.map((v) => Math.round(v)) };
  let m = mask;
  if (settings.interpolation) {
    const it = settings.interpolation;
    const r = resampleIbsi(img, m, {
      spacing: it.spacing,
      imageInterpolation: it.method,
      roundIntensities: it.roundIntensities ?? false,
      partialVolumeThreshold: it.partialVolumeThreshold ?? 0.5,
      maskInterpolation: it.maskInterpolation ?? 'linear',
      label,
    });
    img = r.image;
    m = r.mask;
  }
  const size = img.size;
  const spacing = img.spacing;
  // bounding box of the ROI, padded by the local-intensity sphere radius (clamped to the image)
  const lo: Vec3 = [size[0], size[1], size[2]];
  const hi: Vec3 = [-1, -1, -1];
  for (let k = 0, v = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++) {
      for (let i = 0; i < size[0]; i++, v++) {
        if (m.data[v] !== label) continue;
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
      }
    }
  }
  if (hi[0] < 0) throw new RadnomoError('E_MASK', `IBSI extraction: the mask has no voxel with label ${label}.`);
  const dims: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const pad = Math.ceil(PEAK_RADIUS / spacing[a]!) + 1;
    lo[a] = Math.max(0, lo[a]! - pad);
    hi[a] = Math.min(size[a]! - 1, hi[a]! + pad);
    dims[a] = hi[a]! - lo[a]! + 1;
  }
  const data = cropTo(img.data, size, lo, dims, (n) => new Float64Array(n));
  const lab = Uint8Array.from(m.data, (v) => (v === label ? 1 : 0));
  const morph = cropTo(lab, size, lo, dims, (n) => new Uint8Array(n));

  // re-segmentation: intersection of the range and the outlier interval (intensity mask only)
  let rlo = -Infinity, rhi = Infinity;
  if (settings.resegmentRange) {
    rlo = settings.resegmentRange[0];
    rhi = settings.resegmentRange[1];
  }
  if (settings.outlierSigma != null) {
    let n = 0, s = 0;
    for (let v = 0; v < morph.length; v++) if (morph[v]) { n++; s += data[v]!; }
    const mean = s / n;
    let ss = 0;
    for (let v = 0; v < morph.length; v++) if (morph[v]) ss += (data[v]! - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    rlo = Math.max(rlo, mean - settings.outlierSigma * sd);
    rhi = Math.min(rhi, mean + settings.outlierSigma * sd);
  }
  const intensity = new Uint8Array(morph.length);
  const values: number[] = [];
  let vmin = Infinity, vmax = -Infinity;
  for (let v = 0; v < morph.length; v++) {
    if (!morph[v]) continue;
    const x = data[v]!;
    if (x < rlo || x > rhi) continue;
    intensity[v] = 1;
    values.push(x);
    if (x < vmin) vmin = x;
    if (x > vmax) vmax = x;
  }
  if (values.length === 0) throw new RadnomoError('E_MASK', 'IBSI extraction: no ROI voxel is left after re-segmentation.');

  // discretisation
  const levels = new Int32Array(morph.length);
  const disc = settings.discretisation;
  let ng = 1;
  if (disc.method === 'FBS') {
    if (!(disc.binWidth > 0)) throw new RadnomoError('E_PARAMS', `IBSI FBS discretisation needs a positive bin width, got ${disc.binWidth}.`);
    const xmin = Number.isFinite(rlo) && settings.resegmentRange && Number.isFinite(settings.resegmentRange[0]) ? settings.resegmentRange[0] : vmin;
    for (let v = 0; v < morph.length; v++) {
      if (!intensity[v]) continue;
      const b = Math.floor((data[v]! - xmin) / disc.binWidth) + 1;
      levels[v] = b;
      if (b > ng) ng = b;
    }
  } else {
    if (!(Number.isInteger(disc.binCount) && disc.binCount >= 1)) throw new RadnomoError('E_PARAMS', `IBSI FBN discretisation needs a whole bin count ≥ 1, got ${disc.binCount}.`);
    ng = disc.binCount;
    for (let v = 0; v < morph.length; v++) {
      if (!intensity[v]) continue;
      levels[v] = vmax > vmin ? Math.min(ng, Math.floor((ng * (data[v]! - vmin)) / (vmax - vmin)) + 1) : 1;
    }
  }
  const levelValues: number[] = [];
  for (let v = 0; v < morph.length; v++) if (intensity[v]) levelValues.push(levels[v]!);

  const families = new Set<IbsiFamily>(settings.families ?? IBSI_FAMILIES);
  const dimsWanted = new Set(settings.textureDimensions ?? ['2D', '2.5D', '3D']);
  const out: Record<string, number> = {};
  const put = (prefix: string, f: Record<string, number>, list: ReadonlyArray<readonly [string, ...string[]]>): void => {
    for (const [name] of list) if (name in f) out[`${prefix}_${name}`] = f[name]!;
  };

  if (families.has('morph')) {
    put('ibsi_morph', ibsiMorphologyFeatures(data, morph, intensity, dims, spacing, { spatialAutocorrelation: settings.spatialAutocorrelation }), IBSI_MORPH_FEATURES);
  }
  if (families.has('loc')) put('ibsi_loc', ibsiLocalIntensity(data, intensity, dims, spacing), IBSI_LOCAL_FEATURES);
  if (families.has('stat')) put('ibsi_stat', ibsiStatFeatures(values), IBSI_STAT_FEATURES);
  if (families.has('ih')) put('ibsi_ih', ibsiHistogramFeatures(levelValues, ng), IBSI_IH_FEATURES);
  if (families.has('ivh')) {
    const ivh = settings.ivhDiscretisation ?? { method: 'none' };
    let f: Record<string, number>;
    if (ivh.method === 'none') {
      const gmin = Number.isFinite(rlo) && settings.resegmentRange ? settings.resegmentRange[0] : vmin;
      const gmax = settings.resegmentRange && Number.isFinite(settings.resegmentRange[1]) ? settings.resegmentRange[1] : vmax;
      f = ibsiIvhFeatures(values, Math.round(gmin), Math.round(gmax), 1);
    } else if (ivh.method === 'FBS') {
      const w = ivh.binWidth;
      const xmin = settings.resegmentRange && Number.isFinite(settings.resegmentRange[0]) ? settings.resegmentRange[0] : vmin;
      const xmax = settings.resegmentRange && Number.isFinite(settings.resegmentRange[1]) ? settings.resegmentRange[1] : vmax;
      const xd = values.map((x) => xmin + (Math.floor((x - xmin) / w) + 1 - 0.5) * w);
      f = ibsiIvhFeatures(xd, xmin + 0.5 * w, xmax - 0.5 * w, w);
    } else {
      const nb = ivh.binCount;
      const xd = values.map((x) => (vmax > vmin ? Math.min(nb, Math.floor((nb * (x - vmin)) / (vmax - vmin)) + 1) : 1));
      f = ibsiIvhFeatures(xd, 1, nb, 1);
    }
    put('ibsi_ivh', f, IBSI_IVH_FEATURES);
  }

  const roi: IbsiTextureRoi = { size: dims, spacing, levels, ng, morph };
  const wantDir = (agg: DirectionalAggregation): boolean => dimsWanted.has(agg.startsWith('2D') ? '2D' : agg.startsWith('2.5D') ? '2.5D' : '3D');
  for (const [agg] of DIRECTIONAL_AGGREGATIONS) {
    if (!wantDir(agg)) continue;
    if (families.has('glcm')) put(`ibsi_glcm_${agg}`, ibsiGlcmFeaturesAggregated(roi, agg), IBSI_GLCM_FEATURES);
    if (families.has('glrlm')) put(`ibsi_glrlm_${agg}`, ibsiGlrlmFeaturesAggregated(roi, agg), IBSI_GLRLM_FEATURES);
  }
  for (const [agg] of ZONE_AGGREGATIONS) {
    if (!dimsWanted.has(agg)) continue;
    const a = agg as ZoneAggregation;
    if (families.has('glszm')) put(`ibsi_glszm_${agg}`, ibsiGlszmFeaturesAggregated(roi, a), IBSI_GLSZM_FEATURES);
    if (families.has('gldzm')) put(`ibsi_gldzm_${agg}`, ibsiGldzmFeaturesAggregated(roi, a), IBSI_GLDZM_FEATURES);
    if (families.has('ngtdm')) put(`ibsi_ngtdm_${agg}`, ibsiNgtdmFeaturesAggregated(roi, a), IBSI_NGTDM_FEATURES);
    if (families.has('ngldm')) put(`ibsi_ngldm_${agg}`, ibsiNgldmFeaturesAggregated(roi, a, settings.ngldmAlpha ?? 0), IBSI_NGLDM_FEATURES);
  }
  return out;
}
