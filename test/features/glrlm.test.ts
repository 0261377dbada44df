import { glrlmAngleWeights, glrlmFeatures, glrlmMatrices, GLRLM_FEATURE_NAMES } from '../../features/glrlm';
import type { DiscretisedRoi, TextureSettings } from '../../features/roi';
import type { Vec3 } from '../../src/image';
import { brain1Roi, configSettings, expectedValues, relErr, textureSettingsOf } from './brain1';
import { roiFrom } from '../support/roi';

const expected = expectedValues();
const EPS = 2.220446049250313e-16;

/** The matrix of direction a as rows (gray levels) of run-length counts 1..Nr. */
function angleRows(m: { P: Float64Array; grayLevels: Float64Array; Nr: number }, a: number): number[][] {
  const ng = m.grayLevels.length;
  const base = a * ng * m.Nr;
  return Array.from({ length: ng }, (_, g) => Array.from(m.P.subarray(base + g * m.Nr, base + (g + 1) * m.Nr)));
}

function angleList(angles: Int32Array): number[][] {
  return Array.from({ length: angles.length / 3 }, (_, a) => Array.from(angles.subarray(3 * a, 3 * a + 3)));
}

describe.each(['original', 'normalization', 'resegmentation', '2d', 'FBN', 'combined', 'flatRegion'])('GLRLM on brain1, config %s', (config) => {
  test('all 16 features match the PyRadiomics baseline', async () => {
    const roi = await brain1Roi(config);
    const got = glrlmFeatures(roi, textureSettingsOf(config));
    const exp = expected.get(config)!;
    expect(Object.keys(got).sort()).toEqual([...GLRLM_FEATURE_NAMES].sort());
    for (const name of GLRLM_FEATURE_NAMES) {
      const e = exp.get(`original_glrlm_${name}`);
      expect(e).toBeDefined();
      const err = Math.abs(e!) < 1e-12 ? Math.abs(got[name]! - e!) : relErr(got[name]!, e!);
      if (!(err < 1e-13)) throw new Error(`${config} ${name}: got ${got[name]}, expected ${e}, error ${err}`);
    }
  });
});

