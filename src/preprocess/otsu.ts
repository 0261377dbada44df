/**
 * Otsu threshold as ITK's OtsuThresholdImageFilter computes it (ITK 5: ImageToHistogramFilter
 * with automatic minimum/maximum and the maximum widened by (max − min) / bins / 100, bin bounds
 * in single precision, OtsuMultipleThresholdsCalculator with one threshold, the threshold being
 * the upper bound of the last bin of the lower class). Pixels are taken in single precision, as
 * 3D Slicer's N4ITKBiasFieldCorrection reads them (float images).
 */

/** True when a and b are within 1 unit in the last place (or 0.1·ε absolutely), as itk::Math::FloatAlmostEqual(a, b, 1). */
function almostEqual(a: number, b: number): boolean {
  if (Math.abs(a - b) <= 0.1 * 2.220446049250313e-16) return true;
  if (Math.sign(a) !== Math.sign(b)) return a === b;
  const buf = new Float64Array([a, b]);
  const bits = new BigInt64Array(buf.buffer);
  const d = bits[0]! - bits[1]!;
  return (d < 0n ? -d : d) <= 1n;
}

/**
 * The Otsu threshold of `data` with `bins` histogram bins (ITK OtsuThresholdImageFilter,
 * SetNumberOfHistogramBins(bins)); voxels above it are the foreground. When `mask` is given only
 * its nonzero voxels are used.
 */
export function otsuThreshold(data: ArrayLike<number>, bins = 200, mask?: Uint8Array): number {
  if (!(Number.isInteger(bins) && bins >= 2)) throw new RangeError(`otsuThreshold: bins must be an integer >= 2, got ${bins}`);
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    if (mask && mask[i] === 0) continue;
    const v = Math.fround(data[i]!);
    if (v < min) min = v;
    if (v > max) max = v;
    n++;
  }
  if (n === 0) throw new RangeError('otsuThreshold: no voxels');
  // ImageToHistogramFilter::ApplyMarginalScale (marginal scale 100).
  const upper = max + (max - min) / bins / 100;
  const lower = min;
  // Histogram::Initialize: the bin width in float.
  const interval = Math.fround(Math.fround(Math.fround(upper) - Math.fround(lower)) / bins);
  const binMin = new Float64Array(bins);
  const binMax = new Float64Array(bins);
  for (let j = 0; j < bins; j++) {
    binMin[j] = lower + Math.fround(j * interval);
    binMax[j] = j < bins - 1 ? lower + Math.fround((j + 1) * interval) : upper;
  }
  const freq = new Float64Array(bins);
  for (let i = 0; i < data.length; i++) {
    if (mask && mask[i] === 0) continue;
    const v = Math.fround(data[i]!);
    let j: number;
    if (v >= binMax[bins - 1]!) {
      j = bins - 1;
    } else {
      j = Math.min(bins - 1, Math.max(0, Math.floor((v - lower) / interval)));
      while (j > 0 && v < binMin[j]!) j--;
      while (j < bins - 1 && v >= binMax[j]!) j++;
    }
    freq[j]! += 1;
  }
  const centre = new Float64Array(bins);
  for (let j = 0; j < bins; j++) centre[j] = (binMin[j]! + binMax[j]!) / 2;
  let globalMean = 0;
  for (let j = 0; j < bins; j++) globalMean += centre[j]! * freq[j]!;
  globalMean /= n;

  let f0 = freq[0]!;
  let m0 = f0 > 0 ? centre[0]! : 0;
  let f1 = n - f0;
  let m1 = f1 > 0 ? (globalMean * n - m0 * f0) / f1 : 0;
  let best = (f0 * m0 * m0 + f1 * m1 * m1) / n;
  let bestIdx = 0;
  for (let t = 1; t <= bins - 2; t++) {
    const fOld = f0;
    f0 += freq[t]!;
    m0 = f0 > 0 ? (m0 * fOld + centre[t]! * freq[t]!) / f0 : 0;
    f1 = n - f0;
    m1 = globalMean * n - m0 * f0;
    m1 = f1 > 0 ? m1 / f1 : 0;
    const v = (f0 * m0 * m0 + f1 * m1 * m1) / n;
    if (v > best && !almostEqual(best, v)) {
      best = v;
      bestIdx = t;
    }
  }
  return binMax[bestIdx]!;
}

/**
 * Foreground mask by Otsu's threshold: 1 where the voxel (in single precision) is above the
 * threshold, as 3D Slicer's N4ITKBiasFieldCorrection builds its default mask
 * (OtsuThresholdImageFilter, 200 bins, inside value 0, outside value 1).
 */
export function otsuMask(data: ArrayLike<number>, bins = 200): Uint8Array {
  const thr = Math.fround(otsuThreshold(data, bins));
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.fround(data[i]!) > thr ? 1 : 0;
  return out;
}
