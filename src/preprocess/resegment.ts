import { RadnomoError } from '../errors';

export type ResegmentMode = 'absolute' | 'relative' | 'sigma';

/**
 * PyRadiomics' `imageoperations.resegmentMask`: drops ROI voxels outside `range`.
 * - absolute: the range is in intensity units;
 * - relative: fractions of the ROI maximum (range × max);
 * - sigma: mean + range × SD of the ROI (population SD, numpy.std).
 * One value sets only the lower bound. Returns a new 0/1 mask.
 */
export function resegmentMask(
  data: Float64Array,
  mask: Uint8Array,
  range: number[],
  mode: ResegmentMode = 'absolute',
): Uint8Array {
  if (range.length < 1 || range.length > 2) {
    throw new RadnomoError('E_PARAMS', `resegmentRange must hold 1 or 2 numbers, got ${range.length}.`);
  }
  let lo = range[0]!;
  let hi = range.length === 2 ? range[1]! : Infinity;
  if (mode !== 'absolute') {
    let n = 0;
    let sum = 0;
    let max = -Infinity;
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      n++;
      sum += data[i]!;
      if (data[i]! > max) max = data[i]!;
    }
    if (mode === 'relative') {
      lo = lo * max;
      hi = hi * max;
    } else {
      const mean = sum / n;
      let ss = 0;
      for (let i = 0; i < mask.length; i++) if (mask[i]) ss += (data[i]! - mean) ** 2;
      const sd = Math.sqrt(ss / n);
      lo = mean + lo * sd;
      hi = mean + hi * sd;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] && data[i]! >= lo && data[i]! <= hi) out[i] = 1;
  }
  return out;
}
