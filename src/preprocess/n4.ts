/**
 * N4 bias-field correction (Tustison et al., "N4ITK: improved N3 bias correction", IEEE TMI
 * 29(6), 2010), following ITK's N4BiasFieldCorrectionImageFilter and the pipeline of 3D Slicer's
 * N4ITKBiasFieldCorrection module: Otsu foreground mask (200 bins) when none is given,
 * ShrinkImageFilter subsampling, then per fitting level repeated {histogram sharpening of the
 * log image by Wiener deconvolution of a Gaussian; B-spline approximation of the residual added
 * to the log-field lattice; convergence by the coefficient of variation of exp(field change)},
 * the lattice doubling its spans between levels; finally the log field evaluated from the lattice
 * on the full-resolution grid and the image divided by exp(log field).
 */
import { RadnomoError } from '../errors';
import { withData, type Image, type Vec3 } from '../image';
import { otsuMask } from './otsu';
import { shrinkData } from './shrink';
import { axisTable, contractToLattice, evaluateOnGrid, poweredWeights, refineLattice, type AxisTable, type Lattice, type PointSet } from './bspline-fit';

/** N4 settings; defaults are 3D Slicer's N4ITKBiasFieldCorrection defaults. */
export interface N4Options {
  /** Voxels used to estimate the field (nonzero = used); default: Otsu foreground (200 bins). */
  mask?: Uint8Array;
  /** Shrink factor (ShrinkImageFilter subsampling) before estimation. Default 4. */
  shrinkFactor: number;
  /** Maximum iterations per fitting level; its length is the number of levels. Default [50, 40, 30]. */
  iterations: number[];
  /** Stop a level when the coefficient of variation of exp(field change) is at or below this. Default 0.0001. */
  convergenceThreshold: number;
  /** Control points per axis of the initial lattice (mesh resolution + spline order). Default 4 (Slicer: mesh 1,1,1 + order 3). */
  controlPoints: number | Vec3;
  /** B-spline order. Default 3. */
  splineOrder: number;
  /** Full width at half maximum of the Gaussian bias-field histogram kernel (log intensity). Default 0.15. */
  biasFieldFwhm: number;
  /** Wiener filter noise. Default 0.01. */
  wienerNoise: number;
  /** Histogram bins for sharpening. Default 200. */
  histogramBins: number;
}

export const N4_DEFAULTS: Readonly<Omit<N4Options, 'mask'>> = Object.freeze({
  shrinkFactor: 4,
  iterations: [50, 40, 30],
  convergenceThreshold: 0.0001,
  controlPoints: 4,
  splineOrder: 3,
  biasFieldFwhm: 0.15,
  wienerNoise: 0.01,
  histogramBins: 200,
});

export interface N4Result {
  /** image / exp(logField), on the input grid. */
  corrected: Image;
  /** The log bias field at full resolution, on the input grid. */
  logField: Image;
  /** The mask used (the given one, or the Otsu foreground). */
  mask: Uint8Array;
  /** Per level: iterations run and the last convergence value. */
  levels: Array<{ iterations: number; convergence: number; controlPoints: Vec3 }>;
}

function checkOptions(o: Omit<N4Options, 'mask'>): Vec3 {
  const bad = (what: string): never => {
    throw new RadnomoError('E_PARAMS', `N4: ${what}.`);
  };
  if (!Number.isInteger(o.shrinkFactor) || o.shrinkFactor < 1) bad(`shrink factor must be a whole number >= 1, got ${o.shrinkFactor}`);
  if (!Array.isArray(o.iterations) || o.iterations.length === 0) bad('iterations must list at least one level');
  for (const it of o.iterations) if (!Number.isInteger(it) || it < 1) bad(`iterations per level must be whole numbers >= 1, got ${o.iterations.join(',')}`);
  if (!(o.convergenceThreshold >= 0) || !Number.isFinite(o.convergenceThreshold)) bad(`convergence threshold must be a number >= 0, got ${o.convergenceThreshold}`);
  if (!Number.isInteger(o.splineOrder) || o.splineOrder < 1 || o.splineOrder > 5) bad(`spline order must be a whole number from 1 to 5, got ${o.splineOrder}`);
  const cp: Vec3 = typeof o.controlPoints === 'number' ? [o.controlPoints, o.controlPoints, o.controlPoints] : [...o.controlPoints];
  for (const c of cp) {
    if (!Number.isInteger(c) || c <= o.splineOrder) bad(`control points per axis must be whole numbers above the spline order (${o.splineOrder}), got ${cp.join(',')}`);
  }
  if (!(o.biasFieldFwhm > 0) || !Number.isFinite(o.biasFieldFwhm)) bad(`bias-field FWHM must be a positive number, got ${o.biasFieldFwhm}`);
  if (!(o.wienerNoise >= 0) || !Number.isFinite(o.wienerNoise)) bad(`Wiener filter noise must be a number >= 0, got ${o.wienerNoise}`);
  if (!Number.isInteger(o.histogramBins) || o.histogramBins < 2) bad(`histogram bins must be a whole number >= 2, got ${o.histogramBins}`);
  return cp;
}

