import {
  fastMeshDiameters,
  marchingCubes,
  meshDiameters,
  SHAPE_FEATURE_NAMES,
  shapeFeatures,
  symmetricEigenvalues,
} from '../../features/shape';
import { isRadnomoError } from '../../src/errors';
import type { Vec3 } from '../../src/image';
import { Random } from '../../src/random';
import { expectedValues, loadBrain1, relErr } from './brain1';

const expected = expectedValues();

/** A mask of size [nx, ny, nz] (x fastest) with the voxels where `inside(x, y, z)` holds. */
function maskOf(size: Vec3, inside: (x: number, y: number, z: number) => boolean): Uint8Array {
  const m = new Uint8Array(size[0] * size[1] * size[2]);
  for (let z = 0, i = 0; z < size[2]; z++) {
    for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++, i++) m[i] = inside(x, y, z) ? 1 : 0;
  }
  return m;
}

function expectRel(got: number, want: number, rel: number): void {
  expect(relErr(got, want)).toBeLessThan(rel);
}

/**
 * The four 'original' mesh baselines that current PyRadiomics does not reproduce (README of
 * fixtures/pyradiomics): what cshape.c of the snapshot gives on brain1_label.nrrd.
 */
const CURRENT_MESH_VOLUME = 16147.51180013021;
const CURRENT_SURFACE_AREA = 6438.821603779402;
const OUTDATED = new Set(['MeshVolume', 'SurfaceArea', 'SurfaceVolumeRatio', 'Sphericity']);

describe('shape (3D) on brain1, config original', () => {
  let got: Record<string, number>;
  beforeAll(async () => {
    const { image, mask } = await loadBrain1();
    got = shapeFeatures(mask, image.size, image.spacing);
  });

  test('returns the 14 non-deprecated features in PyRadiomics order', () => {
    expect(Object.keys(got)).toEqual([...SHAPE_FEATURE_NAMES]);
    const baselineNames = [...expected.get('original')!.keys()].filter((k) => k.startsWith('original_shape_'));
    expect(baselineNames.map((k) => k.slice('original_shape_'.length)).sort()).toEqual([...SHAPE_FEATURE_NAMES].sort());
  });

  test('the 10 features the baseline still describes match at 1e-12 relative', () => {
    const exp = expected.get('original')!;
    // the Maximum…Diameter baselines carry 12 significant digits (README)
    for (const name of SHAPE_FEATURE_NAMES) {
      if (OUTDATED.has(name)) continue;
      expect(relErr(got[name]!, exp.get(`original_shape_${name}`)!)).toBeLessThan(1e-12);
    }
  });

  test('mesh volume and surface area equal what current PyRadiomics (cshape.c) gives', () => {
    expectRel(got.MeshVolume!, CURRENT_MESH_VOLUME, 1e-13);
    expectRel(got.SurfaceArea!, CURRENT_SURFACE_AREA, 1e-13);
    expectRel(got.SurfaceVolumeRatio!, CURRENT_SURFACE_AREA / CURRENT_MESH_VOLUME, 1e-13);
    const sphericity = Math.pow(36 * Math.PI * CURRENT_MESH_VOLUME ** 2, 1 / 3) / CURRENT_SURFACE_AREA;
    expectRel(got.Sphericity!, sphericity, 1e-13);
  });

  test('the outdated baselines differ by the amounts the README documents', () => {
    const exp = expected.get('original')!;
    const documented: Record<string, number> = {
      MeshVolume: 1.2e-4,
      SurfaceArea: 7.9e-4,
      SurfaceVolumeRatio: 9.1e-4,
      Sphericity: 8.7e-4,
    };
    for (const name of OUTDATED) {
      const diff = relErr(got[name]!, exp.get(`original_shape_${name}`)!);
      expect(diff).toBeGreaterThan(documented[name]! * 0.95);
      expect(diff).toBeLessThan(documented[name]! * 1.05);
    }
  });
});

