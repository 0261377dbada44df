/**
 * Gradient image type: a port of PyRadiomics `imageoperations.getGradientImage`, which runs
 * SimpleITK's `GradientMagnitudeImageFilter` (`UseImageSpacing` = `gradientUseSpacing`, default
 * true). ITK: central differences (DerivativeOperator of order 1, coefficients ±0.5, scaled by
 * 1/spacing when spacing is used) with a zero-flux Neumann boundary (outside voxels take the value
 * of the nearest edge voxel), magnitude sqrt(gx² + gy² + gz²) in double precision, stored as
 * float32 (SimpleITK's output pixel type).
 */
import type { Image } from '../../image';
import { withData } from '../../image';
import { checkRegion, regionImage, type FilterRegion } from './region';

/**
 * ITK GradientMagnitudeImageFilter with float output (values are float32 held in a Float64Array).
 * With `region` (inclusive voxel-index box) only the box is computed and returned, as a
 * region-sized image whose origin is the box's lower corner (same values as the whole image's).
 */
export function gradientMagnitude(image: Image, useSpacing = true, region?: FilterRegion): Image {
  const [nx, ny, nz] = image.size;
  if (region) checkRegion(region, image.size);
  const lo = region ? region.lower : ([0, 0, 0] as const);
  const hi = region ? region.upper : ([nx - 1, ny - 1, nz - 1] as const);
  const d = image.data;
  const c = [0, 1, 2].map((a) => (useSpacing ? 0.5 * (1.0 / image.spacing[a]!) : 0.5));
  const cx = c[0]!;
  const cy = c[1]!;
  const cz = c[2]!;
  const sxy = nx * ny;
  const out = new Float32Array((hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) * (hi[2] - lo[2] + 1));
  let k = 0;
  for (let z = lo[2]; z <= hi[2]; z++) {
    const zm = z > 0 ? z - 1 : 0;
    const zp = z < nz - 1 ? z + 1 : nz - 1;
    for (let y = lo[1]; y <= hi[1]; y++) {
      const ym = y > 0 ? y - 1 : 0;
      const yp = y < ny - 1 ? y + 1 : ny - 1;
      const row = nx * (y + ny * z);
      for (let x = lo[0]; x <= hi[0]; x++) {
        const xm = x > 0 ? x - 1 : 0;
        const xp = x < nx - 1 ? x + 1 : nx - 1;
        const gx = cx * d[row + xm]! - cx * d[row + xp]!;
        const gy = cy * d[x + nx * ym + sxy * z]! - cy * d[x + nx * yp + sxy * z]!;
        const gz = cz * d[x + nx * y + sxy * zm]! - cz * d[x + nx * y + sxy * zp]!;
        out[k++] = Math.sqrt(gx * gx + gy * gy + gz * gz);
      }
    }
  }
  const data = Float64Array.from(out);
  return region ? regionImage(image, region, data) : withData(image, data);
}
