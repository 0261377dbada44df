import type { Vec3 } from '../src/image';
import { marchingCubes, symmetricEigenvalues } from './shape';

/** IBSI morphological feature keys with codes (manual 3.1). */
export const IBSI_MORPH_FEATURES = [
  ['VolumeMesh', 'RNU0'],
  ['VolumeVoxelCounting', 'YEKZ'],
  ['SurfaceArea', 'C0JK'],
  ['SurfaceToVolumeRatio', '2PR5'],
  ['Compactness1', 'SKGS'],
  ['Compactness2', 'BQWJ'],
  ['SphericalDisproportion', 'KRCK'],
  ['Sphericity', 'QCFX'],
  ['Asphericity', '25C7'],
  ['CentreOfMassShift', 'KLMA'],
  ['Maximum3DDiameter', 'L0JK'],
  ['MajorAxisLength', 'TDIC'],
  ['MinorAxisLength', 'P9VJ'],
  ['LeastAxisLength', '7J51'],
  ['Elongation', 'Q3CK'],
  ['Flatness', 'N17B'],
  ['VolumeDensityAABB', 'PBX1'],
  ['AreaDensityAABB', 'R59B'],
  ['VolumeDensityAEE', '6BDE'],
  ['AreaDensityAEE', 'RDD2'],
  ['VolumeDensityConvexHull', 'R3ER'],
  ['AreaDensityConvexHull', '7T7F'],
  ['IntegratedIntensity', '99N0'],
  ['MoransI', 'N365'],
  ['GearysC', 'NPT7'],
] as const;

