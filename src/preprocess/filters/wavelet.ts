/**
 * Wavelet image type: a port of PyRadiomics `imageoperations.getWaveletImage` / `_swt3`, built on
 * a port of PyWavelets' stationary wavelet transform (`pywt.swtn`, periodization, "à trous").
 *
 * Axes: PyRadiomics passes `axes = (2, 1, 0)` of the numpy (z, y, x) array, i.e. x, y, z; the
 * letters of a decomposition name follow that order (`wavelet-LHL` = low-pass along x, high-pass
 * along y, low-pass along z). With `force2D` the `force2Ddimension` numpy axis is left out
 * (0 → z: 2-letter names over x, y). Here axes are radnomo's: 0 = x, 1 = y, 2 = z.
 */
import { RadnomoError } from '../../errors';
import type { Image, Vec3 } from '../../image';
import { withData } from '../../image';
import { WAVELET_BANKS } from './wavelet-banks';
import { checkRegion, regionImage, regionSize, type FilterRegion } from './region';

/** A wavelet's decomposition filters, as PyWavelets' `dec_lo` / `dec_hi`. */
export interface WaveletBank {
  decLo: readonly number[];
  decHi: readonly number[];
}

/** The decomposition filter bank of a PyWavelets wavelet name (haar, dbN, symN, coifN, biorX.Y, rbioX.Y, dmey). */
export function waveletBank(name: string): WaveletBank {
  const b = WAVELET_BANKS[name];
  if (!b) {
    throw new RadnomoError(
      'E_PARAMS',
      `Unknown wavelet "${name}": use one of haar, dmey, db1–db20, sym2–sym20, coif1–coif5, bior/rbio 1.1, 1.3, 1.5, 2.2, 2.4, 2.6, 2.8, 3.1, 3.3, 3.5, 3.7, 3.9, 4.4, 5.5, 6.8.`,
    );
  }
  return b;
}

/** Largest level pywt allows for a length: how many times it divides by 2 (`pywt.swt_max_level`). */
function swtMaxLevel(n: number): number {
  let l = 0;
  while (n > 0 && n % 2 === 0) {
    n /= 2;
    l++;
  }
  return l;
}

/**
 * One SWT step along `axis` (pywt `_swt_axis` with level 1 at `start_level = level - 1`): periodic
 * convolution with the filter dilated by 2^(level-1) (zeros inserted), output aligned as PyWavelets'
 * `downsampling_convolution_periodization` with step 1:
 * out[o] = Σ_j e[j] · x[(o + len(e)/2 − j) mod N], summed in increasing j.
 */
export function swtAxis(
  data: Float64Array,
  size: Vec3,
  axis: 0 | 1 | 2,
  filter: readonly number[],
  level: number,
): Float64Array {
  const ln = size[axis];
  const dil = 2 ** (level - 1);
  const fLen = filter.length * dil;
  const half = Math.floor(fLen / 2);
  const strides = [1, size[0], size[0] * size[1]];
  const stride = strides[axis]!;
  const [o1, o2] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
  const n1 = size[o1 as 0 | 1 | 2];
  const n2 = size[o2 as 0 | 1 | 2];
  const s1 = strides[o1]!;
  const s2 = strides[o2]!;
  const out = new Float64Array(data.length);
  const line = new Float64Array(ln);
  // Precompute, for each output position, the input indices of the non-zero taps.
  const nt = filter.length;
  const idx = new Int32Array(ln * nt);
  for (let o = 0; o < ln; o++) {
    for (let t = 0; t < nt; t++) {
      const j = t * dil;
      idx[o * nt + t] = ((((o + half - j) % ln) + ln) % ln) * 1;
    }
  }
  const f = Float64Array.from(filter);
  if (axis !== 0) {
    // Lines along y or z: run all x positions of a row in lockstep (contiguous memory); each
    // voxel's sum is still accumulated over the taps in increasing order.
    const nx = size[0];
    const other = axis === 1 ? 2 : 1;
    const so = strides[other]!;
    const acc = new Float64Array(nx);
    for (let b = 0; b < size[other]!; b++) {
      for (let o = 0; o < ln; o++) {
        acc.fill(0);
        const k = o * nt;
        for (let t = 0; t < nt; t++) {
          const ft = f[t]!;
          const src = b * so + idx[k + t]! * stride;
          for (let x = 0; x < nx; x++) acc[x] = acc[x]! + ft * data[src + x]!;
        }
        out.set(acc, b * so + o * stride);
      }
    }
    return out;
  }
  for (let b = 0; b < n2; b++) {
    for (let a = 0; a < n1; a++) {
      const base = a * s1 + b * s2;
      for (let i = 0, p = base; i < ln; i++, p += stride) line[i] = data[p]!;
      for (let o = 0, p = base; o < ln; o++, p += stride) {
        let sum = 0;
        const k = o * nt;
        for (let t = 0; t < nt; t++) sum += f[t]! * line[idx[k + t]!]!;
        out[p] = sum;
      }
    }
  }
  return out;
}

