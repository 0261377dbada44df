/**
 * Cubic B-spline interpolation of a 3D volume as scipy's `ndimage.map_coordinates(input,
 * coordinates, order=3)` does it with its defaults (mode 'constant', cval 0, prefilter on), which
 * is how PyRadiomics' `getLBP3DImage` samples its spheres. scipy (1.6 and later):
 *  - prefilter: `spline_filter(input, 3, mode='constant')` over numpy axes 0, 1, 2 in turn (here
 *    z, y, x); for 'constant' the recursive filter starts from mirror-symmetric boundary conditions
 *    (`ni_splines.c`: gain, causal mirror init, forward pass, anticausal mirror init, backward pass);
 *  - sampling: a coordinate outside [0, len − 1] on any axis gives cval (0), no interpolation
 *    beyond the edges; inside, the 4 × 4 × 4 coefficients around it, mirror-extended at the edges
 *    (`ni_interpolation.c` NI_GeometricTransform), weighted by `get_spline_interpolation_weights`;
 *  - the result is cast to the input's dtype (integers: round half away from zero and clamp).
 * The arithmetic is done in scipy's order so results agree to the last bit or nearly so.
 */

/** The pole of the cubic B-spline prefilter, √3 − 2 (scipy `get_filter_poles`, order 3). */
const POLE = -0.267949192431122706472553658494127633;

/** numpy dtypes whose casting `map_coordinates` applies to its output. */
export type SampleType = 'float64' | 'float32' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32';

const INT_LIMITS: Partial<Record<SampleType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/** True when every value of `data` is a value of numpy dtype `type`. */
export function allRepresentable(data: ArrayLike<number>, type: SampleType): boolean {
  const n = data.length;
  if (type === 'float64') return true;
  if (type === 'float32') {
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      if (Math.fround(v) !== v && !Number.isNaN(v)) return false;
    }
    return true;
  }
  const [lo, hi] = INT_LIMITS[type]!;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (!(v >= lo && v <= hi && Math.floor(v) === v)) return false;
  }
  return true;
}

/**
 * The cast scipy's NI_GeometricTransform applies when it stores an interpolated value `t` into an
 * output array of dtype `type` (CASE_INTERP_OUT / _UINT / _INT), as a function: float32 rounds;
 * signed integers add ±0.5, clamp to the type's range and truncate; unsigned integers do the same
 * from max(t, 0).
 */
export function sampleCaster(type: SampleType): (t: number) => number {
  if (type === 'float64') return (t) => t;
  if (type === 'float32') return Math.fround;
  const [lo, hi] = INT_LIMITS[type]!;
  if (lo === 0) {
    return (t) => {
      let u = t > 0 ? t + 0.5 : 0;
      if (u > hi) u = hi;
      return Math.trunc(u) + 0;
    };
  }
  return (t) => {
    let u = t > 0 ? t + 0.5 : t - 0.5;
    if (u > hi) u = hi;
    if (u < lo) u = lo;
    return Math.trunc(u) + 0;
  };
}

/** `sampleCaster(type)(t)`. */
export function castSample(t: number, type: SampleType): number {
  return sampleCaster(type)(t);
}

/** The gain and pole of the cubic B-spline prefilter and its mirror-boundary constants for length n. */
function filterConstants(n: number): { z: number; gain: number; zn1: number; anti: number } {
  const z = POLE;
  const zn1 = Math.pow(z, n - 1);
  return { z, gain: (1 - z) * (1 - 1 / z), zn1, anti: z * z - 1 };
}

/**
 * scipy `apply_filter` for the cubic spline with mirror boundary conditions (`ni_splines.c`: gain,
 * `_init_causal_mirror`, forward recursion, `_init_anticausal_mirror`, backward recursion), in place,
 * on `count` lines of length `n` at once: element i of line j is c[base + i·stride + j]. Each
 * line gets exactly scipy's sequence of operations; doing many at once only keeps memory access
 * sequential.
 */
function filterLines(c: Float64Array, base: number, stride: number, n: number, count: number, acc: Float64Array): void {
  const { z, gain, zn1, anti } = filterConstants(n);
  const last = base + (n - 1) * stride;
  for (let i = 0; i < n; i++) {
    const o = base + i * stride;
    for (let j = 0; j < count; j++) c[o + j] = c[o + j]! * gain;
  }
  // causal initialisation: c0 = c[0] + z^(n−1) c[n−1] + Σ_{i=1}^{n−2} z^i (c[i] + z^(n−1) c[n−1−i])
  for (let j = 0; j < count; j++) acc[j] = c[base + j]! + zn1 * c[last + j]!;
  let zi = z;
  for (let i = 1; i < n - 1; i++) {
    const o = base + i * stride;
    const r = base + (n - 1 - i) * stride;
    for (let j = 0; j < count; j++) acc[j] = acc[j]! + zi * (c[o + j]! + zn1 * c[r + j]!);
    zi *= z;
  }
  const den = 1 - zn1 * zn1;
  for (let j = 0; j < count; j++) c[base + j] = acc[j]! / den;
  for (let i = 1; i < n; i++) {
    const o = base + i * stride;
    const p = o - stride;
    for (let j = 0; j < count; j++) c[o + j] = c[o + j]! + z * c[p + j]!;
  }
  const prev = last - stride;
  for (let j = 0; j < count; j++) c[last + j] = ((z * c[prev + j]! + c[last + j]!) * z) / anti;
  for (let i = n - 2; i >= 0; i--) {
    const o = base + i * stride;
    const q = o + stride;
    for (let j = 0; j < count; j++) c[o + j] = z * (c[q + j]! - c[o + j]!);
  }
}

