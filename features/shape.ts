/**
 * PyRadiomics' 3D shape features (radiomics/shape.py with the marching-cubes mesh of
 * radiomics/src/cshape.c; IBSI morphology family). The mask is cropped to its bounding box and
 * padded with one background voxel on every side, as PyRadiomics' extractor and shape class do,
 * so that the mesh closes and mesh coordinates are measured from the same origin.
 */
import { RadnomoError } from '../src/errors';
import type { Vec3 } from '../src/image';

/** PyRadiomics' non-deprecated 3D shape features, in the order its class defines them. */
export const SHAPE_FEATURE_NAMES = [
  'MeshVolume',
  'VoxelVolume',
  'SurfaceArea',
  'SurfaceVolumeRatio',
  'Sphericity',
  'Maximum3DDiameter',
  'Maximum2DDiameterSlice',
  'Maximum2DDiameterColumn',
  'Maximum2DDiameterRow',
  'MajorAxisLength',
  'MinorAxisLength',
  'LeastAxisLength',
  'Elongation',
  'Flatness',
] as const;

/** Options of the shape classes. */
export interface ShapeOptions {
  /** Receives PyRadiomics' warnings (eigenvalues rounded to 0, negative eigenvalues). */
  onWarning?: (message: string) => void;
}

/**
 * Corners of the marching cube as (dz, dy, dx) offsets, numbered as in cshape.c: bit k of the
 * cube index is corner k. Corners 0–3 lie in the plane dz = 0, going (0,0) → (0,1) → (1,1) →
 * (1,0) in (dy, dx); corners 4–7 are the same at dz = 1.
 */
const CUBE_CORNERS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0], [0, 0, 1], [0, 1, 1], [0, 1, 0],
  [1, 0, 0], [1, 0, 1], [1, 1, 1], [1, 1, 0],
];

/**
 * Mesh vertex on each of the 12 cube edges, (z, y, x) relative to the cube origin: every vertex
 * lies half-way along its edge (a binary mask has its iso-surface at 0.5). Edges 0–3 join corners
 * 1-0, 2-1, 3-2, 3-0; edges 4–7 join 5-4, 6-5, 7-6, 7-4; edges 8–11 join 4-0, 5-1, 6-2, 7-3.
 */
const EDGE_VERTEX: readonly (readonly [number, number, number])[] = [
  [0, 0, 0.5], [0, 0.5, 1], [0, 1, 0.5], [0, 0.5, 0],
  [1, 0, 0.5], [1, 0.5, 1], [1, 1, 0.5], [1, 0.5, 0],
  [0.5, 0, 0], [0.5, 0, 1], [0.5, 1, 1], [0.5, 1, 0],
];

/**
 * Triangles of each cube index 0–127 (indices ≥ 128 use their complement with the volume sign
 * flipped), as consecutive edge triples written in hexadecimal: '083' is one triangle on edges 0, 8
 * and 3. Same triangles, vertex order and triangle order as cshape.c's triTable, whose ordering
 * makes every normal point out of the ROI so that the signed tetrahedron volumes add up to the
 * enclosed volume.
 */
const TRIANGLES_HEX: readonly string[] = [
  '', '083', '190', '183198', '12a', '08312a', '92a029', '2832a8a98',
  'b23', 'b2008b', '190b23', 'b2119b98b', '3a1ba3', 'a1008a8ba', '9033b9ba9', '98aba8',
  '478', '043473', '190478', '194147173', '12a478', '34730412a', '92a902478', '2a9297273479',
  '478b23', 'b47b24204', '190478b23', '47b94bb29192', '3a1ba3478', 'ba114b10447b', '4789033b9ba9', '47b4b99ba',
  '954', '954083', '054015', '854835315', '12a954', '08312a954', '2a5542240', '2a5325354834',
  '954b23', 'b2008b954', '054015b23', '215258b28548', '3a1ba3954', '549a1008a8ba', '54050ba5bb03', '548a58ba8',
  '789579', '309539357', '780017715', '157173', '78957912a', '12a309395357', '0288258572a5', '2a5253357',
  '579789b23', '579972209b27', 'b23018178157', '21b17b157', '7895793a1ba3', '5705097b0a10ba0', 'ba003ba50078570', 'ba557b',
  '65a', '08365a', '19065a', '18319865a', '165126', '165126083', '965906026', '598582526832',
  'b2365a', 'b2008b65a', '190b2365a', 'b2119b98b65a', '63b653513', '08b0b50515b6', '63b036065059', '65969bb98',
  '47865a', '04347365a', '19047865a', '19414717365a', '478165126', '043473165126', '478965906026', '739479329596269',
  'b2347865a', 'b47b2420465a', '190b2347865a', '47b94bb2919265a', '47863b653513', '51b5b610b47b04b', '47863b036065059', '65969b4797b9',
  'a4964a', 'a4964a083', '01aa60640', '18316886461a', '149124264', '149124264083', '024426', '832824426',
  'b23a4964a', 'b2008ba4964a', 'b2301aa60640', '64161a148b2118b', '964369139b63', '18b081b61149641', '63b036640', '86468b',
  '67a78a89a', '67a0a709a073', '67a1a7178018', '67a1a7173', '126168189678', '269129679309739', '078706602', '273267',
  'b2367a78a89a', '207b2709767a9a7', '67a1a7178018b23', 'b2117ba61167', '896678169b63136', '09167b', '07870603bb60', '67b',
];

