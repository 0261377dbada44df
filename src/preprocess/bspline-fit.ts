/**
 * Uniform tensor-product B-spline lattices over a voxel grid, as ITK's
 * BSplineScatteredDataPointSetToImageFilter (one fitting level; Lee, Wolberg & Shin 1997 with
 * Tustison & Gee's weighting) and BSplineControlPointImageFilter use them: along an axis of n
 * voxels and c control points of order k, voxel i sits at parametric u = (c − k)·i/(n − 1),
 * nudged inside [0, c − k) by ITK's epsilon 1e-3·(c − k)/(n − 1); control point floor(u) + j
 * (j = 0..k) weighs it by the centred B-spline B_k(u − floor(u) − j + (k − 1)/2).
 */

/** A control-point lattice (x fastest). */
export interface Lattice {
  size: [number, number, number];
  data: Float64Array;
}

/** Per-axis B-spline weights for every voxel index along one axis. */
export interface AxisTable {
  /** First control point index of voxel i. */
  start: Int32Array;
  /** (order + 1) weights per voxel. */
  weights: Float64Array;
  /** Sum of squared weights per voxel. */
  sumSq: Float64Array;
}

const BSPLINE_EPSILON = 1e-3;

/** Centred B-spline of degree `order` at v (ITK BSplineKernelFunction). */
export function centredBSpline(order: number, v: number): number {
  const a = Math.abs(v);
  switch (order) {
    case 0:
      return a < 0.5 ? 1 : a === 0.5 ? 0.5 : 0;
    case 1:
      return a < 1 ? 1 - a : 0;
    case 2:
      if (a < 0.5) return 0.75 - a * a;
      if (a < 1.5) return ((1.5 - a) * (1.5 - a)) / 2;
      return 0;
    case 3:
      if (a < 1) return (4 - 6 * a * a + 3 * a * a * a) / 6;
      if (a < 2) return ((2 - a) * (2 - a) * (2 - a)) / 6;
      return 0;
    default: {
      // Cardinal B-spline by its truncated-power formula.
      const x = v + (order + 1) / 2;
      if (x <= 0 || x >= order + 1) return 0;
      let s = 0;
      let binom = 1;
      let fact = 1;
      for (let i = 2; i <= order; i++) fact *= i;
      for (let j = 0; j <= order + 1; j++) {
        if (j > 0) binom = (binom * (order + 2 - j)) / j;
        const t = x - j;
        if (t > 0) s += (j % 2 ? -1 : 1) * binom * Math.pow(t, order);
      }
      return s / fact;
    }
  }
}

/** Weights along one axis of `n` voxels for a lattice of `controlPoints` points of `order`. */
export function axisTable(n: number, controlPoints: number, order: number): AxisTable {
  const spans = controlPoints - order;
  const k1 = order + 1;
  const start = new Int32Array(n);
  const weights = new Float64Array(n * k1);
  const sumSq = new Float64Array(n);
  const eps = n > 1 ? (spans / (n - 1)) * BSPLINE_EPSILON : 0;
  for (let i = 0; i < n; i++) {
    let u = n > 1 ? (spans * i) / (n - 1) : 0;
    if (Math.abs(u - spans) <= eps) u = spans - eps;
    if (u < 0 && Math.abs(u) <= eps) u = 0;
    const s = Math.floor(u);
    start[i] = s;
    let ss = 0;
    for (let j = 0; j < k1; j++) {
      const w = centredBSpline(order, u - s - j + 0.5 * (order - 1));
      weights[i * k1 + j] = w;
      ss += w * w;
    }
    sumSq[i] = ss;
  }
  return { start, weights, sumSq };
}

/** Grid points (voxel indices along x, y, z) where a lattice is fitted or evaluated. */
export interface PointSet {
  ix: Int32Array;
  iy: Int32Array;
  iz: Int32Array;
}

/**
 * Fits a lattice to scalar values at grid points with unit weights, one level of
 * BSplineScatteredDataPointSetToImageFilter: δ_c = Σ_p v_p·w_pc³ / Σ_c' w_pc'², ω_c = Σ_p w_pc²,
 * φ_c = δ_c / ω_c (0 where ω_c = 0).
 */
