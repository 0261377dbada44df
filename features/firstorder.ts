import type { DiscretisedRoi } from './roi';

/** PyRadiomics' first-order features (non-deprecated), in its order. */
export const FIRSTORDER_FEATURE_NAMES = [
  'Energy',
  'TotalEnergy',
  'Entropy',
  'Minimum',
  '10Percentile',
  '90Percentile',
  'Maximum',
  'Mean',
  'Median',
  'InterquartileRange',
  'Range',
  'MeanAbsoluteDeviation',
  'RobustMeanAbsoluteDeviation',
  'RootMeanSquared',
  'Skewness',
  'Kurtosis',
  'Variance',
  'Uniformity',
] as const;

export interface FirstOrderSettings {
  /** Added to intensities for Energy, TotalEnergy and RootMeanSquared (PyRadiomics `voxelArrayShift`). */
  voxelArrayShift: number;
}

const EPS = 2.220446049250313e-16;

/**
 * numpy's pairwise summation (as numpy.sum/mean on a contiguous float64 array: blocks of 128,
 * 8-way unrolled), so sums round like PyRadiomics' numpy sums.
 */
export function pairwiseSum(a: Float64Array, start = 0, n = a.length): number {
  if (n < 8) {
    let s = 0;
    for (let i = start; i < start + n; i++) s += a[i]!;
    return s;
  }
  if (n <= 128) {
    const r = [a[start]!, a[start + 1]!, a[start + 2]!, a[start + 3]!, a[start + 4]!, a[start + 5]!, a[start + 6]!, a[start + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k]! += a[start + i + k]!;
    }
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** numpy.percentile(a, q) with linear interpolation on sorted data (numpy ≥ 1.22 `_lerp`). */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const quantile = q / 100;
  const vi = n * quantile + (1 + quantile * -1) - 1;
  let lo = Math.floor(vi);
  const gamma = vi - lo;
  if (lo < 0) lo = 0;
  const hi = Math.min(lo + 1, n - 1);
  if (lo > n - 1) lo = n - 1;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** The p-th central moment, mean((x − mean)^p), with numpy's pairwise summation (`tmp` is scratch of x's length). */
function centralMoment(x: Float64Array, mean: number, p: number, tmp: Float64Array): number {
  const n = x.length;
  for (let i = 0; i < n; i++) tmp[i] = (x[i]! - mean) ** p;
  return pairwiseSum(tmp) / n;
}

/**
 * PyRadiomics first-order features (radiomics/firstorder.py; IBSI intensity-based statistics)
 * over the ROI voxels of `intensities` (aligned with `roi.mask`); Entropy and Uniformity use the
 * discretised levels. `spacing` gives the voxel volume for TotalEnergy.
 */
export function firstorderFeatures(
  intensities: Float64Array,
  roi: DiscretisedRoi,
  settings: Partial<FirstOrderSettings> = {},
): Record<string, number> {
  const shift = settings.voxelArrayShift ?? 0;
  let n = 0;
  for (let i = 0; i < roi.mask.length; i++) n += roi.mask[i]!;
  const x = new Float64Array(n);
  let maxLevel = 0;
  for (let i = 0, k = 0; i < roi.mask.length; i++) {
    if (!roi.mask[i]) continue;
    x[k++] = intensities[i]!;
    if (roi.levels[i]! > maxLevel) maxLevel = roi.levels[i]!;
  }
  const counts = new Float64Array(maxLevel + 1);
  for (let i = 0; i < roi.mask.length; i++) if (roi.mask[i]) counts[roi.levels[i]!]! += 1;

  const sorted = Float64Array.from(x).sort();
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  const mean = pairwiseSum(x) / n;

  const tmp = new Float64Array(n);
  for (let i = 0; i < n; i++) tmp[i] = (x[i]! + shift) ** 2;
  const energy = pairwiseSum(tmp);
  for (let i = 0; i < n; i++) tmp[i] = Math.abs(x[i]! - mean);
  const mad = pairwiseSum(tmp) / n;
  const m2 = centralMoment(x, mean, 2, tmp);
  const m3 = centralMoment(x, mean, 3, tmp);
  const m4 = centralMoment(x, mean, 4, tmp);

  const p10 = percentileSorted(sorted, 10);
  const p90 = percentileSorted(sorted, 90);
  // Robust MAD: voxels with p10 <= x <= p90.
  const robust: number[] = [];
  for (let i = 0; i < n; i++) if (x[i]! - p10 >= 0 && x[i]! - p90 <= 0) robust.push(x[i]!);
  const r = Float64Array.from(robust);
  const rMean = pairwiseSum(r) / r.length;
  const rDev = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) rDev[i] = Math.abs(r[i]! - rMean);
  const rmad = pairwiseSum(rDev) / r.length;

  let entropy = 0;
  let uniformity = 0;
  for (let l = 0; l <= maxLevel; l++) {
    if (counts[l] === 0) continue;
    const p = counts[l]! / n;
    entropy -= p * Math.log2(p + EPS);
    uniformity += p * p;
  }

  const flat = m2 === 0;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const voxelVolume = roi.spacing[0] * roi.spacing[1] * roi.spacing[2];
  return {
    Energy: energy,
    TotalEnergy: voxelVolume * energy,
    Entropy: entropy,
    Minimum: min,
    '10Percentile': p10,
    '90Percentile': p90,
    Maximum: max,
    Mean: mean,
    Median: median,
    InterquartileRange: percentileSorted(sorted, 75) - percentileSorted(sorted, 25),
    Range: max - min,
    MeanAbsoluteDeviation: mad,
    RobustMeanAbsoluteDeviation: rmad,
    RootMeanSquared: Math.sqrt(energy / n),
    Skewness: flat ? 0 : m3 / m2 ** 1.5,
    Kurtosis: flat ? 0 : m4 / m2 ** 2,
    Variance: m2Variance(x, mean),
    Uniformity: uniformity,
  };
}

/** numpy.std(x) ** 2: population variance as numpy computes it (mean of squared deviations). */
function m2Variance(x: Float64Array, mean: number): number {
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = (x[i]! - mean) * (x[i]! - mean);
  const sd = Math.sqrt(pairwiseSum(d) / x.length);
  return sd * sd;
}
