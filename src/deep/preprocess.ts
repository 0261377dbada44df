/**
 * Preprocessing of a case before its deep-feature slice is taken, as the radiomics extractor
 * (src/extract.ts) preprocesses before features: the geometry check (or `correctMask`), optional
 * N4 bias-field correction (radnomo's `n4` setting, 3D Slicer's defaults), optional normalisation,
 * then optional resampling to `resampledPixelSpacing` with PyRadiomics' `resampleImage` (image
 * with `interpolator`, default sitkBSpline; mask nearest neighbour). The deep slice is then the
 * largest axial ROI slice of the resampled volumes.
 *
 * One difference from the extractor: PyRadiomics' resampling keeps only the ROI plus
 * `padDistance` voxels, which would clip the slice's crop margin. Here the pad is made large
 * enough to hold the whole (square) crop, so the crop is what resampling the whole image would
 * give: the resampled grid is the same lattice, only wider.
 */
import { RadnomoError } from '../errors';
import type { Image, LabelMap } from '../image';
import { correctMaskGeometry, geometryMismatch } from '../preprocess/check-mask';
import { n4BiasFieldCorrection } from '../preprocess/n4';
import { normalizeImage } from '../preprocess/normalize';
import { resampleImageAndMask, SUPPORTED_INTERPOLATORS, type PixelType } from '../preprocess/resample';
import type { ExtractionSettings, N4Setting } from '../params';

/** The extractor settings that apply to the deep slice (plain data: it is sent to worker threads). */
export interface DeepPreprocessing {
  /** N4 before anything else: false, or N4 options (an empty mapping = 3D Slicer's defaults). */
  n4: false | N4Setting;
  normalize: boolean;
  normalizeScale: number;
  removeOutliers: number | null;
  /** Output spacing in mm (x, y, z; 0 keeps the mask's), or null for no resampling. */
  resampledPixelSpacing: number[] | null;
  /** SimpleITK interpolator of the image (null disables resampling, as in PyRadiomics). */
  interpolator: string | null;
  geometryTolerance: number | null;
  correctMask: boolean;
}

/** No preprocessing: the slice is taken from the image as read. */
export const NO_PREPROCESSING: Readonly<DeepPreprocessing> = Object.freeze({
  n4: false,
  normalize: false,
  normalizeScale: 1,
  removeOutliers: null,
  resampledPixelSpacing: null,
  interpolator: 'sitkBSpline',
  geometryTolerance: null,
  correctMask: false,
});

/** The deep preprocessing of a params file's settings (the other settings do not apply to the slice). */
export function deepPreprocessingOf(s: ExtractionSettings): DeepPreprocessing {
  return {
    n4: s.n4,
    normalize: s.normalize,
    normalizeScale: s.normalizeScale,
    removeOutliers: s.removeOutliers,
    resampledPixelSpacing: s.resampledPixelSpacing ? [...s.resampledPixelSpacing] : null,
    interpolator: s.interpolator,
    geometryTolerance: s.geometryTolerance,
    correctMask: s.correctMask,
  };
}

/**
 * Parses `--resample X,Y,Z` (mm, each ≥ 0; 0 keeps the mask's spacing on that axis, as
 * PyRadiomics' resampledPixelSpacing). A bad value is a RadnomoError naming the option.
 */
export function parseResample(v: string): number[] {
  const parts = v.split(',').map((x) => x.trim());
  const nums = parts.map(Number);
  if (parts.length !== 3 || parts.some((x) => x === '') || nums.some((x) => !Number.isFinite(x) || x < 0) || nums.every((x) => x === 0)) {
    throw new RadnomoError('E_USAGE', `--resample must be three spacings in mm, X,Y,Z (e.g. --resample 1,1,1; 0 keeps the mask's spacing on that axis), got "${v}".`);
  }
  return nums;
}

