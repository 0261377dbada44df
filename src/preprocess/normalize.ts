import { RadnomoError } from '../errors';

/**
 * PyRadiomics' `imageoperations.normalizeImage`: SimpleITK `Normalize` over the whole image
 * (mean and sample standard deviation, n − 1, as ITK's StatisticsImageFilter; output
 * (x − mean) · (1 / sd)), then optional clipping to ±`removeOutliers`, then multiplication by
 * `normalizeScale`.
 */
export function normalizeImage(
  data: Float64Array,
  normalizeScale = 1,
  removeOutliers: number | null = null,
): Float64Array {
  const n = data.length;
  let sum = 0;
  let sumSq = 0;
  // Kahan-compensated sums, as ITK's CompensatedSummation.
  let c1 = 0;
  let c2 = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    const y1 = v - c1;
    const t1 = sum + y1;
    c1 = t1 - sum - y1;
    sum = t1;
    const y2 = v * v - c2;
    const t2 = sumSq + y2;
    c2 = t2 - sumSq - y2;
    sumSq = t2;
  }
  const mean = sum / n;
  const variance = (sumSq - (sum * sum) / n) / (n - 1);
  const sd = Math.sqrt(variance);
  if (!(sd > 0)) throw new RadnomoError('E_VALUE', 'cannot normalise a constant image (standard deviation 0).');
  const scale = 1 / sd;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = (data[i]! - mean) * scale;
    if (removeOutliers !== null) {
      if (v > removeOutliers) v = removeOutliers;
      else if (v < -removeOutliers) v = -removeOutliers;
    }
    out[i] = v * normalizeScale;
  }
  return out;
}
