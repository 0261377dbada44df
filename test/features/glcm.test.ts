import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { glcmAngleWeights, glcmFeatures, glcmMatrices, GLCM_FEATURE_NAMES, nanmean, symmetricEigenvalues } from '../../features/glcm';
import type { DiscretisedRoi, TextureSettings } from '../../features/roi';
import type { Vec3 } from '../../src/image';
import { brain1Roi, configSettings, expectedValues, relErr, textureSettingsOf } from './brain1';
import { roiFrom } from '../support/roi';

const expected = expectedValues();
const EPS = 2.220446049250313e-16;

/** The matrix of direction a as rows of plain numbers. */
function angleRows(m: { P: Float64Array; grayLevels: Float64Array }, a: number): number[][] {
  const n = m.grayLevels.length;
  return Array.from({ length: n }, (_, r) => Array.from(m.P.subarray(a * n * n + r * n, a * n * n + (r + 1) * n)));
}

/** The directions as [dx, dy, dz] triples. */
function angleList(angles: Int32Array): number[][] {
  return Array.from({ length: angles.length / 3 }, (_, a) => Array.from(angles.subarray(3 * a, 3 * a + 3)));
}

// Baselines: PyRadiomics' own brain1 regression values. Their MCC values in all configs but
// 'original' carry only 12 significant digits (rounding up to 1e-12 relative; we reach 8.9e-13);
// every other value agrees to 8e-15 or better.
describe.each(['original', 'normalization', 'resegmentation', '2d', 'FBN', 'combined', 'flatRegion'])('GLCM on brain1, config %s', (config) => {
  test('all 24 features match the PyRadiomics baseline', async () => {
    const roi = await brain1Roi(config);
    const got = glcmFeatures(roi, textureSettingsOf(config));
    const exp = expected.get(config)!;
    expect(Object.keys(got).sort()).toEqual([...GLCM_FEATURE_NAMES].sort());
    for (const name of GLCM_FEATURE_NAMES) {
      const e = exp.get(`original_glcm_${name}`);
      expect(e).toBeDefined();
      const err = Math.abs(e!) < 1e-12 ? Math.abs(got[name]! - e!) : relErr(got[name]!, e!);
      if (!(err < (name === 'MCC' ? 1.5e-12 : 1e-13))) throw new Error(`${config} ${name}: got ${got[name]}, expected ${e}, error ${err}`);
    }
  });
});

