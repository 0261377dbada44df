/**
 * Local binary pattern image types. LBP2D is a port of PyRadiomics
 * `imageoperations.getLBP2DImage`, which runs scikit-image's `feature.local_binary_pattern`
 * (`_local_binary_pattern` in skimage/feature/_texture.pyx) slice by slice. LBP3D
 * (`getLBP3DImage`: spherical harmonics on an icosphere) is in lbp3d.ts.
 */
import { RadnomoError } from '../../errors';
import type { Image } from '../../image';
import { withData } from '../../image';

/** numpy `rint`: round half to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** numpy `round(x, decimals)`: rint(x · 10^d) / 10^d. */
function npRound(x: number, decimals: number): number {
  const k = 10 ** decimals;
  return rint(x * k) / k;
}

export type LbpMethod = 'default' | 'ror' | 'uniform' | 'nri_uniform' | 'var';
const METHODS: readonly LbpMethod[] = ['default', 'ror', 'uniform', 'nri_uniform', 'var'];

function rotateRight(value: number, length: number): number {
  return (value >>> 1) | ((value & 1) << (length - 1));
}

/**
 * scikit-image `local_binary_pattern(image, P, R, method)` on one 2D image of `rows × cols`
 * (row-major: index r·cols + c). Samples at (r − R·sin(2πp/P), c + R·cos(2πp/P)) rounded to 5
 * decimals, bilinear interpolation with 0 outside the image, threshold `sample − centre ≥ 0`.
 * R is a C float in scikit-image, so it is rounded to float32 first.
 */
export function localBinaryPattern2D(
  image: Float64Array,
  rows: number,
  cols: number,
  P: number,
  R: number,
  method: LbpMethod = 'default',
): Float64Array {
  const Rf = Math.fround(R);
  const rp = new Float64Array(P);
  const cp = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    const a = (2 * Math.PI * i) / P;
    rp[i] = npRound(-Rf * Math.sin(a), 5);
    cp[i] = npRound(Rf * Math.cos(a), 5);
  }
  const px = (r: number, c: number): number => (r < 0 || r >= rows || c < 0 || c >= cols ? 0 : image[r * cols + c]!);
  const texture = new Float64Array(P);
  const signed = new Int8Array(P);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let i = 0; i < P; i++) {
        const rr = r + rp[i]!;
        const cc = c + cp[i]!;
        const minr = Math.floor(rr);
        const minc = Math.floor(cc);
        const maxr = Math.ceil(rr);
        const maxc = Math.ceil(cc);
        const dr = rr - minr;
        const dc = cc - minc;
        const top = (1 - dc) * px(minr, minc) + dc * px(minr, maxc);
        const bottom = (1 - dc) * px(maxr, minc) + dc * px(maxr, maxc);
        texture[i] = (1 - dr) * top + dr * bottom;
      }
      const centre = image[r * cols + c]!;
      for (let i = 0; i < P; i++) signed[i] = texture[i]! - centre >= 0 ? 1 : 0;
      let lbp = 0;
      if (method === 'var') {
        let sum = 0;
        let sq = 0;
        for (let i = 0; i < P; i++) {
          sum += texture[i]!;
          sq += texture[i]! * texture[i]!;
        }
        const v = (sq - (sum * sum) / P) / P;
        lbp = v !== 0 ? v : NaN;
      } else if (method === 'uniform' || method === 'nri_uniform') {
        let changes = 0;
        for (let i = 0; i < P - 1; i++) changes += signed[i] !== signed[i + 1] ? 1 : 0;
        if (method === 'nri_uniform') {
          if (changes <= 2) {
            let nOnes = 0;
            let firstOne = -1;
            let firstZero = -1;
            for (let i = 0; i < P; i++) {
              if (signed[i]) {
                nOnes++;
                if (firstOne === -1) firstOne = i;
              } else if (firstZero === -1) firstZero = i;
            }
            if (nOnes === 0) lbp = 0;
            else if (nOnes === P) lbp = P * (P - 1) + 1;
            else {
              const rot = firstOne === 0 ? nOnes - firstZero : P - firstOne;
              lbp = 1 + (nOnes - 1) * P + rot;
            }
          } else lbp = P * (P - 1) + 2;
        } else if (changes <= 2) {
          for (let i = 0; i < P; i++) lbp += signed[i]!;
        } else lbp = P + 1;
      } else {
        for (let i = 0; i < P; i++) lbp += signed[i]! * 2 ** i;
        if (method === 'ror') {
          let cur = lbp;
          let best = lbp;
          for (let i = 1; i < P; i++) {
            cur = rotateRight(cur, P);
            best = Math.min(best, cur);
          }
          lbp = best;
        }
      }
      out[r * cols + c] = lbp;
    }
  }
  return out;
}

/** Settings of the LBP2D image type (PyRadiomics names and defaults: radius 1, 8 samples, 'uniform'). */
export interface Lbp2DSettings {
  lbp2DRadius?: number;
  lbp2DSamples?: number;
  lbp2DMethod?: string;
  force2Ddimension?: number;
}

/**
 * PyRadiomics `getLBP2DImage`: LBP of every slice across numpy axis `force2Ddimension` (0 = z:
 * axial slices with rows y and columns x; 1 = y: rows z, columns x; 2 = x: rows y, columns z).
 * Name 'lbp-2D'. (PyRadiomics writes the result into an array of the input's pixel type, so for an
 * integer image the non-integer 'var' values would be truncated there; radnomo keeps them.)
 */
export function lbp2DImage(image: Image, settings: Lbp2DSettings = {}): Image {
  const P = settings.lbp2DSamples ?? 8;
  const R = settings.lbp2DRadius ?? 1;
  const method = (settings.lbp2DMethod ?? 'uniform').toLowerCase() as LbpMethod;
  if (!METHODS.includes(method)) {
    throw new RadnomoError('E_PARAMS', `lbp2DMethod must be one of ${METHODS.join(', ')}, got "${settings.lbp2DMethod}".`);
  }
  if (!Number.isInteger(P) || P < 1 || P > 30) throw new RadnomoError('E_PARAMS', `lbp2DSamples must be a whole number from 1 to 30, got ${P}.`);
  const axis = settings.force2Ddimension ?? 0;
  const [nx, ny, nz] = image.size;
  const d = image.data;
  const out = new Float64Array(d.length);
  const at = (x: number, y: number, z: number): number => x + nx * (y + ny * z);
  // slice geometry: for each slice index s, (row, col) → voxel
  let nSlices: number, rows: number, cols: number, vox: (s: number, r: number, c: number) => number;
  if (axis === 0) {
    [nSlices, rows, cols] = [nz, ny, nx];
    vox = (s, r, c) => at(c, r, s);
  } else if (axis === 1) {
    [nSlices, rows, cols] = [ny, nz, nx];
    vox = (s, r, c) => at(c, s, r);
  } else if (axis === 2) {
    [nSlices, rows, cols] = [nx, ny, nz];
    vox = (s, r, c) => at(s, r, c);
  } else {
    throw new RadnomoError('E_PARAMS', `force2Ddimension must be 0, 1 or 2, got ${axis}.`);
  }
  const slice = new Float64Array(rows * cols);
  for (let s = 0; s < nSlices; s++) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) slice[r * cols + c] = d[vox(s, r, c)]!;
    const lbp = localBinaryPattern2D(slice, rows, cols, P, R, method);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[vox(s, r, c)] = lbp[r * cols + c]!;
  }
  return withData(image, out);
}
