import { marchingSquares, meshDiameter2D, SHAPE2D_FEATURE_NAMES, shape2DFeatures } from '../../features/shape2d';
import { isRadnomoError } from '../../src/errors';
import type { Vec3 } from '../../src/image';
import { configSettings, expectedValues, loadBrain1, relErr } from './brain1';

const expected = expectedValues();

function expectRel(got: number, want: number, rel: number): void {
  expect(relErr(got, want)).toBeLessThan(rel);
}

/**
 * A 3D mask holding the 2D pattern `rows[i0][i1]` in one slice across numpy axis `dim` (0 = z,
 * 1 = y, 2 = x): i0 runs along the slower in-plane numpy axis, i1 along the faster one, each
 * offset by 1 so the pattern sits inside the volume.
 */
function sliceMask(rows: number[][], dim: 0 | 1 | 2): { mask: Uint8Array; size: Vec3 } {
  const n0 = rows.length + 2;
  const n1 = rows[0]!.length + 2;
  // our axes (x = 0, y = 1, z = 2) of numpy axes: z → 2, y → 1, x → 0
  const inPlane = [2, 1, 0].filter((a) => a !== 2 - dim) as [number, number];
  const size: Vec3 = [3, 3, 3];
  size[inPlane[0]] = n0;
  size[inPlane[1]] = n1;
  const mask = new Uint8Array(size[0] * size[1] * size[2]);
  const stride = [1, size[0], size[0] * size[1]];
  const fixed = stride[2 - dim]!; // the slice at index 1 of the out-of-plane axis
  rows.forEach((row, i0) =>
    row.forEach((v, i1) => {
      mask[fixed + (i0 + 1) * stride[inPlane[0]]! + (i1 + 1) * stride[inPlane[1]]!] = v;
    }),
  );
  return { mask, size };
}

describe('shape2D on brain1 (slice 16 of brain1_label, config shape2D)', () => {
  test('all 9 features match the PyRadiomics baseline at 1e-12 relative', async () => {
    const s = configSettings('shape2D');
    expect(s.force2D).toBe(true);
    const dim = ((s.force2Ddimension as number | undefined) ?? 0) as 0 | 1 | 2;
    expect(dim).toBe(0);
    const { image, mask } = await loadBrain1();
    const [nx, ny] = image.size;
    const slice = new Uint8Array(mask.length);
    const off = 16 * nx * ny;
    slice.set(mask.subarray(off, off + nx * ny), off);
    const got = shape2DFeatures(slice, image.size, image.spacing, { force2Ddimension: dim });
    expect(Object.keys(got)).toEqual([...SHAPE2D_FEATURE_NAMES]);
    const exp = expected.get('shape2D')!;
    expect([...exp.keys()].map((k) => k.replace('original_shape2D_', '')).sort()).toEqual([...SHAPE2D_FEATURE_NAMES].sort());
    for (const name of SHAPE2D_FEATURE_NAMES) {
      expect(relErr(got[name]!, exp.get(`original_shape2D_${name}`)!)).toBeLessThan(1e-12);
    }
  });
});

