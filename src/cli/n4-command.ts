import { RadnomoError } from '../errors';
import { readImage, readLabelMap } from '../io/read-image';
import { writeImage } from '../io/write-image';
import { n4BiasFieldCorrection, N4_DEFAULTS, type N4Options } from '../preprocess/n4';

/** Options of `radnomo n4` as commander passes them (strings, camel-cased). */
export interface N4CommandOptions {
  mask?: string;
  shrink?: string;
  iterations?: string;
  convergence?: string;
  controlPoints?: string;
  splineOrder?: string;
  fwhm?: string;
  wiener?: string;
  bins?: string;
  /** -o: the corrected image. */
  out?: string;
  /** --field: the bias field exp(log field) (as Slicer's --outputbiasfield). */
  field?: string;
  /** --log-field: the log bias field. */
  logField?: string;
}

function wholeNumber(flag: string, v: string, min: number): number {
  const s = v.trim();
  const x = Number(s);
  if (s === '' || !Number.isInteger(x) || x < min) throw new RadnomoError('E_USAGE', `${flag} must be a whole number of at least ${min}, got "${v}".`);
  return x;
}

function positiveNumber(flag: string, v: string, allowZero: boolean): number {
  const s = v.trim();
  const x = Number(s);
  if (s === '' || !Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) {
    throw new RadnomoError('E_USAGE', `${flag} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${v}".`);
  }
  return x;
}

/** Parses the command's option strings into N4 settings (without the mask). */
export function parseN4Options(o: N4CommandOptions): Omit<N4Options, 'mask'> {
  const splineOrder = o.splineOrder !== undefined ? wholeNumber('--spline-order', o.splineOrder, 1) : N4_DEFAULTS.splineOrder;
  let controlPoints = N4_DEFAULTS.controlPoints;
  if (o.controlPoints !== undefined) {
    const parts = o.controlPoints.split(',');
    if (parts.length !== 1 && parts.length !== 3) {
      throw new RadnomoError('E_USAGE', `--control-points takes one number or three (x,y,z), got "${o.controlPoints}".`);
    }
    const cps = parts.map((p) => wholeNumber('--control-points', p, splineOrder + 1));
    controlPoints = cps.length === 1 ? cps[0]! : [cps[0]!, cps[1]!, cps[2]!];
  }
  return {
    shrinkFactor: o.shrink !== undefined ? wholeNumber('--shrink', o.shrink, 1) : N4_DEFAULTS.shrinkFactor,
    iterations: o.iterations !== undefined ? o.iterations.split(',').map((s) => wholeNumber('--iterations', s, 1)) : [...N4_DEFAULTS.iterations],
    convergenceThreshold: o.convergence !== undefined ? positiveNumber('--convergence', o.convergence, true) : N4_DEFAULTS.convergenceThreshold,
    controlPoints,
    splineOrder,
    biasFieldFwhm: o.fwhm !== undefined ? positiveNumber('--fwhm', o.fwhm, false) : N4_DEFAULTS.biasFieldFwhm,
    wienerNoise: o.wiener !== undefined ? positiveNumber('--wiener', o.wiener, true) : N4_DEFAULTS.wienerNoise,
    histogramBins: o.bins !== undefined ? wholeNumber('--bins', o.bins, 2) : N4_DEFAULTS.histogramBins,
  };
}

/**
 * `radnomo n4 IMAGE [--mask M] [...] -o corrected.nrrd [--field field.nrrd] [--log-field log.nrrd]`:
 * N4 bias-field correction with 3D Slicer's N4ITKBiasFieldCorrection defaults; writes the
 * corrected image (float32, as Slicer does) and optionally the bias field. Returns the exit code.
 */
export async function runN4(image: string, o: N4CommandOptions, log: (s: string) => void): Promise<number> {
  if (!image) throw new RadnomoError('E_USAGE', 'an input image is needed: radnomo n4 IMAGE -o corrected.nrrd');
  if (!o.out) throw new RadnomoError('E_USAGE', 'an output file is needed: -o corrected.nrrd');
  const settings = parseN4Options(o);
  const img = await readImage(image);
  let mask: Uint8Array | undefined;
  if (o.mask) {
    const m = await readLabelMap(o.mask);
    if (m.size[0] !== img.size[0] || m.size[1] !== img.size[1] || m.size[2] !== img.size[2]) {
      throw new RadnomoError('E_GEOMETRY', `${o.mask}: mask size ${m.size.join(' × ')} differs from the image's ${img.size.join(' × ')}.`);
    }
    mask = new Uint8Array(m.data.length);
    let n = 0;
    for (let i = 0; i < m.data.length; i++) {
      if (m.data[i] !== 0) {
        mask[i] = 1;
        n++;
      }
    }
    if (n === 0) throw new RadnomoError('E_MASK', `${o.mask}: the mask has no nonzero voxel.`);
  }
  const t0 = Date.now();
  const r = n4BiasFieldCorrection(img, { ...settings, mask });
  const ms = Date.now() - t0;
  await writeImage(o.out, r.corrected, { componentType: 'float32' });
  if (o.field) {
    const field = new Float64Array(r.logField.data.length);
    for (let i = 0; i < field.length; i++) field[i] = Math.exp(r.logField.data[i]!);
    await writeImage(o.field, { ...r.logField, data: field }, { componentType: 'float32' });
  }
  if (o.logField) await writeImage(o.logField, r.logField, { componentType: 'float32' });
  const levels = r.levels.map((l, i) => `level ${i + 1}: ${l.iterations} iterations, ${l.controlPoints.join('×')} control points, convergence ${l.convergence.toExponential(2)}`);
  log(`n4: ${image} corrected in ${(ms / 1000).toFixed(1)} s (${mask ? 'given mask' : 'Otsu mask'}; ${levels.join('; ')}) → ${o.out}${o.field ? `, field → ${o.field}` : ''}`);
  return 0;
}