/** TRIANGLES_HEX decoded: for cube index c, edges TRI_EDGES[TRI_START[c] .. TRI_START[c+1]). */
const { TRI_START, TRI_EDGES } = (() => {
  const start = new Int32Array(129);
  let total = 0;
  for (let c = 0; c < 128; c++) {
    start[c] = total;
    total += TRIANGLES_HEX[c]!.length;
  }
  start[128] = total;
  const edges = new Uint8Array(total);
  for (let c = 0; c < 128; c++) {
    const s = TRIANGLES_HEX[c]!;
    for (let k = 0; k < s.length; k++) edges[start[c]! + k] = parseInt(s[k]!, 16);
  }
  return { TRI_START: start, TRI_EDGES: edges };
})();

/**
 * Edges whose vertex a cube records for the diameters, with the corner whose membership decides
 * it: edges 6, 7 and 11 all end in corner 7, which is outside the ROI once the index has been
 * complemented, so each has a vertex exactly when its other corner (6, 4, 3) is inside. Every grid
 * edge is the "corner-7 edge" of one cube, so each mesh vertex is recorded once.
 */
const DIAMETER_CORNERS = Int32Array.of(6, 4, 3);
const DIAMETER_EDGES = Int32Array.of(6, 7, 11);

/** The ROI's bounding box (inclusive bounds, voxel indices x, y, z) and its voxel count. */
export interface BoundingBox {
  lo: Vec3;
  hi: Vec3;
  count: number;
}

/** Bounding box of the non-zero voxels of `mask` (x fastest); throws E_MASK when it is empty. */
export function maskBoundingBox(mask: Uint8Array, size: Vec3, what = 'shape'): BoundingBox {
  const [nx, ny, nz] = size;
  if (mask.length !== nx * ny * nz) {
    throw new RadnomoError('E_GEOMETRY', `${what}: the mask has ${mask.length} voxels but its size ${nx} × ${ny} × ${nz} needs ${nx * ny * nz}.`);
  }
  const lo: Vec3 = [nx, ny, nz];
  const hi: Vec3 = [-1, -1, -1];
  let count = 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (!mask[i]) continue;
        count++;
        if (x < lo[0]) lo[0] = x;
        if (x > hi[0]) hi[0] = x;
        if (y < lo[1]) lo[1] = y;
        if (y > hi[1]) hi[1] = y;
        if (z < lo[2]) lo[2] = z;
        if (z > hi[2]) hi[2] = z;
      }
    }
  }
  if (count === 0) throw new RadnomoError('E_MASK', `${what}: the mask has no voxel in the ROI.`);
  return { lo, hi, count };
}

/** The mask cropped to its bounding box and padded by one background voxel on each side (x fastest). */
function cropAndPad(mask: Uint8Array, size: Vec3, bb: BoundingBox): { block: Uint8Array; dims: Vec3 } {
  const dims: Vec3 = [bb.hi[0] - bb.lo[0] + 3, bb.hi[1] - bb.lo[1] + 3, bb.hi[2] - bb.lo[2] + 3];
  const block = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let z = bb.lo[2]; z <= bb.hi[2]; z++) {
    for (let y = bb.lo[1]; y <= bb.hi[1]; y++) {
      const src = bb.lo[0] + size[0] * (y + size[1] * z);
      const dst = 1 + dims[0] * (y - bb.lo[1] + 1 + dims[1] * (z - bb.lo[2] + 1));
      for (let x = 0; x <= bb.hi[0] - bb.lo[0]; x++) block[dst + x] = mask[src + x] ? 1 : 0;
    }
  }
  return { block, dims };
}

