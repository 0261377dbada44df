/**
 * Bounding boxes and cropping as PyRadiomics' `imageoperations.cropToTumorMask` does it with
 * SimpleITK's CropImageFilter.
 */
import type { Vec3, Volume } from '../image';

/** Inclusive voxel-index bounds [x, y, z] of a region. */
export interface IndexBox {
  lower: Vec3;
  upper: Vec3;
}

/**
 * Inclusive voxel-index bounds of the non-zero voxels of a mask (x fastest), or null when the
 * mask is empty. Equals PyRadiomics' bounding box (LabelShapeStatisticsImageFilter::GetBoundingBox
 * as lower index and lower + size − 1).
 */
export function boundingBox(mask: ArrayLike<number>, size: Vec3): IndexBox | null {
  const [nx, ny, nz] = size;
  const lower: Vec3 = [nx, ny, nz];
  const upper: Vec3 = [-1, -1, -1];
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] === 0) continue;
        if (x < lower[0]) lower[0] = x;
        if (x > upper[0]) upper[0] = x;
        if (y < lower[1]) lower[1] = y;
        if (y > upper[1]) upper[1] = y;
        if (z < lower[2]) lower[2] = z;
        if (z > upper[2]) upper[2] = z;
      }
    }
  }
  return upper[0] < 0 ? null : { lower, upper };
}

/**
 * ITK's ImageBase::TransformIndexToPhysicalPoint for a geometry: origin + (D · diag(spacing)) ·
 * index, summed in ITK's order (origin first, then index axes 0, 1, 2).
 */
export function indexToPoint(origin: Vec3, spacing: Vec3, direction: Float64Array, index: Vec3): Vec3 {
  const p: Vec3 = [origin[0], origin[1], origin[2]];
  for (let r = 0; r < 3; r++) {
    let v = p[r];
    for (let c = 0; c < 3; c++) v += direction[3 * r + c]! * spacing[c]! * index[c]!;
    p[r] = v;
  }
  return p;
}

/**
 * PyRadiomics' `cropToTumorMask`: the block of `vol` spanning `bbox` widened by `padDistance`
 * voxels on every side, clipped to the volume (crop sizes max(lower − pad, 0) and
 * max(size − upper − pad − 1, 0)). The origin moves to the physical position of the new first
 * voxel (as SimpleITK reports a cropped image: start index 0, origin shifted); spacing and
 * direction are kept.
 */
export function cropToBoundingBox<T extends Float64Array | Int32Array | Uint8Array>(
  vol: Volume<T>,
  bbox: IndexBox,
  padDistance: number,
): Volume<T> {
  const lo: Vec3 = [0, 0, 0];
  const n: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const lowerCrop = Math.max(bbox.lower[a]! - padDistance, 0);
    const upperCrop = Math.max(vol.size[a]! - bbox.upper[a]! - padDistance - 1, 0);
    lo[a] = lowerCrop;
    n[a] = Math.max(vol.size[a]! - lowerCrop - upperCrop, 0);
  }
  const Ctor = vol.data.constructor as new (length: number) => T;
  const out = new Ctor(n[0] * n[1] * n[2]);
  const [nx, ny] = vol.size;
  let o = 0;
  for (let z = 0; z < n[2]; z++) {
    for (let y = 0; y < n[1]; y++) {
      const start = lo[0] + nx * (lo[1] + y + ny * (lo[2] + z));
      out.set(vol.data.subarray(start, start + n[0]), o);
      o += n[0];
    }
  }
  return {
    size: n,
    spacing: [...vol.spacing] as Vec3,
    origin: indexToPoint(vol.origin, vol.spacing, vol.direction, lo),
    direction: Float64Array.from(vol.direction),
    data: out,
  };
}
