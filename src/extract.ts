import { RadnomoError } from './errors';
import type { Image, LabelMap, Vec3 } from './image';
import {
  DEFAULT_SETTINGS,
  defaultParams,
  paramsHash,
  type ExtractionParams,
  type ExtractionSettings,
  type FeatureClassName,
} from './params';
import { checkRoi, correctMaskGeometry, geometryMismatch, type BoundingBox } from './preprocess/check-mask';
import { cropToBoundingBox } from './preprocess/crop';
import { resampleImageAndMask, type PixelType } from './preprocess/resample';

const PIXEL_TYPES = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'] as const;
import { normalizeImage } from './preprocess/normalize';
import { n4BiasFieldCorrection } from './preprocess/n4';
import { resegmentMask } from './preprocess/resegment';
import { discretise } from './preprocess/discretise';
import { VERSION } from './version';
import { extractIbsiFeatures, type IbsiSettings } from './extract-ibsi';
import { applyImageType, type FilteredImage, type ImageTypeName } from './preprocess/filters/index';
import type { DiscretisedRoi, TextureSettings } from '../features/roi';
import { firstorderFeatures, FIRSTORDER_FEATURE_NAMES } from '../features/firstorder';
import { shapeFeatures, SHAPE_FEATURE_NAMES } from '../features/shape';
import { shape2DFeatures, SHAPE2D_FEATURE_NAMES } from '../features/shape2d';
import { glcmFeatures, GLCM_FEATURE_NAMES } from '../features/glcm';
import { glrlmFeatures, GLRLM_FEATURE_NAMES } from '../features/glrlm';
import { glszmFeatures, GLSZM_FEATURE_NAMES } from '../features/glszm';
import { gldmFeatures, GLDM_FEATURE_NAMES } from '../features/gldm';
import { ngtdmFeatures, NGTDM_FEATURE_NAMES } from '../features/ngtdm';

/** One case's output: diagnostics (text or numbers) and features, both in PyRadiomics' column order. */
export interface ExtractionResult {
  diagnostics: Record<string, string | number>;
  features: Record<string, number>;
}

/** Optional facts about the inputs, for the diagnostics columns and error messages. */
export interface CaseInfo {
  /** Names the case in errors (e.g. "case 7 (brain1_image.nrrd)"). */
  where?: string;
  imageHash?: string;
  maskHash?: string;
}

const FEATURE_NAMES: Record<FeatureClassName, readonly string[]> = {
  firstorder: FIRSTORDER_FEATURE_NAMES,
  shape: SHAPE_FEATURE_NAMES,
  shape2D: SHAPE2D_FEATURE_NAMES,
  glcm: GLCM_FEATURE_NAMES,
  glrlm: GLRLM_FEATURE_NAMES,
  glszm: GLSZM_FEATURE_NAMES,
  gldm: GLDM_FEATURE_NAMES,
  ngtdm: NGTDM_FEATURE_NAMES,
};

type TextureFn = (roi: DiscretisedRoi, s: Partial<TextureSettings>) => Record<string, number>;
const TEXTURE: Array<[FeatureClassName, TextureFn]> = [
  ['glcm', glcmFeatures],
  ['glrlm', glrlmFeatures],
  ['glszm', glszmFeatures],
  ['gldm', gldmFeatures],
  ['ngtdm', ngtdmFeatures],
];

/** The features a class will output given the params (all non-deprecated ones, or the listed ones). */
export function enabledFeatureNames(cls: FeatureClassName, list: string[] | null | undefined, where = 'params'): readonly string[] {
  const all = FEATURE_NAMES[cls];
  if (!list) return all;
  for (const f of list) {
    if (!all.includes(f)) {
      throw new RadnomoError('E_PARAMS', `${where}: feature "${f}" is not a ${cls} feature radnomo computes (it has: ${all.join(', ')}).`);
    }
  }
  return list;
}

function fullParams(params?: Partial<ExtractionParams>): ExtractionParams {
  const d = defaultParams();
  return {
    imageTypes: params?.imageTypes ?? d.imageTypes,
    featureClasses: params?.featureClasses ?? d.featureClasses,
    settings: { ...DEFAULT_SETTINGS, ...(params?.settings ?? {}) },
  };
}

/**
 * Extracts radiomics features of one image and mask as PyRadiomics' `RadiomicsFeatureExtractor.execute`
 * does: geometry check (or `correctMask`), ROI checks, resampling (or `preCrop`), normalisation,
 * resegmentation (shape keeps the original ROI unless `resegmentShape`), then each enabled class
 * on each enabled image type. Column names are PyRadiomics' (`original_glcm_JointEntropy`).
 */