/** pywt's length check of `swtn`: every transformed axis a multiple of 2^(start_level + level). */
function checkSwtLengths(size: Vec3, startLevel: number, level: number, axes: readonly (0 | 1 | 2)[]): void {
  for (const ax of axes) {
    const maxLevel = swtMaxLevel(size[ax]);
    if (size[ax] % 2 !== 0 || startLevel >= maxLevel || startLevel + level > maxLevel) {
      throw new RadnomoError(
        'E_VALUE',
        `Stationary wavelet transform: length ${size[ax]} along axis ${'xyz'[ax]} is not a multiple of 2^${startLevel + level}.`,
      );
    }
  }
}

/** One level of an n-dimensional SWT: subbands keyed by pywt's letters ('a' approximation, 'd' detail), in pywt's order. */
export type SwtLevel = Map<string, Float64Array>;

/**
 * `pywt.swtn(data, wavelet, level, start_level, axes)` on a volume (x fastest), returned from the
 * first level computed to the last (pywt returns the reverse). Key letters follow `axes` in order.
 * Every transformed axis length must be a multiple of 2^(start_level + level), as pywt requires.
 */
export function swtn(
  data: Float64Array,
  size: Vec3,
  wavelet: string | WaveletBank,
  level: number,
  startLevel: number,
  axes: readonly (0 | 1 | 2)[],
): SwtLevel[] {
  const bank = typeof wavelet === 'string' ? waveletBank(wavelet) : wavelet;
  checkSwtLengths(size, startLevel, level, axes);
  const ret: SwtLevel[] = [];
  let cur = data;
  for (let i = startLevel; i < startLevel + level; i++) {
    let coeffs: [string, Float64Array][] = [['', cur]];
    for (const ax of axes) {
      const next: [string, Float64Array][] = [];
      for (const [key, x] of coeffs) {
        next.push([`${key}a`, swtAxis(x, size, ax, bank.decLo, i + 1)]);
        next.push([`${key}d`, swtAxis(x, size, ax, bank.decHi, i + 1)]);
      }
      coeffs = next;
    }
    const m = new Map(coeffs);
    ret.push(m);
    cur = m.get('a'.repeat(axes.length))!;
  }
  return ret;
}

/** Pads each odd-length axis with one voxel by wrapping (numpy `np.pad(..., (0, 1), 'wrap')`). */
function padOdd(data: Float64Array, size: Vec3): { data: Float64Array; size: Vec3 } {
  const ps: Vec3 = [size[0] + (size[0] % 2), size[1] + (size[1] % 2), size[2] + (size[2] % 2)];
  if (ps[0] === size[0] && ps[1] === size[1] && ps[2] === size[2]) return { data, size };
  const out = new Float64Array(ps[0] * ps[1] * ps[2]);
  for (let z = 0; z < ps[2]; z++) {
    const zs = z % size[2];
    for (let y = 0; y < ps[1]; y++) {
      const ys = y % size[1];
      for (let x = 0; x < ps[0]; x++) {
        out[x + ps[0] * (y + ps[1] * z)] = data[(x % size[0]) + size[0] * (ys + size[1] * zs)]!;
      }
    }
  }
  return { data: out, size: ps };
}

/** Crops a padded volume back to `size` (the first voxels of each axis). */
function crop(data: Float64Array, padded: Vec3, size: Vec3): Float64Array {
  if (padded[0] === size[0] && padded[1] === size[1] && padded[2] === size[2]) return data;
  const out = new Float64Array(size[0] * size[1] * size[2]);
  for (let z = 0; z < size[2]; z++) {
    for (let y = 0; y < size[1]; y++) {
      const src = padded[0] * (y + padded[1] * z);
      const dst = size[0] * (y + size[1] * z);
      for (let x = 0; x < size[0]; x++) out[dst + x] = data[src + x]!;
    }
  }
  return out;
}