/** Result of the marching-cubes pass. */
export interface ShapeMesh {
  /** Mesh volume (mm³): sum of signed tetrahedron volumes over the triangles. */
  volume: number;
  /** Mesh surface area (mm²). */
  surfaceArea: number;
  /** Largest vertex distances (mm): [same z (Slice), same y (Column), same x (Row), any (3D)]. */
  diameters: [number, number, number, number];
  /** Mesh vertices recorded for the diameters, (z, y, x) in mm from the padded block's voxel 0. */
  vertices: Float64Array;
  /** Number of triangles. */
  triangles: number;
}

/**
 * PyRadiomics' `cShape.calculate_coefficients` (cshape.c) on a padded block (x fastest, dims
 * [x, y, z]): marching cubes with vertices at edge midpoints, coordinates in numpy (z, y, x) order
 * scaled by spacing, volume = Σ a·(b × c) / 6 with the sign flipped for complemented cube
 * indices, area = Σ |(a − c) × (b − c)| / 2, then the diameters over the recorded vertices
 * (`fastMeshDiameters`, which returns what the C all-pairs loop `meshDiameters` returns). The
 * arithmetic follows the C code operation by operation.
 */
export function marchingCubes(block: Uint8Array, dims: Vec3, spacing: Vec3): ShapeMesh {
  const [nx, ny, nz] = dims;
  const s0 = spacing[2], s1 = spacing[1], s2 = spacing[0]; // numpy (z, y, x) order
  const sy = nx;
  const sz = nx * ny;
  const off = Int32Array.from(CUBE_CORNERS, ([dz, dy, dx]) => dz * sz + dy * sy + dx);
  const ev = Float64Array.from(EDGE_VERTEX.flat());
  let verts = new Float64Array(3 * 1024);
  let nv = 0;
  let volume = 0;
  let area = 0;
  let triangles = 0;
  for (let iz = 0; iz < nz - 1; iz++) {
    for (let iy = 0; iy < ny - 1; iy++) {
      for (let ix = 0, base = iz * sz + iy * sy; ix < nx - 1; ix++, base++) {
        let idx = 0;
        for (let k = 0; k < 8; k++) if (block[base + off[k]!]) idx |= 1 << k;
        if (idx === 0 || idx === 0xff) continue; // no vertex, no triangle
        let sign = 1;
        if (idx & 0x80) {
          idx ^= 0xff;
          sign = -1;
        }
        if (nv + 9 > verts.length) {
          const grown = new Float64Array(verts.length * 2);
          grown.set(verts);
          verts = grown;
        }
        for (let k = 0; k < 3; k++) {
          if (!(idx & (1 << DIAMETER_CORNERS[k]!))) continue;
          const e = 3 * DIAMETER_EDGES[k]!;
          verts[nv++] = (iz + ev[e]!) * s0;
          verts[nv++] = (iy + ev[e + 1]!) * s1;
          verts[nv++] = (ix + ev[e + 2]!) * s2;
        }
        const tEnd = TRI_START[idx + 1]!;
        for (let t = TRI_START[idx]!; t < tEnd; t += 3) {
          const ea = 3 * TRI_EDGES[t]!, eb = 3 * TRI_EDGES[t + 1]!, ec = 3 * TRI_EDGES[t + 2]!;
          const a0 = (iz + ev[ea]!) * s0, a1 = (iy + ev[ea + 1]!) * s1, a2 = (ix + ev[ea + 2]!) * s2;
          const b0 = (iz + ev[eb]!) * s0, b1 = (iy + ev[eb + 1]!) * s1, b2 = (ix + ev[eb + 2]!) * s2;
          const c0 = (iz + ev[ec]!) * s0, c1 = (iy + ev[ec + 1]!) * s1, c2 = (ix + ev[ec + 2]!) * s2;
          // signed volume (×6) of the tetrahedron (origin, a, b, c): (a × b) · c
          const x0 = a1 * b2 - b1 * a2;
          const x1 = a2 * b0 - b2 * a0;
          const x2 = a0 * b1 - b0 * a1;
          volume += sign * (x0 * c0 + x1 * c1 + x2 * c2);
          // area: half the norm of (a − c) × (b − c)
          const p0 = a0 - c0, p1 = a1 - c1, p2 = a2 - c2;
          const q0 = b0 - c0, q1 = b1 - c1, q2 = b2 - c2;
          const y0 = p1 * q2 - q1 * p2;
          const y1 = p2 * q0 - q2 * p0;
          const y2 = p0 * q1 - q0 * p1;
          area += 0.5 * Math.sqrt(y0 * y0 + y1 * y1 + y2 * y2);
          triangles++;
        }
      }
    }
  }
  const vertices = verts.slice(0, nv);
  return { volume: volume / 6, surfaceArea: area, diameters: fastMeshDiameters(vertices), vertices, triangles };
}