describe('GLCM on hand-made volumes', () => {
  // 3 × 3 checkerboard in one slice: horizontal and vertical neighbours always differ, diagonal
  // neighbours never do.
  const checker = roiFrom([
    [
      [1, 2, 1],
      [2, 1, 2],
      [1, 2, 1],
    ],
  ]);

  test('checkerboard matrices: 4 in-plane directions, symmetric counts', () => {
    const m = glcmMatrices(checker);
    // numpy order (z, y, x) = (0,1,1), (0,1,0), (0,1,-1), (0,0,1), given here as [dx, dy, dz]
    expect(angleList(m.angles)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [-1, 1, 0],
      [1, 0, 0],
    ]);
    expect(Array.from(m.grayLevels)).toEqual([1, 2]);
    expect(m.Ng).toBe(2);
    expect(angleRows(m, 0)).toEqual([
      [4, 0],
      [0, 4],
    ]);
    expect(angleRows(m, 1)).toEqual([
      [0, 6],
      [6, 0],
    ]);
    expect(angleRows(m, 2)).toEqual([
      [4, 0],
      [0, 4],
    ]);
    expect(angleRows(m, 3)).toEqual([
      [0, 6],
      [6, 0],
    ]);
    // without symmetry: 3 pairs each way horizontally, 2 per level diagonally
    const a = glcmMatrices(checker, { symmetricalGLCM: false });
    expect(angleRows(a, 3)).toEqual([
      [0, 3],
      [3, 0],
    ]);
    expect(angleRows(a, 0)).toEqual([
      [2, 0],
      [0, 2],
    ]);
  });

  test('checkerboard features, worked by hand (mean of 2 off-diagonal and 2 diagonal directions)', () => {
    const f = glcmFeatures(checker);
    // off-diagonal directions: p = [[0, .5], [.5, 0]]; diagonal ones: p = [[.5, 0], [0, .5]]
    expect(f.Autocorrelation).toBeCloseTo((2 + 2 + 2.5 + 2.5) / 4, 14);
    expect(f.JointAverage).toBeCloseTo(1.5, 14);
    expect(f.Contrast).toBeCloseTo(0.5, 14);
    expect(f.Correlation).toBeCloseTo(0, 14); // −1, −1, +1, +1
    expect(f.ClusterTendency).toBeCloseTo(0.5, 14);
    expect(f.ClusterShade).toBeCloseTo(0, 14);
    expect(f.ClusterProminence).toBeCloseTo(0.5, 14);
    expect(f.DifferenceAverage).toBeCloseTo(0.5, 14);
    expect(f.DifferenceVariance).toBeCloseTo(0, 14);
    expect(f.DifferenceEntropy).toBeCloseTo(0, 14);
    expect(f.JointEnergy).toBeCloseTo(0.5, 14);
    expect(f.JointEntropy).toBeCloseTo(1, 14);
    expect(f.Imc1).toBeCloseTo(-1, 14); // (HXY − HXY1) / HX = (1 − 2) / 1
    expect(f.Imc2).toBeCloseTo(Math.sqrt(1 - Math.exp(-2)), 14); // HXY2 = 2, HXY = 1
    expect(f.Idm).toBeCloseTo(0.75, 14);
    expect(f.Id).toBeCloseTo(0.75, 14);
    expect(f.Idmn).toBeCloseTo((1 / (1 + 1 / 4) + 1) / 2, 14);
    expect(f.Idn).toBeCloseTo((1 / (1 + 1 / 2) + 1) / 2, 14);
    expect(f.InverseVariance).toBeCloseTo(0.5, 14);
    expect(f.MaximumProbability).toBe(0.5);
    expect(f.SumAverage).toBeCloseTo(3, 14);
    expect(f.SumEntropy).toBeCloseTo(0.5, 14);
    expect(f.SumSquares).toBeCloseTo(0.25, 14);
    expect(f.MCC).toBeCloseTo(1, 12); // Q = I in every direction
  });

  test('weightingNorm: directions summed with exp(−distance²) weights before the features', () => {
    // spacing 1: off-diagonal directions (one unit step) weigh exp(−1) under every norm;
    // diagonal ones exp(−4) (manhattan), exp(−2) (euclidean), exp(−1) (infinity)
    const cases: [TextureSettings['weightingNorm'], number][] = [
      ['manhattan', Math.exp(-4)],
      ['euclidean', Math.exp(-2)],
      ['infinity', Math.exp(-1)],
      ['no_weighting', 1],
    ];
    for (const [norm, wd] of cases) {
      const wo = norm === 'no_weighting' ? 1 : Math.exp(-1);
      const f = glcmFeatures(checker, { weightingNorm: norm });
      // summed matrix: off-diagonal entries 2 × 6 wo, diagonal entries 2 × 4 wd
      const off = 24 * wo;
      const dia = 16 * wd;
      expect(f.Contrast).toBeCloseTo(off / (off + dia), 14);
      expect(f.MaximumProbability).toBeCloseTo(Math.max(off, dia) / 2 / (off + dia), 14);
      expect(f.JointAverage).toBeCloseTo(1.5, 14);
    }
    expect(glcmFeatures(checker, { weightingNorm: 'no_weighting' }).Contrast).toBeCloseTo(0.6, 15);
    expect(() => glcmFeatures(checker, { weightingNorm: 'chebyshev' as unknown as 'infinity' })).toThrow(/weightingNorm/);
  });

  test('direction weights use the physical offset (spacing [x, y, z])', () => {
    const angles = Int32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
    const spacing = [0.5, 2, 3];
    const e = glcmAngleWeights(angles, spacing, 'euclidean');
    expect(Array.from(e)).toEqual([Math.exp(-0.25), Math.exp(-4), Math.exp(-9), Math.exp(-(9 + 4 + 0.25))]);
    const m = glcmAngleWeights(angles, spacing, 'manhattan');
    expect(m[3]).toBeCloseTo(Math.exp(-(5.5 ** 2)), 20);
    const i = glcmAngleWeights(angles, spacing, 'infinity');
    expect(i[3]).toBe(Math.exp(-9));
  });

  test('i and j are the gray levels present; Idn and Idmn divide by Ng = the largest level', () => {
    const roi = roiFrom([[[1, 5]]]);
    const m = glcmMatrices(roi);
    expect(angleList(m.angles)).toEqual([[1, 0, 0]]);
    expect(Array.from(m.grayLevels)).toEqual([1, 5]);
    expect(m.Ng).toBe(5);
    expect(angleRows(m, 0)).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const f = glcmFeatures(roi);
    expect(f.Autocorrelation).toBeCloseTo(5, 14);
    expect(f.SumAverage).toBeCloseTo(6, 14);
    expect(f.Contrast).toBeCloseTo(16, 14);
    expect(f.Id).toBeCloseTo(1 / 5, 15);
    expect(f.Idn).toBeCloseTo(1 / (1 + 4 / 5), 15);
    expect(f.Idmn).toBeCloseTo(1 / (1 + 16 / 25), 15);
    expect(f.InverseVariance).toBeCloseTo(1 / 16, 15);
  });

  test('distances: pairs at Chebyshev distance 2 only', () => {
    const roi = roiFrom([[[1, 2, 3]]]);
    const m = glcmMatrices(roi, { distances: [2] });
    expect(angleList(m.angles)).toEqual([[2, 0, 0]]);
    expect(angleRows(m, 0)).toEqual([
      [0, 0, 1],
      [0, 0, 0],
      [1, 0, 0],
    ]);
    expect(glcmFeatures(roi, { distances: [2] }).Contrast).toBeCloseTo(4, 14);
    expect(glcmFeatures(roi).Contrast).toBeCloseTo(1, 14);
  });

  test('asymmetric GLCM; a level that is never a reference voxel gives Q a zero row (MCC)', () => {
    const roi = roiFrom([[[1, 2, 3]]]);
    const m = glcmMatrices(roi, { symmetricalGLCM: false });
    expect(angleRows(m, 0)).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    const f = glcmFeatures(roi, { symmetricalGLCM: false });
    expect(f.JointAverage).toBeCloseTo(1.5, 15); // ux over the reference levels
    expect(f.SumAverage).toBeCloseTo(4, 15);
    // Q = diag(1, 1, 0): eigenvalues 0, 1, 1
    expect(f.MCC).toBeCloseTo(1, 12);
  });

  test('empty directions are deleted (JointAverage uses a plain mean and would be NaN)', () => {
    // two voxels touching only through a corner: one of the 13 directions holds a pair
    const roi = roiFrom([
      [
        [1, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [0, 2],
      ],
    ]);
    const m = glcmMatrices(roi);
    expect(m.angles.length / 3).toBe(13);
    const f = glcmFeatures(roi);
    expect(f.JointAverage).toBeCloseTo(1.5, 15);
    expect(f.Contrast).toBeCloseTo(1, 15);
    expect(f.Correlation).toBeCloseTo(-1, 14);
    // with force2D the corner pair is out of plane: no pair at all, every feature NaN
    const f2 = glcmFeatures(roi, { force2D: true, force2Ddimension: 0 });
    expect(f2.Contrast).toBeNaN();
    expect(f2.JointAverage).toBeNaN();
    expect(f2.MCC).toBeNaN();
  });

  test('a single gray level: PyRadiomics special cases (Correlation 1, MCC 1, Imc 0)', () => {
    const lvl = [
      [3, 3, 3],
      [3, 3, 3],
    ];
    const f = glcmFeatures(roiFrom([lvl, lvl]));
    expect(f.Correlation).toBe(1);
    expect(f.MCC).toBe(1);
    expect(f.Imc1).toBe(0);
    expect(f.Imc2).toBe(0);
    expect(f.JointEnergy).toBe(1);
    expect(f.Autocorrelation).toBe(9);
    expect(f.SumAverage).toBe(6);
    // −log2(1 + eps) per direction; the mean over 13 directions rounds in the last bit
    expect(Math.abs(f.JointEntropy! + Math.log2(1 + EPS))).toBeLessThan(1e-30);
    expect(f.Idmn).toBe(1);
    expect(f.InverseVariance).toBe(0);
  });

  test('empty ROI is refused', () => {
    expect(() => glcmFeatures(roiFrom([[[0, 0]]]))).toThrow(/empty/);
  });
});