/**
 * `swtAxis` on a block given by per-axis lists of (padded) indices `lists` (x fastest over the
 * lists), computing only the outputs at the indices `outList` along `axis`. Every input index an
 * output reads ((o + len(e)/2 − j) mod N) must be in `lists[axis]`. Each output is the same sum,
 * taps in increasing order, as in `swtAxis`, so values are bit-identical.
 */
function swtAxisBlock(
  data: Float64Array,
  lists: readonly Int32Array[],
  axis: 0 | 1 | 2,
  n: number,
  outList: Int32Array,
  filter: readonly number[],
  level: number,
): Float64Array {
  const dil = 2 ** (level - 1);
  const half = Math.floor((filter.length * dil) / 2);
  const inList = lists[axis]!;
  const pos = new Int32Array(n).fill(-1);
  for (let k = 0; k < inList.length; k++) pos[inList[k]!] = k;
  const nt = filter.length;
  const lnOut = outList.length;
  const idx = new Int32Array(lnOut * nt);
  for (let o = 0; o < lnOut; o++) {
    for (let t = 0; t < nt; t++) {
      const p = pos[(((outList[o]! + half - t * dil) % n) + n) % n]!;
      if (p < 0) throw new Error('swtAxisBlock: an input index is missing from the block');
      idx[o * nt + t] = p;
    }
  }
  const f = Float64Array.from(filter);
  const di: Vec3 = [lists[0]!.length, lists[1]!.length, lists[2]!.length];
  const dOut: Vec3 = [...di] as Vec3;
  dOut[axis] = lnOut;
  const out = new Float64Array(dOut[0] * dOut[1] * dOut[2]);
  if (axis === 0) {
    const rows = di[1] * di[2];
    for (let r = 0; r < rows; r++) {
      const sb = r * di[0];
      const db = r * lnOut;
      for (let o = 0; o < lnOut; o++) {
        let sum = 0;
        const k = o * nt;
        for (let t = 0; t < nt; t++) sum += f[t]! * data[sb + idx[k + t]!]!;
        out[db + o] = sum;
      }
    }
    return out;
  }
  const nx = di[0];
  const sStride = axis === 1 ? nx : nx * di[1];
  const dStride = axis === 1 ? nx : nx * dOut[1];
  const other = axis === 1 ? 2 : 1;
  const soStride = other === 1 ? nx : nx * di[1];
  const doStride = other === 1 ? nx : nx * dOut[1];
  const acc = new Float64Array(nx);
  for (let b = 0; b < di[other]!; b++) {
    for (let o = 0; o < lnOut; o++) {
      acc.fill(0);
      const k = o * nt;
      for (let t = 0; t < nt; t++) {
        const ft = f[t]!;
        const src = b * soStride + idx[k + t]! * sStride;
        for (let x = 0; x < nx; x++) acc[x] = acc[x]! + ft * data[src + x]!;
      }
      out.set(acc, b * doStride + o * dStride);
    }
  }
  return out;
}

/** The sorted indices (mod n) that outputs at `list` read along one axis: (o + len(e)/2 − j) mod n. */
function tapIndices(list: Int32Array, n: number, filterLength: number, level: number): Int32Array {
  const dil = 2 ** (level - 1);
  const half = Math.floor((filterLength * dil) / 2);
  const hit = new Uint8Array(n);
  for (let k = 0; k < list.length; k++) {
    for (let t = 0; t < filterLength; t++) hit[(((list[k]! + half - t * dil) % n) + n) % n] = 1;
  }
  return indexList(hit);
}

function indexList(hit: Uint8Array): Int32Array {
  let c = 0;
  for (let i = 0; i < hit.length; i++) c += hit[i]!;
  const out = new Int32Array(c);
  for (let i = 0, k = 0; i < hit.length; i++) if (hit[i]) out[k++] = i;
  return out;
}

function union(a: Int32Array, b: Int32Array, n: number): Int32Array {
  const hit = new Uint8Array(n);
  for (const v of a) hit[v] = 1;
  for (const v of b) hit[v] = 1;
  return indexList(hit);
}

