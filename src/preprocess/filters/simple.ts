/**
 * Point-wise image types, ports of PyRadiomics `imageoperations.getSquareImage`,
 * `getSquareRootImage`, `getLogarithmImage` and `getExponentialImage` (float64, as PyRadiomics
 * casts the array with `astype('float64')`), each rescaled by the image's maximum absolute value
 * exactly as PyRadiomics does it.
 */
import { RadnomoError } from '../../errors';
import type { Image } from '../../image';
import { withData } from '../../image';

function maxAbs(image: Image, what: string): number {
  let m = 0;
  const d = image.data;
  for (let i = 0; i < d.length; i++) {
    const a = Math.abs(d[i]!);
    if (!(a <= m)) m = a; // propagates NaN like numpy's max
  }
  if (Number.isNaN(m)) throw new RadnomoError('E_VALUE', `The ${what} image type needs finite intensities; the image has NaN values.`);
  return m;
}

/** PyRadiomics `getSquareImage`: f(x) = (c·x)², c = 1 / sqrt(max|x|). Name 'square'. */
export function squareImage(image: Image): Image {
  const m = maxAbs(image, 'Square');
  if (m === 0) throw new RadnomoError('E_VALUE', 'The Square image type needs an image that is not all zeros (its scale 1/sqrt(max|x|) is infinite).');
  const c = 1 / Math.sqrt(m);
  const d = image.data;
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const t = c * d[i]!;
    out[i] = t * t;
  }
  return withData(image, out);
}

/** PyRadiomics `getSquareRootImage`: f(x) = sqrt(c·x) for x > 0, −sqrt(−x·c) for x < 0, 0 at 0; c = max|x|. Name 'squareroot'. */
export function squareRootImage(image: Image): Image {
  const c = maxAbs(image, 'SquareRoot');
  const d = image.data;
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    out[i] = x > 0 ? Math.sqrt(x * c) : x < 0 ? -Math.sqrt(-x * c) : x;
  }
  return withData(image, out);
}

/**
 * PyRadiomics `getLogarithmImage`: g = log(x + 1) for x > 0, −log(−(x − 1)) for x < 0, then
 * f = g · (max|x| / max|g|). Name 'logarithm'.
 */
export function logarithmImage(image: Image): Image {
  const imMax = maxAbs(image, 'Logarithm');
  const d = image.data;
  const out = new Float64Array(d.length);
  let gMax = 0;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    const g = x > 0 ? Math.log(x + 1) : x < 0 ? -Math.log(-(x - 1)) : x;
    out[i] = g;
    const a = Math.abs(g);
    if (a > gMax) gMax = a;
  }
  if (gMax === 0) throw new RadnomoError('E_VALUE', 'The Logarithm image type needs an image that is not all zeros (its rescaling divides by 0).');
  const k = imMax / gMax;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * k;
  return withData(image, out);
}

/** PyRadiomics `getExponentialImage`: f(x) = exp(c·x), c = log(max|x|) / max|x|. Name 'exponential'. */
export function exponentialImage(image: Image): Image {
  const m = maxAbs(image, 'Exponential');
  if (m === 0) throw new RadnomoError('E_VALUE', 'The Exponential image type needs an image that is not all zeros (its scale log(max|x|)/max|x| is undefined).');
  const c = Math.log(m) / m;
  const d = image.data;
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.exp(c * d[i]!);
  return withData(image, out);
}