/** In-place radix-2 complex FFT, unnormalised (sign −1 forward, +1 backward), as vnl_fft_1d. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (sign * 2 * Math.PI) / len;
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      const wr = Math.cos(ang * k);
      const wi = Math.sin(ang * k);
      for (let i = k; i < n; i += len) {
        const j = i + half;
        const xr = re[j]! * wr - im[j]! * wi;
        const xi = re[j]! * wi + im[j]! * wr;
        re[j] = re[i]! - xr;
        im[j] = im[i]! - xi;
        re[i]! += xr;
        im[i]! += xi;
      }
    }
  }
}

/** Scratch buffers of the sharpening step. */
class Sharpener {
  readonly padded: number;
  readonly offset: number;
  private readonly h: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly fRe: Float64Array;
  private readonly uRe: Float64Array;
  private readonly num: Float64Array;
  private readonly e: Float64Array;

  constructor(
    private readonly bins: number,
    private readonly fwhm: number,
    private readonly noise: number,
  ) {
    const exponent = Math.ceil(Math.log(bins) / Math.log(2)) + 1;
    this.padded = Math.floor(Math.pow(2, exponent) + 0.5);
    this.offset = Math.floor(0.5 * (this.padded - bins));
    const p = this.padded;
    this.h = new Float64Array(bins);
    this.re = new Float64Array(p);
    this.im = new Float64Array(p);
    this.fRe = new Float64Array(p);
    this.uRe = new Float64Array(p);
    this.num = new Float64Array(p);
    this.e = new Float64Array(p);
  }

  /** Circular convolution of x with the filter whose spectrum is fRe (real): out = bwd(fwd(x)·F). */
  private convolve(x: Float64Array, out: Float64Array): void {
    const { re, im, fRe } = this;
    re.set(x);
    im.fill(0);
    fft(re, im, false);
    for (let n = 0; n < re.length; n++) {
      re[n]! *= fRe[n]!;
      im[n]! *= fRe[n]!;
    }
    fft(re, im, true);
    out.set(re);
  }

  /**
   * ITK N4BiasFieldCorrectionImageFilter::SharpenImage on the masked log intensities `v`:
   * triangular-binned histogram, zero-padded to a power of 2, Wiener deconvolution by a
   * Gaussian of the bias FWHM, expected value E[u|v] per bin, linear interpolation back.
   */
  sharpen(v: Float64Array, out: Float64Array): void {
    const bins = this.bins;
    const np = v.length;
    // ITK's scan: a value that sets a new maximum is not tested against the minimum.
    let binMax = -Number.MAX_VALUE;
    let binMin = Number.MAX_VALUE;
    for (let i = 0; i < np; i++) {
      const x = v[i]!;
      if (x > binMax) binMax = x;
      else if (x < binMin) binMin = x;
    }
    if (!(binMax > binMin)) {
      out.set(v);
      return;
    }
    const slope = (binMax - binMin) / (bins - 1);
    const h = this.h;
    h.fill(0);
    for (let i = 0; i < np; i++) {
      const cidx = (v[i]! - binMin) / slope;
      const idx = Math.floor(cidx);
      const off = cidx - idx;
      if (idx < 0 || idx >= bins) continue;
      if (off === 0) h[idx]! += 1;
      else if (idx < bins - 1) {
        h[idx]! += 1 - off;
        h[idx + 1]! += off;
      }
    }
    const p = this.padded;
    const { re, im, fRe, uRe, num, e } = this;
    // Gaussian filter and its spectrum (real: the filter is real and symmetric).
    const scaledFwhm = this.fwhm / slope;
    const expFactor = (4 * Math.log(2)) / (scaledFwhm * scaledFwhm);
    const scaleFactor = (2 * Math.sqrt(Math.log(2) / Math.PI)) / scaledFwhm;
    re.fill(0);
    im.fill(0);
    re[0] = scaleFactor;
    const half = Math.floor(0.5 * p);
    for (let n = 1; n <= half; n++) {
      const g = scaleFactor * Math.exp(-n * n * expFactor);
      re[n] = g;
      re[p - n] = g;
    }
    if (p % 2 === 0) re[half] = scaleFactor * Math.exp(0.25 * -(p * p) * expFactor);
    fft(re, im, false);
    fRe.set(re);
    // Wiener deconvolution of the padded histogram: Uf = Vf · Re(conj(F)/(|F|² + noise)).
    re.fill(0);
    im.fill(0);
    for (let n = 0; n < bins; n++) re[n + this.offset] = h[n]!;
    fft(re, im, false);
    for (let n = 0; n < p; n++) {
      const f = fRe[n]!;
      const g = f / (f * f + this.noise);
      re[n]! *= g;
      im[n]! *= g;
    }
    fft(re, im, true);
    for (let n = 0; n < p; n++) uRe[n] = Math.max(re[n]!, 0);
    // E[u|v] = (F ⊛ (u·U)) / (F ⊛ U).
    for (let n = 0; n < p; n++) num[n] = (binMin + (n - this.offset) * slope) * uRe[n]!;
    this.convolve(num, num);
    this.convolve(uRe, e);
    for (let n = 0; n < p; n++) e[n] = e[n] !== 0 ? num[n]! / e[n]! : 0;
    const o = this.offset;
    for (let i = 0; i < np; i++) {
      const cidx = (v[i]! - binMin) / slope;
      const idx = Math.floor(cidx);
      if (idx >= 0 && idx < bins - 1) out[i] = e[o + idx]! + (e[o + idx + 1]! - e[o + idx]!) * (cidx - idx);
      else out[i] = e[o + bins - 1]!;
    }
  }
}

