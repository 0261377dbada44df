/**
 * Volumes with their geometry, as ITK/SimpleITK hold them: `size` (voxels along x, y, z),
 * `spacing` (mm), `origin` (mm, physical position of voxel 0), `direction` (3 × 3 cosines,
 * row-major, column j is the direction of index axis j), and `data` with x fastest:
 * index = x + size[0] * (y + size[1] * z).
 */
export type Vec3 = [number, number, number];

export interface Volume<T extends Float64Array | Int32Array | Uint8Array> {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: Float64Array;
  data: T;
  /**
   * The voxel type the file stored ('int16', 'uint8', 'float32'...), when read from a file.
   * SimpleITK keeps it through resampling, so PyRadiomics' resampled values are cast back to it.
   */
  pixelType?: string;
}

/** An intensity image in double precision. */
export type Image = Volume<Float64Array>;
/** A label map (mask): integer labels, 0 is background. */
export type LabelMap = Volume<Int32Array>;

/** Number of voxels of a size. */
export function voxelCount(size: Vec3): number {
  return size[0] * size[1] * size[2];
}

/** A new volume with the geometry of `like` and the given data. */
export function withData<T extends Float64Array | Int32Array | Uint8Array>(
  like: Volume<Float64Array | Int32Array | Uint8Array>,
  data: T,
): Volume<T> {
  return {
    size: [...like.size] as Vec3,
    spacing: [...like.spacing] as Vec3,
    origin: [...like.origin] as Vec3,
    direction: Float64Array.from(like.direction),
    data,
  };
}

/** Physical position (mm) of continuous index (i, j, k): origin + D · diag(spacing) · index (ITK). */
export function indexToPhysical(v: Volume<Float64Array | Int32Array | Uint8Array>, idx: Vec3): Vec3 {
  const d = v.direction;
  const s = [idx[0] * v.spacing[0], idx[1] * v.spacing[1], idx[2] * v.spacing[2]];
  return [
    v.origin[0] + d[0]! * s[0]! + d[1]! * s[1]! + d[2]! * s[2]!,
    v.origin[1] + d[3]! * s[0]! + d[4]! * s[1]! + d[5]! * s[2]!,
    v.origin[2] + d[6]! * s[0]! + d[7]! * s[1]! + d[8]! * s[2]!,
  ];
}

/** Identity direction cosines. */
export function identityDirection(): Float64Array {
  return Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
}
