/**
 * IBSI intensity-based families: intensity-based statistics (manual 3.3), intensity histogram
 * (3.4), intensity-volume histogram (3.5) and local intensity (3.2).
 */

/** IBSI intensity-based statistics keys with codes (manual 3.3). */
export const IBSI_STAT_FEATURES = [
  ['Mean', 'Q4LE'],
  ['Variance', 'ECT3'],
  ['Skewness', 'KE2A'],
  ['Kurtosis', 'IPH6'],
  ['Median', 'Y12H'],
  ['Minimum', '1GSF'],
  ['P10', 'QG58'],
  ['P90', '8DWT'],
  ['Maximum', '84IY'],
  ['InterquartileRange', 'SALO'],
  ['Range', '2OJQ'],
  ['MeanAbsoluteDeviation', '4FUA'],
  ['RobustMeanAbsoluteDeviation', '1128'],
  ['MedianAbsoluteDeviation', 'N72L'],
  ['CoefficientOfVariation', '7TET'],
  ['QuartileCoefficientOfDispersion', '9S40'],
  ['Energy', 'N8CA'],
  ['RootMeanSquare', '5ZWQ'],
] as const;

/** IBSI intensity histogram keys with codes (manual 3.4). */
export const IBSI_IH_FEATURES = [
  ['Mean', 'X6K6'],
  ['Variance', 'CH89'],
  ['Skewness', '88K1'],
  ['Kurtosis', 'C3I7'],
  ['Median', 'WIFQ'],
  ['Minimum', '1PR8'],
  ['P10', 'GPMT'],
  ['P90', 'OZ0C'],
  ['Maximum', '3NCY'],
  ['Mode', 'AMMC'],
  ['InterquartileRange', 'WR0O'],
  ['Range', '5Z3W'],
  ['MeanAbsoluteDeviation', 'D2ZX'],
  ['RobustMeanAbsoluteDeviation', 'WRZB'],
  ['MedianAbsoluteDeviation', '4RNL'],
  ['CoefficientOfVariation', 'CWYJ'],
  ['QuartileCoefficientOfDispersion', 'SLWD'],
  ['Entropy', 'TLU2'],
  ['Uniformity', 'BJ5W'],
  ['MaximumHistogramGradient', '12CE'],
  ['MaximumHistogramGradientIntensity', '8E6O'],
  ['MinimumHistogramGradient', 'VQB3'],
  ['MinimumHistogramGradientIntensity', 'RHQZ'],
] as const;

/** IBSI intensity-volume histogram keys with codes (manual 3.5). */
export const IBSI_IVH_FEATURES = [
  ['V10', 'BC2M'],
  ['V90', 'BC2M'],
  ['I10', 'GBPN'],
  ['I90', 'GBPN'],
  ['V10minusV90', 'DDTU'],
  ['I10minusI90', 'CNV2'],
] as const;

/** IBSI local intensity keys with codes (manual 3.2). */
export const IBSI_LOCAL_FEATURES = [
  ['LocalIntensityPeak', 'VJGA'],
  ['GlobalIntensityPeak', '0F91'],
] as const;

/**
 * Percentile of sorted values with linear interpolation between order statistics at position
 * p·(n − 1) (numpy's default, R type 7). The IBSI manual notes that the reference 90th
 * percentile of the digital phantom (4) is met by some definitions and 4.2 by others; this one
 * gives 4 there.
 */
export function ibsiPercentile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  const h = p * (n - 1);
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * The statistics shared by intensity-based statistics and the intensity histogram (IBSI 3.3 and
 * 3.4): mean, population variance, skewness, excess kurtosis (−3), median, minimum, P10, P90,
 * maximum, IQR, range, mean / robust mean (P10–P90 voxels) / median absolute deviation,
 * coefficient of variation (σ/μ), quartile coefficient of dispersion ((P75 − P25)/(P75 + P25)).
 */