/** ITK's convergence measure: coefficient of variation of exp(old − new) over the mask (running mean/variance). */
function convergence(oldField: Float64Array, newField: Float64Array): number {
  let mu = 0;
  let sigma = 0;
  let n = 0;
  for (let i = 0; i < oldField.length; i++) {
    const px = Math.exp(oldField[i]! - newField[i]!);
    n += 1;
    if (n > 1) sigma += ((px - mu) * (px - mu) * (n - 1)) / n;
    mu = mu * (1 - 1 / n) + px / n;
  }
  sigma = Math.sqrt(sigma / (n - 1));
  return sigma / mu;
}

/**
 * N4 bias-field correction of `image` (ITK N4BiasFieldCorrectionImageFilter as 3D Slicer's
 * N4ITKBiasFieldCorrection runs it). Returns the corrected image and the full-resolution log
 * bias field (corrected = image / exp(logField)).
 */
export function n4BiasFieldCorrection(image: Image, options: Partial<N4Options> = {}): N4Result {
  const o: Omit<N4Options, 'mask'> = {
    shrinkFactor: options.shrinkFactor ?? N4_DEFAULTS.shrinkFactor,
    iterations: options.iterations ?? [...N4_DEFAULTS.iterations],
    convergenceThreshold: options.convergenceThreshold ?? N4_DEFAULTS.convergenceThreshold,
    controlPoints: options.controlPoints ?? N4_DEFAULTS.controlPoints,
    splineOrder: options.splineOrder ?? N4_DEFAULTS.splineOrder,
    biasFieldFwhm: options.biasFieldFwhm ?? N4_DEFAULTS.biasFieldFwhm,
    wienerNoise: options.wienerNoise ?? N4_DEFAULTS.wienerNoise,
    histogramBins: options.histogramBins ?? N4_DEFAULTS.histogramBins,
  };
  const initialControlPoints = checkOptions(o);
  const nVox = image.data.length;
  let mask: Uint8Array;
  if (options.mask) {
    if (options.mask.length !== nVox) {
      throw new RadnomoError('E_GEOMETRY', `N4: the mask has ${options.mask.length} voxels but the image has ${nVox}.`);
    }
    mask = options.mask;
  } else {
    mask = otsuMask(image.data, 200);
  }

  // Shrink image and mask (subsampling on ShrinkImageFilter's grid).
  const f = o.shrinkFactor;
  const small = shrinkData(image.data, image.size, f, (n) => new Float64Array(n));
  const smallMask = shrinkData(mask, image.size, f, (n) => new Uint8Array(n)).data;
  const [sx, sy, sz] = small.size;
  let nPts = 0;
  for (let i = 0; i < smallMask.length; i++) if (smallMask[i] !== 0) nPts++;
  if (nPts === 0) {
    throw new RadnomoError('E_MASK', `N4: the mask has no voxels on the shrunk grid (shrink factor ${f}); give a larger mask or a smaller shrink factor.`);
  }
  const pts: PointSet = { ix: new Int32Array(nPts), iy: new Int32Array(nPts), iz: new Int32Array(nPts) };
  const logInput = new Float64Array(nPts);
  {
    let p = 0;
    let i = 0;
    for (let z = 0; z < sz; z++) {
      for (let y = 0; y < sy; y++) {
        for (let x = 0; x < sx; x++, i++) {
          if (smallMask[i] === 0) continue;
          pts.ix[p] = x;
          pts.iy[p] = y;
          pts.iz[p] = z;
          const v = small.data[i]!;
          logInput[p] = v > 0 ? Math.log(v) : v;
          p++;
        }
      }
    }
  }

  const order = o.splineOrder;
  const sharpener = new Sharpener(o.histogramBins, o.biasFieldFwhm, o.wienerNoise);
  let field = new Float64Array(nPts);
  let newField = new Float64Array(nPts);
  const logUncorrected = Float64Array.from(logInput);
  const sharpened = new Float64Array(nPts);
  let lattice: Lattice | undefined;
  const levels: N4Result['levels'] = [];
  const nLevels = o.iterations.length;
  const smallSize: Vec3 = [sx, sy, sz];
  const nSmall = sx * sy * sz;
  const grid = new Float64Array(nSmall);
  const fieldGrid = new Float64Array(nSmall);
  const indicator = new Float64Array(nSmall);
  for (let p = 0; p < nPts; p++) indicator[pts.ix[p]! + sx * (pts.iy[p]! + sy * pts.iz[p]!)] = 1;
  const gridIndex = new Int32Array(nPts);
  for (let p = 0; p < nPts; p++) gridIndex[p] = pts.ix[p]! + sx * (pts.iy[p]! + sy * pts.iz[p]!);
  for (let level = 0; level < nLevels; level++) {
    const cp: Vec3 = lattice ? [...lattice.size] : initialControlPoints;
    const tables: [AxisTable, AxisTable, AxisTable] = [axisTable(sx, cp[0], order), axisTable(sy, cp[1], order), axisTable(sz, cp[2], order)];
    const total = cp[0] * cp[1] * cp[2];
    // Scattered-data fit (BSplineScatteredDataPointSetToImageFilter, one level, unit weights),
    // computed separably over the grid: ω = Σ_p B², δ = Σ_p r_p·B³ / Σ B²; φ = δ / ω.
    const w2: [Float64Array, Float64Array, Float64Array] = [poweredWeights(tables[0], 2), poweredWeights(tables[1], 2), poweredWeights(tables[2], 2)];
    const w3: [Float64Array, Float64Array, Float64Array] = [poweredWeights(tables[0], 3), poweredWeights(tables[1], 3), poweredWeights(tables[2], 3)];
    const omega = contractToLattice(indicator, smallSize, tables, w2, cp, order);
    const invW2 = new Float64Array(nPts);
    for (let p = 0; p < nPts; p++) invW2[p] = 1 / (tables[0].sumSq[pts.ix[p]!]! * tables[1].sumSq[pts.iy[p]!]! * tables[2].sumSq[pts.iz[p]!]!);
    const delta = new Float64Array(total);
    let iter = 0;
    let conv = Number.MAX_VALUE;
    while (iter < o.iterations[level]! && conv > o.convergenceThreshold) {
      iter++;
      sharpener.sharpen(logUncorrected, sharpened);
      for (let p = 0; p < nPts; p++) grid[gridIndex[p]!] = (logUncorrected[p]! - sharpened[p]!) * invW2[p]!;
      contractToLattice(grid, smallSize, tables, w3, cp, order, delta);
      if (!lattice) lattice = { size: [...cp], data: new Float64Array(total) };
      const phi = lattice.data;
      for (let i = 0; i < total; i++) {
        const w = omega[i]!;
        if (w !== 0) {
          const q = delta[i]! / w;
          if (Number.isFinite(q)) phi[i]! += q;
        }
      }
      evaluateOnGrid(lattice, smallSize, order, tables, fieldGrid);
      for (let p = 0; p < nPts; p++) newField[p] = fieldGrid[gridIndex[p]!]!;
      conv = convergence(field, newField);
      const t = field;
      field = newField;
      newField = t;
      for (let p = 0; p < nPts; p++) logUncorrected[p] = logInput[p]! - field[p]!;
    }
    levels.push({ iterations: iter, convergence: conv, controlPoints: cp });
    if (level !== nLevels - 1) lattice = refineLattice(lattice!, order);
  }

  // Full-resolution log field: the lattice evaluated over the input grid.
  const logData = evaluateOnGrid(lattice!, image.size, order);
  const corr = new Float64Array(nVox);
  for (let i = 0; i < nVox; i++) corr[i] = image.data[i]! / Math.exp(logData[i]!);
  return { corrected: withData(image, corr), logField: withData(image, logData), mask, levels };
}
