/**
 * Resampling as PyRadiomics' `imageoperations.resampleImage` does it through SimpleITK's
 * ResampleImageFilter (identity transform, default pixel value 0, output pixel type of the input).
 */
import { RadnomoError } from '../errors';
import type { Image, LabelMap, Vec3, Volume } from '../image';
import { boundingBox, cropToBoundingBox, indexToPoint } from './crop';
import { bspline3, bsplineCoefficients, isInsideBuffer, linear, nearestNeighbor, type ContinuousEvaluator } from './interpolate';

/** An image grid: what ResampleImageFilter's output size/spacing/origin/direction set. */
export interface Grid {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  /** 3 × 3 direction cosines, row-major (column j is index axis j). */
  direction: Float64Array;
}

/** Pixel types of ITK images; resampled values are cast to one as ResampleImageFilter does. */
export type PixelType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

/** The interpolators radnomo implements, under SimpleITK's names. */
export const SUPPORTED_INTERPOLATORS = ['sitkNearestNeighbor', 'sitkLinear', 'sitkBSpline'] as const;

const INT_RANGE: Record<string, [number, number]> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
};

/**
 * ResampleImageFilter's cast of an interpolated value to the output pixel type
 * (CastComponentWithBoundsChecking): integers are clamped to the type's range, otherwise
 * truncated towards zero; float32 rounds to single precision.
 */
export function castToPixelType(value: number, type: PixelType): number {
  if (type === 'float64') return value;
  if (type === 'float32') return Math.fround(value);
  const [lo, hi] = INT_RANGE[type]!;
  return value <= lo ? lo : value >= hi ? hi : Math.trunc(value) + 0; // + 0: no −0
}

/**
 * The pixel type radnomo assumes for an image whose file type it was not told: float64 when any
 * value is not a whole number, else int16 when every value fits int16 (CT and MR files), else
 * int32 when they fit int32, else float64. Pass `pixelType` to the resampling functions for the
 * file's real type when it matters (unsigned files clamp interpolation overshoot at 0).
 */
export function inferPixelType(data: ArrayLike<number>): PixelType {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isInteger(v)) return 'float64';
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo >= -32768 && hi <= 32767) return 'int16';
  if (lo >= -2147483648 && hi <= 2147483647) return 'int32';
  return 'float64';
}

function invert3(m: Float64Array | number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = [m[0]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7]!, m[8]!];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (det === 0 || !Number.isFinite(det)) throw new RadnomoError('E_GEOMETRY', 'the image direction matrix is singular.');
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/**
 * ITK's physical-point-to-index matrix, (D · diag(spacing))⁻¹ = diag(1/spacing) · D⁻¹, row-major.
 * For axis-aligned directions (entries 0 and ±1) it is exactly ±1/spacing, as ITK's SVD inverse
 * gives it.
 */
export function physicalToIndexMatrix(spacing: Vec3, direction: Float64Array): Float64Array {
  const dinv = invert3(direction);
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = dinv[3 * r + c]! / spacing[r]!;
  return out;
}

/**
 * ITK's ImageBase::TransformPhysicalPointToContinuousIndex: P · (point − origin), each row summed
 * from column 0.
 */
export function pointToContinuousIndex(p2i: Float64Array, origin: Vec3, point: Vec3): Vec3 {
  const v0 = point[0] - origin[0];
  const v1 = point[1] - origin[1];
  const v2 = point[2] - origin[2];
  return [
    p2i[0]! * v0 + p2i[1]! * v1 + p2i[2]! * v2,
    p2i[3]! * v0 + p2i[4]! * v1 + p2i[5]! * v2,
    p2i[6]! * v0 + p2i[7]! * v1 + p2i[8]! * v2,
  ];
}

/**
 * ITK's ImageBase::TransformContinuousIndexToPhysicalPoint: (D · diag(spacing)) · index summed from
 * column 0, then the origin added.
 */
export function continuousIndexToPoint(origin: Vec3, spacing: Vec3, direction: Float64Array, index: Vec3): Vec3 {
  const p: Vec3 = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    let sum = 0;
    for (let c = 0; c < 3; c++) sum += direction[3 * r + c]! * spacing[c]! * index[c]!;
    p[r] = sum + origin[r]!;
  }
  return p;
}