/**
 * cshape.c's `calculate_meshDiameter`: the largest Euclidean distance between any two vertices
 * ((z, y, x) triples), and the largest between vertices that share their z (index 0, "Slice"),
 * their y (1, "Column") or their x (2, "Row") coordinate.
 */
export function meshDiameters(v: Float64Array): [number, number, number, number] {
  let dz = 0, dy = 0, dx = 0, d3 = 0;
  const n = v.length;
  for (let i = 0; i < n; i += 3) {
    const az = v[i]!, ay = v[i + 1]!, ax = v[i + 2]!;
    for (let j = i + 3; j < n; j += 3) {
      const ez = az - v[j]!, ey = ay - v[j + 1]!, ex = ax - v[j + 2]!;
      const d = ez * ez + ey * ey + ex * ex;
      if (d > d3) d3 = d;
      if (ez === 0 && d > dz) dz = d;
      if (ey === 0 && d > dy) dy = d;
      if (ex === 0 && d > dx) dx = d;
    }
  }
  return [Math.sqrt(dz), Math.sqrt(dy), Math.sqrt(dx), Math.sqrt(d3)];
}

/**
 * The same four values as `meshDiameters`, computed without comparing every pair. Exact, because
 * only pairs that cannot hold a maximum are skipped, and every compared pair uses the C code's
 * arithmetic (squared differences summed in z, y, x order):
 * - squared distance along a line is strictly convex, so an endpoint of a maximal pair is never
 *   strictly between two other vertices on an axis-parallel line lying in the pair's plane (for
 *   the 3D diameter, on any of the three axis lines through it);
 * - among the remaining candidates, a point p with |p − c| + max|q − c| below the best distance
 *   found (c the candidates' centroid, with a 1e-9 relative margin against rounding) is skipped.
 */
export function fastMeshDiameters(v: Float64Array): [number, number, number, number] {
  const n = v.length / 3;
  if (n < 2) return [0, 0, 0, 0];
  // integer keys of the coordinates along each axis (rank of the distinct values)
  const keys = [new Int32Array(n), new Int32Array(n), new Int32Array(n)] as const;
  const nKeys = [0, 0, 0];
  for (let d = 0; d < 3; d++) {
    const sorted = new Float64Array(n);
    for (let i = 0; i < n; i++) sorted[i] = v[3 * i + d]!;
    sorted.sort();
    let u = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i]!;
    for (let i = 0; i < n; i++) {
      const x = v[3 * i + d]!;
      let lo = 0;
      let hi = u - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      keys[d][i] = lo;
    }
    nKeys[d] = u;
  }
  // extremeness along the line parallel to axis d through each vertex
  const extreme = new Uint8Array(n);
  for (let d = 0; d < 3; d++) {
    const u = (d + 1) % 3;
    const w = (d + 2) % 3;
    const cells = nKeys[u]! * nKeys[w]!;
    const lo = new Int32Array(cells).fill(0x7fffffff);
    const hi = new Int32Array(cells).fill(-1);
    for (let i = 0; i < n; i++) {
      const cell = keys[u][i]! * nKeys[w]! + keys[w][i]!;
      const kd = keys[d][i]!;
      if (kd < lo[cell]!) lo[cell] = kd;
      if (kd > hi[cell]!) hi[cell] = kd;
    }
    for (let i = 0; i < n; i++) {
      const cell = keys[u][i]! * nKeys[w]! + keys[w][i]!;
      const kd = keys[d][i]!;
      if (kd === lo[cell] || kd === hi[cell]) extreme[i] |= 1 << d;
    }
  }
  const out: [number, number, number, number] = [0, 0, 0, 0];
  const all: number[] = [];
  for (let i = 0; i < n; i++) if (extreme[i] === 7) all.push(i);
  out[3] = Math.sqrt(maxSquaredDistance(v, Uint32Array.from(all)));
  // planar diameters: axis d fixed; candidates extreme along the two in-plane axes
  for (let d = 0; d < 3; d++) {
    const need = 7 & ~(1 << d);
    const groups: number[][] = Array.from({ length: nKeys[d]! }, () => []);
    for (let i = 0; i < n; i++) if ((extreme[i]! & need) === need) groups[keys[d][i]!]!.push(i);
    let best = 0;
    for (const g of groups) if (g.length > 1) best = Math.max(best, maxSquaredDistance(v, Uint32Array.from(g)));
    out[d] = Math.sqrt(best);
  }
  return out;
}

