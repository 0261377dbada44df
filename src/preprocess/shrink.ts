import type { Vec3 } from '../image';

/**
 * The sampling grid of ITK's ShrinkImageFilter (subsampling, no averaging): output size
 * max(1, floor(n / f)) per axis, output voxel i taking input voxel f·i + offset, where the offset
 * puts the physical centres of input and output at the same place (output index 0 at input
 * continuous index (n − 1)/2 − f·(m − 1)/2, rounded half up, at least 0).
 */
export function shrinkGrid(size: Vec3, factor: number): { size: Vec3; offset: Vec3 } {
  const out: Vec3 = [1, 1, 1];
  const off: Vec3 = [0, 0, 0];
  for (let d = 0; d < 3; d++) {
    const n = size[d]!;
    const m = Math.max(1, Math.floor(n / factor));
    const c0 = (n - 1) / 2 - (factor * (m - 1)) / 2;
    out[d] = m;
    off[d] = Math.max(0, Math.floor(c0 + 0.5));
  }
  return { size: out, offset: off };
}

/** Subsamples x-fastest `data` of `size` by `factor` on ShrinkImageFilter's grid. */
export function shrinkData<T extends Float64Array | Uint8Array>(data: T, size: Vec3, factor: number, make: (n: number) => T): { data: T; size: Vec3 } {
  const g = shrinkGrid(size, factor);
  const [mx, my, mz] = g.size;
  const out = make(mx * my * mz);
  const nx = size[0];
  const nxy = size[0] * size[1];
  let o = 0;
  for (let z = 0; z < mz; z++) {
    const iz = z * factor + g.offset[2];
    for (let y = 0; y < my; y++) {
      const iy = y * factor + g.offset[1];
      const base = iz * nxy + iy * nx + g.offset[0];
      for (let x = 0; x < mx; x++) out[o++] = data[base + x * factor]!;
    }
  }
  return { data: out, size: g.size };
}
