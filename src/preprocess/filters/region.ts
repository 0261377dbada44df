/**
 * Region-restricted filtering: the inclusive voxel-index box a caller needs derived images on
 * (radnomo's extraction passes the ROI's bounding box), and the helpers that turn a full-size
 * filter output into the region-sized image that region-restricted filters return.
 */
import { RadnomoError } from '../../errors';
import type { Image, Vec3 } from '../../image';
import { indexToPhysical } from '../../image';

/** Inclusive voxel-index bounds [x, y, z] of the part of an image a derived image is needed on. */
export interface FilterRegion {
  lower: Vec3;
  upper: Vec3;
}

/** Voxels per axis of a region. */
export function regionSize(r: FilterRegion): Vec3 {
  return [r.upper[0] - r.lower[0] + 1, r.upper[1] - r.lower[1] + 1, r.upper[2] - r.lower[2] + 1];
}

/** Throws a RadnomoError unless `r` is a non-empty box of whole voxel indices inside `size`. */
export function checkRegion(r: FilterRegion, size: Vec3): void {
  for (let a = 0; a < 3; a++) {
    const lo = r.lower[a]!;
    const hi = r.upper[a]!;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo || hi >= size[a]!) {
      throw new RadnomoError(
        'E_PARAMS',
        `Filter region ${r.lower.join(',')}:${r.upper.join(',')} is not a box of voxel indices inside the image (size ${size.join(' × ')}).`,
      );
    }
  }
}

/**
 * The image holding `data` (laid out x fastest over the region) as a region-sized image of
 * `image`: same spacing and direction, origin at the physical position of the region's lower corner.
 */
export function regionImage(image: Image, r: FilterRegion, data: Float64Array): Image {
  return {
    size: regionSize(r),
    spacing: [...image.spacing] as Vec3,
    origin: indexToPhysical(image, [r.lower[0], r.lower[1], r.lower[2]]),
    direction: Float64Array.from(image.direction),
    data,
  };
}

/** The voxels of `image` inside the region, as a region-sized image (see `regionImage`). */
export function cropToRegion(image: Image, r: FilterRegion): Image {
  const size = regionSize(r);
  const [nx, ny] = image.size;
  const out = new Float64Array(size[0] * size[1] * size[2]);
  let k = 0;
  for (let z = r.lower[2]; z <= r.upper[2]; z++) {
    for (let y = r.lower[1]; y <= r.upper[1]; y++) {
      const row = r.lower[0] + nx * (y + ny * z);
      for (let x = 0; x < size[0]; x++) out[k++] = image.data[row + x]!;
    }
  }
  return regionImage(image, r, out);
}