/** Legendre polynomial P_n(x) by the three-term recurrence. */
function legendre(n: number, x: number): number {
  if (n === 0) return 1;
  let p0 = 1, p1 = x;
  for (let k = 2; k <= n; k++) {
    const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  return p1;
}

/**
 * Surface area of an ellipsoid with semi-axes a ≥ b ≥ c by the IBSI series, exactly as the manual
 * prints it (feature RDD2): 4πab Σ_{ν=0}^{20} (αβ)^ν / (1 − 4ν²) P_ν((α² + β²)/(2αβ)),
 * α = √(1 − b²/a²), β = √(1 − c²/a²). (This is an approximation: exact for a sphere, within
 * ~0.3 % for near-spherical ellipsoids, further off for elongated ones; the reference values were
 * made with it.)
 */
export function ellipsoidArea(a: number, b: number, c: number): number {
  const alpha = Math.sqrt(Math.max(0, 1 - (b * b) / (a * a)));
  const beta = Math.sqrt(Math.max(0, 1 - (c * c) / (a * a)));
  const ab = alpha * beta;
  let s = 0;
  if (ab < 1e-12) {
    // limit αβ → 0 (a = b or a sphere): (αβ)^ν P_ν(x) → k_ν ((α² + β²)/2)^ν, k_ν = (2ν)!/(2^ν (ν!)²)
    const h = (alpha * alpha + beta * beta) / 2;
    let k = 1;
    for (let nu = 0; nu <= 20; nu++) {
      if (nu > 0) k *= (2 * nu - 1) / nu;
      s += (k * h ** nu) / (1 - 4 * nu * nu);
    }
  } else {
    const x = (alpha * alpha + beta * beta) / (2 * ab);
    for (let nu = 0; nu <= 20; nu++) s += (ab ** nu / (1 - 4 * nu * nu)) * legendre(nu, x);
  }
  return 4 * Math.PI * a * b * s;
}

/**
 * Volume and surface area of the convex hull of a point set (x, y, z triples), by an
 * incremental hull with exact-enough orientation tests (points within a relative 1e-9 of a face
 * plane count as on it). Only the extreme points of each grid line matter; callers may thin the
 * set first.
 */
export function convexHull(points: Float64Array): { volume: number; area: number } {
  const n = points.length / 3;
  const P = (i: number, k: number): number => points[3 * i + k]!;
  let scale = 0;
  for (let k = 0; k < points.length; k++) scale = Math.max(scale, Math.abs(points[k]!));
  const eps = 1e-9 * Math.max(1, scale) ** 2;
  // initial tetrahedron
  let i0 = 0, i1 = -1, i2 = -1, i3 = -1;
  let best = 0;
  for (let i = 1; i < n; i++) {
    const d = (P(i, 0) - P(i0, 0)) ** 2 + (P(i, 1) - P(i0, 1)) ** 2 + (P(i, 2) - P(i0, 2)) ** 2;
    if (d > best) {
      best = d;
      i1 = i;
    }
  }
  if (i1 < 0) return { volume: 0, area: 0 };
  const cross = (a: number, b: number, c: number): [number, number, number] => {
    const ux = P(b, 0) - P(a, 0), uy = P(b, 1) - P(a, 1), uz = P(b, 2) - P(a, 2);
    const vx = P(c, 0) - P(a, 0), vy = P(c, 1) - P(a, 1), vz = P(c, 2) - P(a, 2);
    return [uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx];
  };
  best = 0;
  for (let i = 0; i < n; i++) {
    const c = cross(i0, i1, i);
    const d = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
    if (d > best) {
      best = d;
      i2 = i;
    }
  }
  if (i2 < 0 || best < eps * eps) return { volume: 0, area: 0 };
  const orient = (a: number, b: number, c: number, p: number): number => {
    const nrm = cross(a, b, c);
    return nrm[0] * (P(p, 0) - P(a, 0)) + nrm[1] * (P(p, 1) - P(a, 1)) + nrm[2] * (P(p, 2) - P(a, 2));
  };
  best = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(orient(i0, i1, i2, i));
    if (d > best) {
      best = d;
      i3 = i;
    }
  }
  if (i3 < 0 || best < eps * Math.sqrt(scale + 1)) return { volume: 0, area: 0 };
  type Face = [number, number, number];
  let faces: Face[] = [];
  if (orient(i0, i1, i2, i3) > 0) faces = [[i0, i2, i1], [i0, i1, i3], [i1, i2, i3], [i2, i0, i3]];
  else faces = [[i0, i1, i2], [i0, i3, i1], [i1, i3, i2], [i2, i3, i0]];
  const faceNorm = (f: Face): number => {
    const c = cross(f[0], f[1], f[2]);
    return Math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
  };
  for (let p = 0; p < n; p++) {
    if (p === i0 || p === i1 || p === i2 || p === i3) continue;
    const visible: boolean[] = faces.map((f) => orient(f[0], f[1], f[2], p) > 1e-9 * faceNorm(f) * Math.max(1, scale));
    if (!visible.some(Boolean)) continue;
    const edges = new Map<string, [number, number]>();
    faces.forEach((f, k) => {
      if (!visible[k]) return;
      for (let e = 0; e < 3; e++) {
        const a = f[e]!, b = f[(e + 1) % 3]!;
        const twin = `${b},${a}`;
        if (edges.has(twin)) edges.delete(twin);
        else edges.set(`${a},${b}`, [a, b]);
      }
    });
    const kept = faces.filter((_, k) => !visible[k]);
    for (const [a, b] of edges.values()) kept.push([a, b, p]);
    faces = kept;
  }
  let volume = 0, area = 0;
  for (const f of faces) {
    const c = cross(f[0], f[1], f[2]);
    area += 0.5 * Math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
    volume += (c[0] * P(f[0], 0) + c[1] * P(f[0], 1) + c[2] * P(f[0], 2)) / 6;
  }
  return { volume, area };
}

/** Keeps, of points on a regular grid, the first and last point of every line along the first coordinate. */
function thinForHull(v: Float64Array): Float64Array {
  const lines = new Map<string, [number, number]>();
  for (let k = 0; k < v.length; k += 3) {
    const key = `${v[k + 1]!.toFixed(6)},${v[k + 2]!.toFixed(6)}`;
    const cur = lines.get(key);
    if (!cur) lines.set(key, [k, k]);
    else {
      if (v[k]! < v[cur[0]]!) cur[0] = k;
      if (v[k]! > v[cur[1]]!) cur[1] = k;
    }
  }
  const out: number[] = [];
  for (const [a, b] of lines.values()) {
    out.push(v[a]!, v[a + 1]!, v[a + 2]!);
    if (b !== a) out.push(v[b]!, v[b + 1]!, v[b + 2]!);
  }
  return Float64Array.from(out);
}