/** Largest squared distance between the vertices `idx` of `v`, pruned with the centroid bound. */
function maxSquaredDistance(v: Float64Array, idx: Uint32Array): number {
  const m = idx.length;
  if (m < 2) return 0;
  let cz = 0, cy = 0, cx = 0;
  for (let t = 0; t < m; t++) {
    const i = idx[t]!;
    cz += v[3 * i]!;
    cy += v[3 * i + 1]!;
    cx += v[3 * i + 2]!;
  }
  cz /= m;
  cy /= m;
  cx /= m;
  const r = new Float64Array(m);
  let R = 0;
  for (let k = 0; k < m; k++) {
    const i = idx[k]!;
    const dz = v[3 * i]! - cz, dy = v[3 * i + 1]! - cy, dx = v[3 * i + 2]! - cx;
    r[k] = Math.sqrt(dz * dz + dy * dy + dx * dx);
    if (r[k]! > R) R = r[k]!;
  }
  const byRadius = Uint32Array.from({ length: m }, (_, k) => k).sort((a, b) => r[b]! - r[a]!);
  let best = 0;
  // Indexed loops: a for-of that breaks closes its iterator, a property access V8 never gets
  // feedback for, which deoptimised this function on every call.
  for (let t = 0; t < m; t++) {
    const k = byRadius[t]!;
    const bound = (r[k]! + R) * (1 + 1e-9);
    if (bound * bound < best) break;
    const i = idx[k]!;
    const az = v[3 * i]!, ay = v[3 * i + 1]!, ax = v[3 * i + 2]!;
    for (let l = 0; l < m; l++) {
      const j = idx[l]!;
      const ez = az - v[3 * j]!, ey = ay - v[3 * j + 1]!, ex = ax - v[3 * j + 2]!;
      const dd = ez * ez + ey * ey + ex * ex;
      if (dd > best) best = dd;
    }
  }
  return best;
}

/**
 * Eigenvalues of a symmetric n × n matrix (n ≤ 3, row-major) by cyclic Jacobi rotations, in
 * ascending order. PyRadiomics calls numpy.linalg.eigvals on the same (symmetric) covariance.
 */
export function symmetricEigenvalues(m: ArrayLike<number>, n: number): Float64Array {
  const A = Float64Array.from(m);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += Math.abs(A[p * n + q]!);
    if (off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.abs(theta) > 1e150
          ? 1 / (2 * theta)
          : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        A[p * n + p] = app - t * apq;
        A[q * n + q] = aqq + t * apq;
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = A[r * n + p]!;
          const arq = A[r * n + q]!;
          const np_ = cs * arp - sn * arq;
          const nq = sn * arp + cs * arq;
          A[r * n + p] = np_;
          A[p * n + r] = np_;
          A[r * n + q] = nq;
          A[q * n + r] = nq;
        }
      }
    }
  }
  const ev = new Float64Array(n);
  for (let i = 0; i < n; i++) ev[i] = A[i * n + i]!;
  return ev.sort();
}

/**
 * Eigenvalues (ascending) of the covariance of the physical coordinates of ROI voxels, as
 * PyRadiomics' shape classes compute it: coordinates (numpy axis order) × spacing, centred on
 * their mean, divided by √N, covariance = XᵀX (i.e. normalised by N); eigenvalues in
 * (−1e-10, 0) are set to 0 (PyRadiomics' machine-precision correction).
 * `coords` holds each ROI voxel's index (numpy axis order, `dim` per voxel, in the padded block) in
 * numpy.where order; the sums run in that order, like numpy's axis-0 mean.
 */