/** The evaluator of a SimpleITK interpolator name over a volume's data. */
export function makeInterpolator(data: ArrayLike<number>, size: Vec3, interpolator: string): ContinuousEvaluator {
  switch (interpolator) {
    case 'sitkNearestNeighbor':
      return nearestNeighbor(data, size);
    case 'sitkLinear':
      return linear(data, size);
    case 'sitkBSpline':
    case 'sitkBSpline3':
      return bspline3(bsplineCoefficients(data, size), size);
    default:
      throw new RadnomoError(
        'E_PARAMS',
        `interpolator ${interpolator} is not available in radnomo (it has ${SUPPORTED_INTERPOLATORS.join(', ')}).`,
      );
  }
}

/**
 * itk::ResampleImageFilter with an identity transform, as SimpleITK runs it: every output voxel's
 * physical point is mapped to a continuous index of the input; inside the buffer
 * (IsInsideBuffer: [−0.5, size − 0.5) on every axis) the interpolated value is cast to
 * `pixelType`, elsewhere `defaultValue` (0). Continuous indices follow ITK's linear-transform
 * path: per output row, the indices of output x = 0 and x = size[0] are computed and those in
 * between by start + (x / size[0]) · (end − start).
 */
export function resampleToGrid(
  input: Volume<Float64Array | Int32Array | Uint8Array>,
  grid: Grid,
  interpolator: string,
  opts: { pixelType?: PixelType; defaultValue?: number } = {},
): Float64Array {
  const pixelType = opts.pixelType ?? 'float64';
  const defaultValue = opts.defaultValue ?? 0;
  if (interpolator === 'sitkNearestNeighbor' && sameGeometry(input, grid)) {
    // every continuous index is an integer to within rounding: the identity
    const out = new Float64Array(input.data.length);
    for (let i = 0; i < out.length; i++) out[i] = castToPixelType(input.data[i]!, pixelType);
    return out;
  }
  const evaluate = makeInterpolator(input.data, input.size, interpolator);
  const p2i = physicalToIndexMatrix(input.spacing, input.direction);
  const [nx, ny, nz] = grid.size;
  const out = new Float64Array(nx * ny * nz);
  const size = input.size;
  let o = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const start = pointToContinuousIndex(p2i, input.origin, indexToPoint(grid.origin, grid.spacing, grid.direction, [0, y, z]));
      const end = pointToContinuousIndex(p2i, input.origin, indexToPoint(grid.origin, grid.spacing, grid.direction, [nx, y, z]));
      const d0 = end[0] - start[0];
      const d1 = end[1] - start[1];
      const d2 = end[2] - start[2];
      for (let x = 0; x < nx; x++, o++) {
        const alpha = x / nx;
        const c0 = start[0] + alpha * d0;
        const c1 = start[1] + alpha * d1;
        const c2 = start[2] + alpha * d2;
        out[o] = isInsideBuffer(size, c0, c1, c2) ? castToPixelType(evaluate(c0, c1, c2), pixelType) : defaultValue;
      }
    }
  }
  return out;
}

function sameGeometry(a: Grid, b: Grid): boolean {
  for (let k = 0; k < 3; k++) {
    if (a.size[k] !== b.size[k] || a.spacing[k] !== b.spacing[k] || a.origin[k] !== b.origin[k]) return false;
  }
  for (let k = 0; k < 9; k++) if (a.direction[k] !== b.direction[k]) return false;
  return true;
}

/** Options of `resampleImageAndMask` (PyRadiomics setting names). */
export interface ResampleOptions {
  /** Output spacing [x, y, z] in mm; 0 keeps the mask's spacing on that axis. */
  resampledPixelSpacing: number[];
  /** SimpleITK interpolator name for the image (the mask always uses nearest neighbour). */
  interpolator: string;
  label: number;
  padDistance: number;
  /** The image file's pixel type (SimpleITK resamples to the input's type); inferred when absent. */
  pixelType?: PixelType;
}

/**
 * PyRadiomics' `_checkROI`: the label must be present, and the ROI's bounding box (voxel corners,
 * mapped through physical space into the image's index space) must lie within the image's
 * [−0.5, size − 0.5] on every axis, with tolerance 1e-3. Returns the bounding box.
 */
