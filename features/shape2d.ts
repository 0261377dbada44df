/**
 * PyRadiomics' 2D shape features (radiomics/shape2D.py with the marching-squares routine of
 * radiomics/src/cshape.c). The ROI must lie in one slice across the `force2Ddimension` axis; it is
 * cropped to its bounding box, the out-of-plane axis is dropped and the 2D mask is padded with one
 * background pixel on every side, as PyRadiomics' extractor and shape2D class do.
 */
import { RadnomoError } from '../src/errors';
import type { Vec3 } from '../src/image';
import { axisLength, axisRatio, maskBoundingBox, principalMoments, type ShapeOptions } from './shape';

/** PyRadiomics' non-deprecated 2D shape features, in the order its class defines them. */
export const SHAPE2D_FEATURE_NAMES = [
  'MeshSurface',
  'PixelSurface',
  'Perimeter',
  'PerimeterSurfaceRatio',
  'Sphericity',
  'MaximumDiameter',
  'MajorAxisLength',
  'MinorAxisLength',
  'Elongation',
] as const;

/** Options of shape2D: the out-of-plane axis in numpy (z, y, x) numbering, 0 = z (axial slice). */
export interface Shape2DOptions extends ShapeOptions {
  force2Ddimension?: 0 | 1 | 2;
}

/** Square corners as (d0, d1) offsets (d0 the slower array axis), numbered as in cshape.c. */
const SQUARE_CORNERS: readonly (readonly [number, number])[] = [[0, 0], [0, 1], [1, 1], [1, 0]];

/** Perimeter vertex on each square edge (edge 0: corners 0-1, 1: 1-2, 2: 2-3, 3: 3-0), at the midpoint. */
const EDGE_VERTEX_2D = Float64Array.of(0, 0.5, 0.5, 1, 1, 0.5, 0.5, 0);

/**
 * Perimeter segments of each square index, as edge pairs (from, to): the order fixes the sign of
 * the triangle (origin, from, to) so that signed areas add up to the enclosed area, as in
 * cshape.c's lineTable2D. Indices 5 and 10 (saddles) have two segments.
 */
const SEGMENTS_2D: readonly (readonly number[])[] = [
  [], [3, 0], [0, 1], [3, 1], [1, 2], [1, 2, 3, 0], [0, 2], [3, 2],
  [2, 3], [2, 0], [0, 1, 2, 3], [2, 1], [1, 3], [1, 0], [0, 3], [],
];

/** Result of the marching-squares pass. */
export interface Shape2DMesh {
  /** Enclosed area (mm²): half the sum of signed cross products of the segments. */
  surface: number;
  /** Perimeter (mm): sum of segment lengths. */
  perimeter: number;
  /** Largest distance between recorded perimeter vertices (mm). */
  diameter: number;
  /** Vertices recorded for the diameter, (axis 0, axis 1) in mm from the padded block's pixel 0. */
  vertices: Float64Array;
}

/**
 * PyRadiomics' `cShape.calculate_coefficients2D` (cshape.c) on a padded 2D block (`dims` =
 * [n0, n1], axis 1 fastest, spacing in the same order): marching squares with vertices at edge
 * midpoints; surface = Σ (a0·b1 − b0·a1) / 2, perimeter = Σ |a − b|; each square then records the
 * vertices on its edges 3 and 2 (decided by corners 0 and 2 of the index, complemented when > 7)
 * for the diameter. Same operations in the same order as the C code.
 */
export function marchingSquares(block: Uint8Array, dims: readonly [number, number], spacing: readonly [number, number]): Shape2DMesh {
  const [n0, n1] = dims;
  const [s0, s1] = spacing;
  const off = Int32Array.from(SQUARE_CORNERS, ([d0, d1]) => d0 * n1 + d1);
  const verts: number[] = [];
  let surface = 0;
  let perimeter = 0;
  for (let i0 = 0; i0 < n0 - 1; i0++) {
    for (let i1 = 0, base = i0 * n1; i1 < n1 - 1; i1++, base++) {
      let idx = 0;
      for (let k = 0; k < 4; k++) if (block[base + off[k]!]) idx |= 1 << k;
      if (idx === 0 || idx === 0xf) continue;
      const seg = SEGMENTS_2D[idx]!;
      for (let t = 0; t < seg.length; t += 2) {
        const ea = 2 * seg[t]!, eb = 2 * seg[t + 1]!;
        const a0 = (i0 + EDGE_VERTEX_2D[ea]!) * s0, a1 = (i1 + EDGE_VERTEX_2D[ea + 1]!) * s1;
        const b0 = (i0 + EDGE_VERTEX_2D[eb]!) * s0, b1 = (i1 + EDGE_VERTEX_2D[eb + 1]!) * s1;
        surface += a0 * b1 - b0 * a1;
        const d0 = a0 - b0, d1 = a1 - b1;
        perimeter += Math.sqrt(d0 * d0 + d1 * d1);
      }
      if (idx > 7) idx ^= 0xf;
      if (idx & 1) verts.push((i0 + EDGE_VERTEX_2D[6]!) * s0, (i1 + EDGE_VERTEX_2D[7]!) * s1);
      if (idx & 4) verts.push((i0 + EDGE_VERTEX_2D[4]!) * s0, (i1 + EDGE_VERTEX_2D[5]!) * s1);
    }
  }
  const vertices = Float64Array.from(verts);
  return { surface: surface / 2, perimeter, diameter: meshDiameter2D(vertices), vertices };
}