describe('shape (3D) closed forms', () => {
  test('a single voxel gives the octahedron through its face centres', () => {
    const sp: Vec3 = [0.5, 0.8, 2];
    const [a, b, c] = [sp[0] / 2, sp[1] / 2, sp[2] / 2];
    const f = shapeFeatures(maskOf([3, 4, 5], (x, y, z) => x === 1 && y === 2 && z === 3), [3, 4, 5], sp);
    expectRel(f.MeshVolume!, (sp[0] * sp[1] * sp[2]) / 6, 1e-14);
    expectRel(f.VoxelVolume!, sp[0] * sp[1] * sp[2], 1e-15);
    // 8 faces (±a,0,0),(0,±b,0),(0,0,±c): each ½·√(a²b² + b²c² + c²a²)
    expectRel(f.SurfaceArea!, 4 * Math.sqrt(a * a * b * b + b * b * c * c + c * c * a * a), 1e-14);
    expect(f.Maximum3DDiameter).toBeCloseTo(2, 14); // between (0,0,±c)
    expect(f.Maximum2DDiameterSlice).toBeCloseTo(0.8, 14); // same z: (±a,0), (0,±b)
    expect(f.Maximum2DDiameterColumn).toBeCloseTo(2, 14); // same y: x and z vertices
    expect(f.Maximum2DDiameterRow).toBeCloseTo(2, 14); // same x: y and z vertices
    expect(f.MajorAxisLength).toBe(0);
    expect(f.LeastAxisLength).toBe(0);
    // PyRadiomics: sqrt(0 / 0)
    expect(f.Elongation).toBeNaN();
    expect(f.Flatness).toBeNaN();
  });

  test('unit voxel: volume 1/6, area √3, sphericity π^(1/3)/√3', () => {
    const f = shapeFeatures(Uint8Array.of(1), [1, 1, 1], [1, 1, 1]);
    expectRel(f.MeshVolume!, 1 / 6, 1e-15);
    expectRel(f.SurfaceArea!, Math.sqrt(3), 1e-15);
    expectRel(f.Sphericity!, Math.cbrt(Math.PI) / Math.sqrt(3), 1e-14);
    expectRel(f.SurfaceVolumeRatio!, 6 * Math.sqrt(3), 1e-14);
  });

  /*
   * A 3×3×3 block, unit spacing, centred coordinates u ∈ [−1, 1] at voxel centres. The mesh is the
   * polytope |u_i| ≤ 1.5, |u_i| + |u_j| ≤ 2.5, Σ|u_i| ≤ 3.5: 6 square faces 2 × 2, 12 edge bevels
   * 2 × √2/2, 8 equilateral corner triangles of side √2/2. Per octant, with v = 1.5 − u, the
   * cut-off part is {Σv < 1} (1/6) plus three {v_i + v_j < 0.5, v_k ≥ 1 − v_i − v_j} of
   * ∫₀^½ s(½ + s) ds = 5/48 each: 23/48; volume = 8 (27/8 − 23/48) = 139/6.
   */
  test('a 3×3×3 block: volume 139/6, area 24 + 12√2 + √3, diameters √17 and √13', () => {
    const size: Vec3 = [5, 6, 5];
    const m = maskOf(size, (x, y, z) => x >= 1 && x <= 3 && y >= 2 && y <= 4 && z >= 1 && z <= 3);
    const f = shapeFeatures(m, size, [1, 1, 1]);
    expectRel(f.MeshVolume!, 139 / 6, 1e-14);
    expectRel(f.SurfaceArea!, 24 + 12 * Math.SQRT2 + Math.sqrt(3), 1e-14);
    expect(f.VoxelVolume).toBe(27);
    expectRel(f.Maximum3DDiameter!, Math.sqrt(17), 1e-15);
    expectRel(f.Maximum2DDiameterSlice!, Math.sqrt(13), 1e-15);
    expectRel(f.Maximum2DDiameterColumn!, Math.sqrt(13), 1e-15);
    expectRel(f.Maximum2DDiameterRow!, Math.sqrt(13), 1e-15);
    // per-axis variance of {0, 1, 2} (normalised by N, as PyRadiomics): 2/3
    for (const k of ['MajorAxisLength', 'MinorAxisLength', 'LeastAxisLength']) expectRel(f[k]!, 4 * Math.sqrt(2 / 3), 1e-14);
    expectRel(f.Elongation!, 1, 1e-14);
    expectRel(f.Flatness!, 1, 1e-14);
  });

  test('anisotropic spacing scales the block volume and axes per axis', () => {
    const sp: Vec3 = [0.7, 1.3, 2.5];
    const m = maskOf([3, 3, 3], () => true);
    const f = shapeFeatures(m, [3, 3, 3], sp);
    expectRel(f.MeshVolume!, (139 / 6) * sp[0] * sp[1] * sp[2], 1e-14);
    expectRel(f.VoxelVolume!, 27 * sp[0] * sp[1] * sp[2], 1e-15);
    // farthest vertices: (−½, 0, 0)…(2½, 2, 2) along x etc.; the largest is 3 steps along z
    expectRel(f.Maximum3DDiameter!, Math.hypot(2 * sp[0], 2 * sp[1], 3 * sp[2]), 1e-15);
    expectRel(f.Maximum2DDiameterSlice!, Math.hypot(2 * sp[0], 3 * sp[1]), 1e-15); // same z
    expectRel(f.Maximum2DDiameterColumn!, Math.hypot(2 * sp[0], 3 * sp[2]), 1e-15); // same y
    expectRel(f.Maximum2DDiameterRow!, Math.hypot(2 * sp[1], 3 * sp[2]), 1e-15); // same x
    expectRel(f.MajorAxisLength!, 4 * Math.sqrt(2 / 3) * sp[2], 1e-14);
    expectRel(f.MinorAxisLength!, 4 * Math.sqrt(2 / 3) * sp[1], 1e-14);
    expectRel(f.LeastAxisLength!, 4 * Math.sqrt(2 / 3) * sp[0], 1e-14);
    expectRel(f.Elongation!, sp[1] / sp[2], 1e-14);
    expectRel(f.Flatness!, sp[0] / sp[2], 1e-14);
  });

  test('a digital ball of radius 20 approximates 4/3·π·r³, 4π·r² and 4r/√5', () => {
    const r = 20;
    const n = 2 * r + 3;
    const size: Vec3 = [n, n, n];
    const c = r + 1;
    const m = maskOf(size, (x, y, z) => (x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2 <= r * r);
    const f = shapeFeatures(m, size, [1, 1, 1]);
    expectRel(f.MeshVolume!, (4 / 3) * Math.PI * r ** 3, 0.01);
    expectRel(f.VoxelVolume!, (4 / 3) * Math.PI * r ** 3, 0.01);
    // the midpoint mesh of a voxelised sphere follows its staircase: a few per cent more area
    expect(f.SurfaceArea!).toBeGreaterThan(4 * Math.PI * r * r);
    expectRel(f.SurfaceArea!, 4 * Math.PI * r * r, 0.1);
    expect(f.Sphericity!).toBeGreaterThan(0.9);
    expect(f.Sphericity!).toBeLessThan(1);
    // the extreme vertices are half a voxel beyond the extreme voxel centres along each axis
    expectRel(f.Maximum3DDiameter!, 2 * r + 1, 0.02);
    expectRel(f.MajorAxisLength!, (4 * r) / Math.sqrt(5), 0.01);
    expectRel(f.LeastAxisLength!, f.MajorAxisLength!, 1e-12); // symmetric ball: equal moments
  });

  test('two separate 3×3×3 blocks give twice the volume and area of one', () => {
    const size: Vec3 = [12, 5, 5];
    const both = maskOf(size, (x, y, z) => y >= 1 && y <= 3 && z >= 1 && z <= 3 && ((x >= 1 && x <= 3) || (x >= 7 && x <= 9)));
    const f = shapeFeatures(both, size, [1, 1, 1]);
    expectRel(f.MeshVolume!, 2 * (139 / 6), 1e-14);
    expectRel(f.SurfaceArea!, 2 * (24 + 12 * Math.SQRT2 + Math.sqrt(3)), 1e-14);
  });

  test('mesh volume and area are unchanged by mirroring an ellipsoid along each axis', () => {
    // (On masks with ambiguous faces, e.g. random noise, they are not: the table, like the
    // classic one, resolves ambiguous configurations by orientation.)
    const size: Vec3 = [19, 15, 13];
    const m = maskOf(size, (x, y, z) => ((x - 8.3) / 7.9) ** 2 + ((y - 6.6) / 5.8) ** 2 + ((z - 6.2) / 4.7) ** 2 <= 1);
    const sp: Vec3 = [0.9, 1.1, 2.3];
    const f = shapeFeatures(m, size, sp);
    expect(f.MeshVolume!).toBeGreaterThan(0);
    const at = (x: number, y: number, z: number) => m[x + size[0] * (y + size[1] * z)] === 1;
    const mirrors = [
      maskOf(size, (x, y, z) => at(size[0] - 1 - x, y, z)),
      maskOf(size, (x, y, z) => at(x, size[1] - 1 - y, z)),
      maskOf(size, (x, y, z) => at(x, y, size[2] - 1 - z)),
    ];
    for (const mm of mirrors) {
      const g = shapeFeatures(mm, size, sp);
      for (const k of SHAPE_FEATURE_NAMES) expectRel(g[k]!, f[k]!, 1e-12);
    }
  });

  test('fast diameters equal the all-pairs loop of cshape.c on random shapes', () => {
    const rng = new Random(42);
    for (let trial = 0; trial < 20; trial++) {
      const dims: Vec3 = [4 + rng.int(10), 4 + rng.int(10), 4 + rng.int(8)];
      const block = new Uint8Array(dims[0] * dims[1] * dims[2]);
      const p = 0.2 + 0.6 * rng.next();
      for (let z = 1; z < dims[2] - 1; z++) {
        for (let y = 1; y < dims[1] - 1; y++) for (let x = 1; x < dims[0] - 1; x++) block[x + dims[0] * (y + dims[1] * z)] = rng.next() < p ? 1 : 0;
      }
      const sp: Vec3 = [0.5 + rng.next(), 0.5 + rng.next(), 0.5 + 3 * rng.next()];
      const mesh = marchingCubes(block, dims, sp);
      expect(mesh.diameters).toEqual(meshDiameters(mesh.vertices));
      expect(fastMeshDiameters(mesh.vertices)).toEqual(meshDiameters(mesh.vertices));
    }
  });

  test('symmetric eigenvalues of a known 3 × 3 matrix', () => {
    // eigenvalues 1, 2, 4 rotated by an orthogonal matrix
    const q = [
      [2 / 3, 1 / 3, 2 / 3],
      [-2 / 3, 2 / 3, 1 / 3],
      [1 / 3, 2 / 3, -2 / 3],
    ];
    const d = [1, 2, 4];
    const m: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) m.push(q[i]![0]! * d[0]! * q[j]![0]! + q[i]![1]! * d[1]! * q[j]![1]! + q[i]![2]! * d[2]! * q[j]![2]!);
    const ev = symmetricEigenvalues(m, 3);
    expect(ev[0]).toBeCloseTo(1, 14);
    expect(ev[1]).toBeCloseTo(2, 14);
    expect(ev[2]).toBeCloseTo(4, 14);
  });

  test('an empty mask or a size mismatch is a RadnomoError', () => {
    const cases: [Uint8Array, Vec3][] = [
      [new Uint8Array(8), [2, 2, 2]],
      [new Uint8Array(7), [2, 2, 2]],
    ];
    for (const [m, s] of cases) {
      let err: unknown;
      try {
        shapeFeatures(m, s, [1, 1, 1]);
      } catch (e) {
        err = e;
      }
      expect(isRadnomoError(err)).toBe(true);
    }
  });
});
