/** Test support: a hand-made DiscretisedRoi from gray levels `slices[z][y][x]` (0 = outside the ROI). */
import type { DiscretisedRoi } from '../../features/roi';
import type { Vec3 } from '../../src/image';

export function roiFrom(slices: number[][][], spacing: Vec3 = [1, 1, 1]): DiscretisedRoi {
  const size: Vec3 = [slices[0]![0]!.length, slices[0]!.length, slices.length];
  const levels = Int32Array.from(slices.flat(2));
  return { size, spacing, mask: Uint8Array.from(levels, (l) => (l > 0 ? 1 : 0)), levels };
}