/** cshape.c's `calculate_meshDiameter2D`: the largest distance between any two vertices (pairs). */
export function meshDiameter2D(v: Float64Array): number {
  let best = 0;
  for (let i = 0; i < v.length; i += 2) {
    const a0 = v[i]!, a1 = v[i + 1]!;
    for (let j = i + 2; j < v.length; j += 2) {
      const d0 = a0 - v[j]!, d1 = a1 - v[j + 1]!;
      const d = d0 * d0 + d1 * d1;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best);
}

/**
 * PyRadiomics `RadiomicsShape2D`: the 9 non-deprecated 2D shape features of a ROI that occupies a
 * single slice across numpy axis `force2Ddimension` (0 = z, the default, i.e. an axial slice; 1 =
 * y; 2 = x). `mask` is 0/1 with x fastest; `size` and `spacing` are [x, y, z]. Throws E_MASK when
 * the ROI spans more than one slice along that axis (PyRadiomics raises a ValueError).
 */
export function shape2DFeatures(mask: Uint8Array, size: Vec3, spacing: Vec3, opts: Shape2DOptions = {}): Record<string, number> {
  const dim = opts.force2Ddimension ?? 0;
  if (dim !== 0 && dim !== 1 && dim !== 2) {
    throw new RadnomoError('E_PARAMS', `shape2D: force2Ddimension must be 0, 1 or 2, not ${String(dim)}.`);
  }
  const bb = maskBoundingBox(mask, size, 'shape2D');
  const out = 2 - dim; // our axis (x = 0, y = 1, z = 2) for numpy axis `dim`
  if (bb.hi[out] > bb.lo[out]) {
    throw new RadnomoError(
      'E_MASK',
      `shape2D: the ROI spans ${bb.hi[out] - bb.lo[out] + 1} slices along numpy axis ${dim} (force2Ddimension), but 2D shape needs exactly one.`,
    );
  }
  // in-plane axes in numpy order: the slower array axis first
  const [ax0, ax1] = ([2, 1, 0] as const).filter((a) => a !== out) as [number, number];
  const n0 = bb.hi[ax0]! - bb.lo[ax0]! + 3;
  const n1 = bb.hi[ax1]! - bb.lo[ax1]! + 3;
  const sp: [number, number] = [spacing[ax0]!, spacing[ax1]!];
  const block = new Uint8Array(n0 * n1);
  const stride = [1, size[0], size[0] * size[1]];
  const base = bb.lo[0] + size[0] * (bb.lo[1] + size[1] * bb.lo[2]);
  for (let i0 = 1; i0 < n0 - 1; i0++) {
    for (let i1 = 1; i1 < n1 - 1; i1++) {
      if (mask[base + (i0 - 1) * stride[ax0]! + (i1 - 1) * stride[ax1]!]) block[i0 * n1 + i1] = 1;
    }
  }
  const mesh = marchingSquares(block, [n0, n1], sp);
  const coords = new Int32Array(2 * bb.count);
  for (let i0 = 0, k = 0, o = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++, k++) {
      if (!block[k]) continue;
      coords[o++] = i0;
      coords[o++] = i1;
    }
  }
  const ev = principalMoments(coords, 2, sp, opts.onWarning);
  const S = mesh.surface;
  const P = mesh.perimeter;
  const w = opts.onWarning;
  return {
    MeshSurface: S,
    PixelSurface: bb.count * (sp[1] * sp[0]),
    Perimeter: P,
    PerimeterSurfaceRatio: P / S,
    Sphericity: (2 * Math.sqrt(Math.PI * S)) / P,
    MaximumDiameter: mesh.diameter,
    MajorAxisLength: axisLength(ev[1]!, 'Major axis', w),
    MinorAxisLength: axisLength(ev[0]!, 'Minor axis', w),
    Elongation: axisRatio(ev[0]!, ev[1]!, 'Elongation', w),
  };
}