describe('GLRLM on hand-made volumes', () => {
  test('one row: a run of 1s (length 2) and a run of 2s (length 3), all 16 features by hand', () => {
    const roi = roiFrom([[[1, 1, 2, 2, 2]]]);
    const m = glrlmMatrices(roi);
    expect(angleList(m.angles)).toEqual([[1, 0, 0]]);
    expect(m.Nr).toBe(5);
    expect(angleRows(m, 0)).toEqual([
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
    ]);
    const f = glrlmFeatures(roi);
    expect(f.ShortRunEmphasis).toBeCloseTo((1 / 4 + 1 / 9) / 2, 15);
    expect(f.LongRunEmphasis).toBeCloseTo((4 + 9) / 2, 14);
    expect(f.GrayLevelNonUniformity).toBe(1);
    expect(f.GrayLevelNonUniformityNormalized).toBe(0.5);
    expect(f.RunLengthNonUniformity).toBe(1);
    expect(f.RunLengthNonUniformityNormalized).toBe(0.5);
    expect(f.RunPercentage).toBeCloseTo(2 / 5, 15);
    expect(f.GrayLevelVariance).toBeCloseTo(0.25, 15);
    expect(f.RunVariance).toBeCloseTo(0.25, 15);
    expect(f.RunEntropy).toBeCloseTo(1, 14);
    expect(f.LowGrayLevelRunEmphasis).toBeCloseTo((1 + 1 / 4) / 2, 15);
    expect(f.HighGrayLevelRunEmphasis).toBeCloseTo((1 + 4) / 2, 15);
    expect(f.ShortRunLowGrayLevelEmphasis).toBeCloseTo((1 / 4 + 1 / (4 * 9)) / 2, 15);
    expect(f.ShortRunHighGrayLevelEmphasis).toBeCloseTo((1 / 4 + 4 / 9) / 2, 15);
    expect(f.LongRunLowGrayLevelEmphasis).toBeCloseTo((4 + 9 / 4) / 2, 14);
    expect(f.LongRunHighGrayLevelEmphasis).toBeCloseTo((4 + 36) / 2, 14);
  });

  test('a voxel outside the ROI ends a run; run lengths that never occur are deleted', () => {
    const roi = roiFrom([[[1, 1, 0, 1]]]);
    expect(angleRows(glrlmMatrices(roi), 0)).toEqual([[1, 1, 0, 0]]);
    const f = glrlmFeatures(roi);
    expect(f.RunPercentage).toBeCloseTo(2 / 3, 15);
    // with lengths 3, 4 deleted, the run-length marginal is (1, 1): RLNN = 2 / 4, RunVariance = 0.25
    expect(f.RunLengthNonUniformityNormalized).toBe(0.5);
    expect(f.RunVariance).toBeCloseTo(0.25, 15);
    expect(f.GrayLevelVariance).toBe(0);
  });

  const checker = roiFrom([
    [
      [1, 2, 1],
      [2, 1, 2],
      [1, 2, 1],
    ],
  ]);

  test('3 × 3 checkerboard: runs of 1 across, diagonal runs of 1, 2, 3', () => {
    const m = glrlmMatrices(checker);
    expect(angleList(m.angles)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [-1, 1, 0],
      [1, 0, 0],
    ]);
    const diag = [
      [2, 0, 1],
      [0, 2, 0],
    ];
    const across = [
      [5, 0, 0],
      [4, 0, 0],
    ];
    expect(angleRows(m, 0)).toEqual(diag);
    expect(angleRows(m, 1)).toEqual(across);
    expect(angleRows(m, 2)).toEqual(diag);
    expect(angleRows(m, 3)).toEqual(across);
    const f = glrlmFeatures(checker);
    // Np = 9 in every direction: 9 runs across, 5 along the diagonals
    expect(f.RunPercentage).toBeCloseTo((1 + 1 + 5 / 9 + 5 / 9) / 4, 15);
    expect(f.ShortRunEmphasis).toBeCloseTo((1 + 1 + 2 * ((2 + 2 / 4 + 1 / 9) / 5)) / 4, 15);
    expect(f.GrayLevelNonUniformity).toBeCloseTo((41 / 9 + 41 / 9 + 13 / 5 + 13 / 5) / 4, 14);
  });

  test('weightingNorm sums the directions with distance weights; RunPercentage uses the summed Np', () => {
    // manhattan, spacing 1: weight 1 across, 2 along the diagonals
    const f = glrlmFeatures(checker, { weightingNorm: 'manhattan' });
    expect(f.RunPercentage).toBeCloseTo((9 + 9 + 2 * 5 + 2 * 5) / (9 + 9 + 2 * 9 + 2 * 9), 15);
    expect(f.ShortRunEmphasis).toBeCloseTo((18 + 4 * (2 + 2 / 4 + 1 / 9)) / 38, 15);
    const nw = glrlmFeatures(checker, { weightingNorm: 'no_weighting' });
    expect(nw.RunPercentage).toBeCloseTo(28 / 36, 15);
    expect(nw.LongRunEmphasis).toBeCloseTo((18 + 2 * (2 + 2 * 4 + 9)) / 28, 14);
    // euclidean: diagonals weigh sqrt(2); infinity: 1 (same as no_weighting after normalisation)
    const eu = glrlmFeatures(checker, { weightingNorm: 'euclidean' });
    const s2 = Math.SQRT2;
    expect(eu.RunPercentage).toBeCloseTo((18 + 10 * s2) / (18 + 18 * s2), 15);
    expect(glrlmFeatures(checker, { weightingNorm: 'infinity' }).RunPercentage).toBeCloseTo(28 / 36, 15);
  });

  test('direction weights (GLRLM: the distance itself, not an exponential), spacing [x, y, z]', () => {
    const angles = Int32Array.from([1, 0, 0, 0, 1, 0, 1, 1, 1]);
    const spacing = [0.5, 2, 3];
    expect(Array.from(glrlmAngleWeights(angles, spacing, 'manhattan'))).toEqual([0.5, 2, 5.5]);
    expect(Array.from(glrlmAngleWeights(angles, spacing, 'infinity'))).toEqual([0.5, 2, 3]);
    expect(glrlmAngleWeights(angles, spacing, 'euclidean')[2]).toBeCloseTo(Math.sqrt(9 + 4 + 0.25), 15);
    expect(Array.from(glrlmAngleWeights(angles, spacing, 'no_weighting'))).toEqual([1, 1, 1]);
    expect(() => glrlmAngleWeights(angles, spacing, 'chebyshev' as unknown as 'infinity')).toThrow(/weightingNorm/);
  });

  test('a direction along which no line holds two ROI voxels is emptied and dropped', () => {
    // voxels at (x, z) = (0, 0) and (1, 1): only the (dx, dz) = (1, 1) direction links them
    const roi = roiFrom([[[1, 0]], [[0, 1]]]);
    const m = glrlmMatrices(roi);
    expect(m.angles.length / 3).toBe(4);
    const kept = angleList(m.angles)
      .map((a, i) => ({ a, total: angleRows(m, i).flat().reduce((u, v) => u + v, 0) }))
      .filter((x) => x.total > 0);
    expect(kept).toEqual([{ a: [1, 0, 1], total: 1 }]);
    const f = glrlmFeatures(roi);
    expect(f.ShortRunEmphasis).toBe(0.25);
    expect(f.RunPercentage).toBe(0.5);
    // force2D (axial): in-plane lines hold one voxel each, so every direction is empty: NaN
    expect(glrlmFeatures(roi, { force2D: true, force2Ddimension: 0 }).RunPercentage).toBeNaN();
    // force2D across y (numpy axis 1 = y): the x–z plane keeps the diagonal
    expect(glrlmFeatures(roi, { force2D: true, force2Ddimension: 1 }).RunPercentage).toBe(0.5);
  });

  test('two ROI voxels on one line with a gap keep the direction (PyRadiomics counts voxels per line)', () => {
    const roi = roiFrom([[[1, 0, 1]]]);
    expect(angleRows(glrlmMatrices(roi), 0)).toEqual([[2, 0, 0]]);
    const f = glrlmFeatures(roi);
    expect(f.RunPercentage).toBe(1);
    expect(f.ShortRunEmphasis).toBe(1);
  });

  test('uniform 2 × 2 × 2 block: runs of 2 along axes and diagonals', () => {
    const lvl = [
      [4, 4],
      [4, 4],
    ];
    const roi = roiFrom([lvl, lvl]);
    const m = glrlmMatrices(roi);
    expect(m.angles.length / 3).toBe(13);
    // axis directions: 4 runs of 2; face diagonals: 2 runs of 2 + 4 of 1; body diagonals: 1 run of 2 + 6 of 1
    expect(angleRows(m, 12)).toEqual([[0, 4]]); // (dx, dy, dz) = (1, 0, 0)
    expect(angleRows(m, 0)).toEqual([[6, 1]]); // (1, 1, 1)
    expect(angleRows(m, 1)).toEqual([[4, 2]]); // (0, 1, 1)
    const f = glrlmFeatures(roi);
    const rpAxis = 4 / 8;
    const rpFace = 6 / 8;
    const rpBody = 7 / 8;
    expect(f.RunPercentage).toBeCloseTo((3 * rpAxis + 6 * rpFace + 4 * rpBody) / 13, 15);
    expect(f.GrayLevelVariance).toBe(0);
    expect(f.GrayLevelNonUniformityNormalized).toBe(1);
    expect(f.RunEntropy).toBeCloseTo(
      (3 * -Math.log2(1 + EPS) +
        6 * -((2 / 6) * Math.log2(2 / 6 + EPS) + (4 / 6) * Math.log2(4 / 6 + EPS)) +
        4 * -((1 / 7) * Math.log2(1 / 7 + EPS) + (6 / 7) * Math.log2(6 / 7 + EPS))) /
        13,
      14,
    );
  });

  test('empty ROI is refused', () => {
    expect(() => glrlmFeatures(roiFrom([[[0, 0]]]))).toThrow(/empty/);
  });
});
