import { RadnomoError } from '../errors';
import type { Image, LabelMap, Vec3 } from '../image';
import { indexToPhysical, voxelCount } from '../image';

/** Inclusive voxel-index bounds of a region, per axis [x, y, z]. */
export interface BoundingBox {
  lower: Vec3;
  upper: Vec3;
}

/**
 * Whether image and mask occupy the same physical space as ITK's
 * ImageToImageFilter::VerifyInputInformation judges it (which PyRadiomics' checkMask relies on):
 * equal sizes; origins and spacings within `tolerance × spacing[0]`; direction cosines within
 * `tolerance` (ITK's defaults: 1e-6 for both; PyRadiomics' `geometryTolerance` sets both).
 * Returns null when they match, else a sentence saying what differs.
 */
export function geometryMismatch(image: Image, mask: LabelMap, tolerance = 1e-6): string | null {
  for (let a = 0; a < 3; a++) {
    if (image.size[a] !== mask.size[a]) {
      return `size differs (image ${image.size.join(' × ')}, mask ${mask.size.join(' × ')})`;
    }
  }
  const coordTol = Math.abs(tolerance * image.spacing[0]);
  for (let a = 0; a < 3; a++) {
    if (Math.abs(image.origin[a] - mask.origin[a]) > coordTol) {
      return `origin differs (image ${fmt(image.origin)}, mask ${fmt(mask.origin)})`;
    }
  }
  for (let a = 0; a < 3; a++) {
    if (Math.abs(image.spacing[a] - mask.spacing[a]) > coordTol) {
      return `spacing differs (image ${fmt(image.spacing)}, mask ${fmt(mask.spacing)})`;
    }
  }
  for (let i = 0; i < 9; i++) {
    if (Math.abs(image.direction[i]! - mask.direction[i]!) > tolerance) return 'direction cosines differ';
  }
  return null;
}

function fmt(v: Vec3): string {
  return `(${v.map((x) => +x.toPrecision(8)).join(', ')})`;
}

/**
 * PyRadiomics' `_correctMask`: resamples the mask onto the image grid with nearest-neighbour
 * interpolation (ITK's rounding of the continuous index), provided the mask's physical extent
 * lies inside the image's.
 */
export function correctMaskGeometry(image: Image, mask: LabelMap): LabelMap {
  const inv = invert3(mask.direction);
  const out = new Int32Array(voxelCount(image.size));
  const [nx, ny, nz] = image.size;
  const [mx, my, mz] = mask.size;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const p = indexToPhysical(image, [x, y, z]);
        const d = [p[0] - mask.origin[0], p[1] - mask.origin[1], p[2] - mask.origin[2]];
        const ci = [0, 1, 2].map(
          (r) => (inv[r * 3]! * d[0]! + inv[r * 3 + 1]! * d[1]! + inv[r * 3 + 2]! * d[2]!) / mask.spacing[r]!,
        );
        const ix = Math.floor(ci[0]! + 0.5);
        const iy = Math.floor(ci[1]! + 0.5);
        const iz = Math.floor(ci[2]! + 0.5);
        if (ix < 0 || iy < 0 || iz < 0 || ix >= mx || iy >= my || iz >= mz) continue;
        out[x + nx * (y + ny * z)] = mask.data[ix + mx * (iy + my * iz)]!;
      }
    }
  }
  return { size: [...image.size] as Vec3, spacing: [...image.spacing] as Vec3, origin: [...image.origin] as Vec3, direction: Float64Array.from(image.direction), data: out };
}

function invert3(m: Float64Array): Float64Array {
  const [a, b, c, d, e, f, g, h, i] = Array.from(m) as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return Float64Array.from([A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det]);
}

/** The 0/1 mask of one label, its voxel count and bounding box (null when the label is absent). */
export function labelMask(mask: LabelMap, label: number): { mask: Uint8Array; count: number; bbox: BoundingBox | null } {
  const [nx, ny] = mask.size;
  const out = new Uint8Array(mask.data.length);
  const lower: Vec3 = [Infinity, Infinity, Infinity];
  const upper: Vec3 = [-1, -1, -1];
  const nz = mask.size[2];
  const data = mask.data;
  let count = 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (data[i] !== label) continue;
        out[i] = 1;
        count++;
        if (x < lower[0]) lower[0] = x;
        if (y < lower[1]) lower[1] = y;
        if (z < lower[2]) lower[2] = z;
        if (x > upper[0]) upper[0] = x;
        if (y > upper[1]) upper[1] = y;
        if (z > upper[2]) upper[2] = z;
      }
    }
  }
  return { mask: out, count, bbox: count > 0 ? { lower, upper } : null };
}

/** The distinct non-zero labels present in a label map, ascending. */
export function labelsPresent(mask: LabelMap): number[] {
  const s = new Set<number>();
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] !== 0) s.add(mask.data[i]!);
  return [...s].sort((a, b) => a - b);
}

/**
 * PyRadiomics' `checkMask` rules on a label's ROI: the label must be present, the ROI must span
 * more than one voxel and at least `minimumROIDimensions` axes, and hold more than
 * `minimumROISize` voxels. `where` names the case for the error message.
 */
export function checkRoi(
  where: string,
  mask: LabelMap,
  label: number,
  minimumROIDimensions: number,
  minimumROISize: number | null,
): { mask: Uint8Array; count: number; bbox: BoundingBox } {
  const lm = labelMask(mask, label);
  if (!lm.bbox) {
    const present = labelsPresent(mask);
    throw new RadnomoError(
      'E_MASK',
      present.length === 0
        ? `${where}: the mask is empty (no voxel has a non-zero label).`
        : `${where}: label ${label} is not in the mask (labels present: ${present.join(', ')}).`,
    );
  }
  let ndims = 0;
  for (let a = 0; a < 3; a++) if (lm.bbox.upper[a]! - lm.bbox.lower[a]! + 1 > 1) ndims++;
  if (ndims === 0) {
    throw new RadnomoError('E_MASK', `${where}: the ROI (label ${label}) is a single voxel; features cannot be computed for one voxel.`);
  }
  if (ndims < minimumROIDimensions) {
    throw new RadnomoError(
      'E_MASK',
      `${where}: the ROI (label ${label}) spans ${ndims} dimension(s) but minimumROIDimensions is ${minimumROIDimensions}.`,
    );
  }
  if (minimumROISize !== null && lm.count <= minimumROISize) {
    throw new RadnomoError('E_MASK', `${where}: the ROI (label ${label}) has ${lm.count} voxels, not more than minimumROISize ${minimumROISize}.`);
  }
  return { mask: lm.mask, count: lm.count, bbox: lm.bbox };
}

/** Number of voxels in the block of a bounding box. */
export function bboxSize(b: BoundingBox): Vec3 {
  return [b.upper[0] - b.lower[0] + 1, b.upper[1] - b.lower[1] + 1, b.upper[2] - b.lower[2] + 1];
}

export { voxelCount };