export function ibsiDistributionStats(values: ArrayLike<number>): Record<string, number> {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (let k = 0; k < n; k++) sum += sorted[k]!;
  const mean = sum / n;
  let m2 = 0, m3 = 0, m4 = 0, mad = 0;
  for (let k = 0; k < n; k++) {
    const d = sorted[k]! - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
    mad += Math.abs(d);
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const median = ibsiPercentile(sorted, 0.5);
  const p10 = ibsiPercentile(sorted, 0.1);
  const p90 = ibsiPercentile(sorted, 0.9);
  const p25 = ibsiPercentile(sorted, 0.25);
  const p75 = ibsiPercentile(sorted, 0.75);
  let rs = 0, rn = 0;
  for (let k = 0; k < n; k++) {
    const v = sorted[k]!;
    if (v >= p10 && v <= p90) {
      rs += v;
      rn++;
    }
  }
  const rmean = rs / rn;
  let rmad = 0, medad = 0;
  for (let k = 0; k < n; k++) {
    const v = sorted[k]!;
    if (v >= p10 && v <= p90) rmad += Math.abs(v - rmean);
    medad += Math.abs(v - median);
  }
  return {
    Mean: mean,
    Variance: m2,
    Skewness: m2 > 0 ? m3 / m2 ** 1.5 : 0,
    Kurtosis: m2 > 0 ? m4 / (m2 * m2) - 3 : 0,
    Median: median,
    Minimum: sorted[0]!,
    P10: p10,
    P90: p90,
    Maximum: sorted[n - 1]!,
    InterquartileRange: p75 - p25,
    Range: sorted[n - 1]! - sorted[0]!,
    MeanAbsoluteDeviation: mad / n,
    RobustMeanAbsoluteDeviation: rmad / rn,
    MedianAbsoluteDeviation: medad / n,
    CoefficientOfVariation: Math.sqrt(m2) / mean,
    QuartileCoefficientOfDispersion: (p75 - p25) / (p75 + p25),
  };
}

/** IBSI intensity-based statistics (3.3) of the intensities in the intensity mask. */
export function ibsiStatFeatures(values: ArrayLike<number>): Record<string, number> {
  const s = ibsiDistributionStats(values);
  let energy = 0;
  for (let k = 0; k < values.length; k++) energy += values[k]! ** 2;
  s.Energy = energy;
  s.RootMeanSquare = Math.sqrt(energy / values.length);
  return s;
}

/**
 * IBSI intensity histogram features (3.4) of discretised intensities 1..ng: the distribution
 * statistics, mode (ties: the bin closest to the mean, the lower one when equidistant), entropy
 * and uniformity (log2), and the histogram gradient H'(i) (one-sided at 1 and ng, central
 * otherwise) with the intensities of its maximum and minimum.
 */
export function ibsiHistogramFeatures(levels: ArrayLike<number>, ng: number): Record<string, number> {
  const s = ibsiDistributionStats(levels);
  const n = levels.length;
  const h = new Float64Array(ng + 2);
  for (let k = 0; k < n; k++) h[levels[k]!] += 1;
  let best = -1, mode = 1;
  for (let i = 1; i <= ng; i++) {
    const c = h[i]!;
    if (c > best || (c === best && Math.abs(i - s.Mean!) < Math.abs(mode - s.Mean!))) {
      best = c;
      mode = i;
    }
  }
  let ent = 0, uni = 0;
  for (let i = 1; i <= ng; i++) {
    const p = h[i]! / n;
    if (p > 0) ent -= p * Math.log2(p);
    uni += p * p;
  }
  let gmax = -Infinity, gmin = Infinity, imax = 1, imin = 1;
  for (let i = 1; i <= ng; i++) {
    let g: number;
    if (ng === 1) g = 0;
    else if (i === 1) g = h[2]! - h[1]!;
    else if (i === ng) g = h[ng]! - h[ng - 1]!;
    else g = (h[i + 1]! - h[i - 1]!) / 2;
    if (g > gmax) {
      gmax = g;
      imax = i;
    }
    if (g < gmin) {
      gmin = g;
      imin = i;
    }
  }
  return {
    ...s,
    Mode: mode,
    Entropy: ent,
    Uniformity: uni,
    MaximumHistogramGradient: gmax,
    MaximumHistogramGradientIntensity: imax,
    MinimumHistogramGradient: gmin,
    MinimumHistogramGradientIntensity: imin,
  };
}

/**
 * IBSI intensity-volume histogram features (3.5) of discretised intensities `xd` evaluated on
 * the range G = [gMin, gMax] with interval w: ν_i = fraction of voxels with intensity ≥ i,
 * γ_i = (i − min G)/(max G − min G); V_x = largest ν with γ ≥ x; I_x = smallest i with ν ≤ x.
 */
export function ibsiIvhFeatures(xd: ArrayLike<number>, gMin: number, gMax: number, w: number): Record<string, number> {
  const sorted = Float64Array.from(xd).sort();
  const n = sorted.length;
  const steps = Math.round((gMax - gMin) / w);
  // ν at each grid intensity, by a moving pointer over the sorted values
  const nu = new Float64Array(steps + 1);
  let ptr = 0;
  for (let k = 0; k <= steps; k++) {
    const i = gMin + k * w;
    while (ptr < n && sorted[ptr]! < i - 1e-9 * Math.max(1, Math.abs(w))) ptr++;
    nu[k] = 1 - ptr / n;
  }
  const vAt = (x: number): number => {
    let best = 0;
    for (let k = 0; k <= steps; k++) {
      const gamma = steps === 0 ? 1 : k / steps;
      if (gamma >= x - 1e-12 && nu[k]! > best) best = nu[k]!;
    }
    return best;
  };
  const iAt = (x: number): number => {
    for (let k = 0; k <= steps; k++) if (nu[k]! <= x) return gMin + k * w;
    return gMax + w;
  };
  const v10 = vAt(0.1), v90 = vAt(0.9), i10 = iAt(0.1), i90 = iAt(0.9);
  return { V10: v10, V90: v90, I10: i10, I90: i90, V10minusV90: v10 - v90, I10minusI90: i10 - i90 };
}

/**
 * IBSI local intensity (3.2): the mean intensity of the image (all voxels, not only the ROI)
 * within a sphere of 1 cm³ (radius (3/(4π))^(1/3) cm ≈ 6.2 mm, voxel centres at most that far)
 * around a voxel. Local peak: around the ROI voxel(s) of highest intensity (the largest mean when
 * several share it); global peak: the largest mean over all ROI voxels.
 * `image` and `roi` are blocks of the same size (x fastest) that extend at least the radius beyond the ROI.
 */
export function ibsiLocalIntensity(
  image: Float64Array,
  roi: Uint8Array,
  size: readonly [number, number, number],
  spacing: readonly [number, number, number],
): Record<string, number> {
  const [nx, ny, nz] = size;
  const r = Math.cbrt(3 / (4 * Math.PI)) * 10;
  const rx = Math.floor(r / spacing[0]), ry = Math.floor(r / spacing[1]), rz = Math.floor(r / spacing[2]);
  const offs: number[] = [];
  const oi: number[] = [];
  for (let dz = -rz; dz <= rz; dz++) {
    for (let dy = -ry; dy <= ry; dy++) {
      for (let dx = -rx; dx <= rx; dx++) {
        const d2 = (dx * spacing[0]) ** 2 + (dy * spacing[1]) ** 2 + (dz * spacing[2]) ** 2;
        if (d2 <= r * r * (1 + 1e-12)) {
          offs.push(dx, dy, dz);
          oi.push(dx + nx * (dy + ny * dz));
        }
      }
    }
  }
  const sphereMean = (i: number, j: number, k: number): number => {
    let s = 0, c = 0;
    for (let q = 0; q < oi.length; q++) {
      const a = i + offs[3 * q]!, b = j + offs[3 * q + 1]!, e = k + offs[3 * q + 2]!;
      if (a < 0 || b < 0 || e < 0 || a >= nx || b >= ny || e >= nz) continue;
      s += image[a + nx * (b + ny * e)]!;
      c++;
    }
    return s / c;
  };
  let maxI = -Infinity;
  for (let v = 0; v < roi.length; v++) if (roi[v] && image[v]! > maxI) maxI = image[v]!;
  let local = -Infinity, global = -Infinity;
  for (let k = 0, v = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        if (!roi[v]) continue;
        const m = sphereMean(i, j, k);
        if (m > global) global = m;
        if (image[v] === maxI && m > local) local = m;
      }
    }
  }
  return { LocalIntensityPeak: local, GlobalIntensityPeak: global };
}