export function checkRoiInImage(image: Image, mask: LabelMap, label: number): { lower: Vec3; size: Vec3 } {
  const sel = new Uint8Array(mask.data.length);
  for (let i = 0; i < sel.length; i++) sel[i] = mask.data[i] === label ? 1 : 0;
  const bb = boundingBox(sel, mask.size);
  if (!bb) throw new RadnomoError('E_MASK', `label ${label} is not present in the mask.`);
  const size: Vec3 = [bb.upper[0] - bb.lower[0] + 1, bb.upper[1] - bb.lower[1] + 1, bb.upper[2] - bb.lower[2] + 1];
  const p2i = physicalToIndexMatrix(image.spacing, image.direction);
  const lowCorner = continuousIndexToPoint(mask.origin, mask.spacing, mask.direction, [bb.lower[0] - 0.5, bb.lower[1] - 0.5, bb.lower[2] - 0.5]);
  const highCorner = continuousIndexToPoint(mask.origin, mask.spacing, mask.direction, [
    bb.lower[0] + size[0] - 0.5,
    bb.lower[1] + size[1] - 0.5,
    bb.lower[2] + size[2] - 0.5,
  ]);
  const a = pointToContinuousIndex(p2i, image.origin, lowCorner);
  const b = pointToContinuousIndex(p2i, image.origin, highCorner);
  const tol = 1e-3;
  for (let k = 0; k < 3; k++) {
    if (Math.min(a[k]!, b[k]!) < -0.5 - tol || Math.max(a[k]!, b[k]!) > image.size[k]! - 0.5 + tol) {
      throw new RadnomoError(
        'E_GEOMETRY',
        `the bounding box of label ${label} reaches outside the image (axis ${'xyz'[k]}: image index ${Math.min(a[k]!, b[k]!).toFixed(3)} to ${Math.max(a[k]!, b[k]!).toFixed(3)}, image size ${image.size[k]}).`,
      );
    }
  }
  return { lower: bb.lower, size };
}

/**
 * The output grid PyRadiomics' `resampleImage` builds from the mask: spacing (0 → the mask's, and
 * the mask's on axes where the ROI is one voxel thick), lower/upper bounds
 * floor((lower − 0.5) · r − pad) and ceil((lower + size − 0.5) · r + pad) in the new index space
 * (r = mask spacing / new spacing) clipped to [0, ceil(maskSize · r) − 1], origin at the mask's
 * continuous index 0.5 · (new − old spacing) / old spacing + lowerBound / r, mask direction.
 */
export function pyradiomicsResampleGrid(mask: LabelMap, bb: { lower: Vec3; size: Vec3 }, spacing: Vec3, padDistance: number): Grid {
  const size: Vec3 = [0, 0, 0];
  const cidx: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const ratio = mask.spacing[a]! / spacing[a]!;
    let lower = Math.floor((bb.lower[a]! - 0.5) * ratio - padDistance);
    let upper = Math.ceil((bb.lower[a]! + bb.size[a]! - 0.5) * ratio + padDistance);
    const maxUpper = Math.ceil(mask.size[a]! * ratio) - 1;
    if (lower < 0) lower = 0;
    if (upper > maxUpper) upper = maxUpper;
    size[a] = Math.trunc(upper - lower + 1);
    const originalLower = lower / ratio;
    const newOriginIndex = (0.5 * (spacing[a]! - mask.spacing[a]!)) / mask.spacing[a]!;
    cidx[a] = newOriginIndex + originalLower;
  }
  return {
    size,
    spacing: [...spacing] as Vec3,
    origin: continuousIndexToPoint(mask.origin, mask.spacing, mask.direction, cidx),
    direction: Float64Array.from(mask.direction),
  };
}

/**
 * PyRadiomics' `imageoperations.resampleImage`: resamples image (with `interpolator`) and mask
 * (nearest neighbour) onto the grid of `pyradiomicsResampleGrid`, covering the ROI plus
 * `padDistance` new voxels. When the new spacing equals the image's (numpy allclose), only the
 * mask is resampled onto the image grid and both are cropped to the ROI with `padDistance` instead.
 * The image keeps its pixel type (values cast as ResampleImageFilter casts them), the mask its
 * labels.
 */