export function fitLattice(
  points: PointSet,
  values: Float64Array,
  tables: [AxisTable, AxisTable, AxisTable],
  latticeSize: [number, number, number],
  order: number,
  work?: { delta: Float64Array; omega: Float64Array },
): Lattice {
  const [cx, cy, cz] = latticeSize;
  const total = cx * cy * cz;
  const delta = work && work.delta.length >= total ? work.delta.fill(0, 0, total) : new Float64Array(total);
  const omega = work && work.omega.length >= total ? work.omega.fill(0, 0, total) : new Float64Array(total);
  const k1 = order + 1;
  const [tx, ty, tz] = tables;
  const wx = tx.weights;
  const wy = ty.weights;
  const wz = tz.weights;
  const cxy = cx * cy;
  for (let p = 0; p < values.length; p++) {
    const x = points.ix[p]!;
    const y = points.iy[p]!;
    const z = points.iz[p]!;
    const w2 = tx.sumSq[x]! * ty.sumSq[y]! * tz.sumSq[z]!;
    const v = values[p]! / w2;
    const ox = x * k1;
    const oy = y * k1;
    const oz = z * k1;
    const sx = tx.start[x]!;
    const sy = ty.start[y]!;
    const sz = tz.start[z]!;
    for (let c = 0; c < k1; c++) {
      const bz = wz[oz + c]!;
      const zBase = (sz + c) * cxy;
      for (let b = 0; b < k1; b++) {
        const bzy = bz * wy[oy + b]!;
        const base = zBase + (sy + b) * cx + sx;
        for (let a = 0; a < k1; a++) {
          const t = bzy * wx[ox + a]!;
          const t2 = t * t;
          omega[base + a]! += t2;
          delta[base + a]! += v * t2 * t;
        }
      }
    }
  }
  const phi = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    const o = omega[i]!;
    if (o !== 0) {
      const q = delta[i]! / o;
      phi[i] = Number.isFinite(q) ? q : 0;
    }
  }
  return { size: [cx, cy, cz], data: phi };
}

/** Evaluates a lattice at grid points (out[p] = Σ φ·w). */
export function evaluateAtPoints(lattice: Lattice, points: PointSet, tables: [AxisTable, AxisTable, AxisTable], order: number, out: Float64Array): void {
  const [cx, cy] = lattice.size;
  const phi = lattice.data;
  const k1 = order + 1;
  const [tx, ty, tz] = tables;
  const wx = tx.weights;
  const wy = ty.weights;
  const wz = tz.weights;
  const cxy = cx * cy;
  const n = points.ix.length;
  for (let p = 0; p < n; p++) {
    const x = points.ix[p]!;
    const y = points.iy[p]!;
    const z = points.iz[p]!;
    const ox = x * k1;
    const oy = y * k1;
    const oz = z * k1;
    const sx = tx.start[x]!;
    const sy = ty.start[y]!;
    const sz = tz.start[z]!;
    let s = 0;
    for (let c = 0; c < k1; c++) {
      const zBase = (sz + c) * cxy;
      let sc = 0;
      for (let b = 0; b < k1; b++) {
        const base = zBase + (sy + b) * cx + sx;
        let sb = 0;
        for (let a = 0; a < k1; a++) sb += phi[base + a]! * wx[ox + a]!;
        sc += sb * wy[oy + b]!;
      }
      s += sc * wz[oz + c]!;
    }
    out[p] = s;
  }
}

/**
 * Evaluates a lattice on a whole grid of `size` voxels (BSplineControlPointImageFilter: the
 * lattice spans the grid from its first to its last voxel on each axis), separably: collapse z,
 * then y, then x.
 */
export function evaluateOnGrid(
  lattice: Lattice,
  size: [number, number, number],
  order: number,
  tables?: [AxisTable, AxisTable, AxisTable],
  out?: Float64Array,
): Float64Array {
  const [cx, cy, cz] = lattice.size;
  const [nx, ny, nz] = size;
  const k1 = order + 1;
  const [tx, ty, tz] = tables ?? [axisTable(nx, cx, order), axisTable(ny, cy, order), axisTable(nz, cz, order)];
  const phi = lattice.data;
  out ??= new Float64Array(nx * ny * nz);
  const plane = new Float64Array(cx * cy);
  const row = new Float64Array(cx);
  const cxy = cx * cy;
  for (let z = 0; z < nz; z++) {
    plane.fill(0);
    const sz = tz.start[z]!;
    for (let c = 0; c < k1; c++) {
      const w = tz.weights[z * k1 + c]!;
      if (w === 0) continue;
      const off = (sz + c) * cxy;
      for (let i = 0; i < cxy; i++) plane[i]! += w * phi[off + i]!;
    }
    for (let y = 0; y < ny; y++) {
      row.fill(0);
      const sy = ty.start[y]!;
      for (let b = 0; b < k1; b++) {
        const w = ty.weights[y * k1 + b]!;
        if (w === 0) continue;
        const off = (sy + b) * cx;
        for (let i = 0; i < cx; i++) row[i]! += w * plane[off + i]!;
      }
      const o = (z * ny + y) * nx;
      for (let x = 0; x < nx; x++) {
        const sx = tx.start[x]!;
        let s = 0;
        for (let a = 0; a < k1; a++) s += tx.weights[x * k1 + a]! * row[sx + a]!;
        out[o + x] = s;
      }
    }
  }
  return out;
}