/**
 * scipy `apply_filter` (cubic spline, mirror boundaries) in place on one line c[0 .. n) of
 * length n > 1.
 */
export function splineFilterLine(c: Float64Array, n: number): void {
  filterLines(c, 0, 1, n, 1, new Float64Array(1));
}

/**
 * scipy `ndimage.spline_filter(input, order=3, mode='constant')` (which filters with mirror
 * boundaries) of a volume of `size` [x, y, z], x fastest: B-spline coefficients, filtering numpy
 * axis 0 (z), then 1 (y), then 2 (x). Axes of length 1 are left as they are.
 */
export function splineFilter3D(data: ArrayLike<number>, size: readonly [number, number, number]): Float64Array {
  const [nx, ny, nz] = size;
  const c = Float64Array.from(data);
  const acc = new Float64Array(nx * ny);
  const plane = nx * ny;
  if (nz > 1) filterLines(c, 0, plane, nz, plane, acc); // all z-lines at once
  if (ny > 1) for (let z = 0; z < nz; z++) filterLines(c, z * plane, nx, ny, nx, acc); // y-lines of each slice
  if (nx > 1) for (let r = 0; r < ny * nz; r++) filterLines(c, r * nx, 1, nx, 1, acc); // each x-row
  return c;
}

/** scipy `get_spline_interpolation_weights(x, 3)`: the 4 weights of the cubic spline at x. */
function cubicWeights(x: number, w: Float64Array): void {
  const f = x - Math.floor(x);
  const y = f;
  const z = 1 - f;
  w[1] = (y * y * (y - 2) * 3 + 4) / 6;
  w[2] = (z * z * (z - 2) * 3 + 4) / 6;
  w[0] = (z * z * z) / 6;
  let last = 1;
  last -= w[0]!;
  last -= w[1]!;
  last -= w[2]!;
  w[3] = last;
}

/** Coefficient index `idx` mirrored into [0, len − 1] (scipy `map_coordinate`, NI_EXTEND_MIRROR). */
function mirrorIndex(idx: number, len: number): number {
  if (len <= 1) return 0;
  const s2 = 2 * len - 2;
  if (idx < 0) {
    idx = s2 * Math.trunc(-idx / s2) + idx;
    return idx <= 1 - len ? idx + s2 : -idx;
  }
  if (idx >= len) {
    idx -= s2 * Math.trunc(idx / s2);
    if (idx >= len) idx = s2 - idx;
  }
  return idx;
}

/**
 * Samples B-spline coefficients (from `splineFilter3D`) at continuous voxel indices: the inner
 * loop of scipy `map_coordinates(..., order=3, mode='constant', cval=0)`. One sampler per volume;
 * `sample(z, y, x)` takes numpy-order coordinates.
 */
export class CubicSplineSampler {
  private readonly wz = new Float64Array(4);
  private readonly wy = new Float64Array(4);
  private readonly wx = new Float64Array(4);
  private readonly oz = new Int32Array(4);
  private readonly oy = new Int32Array(4);
  private readonly ox = new Int32Array(4);

  constructor(
    private readonly coef: Float64Array,
    private readonly size: readonly [number, number, number],
  ) {}

  /** Interpolated value at numpy coordinates (z, y, x), before any dtype cast; 0 outside. */
  sample(cz: number, cy: number, cx: number): number {
    const [nx, ny, nz] = this.size;
    if (!(cz >= 0 && cz <= nz - 1 && cy >= 0 && cy <= ny - 1 && cx >= 0 && cx <= nx - 1)) return 0;
    this.axis(cz, nz, nx * ny, this.wz, this.oz);
    this.axis(cy, ny, nx, this.wy, this.oy);
    this.axis(cx, nx, 1, this.wx, this.ox);
    const { coef, wz, wy, wx, oz, oy, ox } = this;
    let t = 0;
    for (let a = 0; a < 4; a++) {
      const wa = wz[a]!;
      const ia = oz[a]!;
      for (let b = 0; b < 4; b++) {
        const wb = wy[b]!;
        const ib = ia + oy[b]!;
        for (let d = 0; d < 4; d++) {
          let v = coef[ib + ox[d]!]!;
          v *= wa;
          v *= wb;
          v *= wx[d]!;
          t += v;
        }
      }
    }
    return t;
  }

  private axis(cc: number, len: number, stride: number, w: Float64Array, off: Int32Array): void {
    const start = Math.floor(cc) - 1;
    for (let l = 0; l < 4; l++) {
      const idx = start + l;
      off[l] = (idx < 0 || idx >= len ? mirrorIndex(idx, len) : idx) * stride;
    }
    cubicWeights(cc, w);
  }
}