/**
 * IBSI morphological features (manual 3.1) of a block: `morph` is the morphological mask,
 * `intensity` the intensity mask (after re-segmentation), `image` the intensities (x fastest,
 * size and spacing [x, y, z]). The mesh is PyRadiomics' marching cubes on the morphological mask
 * (the mesh IBSI's reference values were made with); axes from the covariance of morphological
 * voxel centres; Moran's I and Geary's C exactly over all intensity-mask voxel pairs (O(n²)).
 */
export function ibsiMorphologyFeatures(
  image: Float64Array,
  morph: Uint8Array,
  intensity: Uint8Array,
  size: Vec3,
  spacing: Vec3,
  opts: { spatialAutocorrelation?: boolean } = {},
): Record<string, number> {
  const [nx, ny, nz] = size;
  // padded copy of the morphological mask for marching cubes
  const dims: Vec3 = [nx + 2, ny + 2, nz + 2];
  const block = new Uint8Array(dims[0] * dims[1] * dims[2]);
  let nMorph = 0;
  const com = [0, 0, 0];
  for (let k = 0, v = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        if (!morph[v]) continue;
        block[i + 1 + dims[0] * (j + 1 + dims[1] * (k + 1))] = 1;
        nMorph++;
        com[0] += i * spacing[0];
        com[1] += j * spacing[1];
        com[2] += k * spacing[2];
      }
    }
  }
  for (let a = 0; a < 3; a++) com[a] = com[a]! / nMorph;
  const mesh = marchingCubes(block, dims, spacing);
  const V = mesh.volume;
  const A = mesh.surfaceArea;
  // sample covariance (1/(N − 1)) of morphological voxel positions: the IBSI reference values need
  // it (least axis 8.54 on the digital phantom; PyRadiomics' 1/N gives 8.48)
  const cov = new Float64Array(9);
  for (let k = 0, v = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        if (!morph[v]) continue;
        const d = [i * spacing[0] - com[0]!, j * spacing[1] - com[1]!, k * spacing[2] - com[2]!];
        for (let r = 0; r < 3; r++) for (let s = 0; s < 3; s++) cov[r * 3 + s] += (d[r]! * d[s]!) / (nMorph - 1);
      }
    }
  }
  const ev = symmetricEigenvalues(cov, 3); // ascending
  const lLeast = Math.max(0, ev[0]!), lMinor = Math.max(0, ev[1]!), lMajor = Math.max(0, ev[2]!);
  // intensity-weighted centre and integrated intensity over the intensity mask
  let sI = 0, nI = 0;
  const icom = [0, 0, 0];
  for (let k = 0, v = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        if (!intensity[v]) continue;
        const x = image[v]!;
        sI += x;
        nI++;
        icom[0] += x * i * spacing[0];
        icom[1] += x * j * spacing[1];
        icom[2] += x * k * spacing[2];
      }
    }
  }
  const comShift = Math.hypot(icom[0]! / sI - com[0]!, icom[1]! / sI - com[1]!, icom[2]! / sI - com[2]!);
  // axis-aligned bounding box of the mesh vertices (z, y, x order)
  const vert = mesh.vertices;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let k = 0; k < vert.length; k += 3) {
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, vert[k + a]!);
      hi[a] = Math.max(hi[a]!, vert[k + a]!);
    }
  }
  const ex = [hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!];
  const vAabb = ex[0]! * ex[1]! * ex[2]!;
  const aAabb = 2 * (ex[0]! * ex[1]! + ex[0]! * ex[2]! + ex[1]! * ex[2]!);
  const a = 2 * Math.sqrt(lMajor), b = 2 * Math.sqrt(lMinor), c = 2 * Math.sqrt(lLeast);
  const vAee = (4 * Math.PI * a * b * c) / 3;
  const aAee = ellipsoidArea(a, b, c);
  const hull = convexHull(thinForHull(vert));
  const out: Record<string, number> = {
    VolumeMesh: V,
    VolumeVoxelCounting: nMorph * spacing[0] * spacing[1] * spacing[2],
    SurfaceArea: A,
    SurfaceToVolumeRatio: A / V,
    Compactness1: V / (Math.sqrt(Math.PI) * A ** 1.5),
    Compactness2: (36 * Math.PI * V * V) / A ** 3,
    SphericalDisproportion: A / Math.cbrt(36 * Math.PI * V * V),
    Sphericity: Math.cbrt(36 * Math.PI * V * V) / A,
    Asphericity: Math.cbrt(A ** 3 / (36 * Math.PI * V * V)) - 1,
    CentreOfMassShift: comShift,
    Maximum3DDiameter: mesh.diameters[3],
    MajorAxisLength: 4 * Math.sqrt(lMajor),
    MinorAxisLength: 4 * Math.sqrt(lMinor),
    LeastAxisLength: 4 * Math.sqrt(lLeast),
    Elongation: Math.sqrt(lMinor / lMajor),
    Flatness: Math.sqrt(lLeast / lMajor),
    VolumeDensityAABB: V / vAabb,
    AreaDensityAABB: A / aAabb,
    VolumeDensityAEE: V / vAee,
    AreaDensityAEE: A / aAee,
    VolumeDensityConvexHull: V / hull.volume,
    AreaDensityConvexHull: A / hull.area,
    IntegratedIntensity: V * (sI / nI),
  };
  if (opts.spatialAutocorrelation !== false) Object.assign(out, ibsiSpatialAutocorrelation(image, intensity, size, spacing));
  return out;
}