/** Elementwise power of an axis table's weights. */
export function poweredWeights(t: AxisTable, power: number): Float64Array {
  const w = new Float64Array(t.weights.length);
  for (let i = 0; i < w.length; i++) w[i] = Math.pow(t.weights[i]!, power);
  return w;
}

/**
 * Separable transpose of grid evaluation with per-axis weights w (e.g. weights to a power):
 * out_abc = Σ_xyz wx[x,a]·wy[y,b]·wz[z,c]·g(x,y,z), where control point a of voxel x is
 * start[x] + a. Equals the scattered-data sums of fitLattice when g holds a point's value at its
 * voxel and 0 elsewhere.
 */
export function contractToLattice(
  g: Float64Array,
  size: [number, number, number],
  tables: [AxisTable, AxisTable, AxisTable],
  weights: [Float64Array, Float64Array, Float64Array],
  latticeSize: [number, number, number],
  order: number,
  out?: Float64Array,
): Float64Array {
  const [nx, ny, nz] = size;
  const [cx, cy, cz] = latticeSize;
  const k1 = order + 1;
  const [tx, ty, tz] = tables;
  const [wx, wy, wz] = weights;
  const t1 = new Float64Array(ny * cx);
  const t2 = new Float64Array(cy * cx);
  const cxy = cx * cy;
  if (!out || out.length < cxy * cz) out = new Float64Array(cxy * cz);
  out.fill(0, 0, cxy * cz);
  for (let z = 0; z < nz; z++) {
    t1.fill(0);
    let any = false;
    for (let y = 0; y < ny; y++) {
      const row = (z * ny + y) * nx;
      const o1 = y * cx;
      for (let x = 0; x < nx; x++) {
        const v = g[row + x]!;
        if (v === 0) continue;
        any = true;
        const s = o1 + tx.start[x]!;
        const wo = x * k1;
        for (let a = 0; a < k1; a++) t1[s + a]! += v * wx[wo + a]!;
      }
    }
    if (!any) continue;
    t2.fill(0);
    for (let y = 0; y < ny; y++) {
      const sy = ty.start[y]!;
      const o1 = y * cx;
      for (let b = 0; b < k1; b++) {
        const w = wy[y * k1 + b]!;
        if (w === 0) continue;
        const o2 = (sy + b) * cx;
        for (let a = 0; a < cx; a++) t2[o2 + a]! += w * t1[o1 + a]!;
      }
    }
    const sz = tz.start[z]!;
    for (let c = 0; c < k1; c++) {
      const w = wz[z * k1 + c]!;
      if (w === 0) continue;
      const o3 = (sz + c) * cxy;
      for (let i = 0; i < cxy; i++) out[o3 + i]! += w * t2[i]!;
    }
  }
  return out;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/**
 * Refines a lattice to twice the spans on every axis (c → 2c − order control points) so that it
 * represents the same function (ITK BSplineControlPointImageFilter::RefineControlPointLattice
 * with 2 levels): c'_m = 2^−k Σ_j c_j·C(k + 1, m − 2j + k), applied axis by axis.
 */
export function refineLattice(lattice: Lattice, order: number): Lattice {
  let size: [number, number, number] = [...lattice.size];
  let data = lattice.data;
  const scale = Math.pow(2, -order);
  for (let axis = 0; axis < 3; axis++) {
    const c = size[axis]!;
    const c2 = 2 * c - order;
    const newSize: [number, number, number] = [...size];
    newSize[axis] = c2;
    const out = new Float64Array(newSize[0] * newSize[1] * newSize[2]);
    const stride = axis === 0 ? 1 : axis === 1 ? size[0] : size[0] * size[1];
    const newStride = axis === 0 ? 1 : axis === 1 ? newSize[0] : newSize[0] * newSize[1];
    // Iterate over all lines along `axis`.
    const outer = axis === 2 ? 1 : axis === 1 ? size[2] : size[1] * size[2];
    const inner = axis === 0 ? 1 : axis === 1 ? size[0] : size[0] * size[1];
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const srcBase = axis === 0 ? o * c : axis === 1 ? o * size[0] * c + i : i;
        const dstBase = axis === 0 ? o * c2 : axis === 1 ? o * newSize[0] * c2 + i : i;
        for (let m = 0; m < c2; m++) {
          let s = 0;
          const jLo = Math.max(0, Math.ceil((m - 1) / 2));
          const jHi = Math.min(c - 1, Math.floor((m + order) / 2));
          for (let j = jLo; j <= jHi; j++) s += data[srcBase + j * stride]! * binomial(order + 1, m - 2 * j + order);
          out[dstBase + m * newStride] = s * scale;
        }
      }
    }
    size = newSize;
    data = out;
  }
  return { size, data };
}