describe('GLCM numerical helpers', () => {
  test('symmetric eigenvalues: tridiagonal Toeplitz matrix in closed form', () => {
    const n = 6;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const ev = Array.from(symmetricEigenvalues(a, n)).sort((u, v) => u - v);
    const exact = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    for (let k = 0; k < n; k++) expect(Math.abs(ev[k]! - exact[k]!)).toBeLessThan(1e-14);
  });

  test('symmetric eigenvalues agree with ml-matrix on dense matrices', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    for (const n of [2, 3, 7, 20]) {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rnd();
      const ref = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)))), { assumeSymmetric: true }).realEigenvalues.sort((u, v) => u - v);
      const ev = Array.from(symmetricEigenvalues(Float64Array.from(a), n)).sort((u, v) => u - v);
      for (let k = 0; k < n; k++) expect(Math.abs(ev[k]! - ref[k]!)).toBeLessThan(1e-13);
    }
  });

  test('MCC equals sqrt of the 2nd eigenvalue of the exact non-symmetric Q (general solver)', () => {
    // a random 6 × 5 × 3 volume with 6 levels, one of them rare, and holes: asymmetric GLCMs
    let seed = 777;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const slices = Array.from({ length: 3 }, () =>
      Array.from({ length: 5 }, () => Array.from({ length: 6 }, () => (rnd() < 0.1 ? 0 : rnd() < 0.03 ? 6 : 1 + Math.floor(rnd() * 5)))),
    );
    slices[1]![2]![3] = 6;
    const roi = roiFrom(slices);
    for (const symmetricalGLCM of [false, true]) {
      const m = glcmMatrices(roi, { symmetricalGLCM });
      const n = m.grayLevels.length;
      const per: number[] = [];
      for (let a = 0; a < m.angles.length / 3; a++) {
        const P = m.P.subarray(a * n * n, (a + 1) * n * n);
        const tot = P.reduce((u, v) => u + v, 0);
        if (tot === 0) continue;
        const p = Array.from(P, (v) => v / tot);
        const px = Array.from({ length: n }, (_, i) => p.slice(i * n, (i + 1) * n).reduce((u, v) => u + v, 0));
        const py = Array.from({ length: n }, (_, j) => p.filter((_, e) => e % n === j).reduce((u, v) => u + v, 0));
        const Q = Array.from({ length: n }, (_, i) =>
          Array.from({ length: n }, (_, j) => {
            let q = 0;
            for (let k = 0; k < n; k++) q += (p[i * n + k]! * p[j * n + k]!) / (px[i]! * py[k]! + EPS);
            return q;
          }),
        );
        const evd = new EigenvalueDecomposition(new Matrix(Q));
        expect(Math.max(...evd.imaginaryEigenvalues.map(Math.abs))).toBeLessThan(1e-12);
        const ev = [...evd.realEigenvalues].sort((u, v) => u - v);
        per.push(Math.sqrt(Math.max(ev[n - 2]!, 0)));
      }
      expect(per.length).toBeGreaterThan(0);
      const want = per.reduce((u, v) => u + v, 0) / per.length;
      expect(Math.abs(glcmFeatures(roi, { symmetricalGLCM }).MCC! - want)).toBeLessThan(1e-13);
    }
  });

  test('nanmean skips NaN; all NaN gives NaN', () => {
    expect(nanmean([1, NaN, 3])).toBe(2);
    expect(nanmean([NaN])).toBeNaN();
    expect(nanmean([])).toBeNaN();
  });
});