export function resampleImageAndMask(image: Image, mask: LabelMap, opts: ResampleOptions): { image: Image; mask: LabelMap } {
  if (opts.resampledPixelSpacing.length !== 3) {
    throw new RadnomoError(
      'E_PARAMS',
      `resampledPixelSpacing must have 3 values (x, y, z) for a 3-D mask, got ${opts.resampledPixelSpacing.length}.`,
    );
  }
  let spacing = opts.resampledPixelSpacing.map((s, a) => (s === 0 ? mask.spacing[a]! : s)) as Vec3;
  const bb = checkRoiInImage(image, mask, opts.label);
  spacing = spacing.map((s, a) => (bb.size[a] !== 1 ? s : mask.spacing[a]!)) as Vec3;

  // numpy.allclose(imageSpacing, resampledPixelSpacing): |a − b| <= 1e-8 + 1e-5·|b|
  let close = true;
  for (let a = 0; a < 3; a++) if (!(Math.abs(image.spacing[a]! - spacing[a]!) <= 1e-8 + 1e-5 * Math.abs(spacing[a]!))) close = false;
  if (close) {
    const onImage: LabelMap = {
      size: [...image.size] as Vec3,
      spacing: [...image.spacing] as Vec3,
      origin: [...image.origin] as Vec3,
      direction: Float64Array.from(image.direction),
      data: Int32Array.from(resampleToGrid(mask, image, 'sitkNearestNeighbor')),
    };
    const sel = new Uint8Array(onImage.data.length);
    for (let i = 0; i < sel.length; i++) sel[i] = onImage.data[i] === opts.label ? 1 : 0;
    const box = boundingBox(sel, onImage.size);
    if (!box) throw new RadnomoError('E_MASK', `label ${opts.label} is not present in the mask after resampling it onto the image grid.`);
    return { image: cropToBoundingBox(image, box, opts.padDistance), mask: cropToBoundingBox(onImage, box, opts.padDistance) };
  }

  const grid = pyradiomicsResampleGrid(mask, bb, spacing, opts.padDistance);
  const pixelType = opts.pixelType ?? inferPixelType(image.data);
  const imageData = resampleToGrid(image, grid, opts.interpolator, { pixelType });
  const maskData = Int32Array.from(resampleToGrid(mask, grid, 'sitkNearestNeighbor'));
  const geometry = (): Omit<Grid, 'direction'> & { direction: Float64Array } => ({
    size: [...grid.size] as Vec3,
    spacing: [...grid.spacing] as Vec3,
    origin: [...grid.origin] as Vec3,
    direction: Float64Array.from(grid.direction),
  });
  return { image: { ...geometry(), data: imageData }, mask: { ...geometry(), data: maskData } };
}

/** Options of `resampleIbsi` (IBSI reference manual, chapter "Interpolation"). */
export interface IbsiResampleOptions {
  /** New spacing [x, y, z] in mm; 0 keeps an axis as it is (e.g. z = 0 for in-slice 2D interpolation). */
  spacing: number[];
  /** Image interpolation: nearest neighbour, (tri)linear, or cubic B-spline (ITK's, mirror boundaries). */
  imageInterpolation: 'nearest' | 'linear' | 'bspline';
  /** ROI interpolation (IBSI's reference configurations use linear); default 'linear'. */
  maskInterpolation?: 'nearest' | 'linear';
  /** Partial-volume threshold: an interpolated ROI value ≥ this is in the ROI; default 0.5. */
  partialVolumeThreshold?: number;
  /** Round interpolated intensities to the nearest integer (IBSI configs for CT); default false. */
  roundIntensities?: boolean;
  /** The ROI label in the mask; default 1. */
  label?: number;
}

/**
 * IBSI interpolation with grid alignment "align grid centers" (IBSI reference manual,
 * "Interpolation"): on each axis the new grid has n_b = ⌈n_a·s_a / s_b⌉ voxels of spacing s_b and
 * the same centre as the original grid, so new voxel i sits at original continuous index
 * ((n_a − 1) − (n_b − 1)·s_b/s_a)/2 + i·s_b/s_a. The image is interpolated with the chosen
 * method; positions beyond the outermost voxel centres (at most half an original voxel) take the
 * values of the outermost voxels (nearest-neighbour extrapolation; B-spline evaluates its mirror
 * extension there). The ROI (voxels equal to `label`) is interpolated as a 0/1 image and voxels at
 * or above the partial-volume threshold form the new ROI, written as `label`. Direction is kept.
 */