/**
 * Moran's I and Geary's C (IBSI 3.1.24–25) over the voxels of `mask` with weights
 * w_ij = 1/‖x_i − x_j‖ (mm) for i ≠ j; exact double loop over pairs.
 */
export function ibsiSpatialAutocorrelation(
  image: Float64Array,
  mask: Uint8Array,
  size: Vec3,
  spacing: Vec3,
): { MoransI: number; GearysC: number } {
  const [nx, ny] = size;
  const idx: number[] = [];
  for (let v = 0; v < mask.length; v++) if (mask[v]) idx.push(v);
  const n = idx.length;
  const px = new Float64Array(n), py = new Float64Array(n), pz = new Float64Array(n), x = new Float64Array(n);
  let mean = 0;
  idx.forEach((v, k) => {
    px[k] = (v % nx) * spacing[0];
    py[k] = (Math.floor(v / nx) % ny) * spacing[1];
    pz[k] = Math.floor(v / (nx * ny)) * spacing[2];
    x[k] = image[v]!;
    mean += image[v]!;
  });
  mean /= n;
  let ss = 0;
  for (let k = 0; k < n; k++) {
    x[k] = x[k]! - mean;
    ss += x[k]! * x[k]!;
  }
  let sw = 0, sm = 0, sg = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!, ax = px[i]!, ay = py[i]!, az = pz[i]!;
    for (let j = i + 1; j < n; j++) {
      const dx = ax - px[j]!, dy = ay - py[j]!, dz = az - pz[j]!;
      const w = 1 / Math.sqrt(dx * dx + dy * dy + dz * dz);
      const xj = x[j]!;
      sw += w;
      sm += w * xi * xj;
      sg += w * (xi - xj) * (xi - xj);
    }
  }
  // pair sums counted once; the definitions sum over ordered pairs (both halves equal)
  if (ss === 0) return { MoransI: 1, GearysC: 1 };
  return {
    MoransI: ((n / (2 * sw)) * (2 * sm)) / ss,
    GearysC: (((n - 1) / (2 * sw)) * (2 * sg)) / (2 * ss),
  };
}
