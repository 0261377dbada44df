/**
 * The sphere sampling of PyRadiomics' LBP3D: trimesh's icosphere (`trimesh.creation.icosphere`)
 * and scipy's complex spherical harmonics (`scipy.special.sph_harm`, scipy ≤ 1.14 semantics).
 */

/**
 * The icosahedron trimesh starts from (`trimesh/resources/creation.json`): its vertices are stored
 * there as these decimals (0.85065080835204 is φ/√(1+φ²) cut to 14 digits), which is what the
 * icosphere's coordinates are built from, so they are reproduced as stored.
 */
const A = 0.5257311121191336;
const B = 0.85065080835204;
const ICOSAHEDRON_VERTICES: readonly (readonly [number, number, number])[] = [
  [-A, B, 0], [A, B, 0], [-A, -B, 0], [A, -B, 0],
  [0, -A, B], [0, A, B], [0, -A, -B], [0, A, -B],
  [B, 0, -A], [B, 0, A], [-B, 0, -A], [-B, 0, A],
];
const ICOSAHEDRON_FACES: readonly (readonly [number, number, number])[] = [
  [0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4], [11, 10, 2], [10, 7, 6], [7, 1, 8],
  [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9], [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1],
];

/**
 * trimesh `remesh.subdivide` of a whole mesh: one midpoint per unique edge, appended after the
 * old vertices in trimesh's order (edges as sorted vertex pairs (lo, hi), ordered by hi then lo,
 * the order of its packed-integer row hashes), and four faces per old face.
 */
function subdivide(vertices: number[][], faces: number[][]): { vertices: number[][]; faces: number[][] } {
  const n = vertices.length;
  const key = (a: number, b: number): number => (a < b ? b * n + a : a * n + b);
  const keys = new Set<number>();
  for (const [a, b, c] of faces) {
    keys.add(key(a!, b!));
    keys.add(key(b!, c!));
    keys.add(key(c!, a!));
  }
  const sorted = [...keys].sort((p, q) => p - q);
  const index = new Map<number, number>();
  const out = vertices.map((v) => v.slice());
  sorted.forEach((k, i) => {
    index.set(k, n + i);
    const hi = Math.floor(k / n);
    const lo = k - hi * n;
    const p = vertices[lo]!;
    const q = vertices[hi]!;
    out.push([(p[0]! + q[0]!) / 2, (p[1]! + q[1]!) / 2, (p[2]! + q[2]!) / 2]);
  });
  const newFaces: number[][] = [];
  for (const [a, b, c] of faces) {
    const m0 = index.get(key(a!, b!))!;
    const m1 = index.get(key(b!, c!))!;
    const m2 = index.get(key(c!, a!))!;
    newFaces.push([a!, m0, m2], [m0, b!, m1], [m2, m1, c!], [m0, m1, m2]);
  }
  return { vertices: out, faces: newFaces };
}

/** trimesh's move of every vertex onto the sphere: v += (v / |v|) · (radius − |v|). */
function toRadius(vertices: number[][], radius: number): void {
  for (const v of vertices) {
    const s = Math.sqrt(v[0]! * v[0]! + v[1]! * v[1]! + v[2]! * v[2]!);
    for (let a = 0; a < 3; a++) v[a] = v[a]! + (v[a]! / s) * (radius - s);
  }
}

/**
 * trimesh `creation.icosphere(subdivisions, radius).vertices`: the icosahedron subdivided
 * `subdivisions` times, the vertices moved onto the sphere of `radius` after each subdivision
 * (once, if there is none). 10·4^s + 2 vertices, flattened [x0, y0, z0, x1, ...] in trimesh's order.
 */
export function icosphereVertices(subdivisions: number, radius: number): Float64Array {
  let vertices = ICOSAHEDRON_VERTICES.map((v) => [...v]);
  let faces = ICOSAHEDRON_FACES.map((f) => [...f]);
  for (let i = 0; i < subdivisions; i++) {
    ({ vertices, faces } = subdivide(vertices, faces));
    toRadius(vertices, radius);
  }
  if (subdivisions <= 0) toRadius(vertices, radius);
  return Float64Array.from(vertices.flat());
}

/**
 * cephes `poch(a, m)` for whole m: the rising factorial (a)_m = Γ(a + m) / Γ(a), by the same
 * sequence of multiplications (m > 0) or divisions (m < 0) as scipy.
 */
function poch(a: number, m: number): number {
  let r = 1;
  while (m >= 1) {
    if (a + m === 1) break;
    m -= 1;
    r *= a + m;
    if (!Number.isFinite(r) || r === 0) break;
  }
  while (m <= -1) {
    if (a + m === 0) break;
    r /= a + m;
    m += 1;
    if (!Number.isFinite(r) || r === 0) break;
  }
  return r;
}

/**
 * Associated Legendre function P_n^m(x) for whole 0 ≤ m ≤ n, with the Condon–Shortley phase
 * (scipy `lpmv` convention), by the standard upward recurrence in n from P_m^m.
 */
export function legendreP(m: number, n: number, x: number): number {
  let pmm = 1;
  if (m > 0) {
    const s = Math.sqrt((1 - x) * (1 + x));
    let fact = 1;
    for (let i = 1; i <= m; i++) {
      pmm *= -fact * s;
      fact += 2;
    }
  }
  if (n === m) return pmm;
  let pm1 = x * (2 * m + 1) * pmm;
  if (n === m + 1) return pm1;
  let pn = 0;
  for (let l = m + 2; l <= n; l++) {
    pn = ((2 * l - 1) * x * pm1 - (l + m - 1) * pmm) / (l - m);
    pmm = pm1;
    pm1 = pn;
  }
  return pn;
}

/**
 * scipy `special.sph_harm(m, n, theta, phi)` (theta the azimuthal angle, phi the polar one):
 * √((2n+1)/4π) · √((n−m)!/(n+m)!) · P_n^m(cos phi) · e^{i m theta}, negative m through
 * P_n^{−|m|} = (−1)^|m| (n−|m|)!/(n+|m|)! P_n^|m|, in scipy's order of operations. Returns [re, im].
 */
export function sphHarm(m: number, n: number, theta: number, phi: number): [number, number] {
  const x = Math.cos(phi);
  const mp = Math.abs(m);
  let val = legendreP(mp, n, x);
  if (m < 0) val *= (mp % 2 === 0 ? 1 : -1) * poch(n + mp + 1, -2 * mp);
  val *= Math.sqrt((2 * n + 1) / 4.0 / Math.PI);
  val *= Math.sqrt(poch(n + m + 1, -2 * m));
  const a = m * theta;
  return [val * Math.cos(a), val * Math.sin(a)];
}
