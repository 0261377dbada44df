import type { Vec3 } from '../../src/image';
import { extractIbsiFeatures } from '../../src/extract-ibsi';
import type { IbsiTextureRoi } from '../../features/ibsi-common';
import { ibsiGlcmCounts, ibsiGlcmFeatures } from '../../features/ibsi-glcm';
import { ibsiGlrlmMatrix, ibsiGlrlmFeaturesAggregated } from '../../features/ibsi-glrlm';
import { ibsiGlszmMatrix } from '../../features/ibsi-glszm';
import { ibsiEdgeDistance } from '../../features/ibsi-gldzm';
import { ibsiNgtdm, ibsiNgtdmFeatures } from '../../features/ibsi-ngtdm';
import { ibsiNgldmMatrix } from '../../features/ibsi-ngldm';
import { ibsiDistributionStats, ibsiHistogramFeatures, ibsiIvhFeatures, ibsiPercentile } from '../../features/ibsi-intensity';
import { convexHull, ellipsoidArea, ibsiMorphologyFeatures } from '../../features/ibsi-morphology';

function roi(levels: number[], size: Vec3, ng: number): IbsiTextureRoi {
  return { size, spacing: [1, 1, 1], levels: Int32Array.from(levels), ng };
}

describe('IBSI texture matrices on tiny volumes', () => {
  test('GLCM: row [1, 2, 2], direction x, symmetric', () => {
    const r = roi([1, 2, 2], [3, 1, 1], 2);
    expect(Array.from(ibsiGlcmCounts(r, [1, 0, 0], null))).toEqual([0, 1, 1, 2]);
    const f = ibsiGlcmFeatures(ibsiGlcmCounts(r, [1, 0, 0], null), 2)!;
    expect(f.JointMaximum).toBeCloseTo(0.5, 15);
    expect(f.Contrast).toBeCloseTo(0.5, 15);
    expect(f.AngularSecondMoment).toBeCloseTo(0.375, 15);
    // NID uses Ng = 2: p(|i−j| = 1) = 0.5 → 0.5 + 0.5/(1 + 1/2)
    expect(f.NormalisedInverseDifference).toBeCloseTo(0.5 + 0.5 / 1.5, 15);
    expect(ibsiGlcmFeatures(ibsiGlcmCounts(r, [0, 1, 0], null), 2)).toBeNull();
  });

  test('GLRLM: row [1, 1, 2] has a run of 1s of length 2 and a run of 2s of length 1', () => {
    const r = roi([1, 1, 2], [3, 1, 1], 2);
    const m = ibsiGlrlmMatrix(r, [1, 0, 0], null);
    expect(m.m[0 * m.ncol + 1]).toBe(1);
    expect(m.m[1 * m.ncol + 0]).toBe(1);
    const f = ibsiGlrlmFeaturesAggregated(r, '2D_averaged');
    // only the x direction has runs of length > 1; y and the diagonals give 3 runs of length 1
    const fx = { SRE: (1 / 4 + 1) / 2, RP: 2 / 3 };
    expect(f.ShortRunsEmphasis).toBeCloseTo((fx.SRE + 3 * 1) / 4, 15);
    expect(f.RunPercentage).toBeCloseTo((fx.RP + 3 * 1) / 4, 15);
  });

  test('GLSZM: 3×3 checkerboard gives one 8-connected zone per level', () => {
    const r = roi([1, 2, 1, 2, 1, 2, 1, 2, 1], [3, 3, 1], 2);
    const m = ibsiGlszmMatrix(r, 0);
    expect(m.ncol).toBe(5);
    expect(m.m[0 * 5 + 4]).toBe(1);
    expect(m.m[1 * 5 + 3]).toBe(1);
    expect(m.m.reduce((a, b) => a + b, 0)).toBe(2);
  });

  test('GLDZM edge distance: 4-connected in a slice, 6-connected in 3D', () => {
    const mask = new Uint8Array(9).fill(1);
    expect(Array.from(ibsiEdgeDistance(mask, [3, 3, 1], 0))).toEqual([1, 1, 1, 1, 2, 1, 1, 1, 1]);
    expect(Array.from(ibsiEdgeDistance(mask, [3, 3, 1], null))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const cube = new Uint8Array(27).fill(1);
    expect(ibsiEdgeDistance(cube, [3, 3, 3], null)[13]).toBe(2);
  });

  test('NGTDM leaves out voxels without neighbours in the ROI (IBSI, unlike PyRadiomics)', () => {
    expect(ibsiNgtdmFeatures(ibsiNgtdm(roi([1, 0, 2], [3, 1, 1], 2), null))).toBeNull();
    const m = ibsiNgtdm(roi([1, 2, 0, 0, 2], [5, 1, 1], 2), null);
    expect(Array.from(m.n)).toEqual([1, 1]);
    expect(Array.from(m.s)).toEqual([1, 1]);
    const f = ibsiNgtdmFeatures(m)!;
    expect(f.Coarseness).toBeCloseTo(1, 15); // 1/Σ p_i s_i = 1/(0.5 + 0.5)
    expect(f.Strength).toBeCloseTo(((0.5 + 0.5) * 1 + (0.5 + 0.5) * 1) / 2, 15); // Σ_ij (p_i + p_j)(i − j)² / Σ s_i
  });

  test('NGLDM counts the centre voxel: j = 1 + dependent neighbours', () => {
    const m = ibsiNgldmMatrix(roi([1, 1, 2], [3, 1, 1], 2), 0);
    expect(m.m[0 * m.ncol + 1]).toBe(2);
    expect(m.m[1 * m.ncol + 0]).toBe(1);
  });
});

describe('IBSI intensity families', () => {
  test('statistics: excess kurtosis, numpy-linear percentiles, QCoD', () => {
    const s = ibsiDistributionStats([1, 2, 3, 4]);
    expect(s.Kurtosis).toBeCloseTo(2.5625 / 1.5625 - 3, 14);
    expect(s.Median).toBe(2.5);
    expect(ibsiPercentile(Float64Array.of(1, 2, 3, 4), 0.1)).toBeCloseTo(1.3, 14);
    expect(s.QuartileCoefficientOfDispersion).toBeCloseTo((3.25 - 1.75) / (3.25 + 1.75), 14);
    expect(s.Variance).toBeCloseTo(1.25, 14);
  });

  test('histogram: mode tie goes to the bin nearest the mean; gradients one-sided at the ends', () => {
    const f = ibsiHistogramFeatures([1, 1, 3, 3, 3, 4, 4, 4], 4);
    expect(f.Mode).toBe(3); // counts 3 and 4 tie, mean 2.875
    expect(f.MaximumHistogramGradient).toBe(1.5); // H'(2) = (3 − 2)/2 = 0.5, H'(3) = (3 − 0)/2
    expect(f.MaximumHistogramGradientIntensity).toBe(3);
    expect(f.MinimumHistogramGradient).toBe(-2); // H'(1) = 0 − 2
    expect(f.MinimumHistogramGradientIntensity).toBe(1);
  });

  test('IVH on the range [1, 6] with interval 1 (manual example: intensities 2 and 5 absent still count)', () => {
    const f = ibsiIvhFeatures([1, 1, 3, 4, 6], 1, 6, 1);
    expect(f.V10).toBeCloseTo(3 / 5, 15); // γ(2) = 0.2 ≥ 0.1: ν(2) = 3/5
    expect(f.V90).toBeCloseTo(1 / 5, 15); // γ(6) = 1: ν(6) = 1/5
    expect(f.I10).toBe(7); // no intensity in [1, 6] has ν ≤ 0.1: one past the range
    expect(f.I90).toBe(2);
  });
});

describe('IBSI morphology helpers', () => {
  test('convex hull of a cube with interior and face points', () => {
    const pts: number[] = [];
    for (const x of [0, 0.5, 1]) for (const y of [0, 0.5, 1]) for (const z of [0, 0.5, 1]) pts.push(x, y, z);
    const h = convexHull(Float64Array.from(pts));
    expect(h.volume).toBeCloseTo(1, 12);
    expect(h.area).toBeCloseTo(6, 12);
  });

  test('ellipsoid area series (as the manual prints it): sphere exact, near-sphere close, continuous at a = b', () => {
    expect(ellipsoidArea(1, 1, 1)).toBeCloseTo(4 * Math.PI, 12);
    expect(ellipsoidArea(3, 3, 3)).toBeCloseTo(36 * Math.PI, 10);
    // numerically integrated surface of the (1.2, 1.1, 1) ellipsoid: 15.1886 (the series is within 0.3 %)
    expect(Math.abs(ellipsoidArea(1.2, 1.1, 1) / 15.18864 - 1)).toBeLessThan(3e-3);
    expect(ellipsoidArea(2, 2, 1)).toBeCloseTo(ellipsoidArea(2, 2 - 1e-6, 1), 4);
  });

  test('a 2×2×2 block of voxels: voxel volume, no centre-of-mass shift, AABB of the mesh', () => {
    const size: Vec3 = [4, 4, 4];
    const mask = new Uint8Array(64);
    for (let k = 1; k <= 2; k++) for (let j = 1; j <= 2; j++) for (let i = 1; i <= 2; i++) mask[i + 4 * (j + 4 * k)] = 1;
    const img = new Float64Array(64).fill(5);
    const f = ibsiMorphologyFeatures(img, mask, mask, size, [1, 1, 1]);
    expect(f.VolumeVoxelCounting).toBe(8);
    expect(f.CentreOfMassShift).toBeCloseTo(0, 14);
    expect(f.IntegratedIntensity).toBeCloseTo(5 * f.VolumeMesh!, 12);
    expect(f.VolumeDensityAABB).toBeCloseTo(f.VolumeMesh! / 8, 12);
    expect(f.MoransI).toBe(1); // constant intensities: defined as 1 here
  });
});

describe('IBSI pipeline conventions', () => {
  const geo = { spacing: [1, 1, 1] as Vec3, origin: [0, 0, 0] as Vec3, direction: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1) };
  const image = { ...geo, size: [5, 1, 1] as Vec3, data: Float64Array.of(-600, -400, -380, 0, 399) };
  const mask = { ...geo, size: [5, 1, 1] as Vec3, data: Int32Array.of(1, 1, 1, 1, 1) };

  test('FBS bins start at the lower re-segmentation bound; voxels outside the range leave the intensity mask only', () => {
    const f = extractIbsiFeatures(image, mask, {
      resegmentRange: [-500, 400],
      discretisation: { method: 'FBS', binWidth: 25 },
      families: ['ih', 'stat'],
    });
    // (−400 + 500)/25 = 4 → 5; −380 → 5; 0 → 21; 399 → 36
    expect(f.ibsi_ih_Minimum).toBe(5);
    expect(f.ibsi_ih_Maximum).toBe(36);
    expect(f.ibsi_ih_Mean).toBeCloseTo((5 + 5 + 21 + 36) / 4, 14);
    expect(f.ibsi_stat_Minimum).toBe(-400);
  });

  test('FBN: ⌊N_g (x − min)/(max − min)⌋ + 1 over the ROI range, the maximum in the top bin', () => {
    const f = extractIbsiFeatures(image, mask, {
      resegmentRange: [-500, 400],
      discretisation: { method: 'FBN', binCount: 4 },
      families: ['ih'],
    });
    // range [−400, 399]: −400 → 1, −380 → 1, 0 → ⌊4·400/799⌋ + 1 = 3, 399 → 4
    expect(f.ibsi_ih_Mean).toBeCloseTo((1 + 1 + 3 + 4) / 4, 14);
    expect(f.ibsi_ih_Maximum).toBe(4);
  });

  test('outlier filtering (mean ± 3 SD of the ROI) intersects with the range', () => {
    const data = new Float64Array(30).fill(10);
    data[0] = 1000;
    data[1] = 11;
    const img = { ...geo, size: [30, 1, 1] as Vec3, data };
    const msk = { ...geo, size: [30, 1, 1] as Vec3, data: new Int32Array(30).fill(1) };
    const f = extractIbsiFeatures(img, msk, { outlierSigma: 3, discretisation: { method: 'FBN', binCount: 2 }, families: ['stat'] });
    expect(f.ibsi_stat_Maximum).toBe(11);
    const g = extractIbsiFeatures(img, msk, { outlierSigma: 3, resegmentRange: [10.5, 2000], discretisation: { method: 'FBN', binCount: 2 }, families: ['stat'] });
    expect(g.ibsi_stat_Minimum).toBe(11);
    expect(g.ibsi_stat_Maximum).toBe(11);
  });
});