describe('shape2D closed forms', () => {
  /*
   * n × n pixels: the midpoint contour is the square through the outer pixel centres' edges with
   * its 4 corners cut by segments from (−½, 0) to (0, −½): area (n² − ½)·sx·sy, perimeter
   * 2(n − 1)(s0 + s1) + 4·½·√(s0² + s1²).
   */
  test('an n × n square with anisotropic spacing', () => {
    const n = 5;
    const sp: Vec3 = [0.6, 1.7, 3]; // axial slice: in-plane numpy axes (y, x) → s0 = 1.7, s1 = 0.6
    const [s0, s1] = [sp[1], sp[0]];
    const { mask, size } = sliceMask(Array.from({ length: n }, () => Array<number>(n).fill(1)), 0);
    const f = shape2DFeatures(mask, size, sp);
    expectRel(f.MeshSurface!, (n * n - 0.5) * s0 * s1, 1e-14);
    expectRel(f.PixelSurface!, n * n * s0 * s1, 1e-15);
    const P = 2 * (n - 1) * (s0 + s1) + 2 * Math.hypot(s0, s1);
    expectRel(f.Perimeter!, P, 1e-14);
    expectRel(f.PerimeterSurfaceRatio!, P / ((n * n - 0.5) * s0 * s1), 1e-14);
    expectRel(f.Sphericity!, (2 * Math.sqrt(Math.PI * (n * n - 0.5) * s0 * s1)) / P, 1e-14);
    // vertices (−½, j), (i, −½), … : the farthest pairs span n along one axis and n − 1 (or n − ½ each)
    const diam = Math.max(Math.hypot(n * s0, (n - 1) * s1), Math.hypot((n - 1) * s0, n * s1), Math.hypot((n - 0.5) * s0, (n - 0.5) * s1));
    expectRel(f.MaximumDiameter!, diam, 1e-15);
    // per-axis variance of {0, …, n − 1} (normalised by N): (n² − 1)/12
    const v = (n * n - 1) / 12;
    expectRel(f.MajorAxisLength!, 4 * Math.sqrt(v) * s0, 1e-14);
    expectRel(f.MinorAxisLength!, 4 * Math.sqrt(v) * s1, 1e-14);
    expectRel(f.Elongation!, s1 / s0, 1e-14);
  });

  test('a single pixel: a diamond of area ½·s0·s1 and perimeter 2·√(s0² + s1²)', () => {
    const { mask, size } = sliceMask([[1]], 0);
    const f = shape2DFeatures(mask, size, [2, 0.5, 9]);
    expectRel(f.MeshSurface!, 0.5, 1e-15);
    expectRel(f.PixelSurface!, 1, 1e-15);
    expectRel(f.Perimeter!, 2 * Math.hypot(2, 0.5), 1e-15);
    expectRel(f.MaximumDiameter!, 2, 1e-15);
    expect(f.MajorAxisLength).toBe(0);
    expect(f.MinorAxisLength).toBe(0);
    expect(f.Elongation).toBeNaN(); // sqrt(0 / 0), as PyRadiomics
  });

  test('a ring of 8 pixels: area 8 (hole diamond subtracted), perimeter 8 + 4√2', () => {
    const { mask, size } = sliceMask(
      [
        [1, 1, 1],
        [1, 0, 1],
        [1, 1, 1],
      ],
      0,
    );
    const f = shape2DFeatures(mask, size, [1, 1, 1]);
    expectRel(f.MeshSurface!, 8, 1e-15);
    expectRel(f.Perimeter!, 8 + 4 * Math.SQRT2, 1e-15);
    expect(f.PixelSurface).toBe(8);
  });

  test('an L shape: area N − ½ for a simple contour (5 convex, 1 concave corner)', () => {
    const rows = [
      [1, 0, 0],
      [1, 0, 0],
      [1, 1, 1],
    ];
    const { mask, size } = sliceMask(rows, 0);
    const f = shape2DFeatures(mask, size, [1, 1, 1]);
    expectRel(f.MeshSurface!, 5 - 0.5, 1e-15);
    // 6 diagonal segments of √2/2 (5 convex corners, 1 concave) and 6 unit straight segments
    // (left 2, bottom 2, inside of the vertical arm 1, top of the horizontal arm 1)
    expectRel(f.Perimeter!, 6 + 6 * (Math.SQRT2 / 2), 1e-15);
  });

  test('force2Ddimension 1 and 2 read the slice in numpy (z, x) and (z, y) order', () => {
    const rows = [
      [1, 1, 0, 0],
      [0, 1, 1, 1],
      [0, 1, 0, 0],
    ];
    const axial = sliceMask(rows, 0);
    // axial: in-plane spacing (y, x) = (1.3, 0.7)
    const ref = shape2DFeatures(axial.mask, axial.size, [0.7, 1.3, 5]);
    const coronal = sliceMask(rows, 1); // in-plane (z, x)
    expect(shape2DFeatures(coronal.mask, coronal.size, [0.7, 5, 1.3], { force2Ddimension: 1 })).toEqual(ref);
    const sagittal = sliceMask(rows, 2); // in-plane (z, y)
    expect(shape2DFeatures(sagittal.mask, sagittal.size, [5, 0.7, 1.3], { force2Ddimension: 2 })).toEqual(ref);
    // and the orientation matters: the transposed pattern differs in Major/Minor axes
    const transposed = shape2DFeatures(axial.mask, axial.size, [1.3, 0.7, 5]);
    expect(transposed.MajorAxisLength).not.toBeCloseTo(ref.MajorAxisLength!, 6);
  });

  test('a corner-touching pair: saddle squares separate the pixels, every contour vertex is recorded once', () => {
    // two pixels touching only at a corner: index 5/10 saddle squares with two segments each
    const block = Uint8Array.from([
      0, 0, 0, 0,
      0, 1, 0, 0,
      0, 0, 1, 0,
      0, 0, 0, 0,
    ]);
    const m = marchingSquares(block, [4, 4], [1, 1]);
    expect(m.vertices.length / 2).toBe(8); // two diamonds of 4 vertices
    expectRel(m.surface, 1, 1e-15); // the saddle separates them: two diamonds of ½
    expectRel(m.perimeter, 4 * Math.SQRT2, 1e-15);
    const pts = [];
    for (let i = 0; i < m.vertices.length; i += 2) pts.push(`${m.vertices[i]},${m.vertices[i + 1]}`);
    expect(pts.sort()).toEqual(['0.5,1', '1,0.5', '1,1.5', '1.5,1', '1.5,2', '2,1.5', '2,2.5', '2.5,2']);
    expect(meshDiameter2D(Float64Array.of(0, 0, 1, 1, 3, 4))).toBe(5);
    // from (½, 1) on the first diamond to (2½, 2) on the second
    expectRel(m.diameter, Math.sqrt(5), 1e-15);
  });

  test('a ROI over two slices, or an empty mask, is a RadnomoError', () => {
    const size: Vec3 = [3, 3, 3];
    const two = new Uint8Array(27);
    two[13] = 1;
    two[13 + 9] = 1;
    const calls = [
      () => shape2DFeatures(two, size, [1, 1, 1]),
      () => shape2DFeatures(new Uint8Array(27), size, [1, 1, 1]),
    ];
    for (const call of calls) {
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(isRadnomoError(err)).toBe(true);
    }
    // the same two voxels lie in one x-slice: fine along numpy axis 2
    expect(shape2DFeatures(two, size, [1, 1, 1], { force2Ddimension: 2 }).PixelSurface).toBe(2);
  });
});