export function extractFeatures(image: Image, mask: LabelMap, params?: Partial<ExtractionParams>, info: CaseInfo = {}): ExtractionResult {
  const p = fullParams(params);
  const s = p.settings;
  const where = info.where ?? 'case';
  if (s.ibsi) return extractIbsi(image, mask, p, where, info);
  // 1. Geometry.
  let m = mask;
  const mismatch = geometryMismatch(image, mask, s.geometryTolerance ?? 1e-6);
  if (mismatch) {
    if (!s.correctMask) {
      throw new RadnomoError('E_GEOMETRY', `${where}: image and mask geometry do not match: ${mismatch}. Set correctMask: true to resample the mask onto the image, or geometryTolerance to widen the tolerance.`);
    }
    m = correctMaskGeometry(image, mask);
  }
  let roi = checkRoi(where, m, s.label, s.minimumROIDimensions, s.minimumROISize);

  // 2. Optional N4 bias-field correction (radnomo's `n4` setting; the seed study ran N4 in Slicer
  //    before PyRadiomics), then normalisation over the whole image, before resampling
  //    (PyRadiomics' loadImage order).
  let img = image;
  if (s.n4) {
    // Slicer writes N4's output as float32, which is what PyRadiomics then reads.
    const corrected = n4BiasFieldCorrection(image, s.n4).corrected.data;
    img = { ...image, data: corrected.map((v) => Math.fround(v)), pixelType: 'float32' };
  }
  // SimpleITK's Normalize returns the input's real type (double for integer images), so the
  // resampler must not cast normalised values back to the file's integer type.
  if (s.normalize) img = { ...img, data: normalizeImage(img.data, s.normalizeScale, s.removeOutliers), pixelType: 'float64' };

  // 3. Resampling, or cropping.
  if (s.resampledPixelSpacing && s.interpolator !== null) {
    const r = resampleImageAndMask(img, m, {
      resampledPixelSpacing: s.resampledPixelSpacing,
      interpolator: s.interpolator,
      label: s.label,
      padDistance: s.padDistance,
      pixelType: pixelTypeOf(img),
    });
    img = r.image;
    m = r.mask;
    try {
      roi = checkRoi(where, m, s.label, s.minimumROIDimensions, s.minimumROISize);
    } catch (e) {
      if (e instanceof RadnomoError) throw new RadnomoError('E_MASK', `${e.message} (after resampling to ${s.resampledPixelSpacing.join(' × ')} mm)`);
      throw e;
    }
  } else if (s.preCrop) {
    img = cropToBoundingBox(img, roi.bbox, s.padDistance);
    m = cropToBoundingBox(m, roi.bbox, s.padDistance);
    roi = checkRoi(where, m, s.label, s.minimumROIDimensions, s.minimumROISize);
  }

  const data = img.data;

  // Work on the ROI's bounding box: features do not depend on voxels outside it.
  const bbox = roi.bbox;
  const block = cropBlock({ ...img, data }, bbox);
  const morph = cropBlock({ ...img, data: roi.mask }, bbox).data;

  // 4. Resegmentation: the intensity mask.
  let intensityMask = morph;
  if (s.resegmentRange) {
    intensityMask = resegmentMask(block.data, morph, s.resegmentRange, s.resegmentMode);
    let n = 0;
    for (let i = 0; i < intensityMask.length; i++) n += intensityMask[i]!;
    if (n === 0) {
      throw new RadnomoError('E_MASK', `${where}: no ROI voxel is left after resegmentation with resegmentRange [${s.resegmentRange.join(', ')}] (${s.resegmentMode}).`);
    }
  }
  // PyRadiomics crops the shape mask to the bounding box of the resegmented ROI (execute() passes
  // the rechecked bounding box to computeShape); radnomo does the same so the numbers agree.
  const shapeMask = s.resegmentShape ? intensityMask : s.resegmentRange ? restrictToBox(morph, intensityMask, block.size) : morph;

  const features: Record<string, number> = {};
  const enabled = p.featureClasses;

  if ('shape' in enabled) {
    const names = enabledFeatureNames('shape', enabled.shape, where);
    const f = shapeFeatures(shapeMask, block.size, block.spacing);
    for (const n of names) features[`original_shape_${n}`] = f[n]!;
  }
  if ('shape2D' in enabled) {
    const names = enabledFeatureNames('shape2D', enabled.shape2D, where);
    if (!s.force2D) {
      throw new RadnomoError('E_PARAMS', `${where}: shape2D features need force2D: true (as in PyRadiomics).`);
    }
    const f = shape2DFeatures(shapeMask, block.size, block.spacing, { force2Ddimension: s.force2Ddimension });
    for (const n of names) features[`original_shape2D_${n}`] = f[n]!;
  }

  // 5. Each image type of the whole (resampled / pre-cropped) image, computed only on the ROI
  //    box: with `region`, applyImageType returns box-sized images whose values equal the
  //    whole-image filter outputs there.
  for (const [type, typeSettings] of Object.entries(p.imageTypes)) {
    const eff = { ...s, ...typeSettings } as ExtractionSettings & Record<string, unknown>;
    let derived: FilteredImage[];
    try {
      derived = applyImageType(type as ImageTypeName, img, roi.mask, eff, { region: bbox });
    } catch (e) {
      if (e instanceof RadnomoError) throw new RadnomoError(e.code, `${where}: image type ${type}: ${e.message}`);
      throw e;
    }
    for (const d of derived) {
      computeIntensityClasses(d.prefix, d.image, intensityMask, eff, enabled, features, where);
    }
  }

  const diagnostics: Record<string, string | number> = {
    diagnostics_Versions_radnomo: VERSION,
    diagnostics_Configuration_SettingsHash: paramsHash(p),
    'diagnostics_Image-original_Hash': info.imageHash ?? '',
    'diagnostics_Image-original_Size': image.size.join('x'),
    'diagnostics_Image-original_Spacing': image.spacing.map((v) => +v.toPrecision(12)).join('x'),
    'diagnostics_Mask-original_Hash': info.maskHash ?? '',
    'diagnostics_Mask-original_BoundingBox': `${bbox.lower.join('x')}:${bbox.upper.join('x')}`,
    'diagnostics_Mask-original_VoxelNum': countOnes(intensityMask),
  };
  return { diagnostics, features };
}