export function resampleIbsi(image: Image, mask: LabelMap, opts: IbsiResampleOptions): { image: Image; mask: LabelMap } {
  if (opts.spacing.length !== 3) {
    throw new RadnomoError('E_PARAMS', `IBSI interpolation needs 3 spacings (x, y, z), got ${opts.spacing.length}.`);
  }
  const mismatch = [0, 1, 2].some(
    (a) => image.size[a] !== mask.size[a] || image.spacing[a] !== mask.spacing[a] || image.origin[a] !== mask.origin[a],
  );
  if (mismatch) throw new RadnomoError('E_GEOMETRY', 'IBSI interpolation needs image and mask on the same grid.');
  const label = opts.label ?? 1;
  const threshold = opts.partialVolumeThreshold ?? 0.5;
  const size: Vec3 = [0, 0, 0];
  const spacing: Vec3 = [0, 0, 0];
  const first: Vec3 = [0, 0, 0];
  const step: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const sa = image.spacing[a]!;
    const na = image.size[a]!;
    const sb = opts.spacing[a]! > 0 ? opts.spacing[a]! : sa;
    if (!(sb > 0) || !Number.isFinite(sb)) throw new RadnomoError('E_PARAMS', `IBSI interpolation: spacing ${opts.spacing[a]} on axis ${'xyz'[a]} is not a positive number.`);
    // ⌈n_a s_a / s_b⌉, forgiving rounding error when the ratio is a whole number
    const ratio = (na * sa) / sb;
    const nb = Math.max(1, Math.ceil(ratio - 1e-9 * ratio));
    size[a] = nb;
    spacing[a] = sb;
    step[a] = sb / sa;
    first[a] = (na - 1 - (nb - 1) * step[a]) / 2;
  }
  const roi = new Float64Array(mask.data.length);
  for (let i = 0; i < roi.length; i++) roi[i] = mask.data[i] === label ? 1 : 0;
  const imgEval =
    opts.imageInterpolation === 'nearest'
      ? nearestNeighbor(image.data, image.size)
      : opts.imageInterpolation === 'linear'
        ? linear(image.data, image.size)
        : bspline3(bsplineCoefficients(image.data, image.size), image.size);
  const maskNearest = (opts.maskInterpolation ?? 'linear') === 'nearest';
  const roiEval = maskNearest ? nearestNeighbor(roi, mask.size) : linear(roi, mask.size);
  const clampImage = opts.imageInterpolation !== 'bspline';
  const [nx, ny, nz] = size;
  const outImage = new Float64Array(nx * ny * nz);
  const outMask = new Int32Array(nx * ny * nz);
  const cx = new Float64Array(nx);
  const cy = new Float64Array(ny);
  const cz = new Float64Array(nz);
  const coords = [cx, cy, cz];
  for (let a = 0; a < 3; a++) for (let i = 0; i < size[a]!; i++) coords[a]![i] = first[a]! + i * step[a]!;
  const clamp = (c: number, lo: number, hi: number): number => (c < lo ? lo : c > hi ? hi : c);
  let o = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, o++) {
        const c0 = cx[i]!;
        const c1 = cy[j]!;
        const c2 = cz[k]!;
        // voxel centres span [0, n − 1]; beyond, the outermost values (B-spline: [−0.5, n − 0.5])
        const p0 = clamp(c0, 0, image.size[0] - 1);
        const p1 = clamp(c1, 0, image.size[1] - 1);
        const p2 = clamp(c2, 0, image.size[2] - 1);
        let v = clampImage
          ? imgEval(p0, p1, p2)
          : imgEval(
              clamp(c0, -0.5, image.size[0] - 0.5),
              clamp(c1, -0.5, image.size[1] - 0.5),
              clamp(c2, -0.5, image.size[2] - 0.5),
            );
        if (opts.roundIntensities) v = Math.round(v);
        outImage[o] = v;
        outMask[o] = roiEval(p0, p1, p2) >= threshold ? label : 0;
      }
    }
  }
  const origin = continuousIndexToPoint(image.origin, image.spacing, image.direction, first);
  const geometry = (): Grid => ({
    size: [...size] as Vec3,
    spacing: [...spacing] as Vec3,
    origin: [...origin] as Vec3,
    direction: Float64Array.from(image.direction),
  });
  return { image: { ...geometry(), data: outImage }, mask: { ...geometry(), data: outMask } };
}