/** Whether the preprocessing changes anything. */
export function preprocessingIsActive(p: DeepPreprocessing): boolean {
  return p.n4 !== false || p.normalize || (p.resampledPixelSpacing !== null && p.interpolator !== null) || p.correctMask;
}

/** A one-line description for logs, e.g. "N4, resampled to 1 × 1 × 1 mm (sitkBSpline)". */
export function describePreprocessing(p: DeepPreprocessing): string {
  const steps: string[] = [];
  if (p.n4 !== false) steps.push(Object.keys(p.n4).length ? `N4 (${JSON.stringify(p.n4)})` : 'N4');
  if (p.normalize) steps.push(`normalised (scale ${p.normalizeScale}${p.removeOutliers !== null ? `, outliers ±${p.removeOutliers}` : ''})`);
  if (p.resampledPixelSpacing && p.interpolator !== null) steps.push(`resampled to ${p.resampledPixelSpacing.join(' × ')} mm (${p.interpolator})`);
  return steps.length ? steps.join(', ') : 'none';
}

const PIXEL_TYPES: readonly string[] = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'];

/**
 * Applies the preprocessing to one case's image and mask, in the extractor's order (geometry,
 * N4, normalisation, resampling). `margin` is the slice's crop margin in (new) voxels: the
 * resampled grid covers the ROI plus the margin and the crop's square expansion. Errors name
 * the case (`where`).
 */
export function preprocessForSlice(image: Image, mask: LabelMap, p: DeepPreprocessing, label: number, margin: number, where: string): { image: Image; mask: LabelMap } {
  let m = mask;
  const mismatch = geometryMismatch(image, mask, p.geometryTolerance ?? 1e-6);
  if (mismatch) {
    if (!p.correctMask) {
      throw new RadnomoError('E_GEOMETRY', `${where}: image and mask geometry do not match: ${mismatch}. Set correctMask: true in the params file to resample the mask onto the image, or geometryTolerance to widen the tolerance.`);
    }
    m = correctMaskGeometry(image, mask);
  }
  let img = image;
  if (p.n4 !== false) {
    // As the extractor: Slicer writes N4's output as float32.
    const corrected = n4BiasFieldCorrection(image, p.n4).corrected.data;
    img = { ...image, data: corrected.map((v) => Math.fround(v)), pixelType: 'float32' };
  }
  // SimpleITK's Normalize yields a real-valued image, so the resampled values are not cast back to an integer type.
  if (p.normalize) img = { ...img, data: normalizeImage(img.data, p.normalizeScale, p.removeOutliers), pixelType: 'float64' };
  if (p.resampledPixelSpacing && p.interpolator !== null) {
    if (!(SUPPORTED_INTERPOLATORS as readonly string[]).includes(p.interpolator)) {
      throw new RadnomoError('E_PARAMS', `${where}: the deep slice is resampled with ${SUPPORTED_INTERPOLATORS.join(', ')}, not ${p.interpolator}.`);
    }
    const spacing = p.resampledPixelSpacing;
    // Enough new voxels around the ROI for the margin and the square crop: the whole mask's extent plus the margin.
    let pad = margin + 1;
    for (let a = 0; a < 3; a++) {
      const s = spacing[a] === 0 ? m.spacing[a]! : spacing[a]!;
      pad = Math.max(pad, Math.ceil((m.size[a]! * m.spacing[a]!) / s) + margin + 1);
    }
    const pixelType = img.pixelType && PIXEL_TYPES.includes(img.pixelType) ? (img.pixelType as PixelType) : undefined;
    try {
      const r = resampleImageAndMask(img, m, { resampledPixelSpacing: spacing, interpolator: p.interpolator, label, padDistance: pad, pixelType });
      img = r.image;
      m = r.mask;
    } catch (e) {
      if (e instanceof RadnomoError) throw new RadnomoError(e.code, `${where}: ${e.message} (resampling to ${spacing.join(' × ')} mm)`);
      throw e;
    }
  }
  return { image: img, mask: m };
}