/**
 * `ibsi: true`: the IBSI reference manual's pipeline and conventions (src/extract-ibsi.ts), with
 * PyRadiomics' setting names mapped onto IBSI's (README, "IBSI mode").
 */
function extractIbsi(image: Image, mask: LabelMap, p: ExtractionParams, where: string, info: CaseInfo): ExtractionResult {
  const s = p.settings;
  const types = Object.keys(p.imageTypes);
  if (types.length !== 1 || types[0] !== 'Original') {
    throw new RadnomoError('E_PARAMS', `${where}: IBSI mode computes the original image only (imageType has ${types.join(', ')}).`);
  }
  const mismatch = geometryMismatch(image, mask, s.geometryTolerance ?? 1e-6);
  if (mismatch) throw new RadnomoError('E_GEOMETRY', `${where}: image and mask geometry do not match: ${mismatch}.`);
  const roi = checkRoi(where, mask, s.label, s.minimumROIDimensions, s.minimumROISize);
  const methods: Record<string, 'nearest' | 'linear' | 'bspline'> = {
    sitkNearestNeighbor: 'nearest',
    sitkLinear: 'linear',
    sitkBSpline: 'bspline',
  };
  let interpolation: IbsiSettings['interpolation'] = null;
  if (s.resampledPixelSpacing && s.interpolator !== null) {
    const method = methods[s.interpolator];
    if (!method) throw new RadnomoError('E_PARAMS', `${where}: IBSI mode interpolates with sitkNearestNeighbor, sitkLinear or sitkBSpline, not ${s.interpolator}.`);
    interpolation = { spacing: s.resampledPixelSpacing, method, partialVolumeThreshold: 0.5 };
  }
  let resegmentRange: [number, number] | null = null;
  let outlierSigma: number | null = null;
  if (s.resegmentRange) {
    const [lo, hi] = [s.resegmentRange[0]!, s.resegmentRange[1] ?? Infinity];
    if (s.resegmentMode === 'absolute') resegmentRange = [lo, hi];
    else if (s.resegmentMode === 'sigma' && lo === -hi) outlierSigma = hi;
    else throw new RadnomoError('E_PARAMS', `${where}: IBSI mode takes resegmentRange in absolute mode, or sigma mode with a symmetric range [-k, k].`);
  }
  const settings: IbsiSettings = {
    label: s.label,
    interpolation,
    resegmentRange,
    outlierSigma,
    discretisation: s.binCount !== null ? { method: 'FBN', binCount: s.binCount } : { method: 'FBS', binWidth: s.binWidth },
    textureDimensions: s.force2D ? ['2D', '2.5D'] : ['3D'],
    ngldmAlpha: s.gldm_a,
  };
  const features = extractIbsiFeatures(image, mask, settings);
  return {
    diagnostics: {
      diagnostics_Versions_radnomo: VERSION,
      diagnostics_Configuration_SettingsHash: paramsHash(p),
      'diagnostics_Image-original_Hash': info.imageHash ?? '',
      'diagnostics_Image-original_Size': image.size.join('x'),
      'diagnostics_Image-original_Spacing': image.spacing.map((v) => +v.toPrecision(12)).join('x'),
      'diagnostics_Mask-original_Hash': info.maskHash ?? '',
      'diagnostics_Mask-original_BoundingBox': `${roi.bbox.lower.join('x')}:${roi.bbox.upper.join('x')}`,
      'diagnostics_Mask-original_VoxelNum': roi.count,
    },
    features,
  };
}