function range(lo: number, hi: number): Int32Array {
  return Int32Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** The part of a block (per-axis index lists) at the region's indices, x fastest. */
function extractRegion(data: Float64Array, lists: readonly Int32Array[], region: FilterRegion): Float64Array {
  const at = (list: Int32Array, v: number): number => {
    const p = list.indexOf(v);
    if (p < 0) throw new Error('extractRegion: the block does not cover the region');
    return p;
  };
  const rs = regionSize(region);
  const nx = lists[0]!.length;
  const ny = lists[1]!.length;
  const x0 = at(lists[0]!, region.lower[0]);
  const out = new Float64Array(rs[0] * rs[1] * rs[2]);
  let k = 0;
  for (let z = region.lower[2]; z <= region.upper[2]; z++) {
    const zi = at(lists[2]!, z);
    for (let y = region.lower[1]; y <= region.upper[1]; y++) {
      const row = nx * (at(lists[1]!, y) + ny * zi);
      for (let x = 0; x < rs[0]; x++) out[k++] = data[row + x0 + x]!;
    }
  }
  return out;
}

/**
 * The block of the padded image at per-axis index lists (x fastest): padded index p is image
 * index p mod size (np.pad 'wrap'). Kept out of `waveletRegion` so that its one hot loop does not
 * make V8 optimise (and re-optimise, case after case) that large, once-per-image function.
 */
function wrappedBlock(image: Image, lists: readonly Int32Array[]): Float64Array {
  const [sx, sy, sz] = image.size;
  const lx = lists[0]!;
  const ly = lists[1]!;
  const lz = lists[2]!;
  const src = image.data;
  const out = new Float64Array(lx.length * ly.length * lz.length);
  let k = 0;
  for (let c = 0; c < lz.length; c++) {
    const zs = lz[c]! % sz;
    for (let b = 0; b < ly.length; b++) {
      const row = sx * ((ly[b]! % sy) + sy * zs);
      for (let a = 0; a < lx.length; a++) out[k++] = src[row + (lx[a]! % sx)]!;
    }
  }
  return out;
}

/**
 * `waveletImages` computed only inside `region`: works on blocks given by per-axis lists of
 * padded indices. Going back from the last level, each level's outputs are needed on the region
 * (its detail subbands) and on the inputs the next level reads (its approximation); a level's
 * input block is the set of indices its taps read, wrapping periodically, as pywt does on the
 * padded image. The padded image's voxels are taken from the image by wrapping (np.pad 'wrap').
 */
function waveletRegion(
  image: Image,
  bank: WaveletBank,
  axes: readonly (0 | 1 | 2)[],
  paddedSize: Vec3,
  level: number,
  startLevel: number,
  region: FilterRegion,
  approxKey: string,
): { prefix: string; image: Image }[] {
  const total = startLevel + level;
  const box = [0, 1, 2].map((a) => range(region.lower[a]!, region.upper[a]!));
  // need[k]: per-axis output indices of level k; inNeed[k]: its input indices.
  const need: Int32Array[][] = new Array<Int32Array[]>(total);
  const inNeed: Int32Array[][] = new Array<Int32Array[]>(total);
  const fl = bank.decLo.length;
  for (let k = total - 1; k >= 0; k--) {
    need[k] = [0, 1, 2].map((a) => {
      if (k === total - 1) return box[a]!;
      const next = inNeed[k + 1]![a]!;
      return k >= startLevel ? union(next, box[a]!, paddedSize[a]!) : next;
    });
    inNeed[k] = [0, 1, 2].map((a) => (axes.includes(a as 0 | 1 | 2) ? tapIndices(need[k]![a]!, paddedSize[a]!, fl, 1) : need[k]![a]!));
  }
  let data = wrappedBlock(image, inNeed[0]!);
  const out: { prefix: string; image: Image }[] = [];
  for (let k = 0; k < total; k++) {
    let lists = inNeed[k]!.slice();
    let coeffs: [string, Float64Array][] = [['', data]];
    for (const ax of axes) {
      const next: [string, Float64Array][] = [];
      for (const [key, x] of coeffs) {
        next.push([`${key}a`, swtAxisBlock(x, lists, ax, paddedSize[ax], need[k]![ax]!, bank.decLo, 1)]);
        next.push([`${key}d`, swtAxisBlock(x, lists, ax, paddedSize[ax], need[k]![ax]!, bank.decHi, 1)]);
      }
      coeffs = next;
      lists = lists.slice();
      lists[ax] = need[k]![ax]!;
    }
    data = coeffs.find(([key]) => key === approxKey)![1];
    if (k < startLevel) continue;
    const i = k - startLevel;
    for (const [key, sub] of coeffs) {
      if (key === approxKey) continue;
      const name = key.replace(/a/g, 'L').replace(/d/g, 'H');
      out.push({
        prefix: i === 0 ? `wavelet-${name}` : `wavelet${i + 1}-${name}`,
        image: regionImage(image, region, extractRegion(sub, lists, region)),
      });
    }
  }
  const lName = 'L'.repeat(axes.length);
  out.push({
    prefix: level === 1 ? `wavelet-${lName}` : `wavelet${level}-${lName}`,
    image: regionImage(image, region, extractRegion(data, need[total - 1]!, region)),
  });
  return out;
}

/** Settings of the Wavelet image type (PyRadiomics names). */
export interface WaveletSettings {
  wavelet?: string;
  level?: number;
  start_level?: number;
  force2D?: boolean;
  force2Ddimension?: number;
}

/**
 * PyRadiomics `getWaveletImage`: pads odd axes by wrapping, applies `start_level` single-level SWTs
 * keeping the approximation, then `level` single-level SWTs (each `pywt.swtn(..., level=1,
 * start_level=0)`, i.e. the undilated filters every time, as PyRadiomics calls it), yields every
 * detail subband of each level (`wavelet-LLH`, ...; `wavelet<N>-...` from the second level on) and
 * last the approximation (`wavelet-LLL`, or `wavelet<N>-LLL`), each cropped back to the image size.
 * With `region` (an inclusive voxel-index box) every image is only that box, a region-sized image
 * whose origin is the box's lower corner, bit-identical to the whole image's values there; only
 * the voxels the box depends on (its neighbourhood, wrapping periodically) are computed.
 */
export function waveletImages(
  image: Image,
  settings: WaveletSettings = {},
  region?: FilterRegion,
): { prefix: string; image: Image }[] {
  const wavelet = settings.wavelet ?? 'coif1';
  const level = settings.level ?? 1;
  const startLevel = settings.start_level ?? 0;
  if (!Number.isInteger(level) || level < 1) throw new RadnomoError('E_PARAMS', `Wavelet level must be a whole number ≥ 1, got ${level}.`);
  if (!Number.isInteger(startLevel) || startLevel < 0) {
    throw new RadnomoError('E_PARAMS', `Wavelet start_level must be a whole number ≥ 0, got ${startLevel}.`);
  }
  const bank = waveletBank(wavelet);
  let axes: (0 | 1 | 2)[] = [0, 1, 2];
  if (settings.force2D) {
    const npAxis = settings.force2Ddimension ?? 0;
    if (![0, 1, 2].includes(npAxis)) throw new RadnomoError('E_PARAMS', `force2Ddimension must be 0, 1 or 2, got ${npAxis}.`);
    axes = axes.filter((a) => a !== 2 - npAxis);
  }
  const approxKey = 'a'.repeat(axes.length);
  if (region) {
    checkRegion(region, image.size);
    const ps: Vec3 = [image.size[0] + (image.size[0] % 2), image.size[1] + (image.size[1] % 2), image.size[2] + (image.size[2] % 2)];
    checkSwtLengths(ps, 0, 1, axes);
    return waveletRegion(image, bank, axes, ps, level, startLevel, region, approxKey);
  }
  const padded = padOdd(image.data, image.size);
  let data = padded.data;
  for (let i = 0; i < startLevel; i++) data = swtn(data, padded.size, bank, 1, 0, axes)[0]!.get(approxKey)!;
  const out: { prefix: string; image: Image }[] = [];
  for (let i = 0; i < level; i++) {
    const dec = swtn(data, padded.size, bank, 1, 0, axes)[0]!;
    data = dec.get(approxKey)!;
    for (const [key, sub] of dec) {
      if (key === approxKey) continue;
      const name = key.replace(/a/g, 'L').replace(/d/g, 'H');
      out.push({
        prefix: i === 0 ? `wavelet-${name}` : `wavelet${i + 1}-${name}`,
        image: withData(image, crop(sub, padded.size, image.size)),
      });
    }
  }
  const lName = 'L'.repeat(axes.length);
  out.push({
    prefix: level === 1 ? `wavelet-${lName}` : `wavelet${level}-${lName}`,
    image: withData(image, crop(data, padded.size, image.size)),
  });
  return out;
}