export function principalMoments(coords: Int32Array, dim: number, spacing: readonly number[], onWarning?: (message: string) => void): Float64Array {
  const count = coords.length / dim;
  const mean = new Float64Array(dim);
  for (let i = 0; i < coords.length; i += dim) for (let d = 0; d < dim; d++) mean[d] += coords[i + d]! * spacing[d]!;
  for (let d = 0; d < dim; d++) mean[d] = mean[d]! / count;
  const root = Math.sqrt(count);
  const cov = new Float64Array(dim * dim);
  const p = new Float64Array(dim);
  for (let i = 0; i < coords.length; i += dim) {
    for (let d = 0; d < dim; d++) p[d] = (coords[i + d]! * spacing[d]! - mean[d]!) / root;
    for (let r = 0; r < dim; r++) for (let s = r; s < dim; s++) cov[r * dim + s] += p[r]! * p[s]!;
  }
  for (let r = 0; r < dim; r++) for (let s = 0; s < r; s++) cov[r * dim + s] = cov[s * dim + r]!;
  const ev = symmetricEigenvalues(cov, dim);
  let rounded = 0;
  for (let i = 0; i < dim; i++) {
    if (ev[i]! < 0 && ev[i]! > -1e-10) {
      ev[i] = 0;
      rounded++;
    }
  }
  if (rounded > 0) onWarning?.(`Encountered ${rounded} eigenvalues < 0 and > -1e-10, rounding to 0`);
  return ev;
}

/** 4·√λ, or NaN with PyRadiomics' warning when λ < 0. */
export function axisLength(lambda: number, what: string, onWarning?: (message: string) => void): number {
  if (lambda < 0) {
    onWarning?.(`${what} eigenvalue negative! (${lambda})`);
    return NaN;
  }
  return Math.sqrt(lambda) * 4;
}

/** √(λsmall/λlarge), or NaN with a warning when either is negative (PyRadiomics Elongation/Flatness). */
export function axisRatio(small: number, large: number, what: string, onWarning?: (message: string) => void): number {
  if (small < 0 || large < 0) {
    onWarning?.(`${what} eigenvalue negative! (${small}, ${large})`);
    return NaN;
  }
  return Math.sqrt(small / large);
}

/**
 * PyRadiomics `RadiomicsShape` (IBSI morphological features): all 14 non-deprecated 3D shape
 * features of the ROI `mask` (0/1, x fastest, `size` and `spacing` as [x, y, z]). Mesh features
 * (MeshVolume, SurfaceArea, SurfaceVolumeRatio, Sphericity, Maximum…Diameter) come from
 * `marchingCubes` on the cropped and padded mask; VoxelVolume counts voxels; axis lengths,
 * Elongation and Flatness come from the principal moments of voxel centres.
 */
export function shapeFeatures(mask: Uint8Array, size: Vec3, spacing: Vec3, opts: ShapeOptions = {}): Record<string, number> {
  const bb = maskBoundingBox(mask, size, 'shape');
  const { block, dims } = cropAndPad(mask, size, bb);
  const mesh = marchingCubes(block, dims, spacing);
  const sp = [spacing[2], spacing[1], spacing[0]];
  const [nx, ny, nz] = dims;
  const coords = new Int32Array(3 * bb.count);
  for (let z = 0, i = 0, o = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (!block[i]) continue;
        coords[o++] = z;
        coords[o++] = y;
        coords[o++] = x;
      }
    }
  }
  const ev = principalMoments(coords, 3, sp, opts.onWarning);
  const V = mesh.volume;
  const A = mesh.surfaceArea;
  const w = opts.onWarning;
  const [sz, sy, sx] = sp as [number, number, number];
  return {
    MeshVolume: V,
    VoxelVolume: bb.count * (sz * sx * sy),
    SurfaceArea: A,
    SurfaceVolumeRatio: A / V,
    Sphericity: Math.pow(36 * Math.PI * (V * V), 1 / 3) / A,
    Maximum3DDiameter: mesh.diameters[3],
    Maximum2DDiameterSlice: mesh.diameters[0],
    Maximum2DDiameterColumn: mesh.diameters[1],
    Maximum2DDiameterRow: mesh.diameters[2],
    MajorAxisLength: axisLength(ev[2]!, 'Major axis', w),
    MinorAxisLength: axisLength(ev[1]!, 'Minor axis', w),
    LeastAxisLength: axisLength(ev[0]!, 'Least axis', w),
    Elongation: axisRatio(ev[1]!, ev[2]!, 'Elongation', w),
    Flatness: axisRatio(ev[0]!, ev[2]!, 'Flatness', w),
  };
}