/** Firstorder and texture classes of one (derived) image block, written into `out` under `prefix`. */
function computeIntensityClasses(
  prefix: string,
  block: { size: Vec3; spacing: Vec3; data: Float64Array },
  intensityMask: Uint8Array,
  s: ExtractionSettings,
  enabled: ExtractionParams['featureClasses'],
  out: Record<string, number>,
  where: string,
): void {
  const needLevels = TEXTURE.some(([c]) => c in enabled) || 'firstorder' in enabled;
  if (!needLevels) return;
  const { levels } = discretise(block.data, intensityMask, { binWidth: s.binWidth, binCount: s.binCount });
  const droi: DiscretisedRoi = { size: block.size, spacing: block.spacing, mask: intensityMask, levels };
  if ('firstorder' in enabled) {
    const names = enabledFeatureNames('firstorder', enabled.firstorder, where);
    const f = firstorderFeatures(block.data, droi, { voxelArrayShift: s.voxelArrayShift });
    for (const n of names) out[`${prefix}_firstorder_${n}`] = f[n]!;
  }
  const ts: TextureSettings = {
    distances: s.distances,
    symmetricalGLCM: s.symmetricalGLCM,
    weightingNorm: s.weightingNorm,
    force2D: s.force2D,
    force2Ddimension: s.force2Ddimension,
    gldm_a: s.gldm_a,
  };
  for (const [cls, fn] of TEXTURE) {
    if (!(cls in enabled)) continue;
    const names = enabledFeatureNames(cls, enabled[cls], where);
    const f = fn(droi, ts);
    for (const n of names) out[`${prefix}_${cls}_${n}`] = f[n]!;
  }
}

/** The stored voxel type of an image read from a file, if resampling can keep it (SimpleITK does). */
function pixelTypeOf(image: Image): PixelType | undefined {
  const t = image.pixelType;
  return t && (PIXEL_TYPES as readonly string[]).includes(t) ? (t as PixelType) : undefined;
}

/** `m` with voxels outside the bounding box of `box` set to 0. */
function restrictToBox(m: Uint8Array, box: Uint8Array, size: Vec3): Uint8Array {
  const [nx, ny] = size;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-1, -1, -1];
  for (let i = 0; i < box.length; i++) {
    if (!box[i]) continue;
    const c = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
    for (let a = 0; a < 3; a++) {
      if (c[a]! < lo[a]!) lo[a] = c[a]!;
      if (c[a]! > hi[a]!) hi[a] = c[a]!;
    }
  }
  const out = new Uint8Array(m.length);
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    const c = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
    if (c.every((v, a) => v >= lo[a]! && v <= hi[a]!)) out[i] = 1;
  }
  return out;
}

function countOnes(m: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < m.length; i++) n += m[i]!;
  return n;
}

/** The voxels of a bounding box as a block (same spacing; origin not tracked, features do not use it). */
function cropBlock<T extends Float64Array | Uint8Array>(
  v: { size: Vec3; spacing: Vec3; data: T },
  b: BoundingBox,
): { size: Vec3; spacing: Vec3; data: T } {
  const size: Vec3 = [b.upper[0] - b.lower[0] + 1, b.upper[1] - b.lower[1] + 1, b.upper[2] - b.lower[2] + 1];
  const Ctor = v.data.constructor as new (n: number) => T;
  const out = new Ctor(size[0] * size[1] * size[2]);
  const [nx, ny] = v.size;
  let k = 0;
  for (let z = b.lower[2]; z <= b.upper[2]; z++) {
    for (let y = b.lower[1]; y <= b.upper[1]; y++) {
      const row = b.lower[0] + nx * (y + ny * z);
      for (let x = 0; x < size[0]; x++) out[k++] = v.data[row + x]!;
    }
  }
  return { size, spacing: [...v.spacing] as Vec3, data: out };
}
