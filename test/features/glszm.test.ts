import { glszmFeatures, glszmMatrix, GLSZM_FEATURE_NAMES } from '../../features/glszm';
import type { DiscretisedRoi, TextureSettings } from '../../features/roi';
import type { Vec3 } from '../../src/image';
import { brain1Roi, configSettings, expectedValues, relErr, textureSettingsOf } from './brain1';
import { roiFrom } from '../support/roi';

const expected = expectedValues();

/** The matrix as rows of plain numbers. */
function rows(m: { P: Float64Array; ivector: Float64Array; jvector: Float64Array }): number[][] {
  const nj = m.jvector.length;
  return Array.from(m.ivector, (_, i) => Array.from(m.P.subarray(i * nj, (i + 1) * nj)));
}

describe.each(['original', 'normalization', 'resegmentation', '2d', 'FBN', 'flatRegion'])('GLSZM on brain1, config %s', (config) => {
  test('all 16 features match the PyRadiomics baseline', async () => {
    const roi = await brain1Roi(config);
    const got = glszmFeatures(roi, textureSettingsOf(config));
    const exp = expected.get(config)!;
    expect(Object.keys(got).sort()).toEqual([...GLSZM_FEATURE_NAMES].sort());
    for (const name of GLSZM_FEATURE_NAMES) {
      const e = exp.get(`original_glszm_${name}`);
      expect(e).toBeDefined();
      if (Math.abs(e!) < 1e-12) expect(Math.abs(got[name]!)).toBeLessThan(1e-12);
      else expect(relErr(got[name]!, e!)).toBeLessThan(1e-12);
    }
  });
});

describe('GLSZM on hand-made volumes', () => {
  // The 5 × 5 example of PyRadiomics' GLSZM documentation, worked by hand (8-connected zones).
  const doc = roiFrom([
    [
      [5, 2, 5, 4, 4],
      [3, 3, 3, 1, 3],
      [2, 1, 1, 1, 3],
      [4, 2, 2, 2, 3],
      [3, 5, 3, 3, 2],
    ],
  ]);

  test('5 × 5 example: zones are 8-connected within the slice', () => {
    const m = glszmMatrix(doc);
    expect(Array.from(m.ivector)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(m.jvector)).toEqual([1, 2, 3, 4, 5]);
    expect(rows(m)).toEqual([
      [0, 0, 0, 1, 0],
      [1, 0, 0, 0, 1],
      [1, 0, 1, 0, 1],
      [1, 1, 0, 0, 0],
      [3, 0, 0, 0, 0],
    ]);
    expect(m.Np).toBe(25);
    // force2D along z changes nothing for a single slice.
    expect(rows(glszmMatrix(doc, { force2D: true, force2Ddimension: 0 }))).toEqual(rows(m));
  });

  test('3 × 3 checkerboard: one zone per level (diagonal connection)', () => {
    const roi = roiFrom([
      [
        [1, 2, 1],
        [2, 1, 2],
        [1, 2, 1],
      ],
    ]);
    const m = glszmMatrix(roi);
    expect(Array.from(m.jvector)).toEqual([4, 5]);
    expect(rows(m)).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const f = glszmFeatures(roi);
    expect(f.SmallAreaEmphasis).toBeCloseTo((1 / 16 + 1 / 25) / 2, 15);
    expect(f.LargeAreaEmphasis).toBeCloseTo((16 + 25) / 2, 13);
    expect(f.ZonePercentage).toBeCloseTo(2 / 9, 15);
    expect(f.GrayLevelNonUniformity).toBe(1);
    expect(f.GrayLevelNonUniformityNormalized).toBe(0.5);
    expect(f.SizeZoneNonUniformityNormalized).toBe(0.5);
    expect(f.GrayLevelVariance).toBeCloseTo(0.25, 15);
    expect(f.ZoneVariance).toBeCloseTo(0.25, 15);
    expect(f.ZoneEntropy).toBeCloseTo(1, 14);
    expect(f.LowGrayLevelZoneEmphasis).toBeCloseTo((1 + 1 / 4) / 2, 15);
    expect(f.HighGrayLevelZoneEmphasis).toBeCloseTo((1 + 4) / 2, 15);
    // level 1 has the size-5 zone, level 2 the size-4 zone
    expect(f.SmallAreaLowGrayLevelEmphasis).toBeCloseTo((1 / 25 + 1 / (4 * 16)) / 2, 15);
    expect(f.SmallAreaHighGrayLevelEmphasis).toBeCloseTo((1 / 25 + 4 / 16) / 2, 15);
    expect(f.LargeAreaLowGrayLevelEmphasis).toBeCloseTo((25 + 16 / 4) / 2, 13);
    expect(f.LargeAreaHighGrayLevelEmphasis).toBeCloseTo((25 + 4 * 16) / 2, 13);
  });

  test('uniform 3 × 3 × 3 block: a single zone of 27 voxels', () => {
    const lvl = [
      [3, 3, 3],
      [3, 3, 3],
      [3, 3, 3],
    ];
    const roi = roiFrom([lvl, lvl, lvl]);
    const m = glszmMatrix(roi);
    expect(Array.from(m.ivector)).toEqual([3]);
    expect(Array.from(m.jvector)).toEqual([27]);
    expect(Array.from(m.P)).toEqual([1]);
    const f = glszmFeatures(roi);
    expect(f.ZonePercentage).toBeCloseTo(1 / 27, 16);
    expect(f.ZoneVariance).toBe(0);
    expect(f.GrayLevelVariance).toBe(0);
    expect(f.ZoneEntropy).toBeCloseTo(-Math.log2(1 + 2.220446049250313e-16), 20);
    expect(f.LargeAreaHighGrayLevelEmphasis).toBe(27 * 27 * 9);
  });

  test('26-connectivity in 3D, 8-connectivity with force2D (either plane axis)', () => {
    // two voxels touching only through a corner across slices
    const roi = roiFrom([
      [
        [1, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [0, 1],
      ],
    ]);
    expect(rows(glszmMatrix(roi))).toEqual([[1]]);
    expect(Array.from(glszmMatrix(roi).jvector)).toEqual([2]);
    const m2 = glszmMatrix(roi, { force2D: true, force2Ddimension: 0 });
    expect(Array.from(m2.jvector)).toEqual([1]);
    expect(rows(m2)).toEqual([[2]]);
    // force2Ddimension 2 is numpy's x axis: neighbours stay in y–z planes
    const line = roiFrom([[[1, 1]]]);
    expect(rows(glszmMatrix(line, { force2D: true, force2Ddimension: 2 }))).toEqual([[2]]);
    expect(rows(glszmMatrix(line, { force2D: true, force2Ddimension: 0 }))).toEqual([[1]]);
  });

  test('voxels outside the ROI break zones; distances are ignored', () => {
    const roi = roiFrom([[[2, 2, 0, 2]]]);
    const m = glszmMatrix(roi, { distances: [2] });
    expect(Array.from(m.jvector)).toEqual([1, 2]);
    expect(rows(m)).toEqual([[1, 1]]);
    expect(m.Np).toBe(3);
    expect(glszmFeatures(roi).ZonePercentage).toBeCloseTo(2 / 3, 15);
  });

  test('empty ROI is refused', () => {
    expect(() => glszmMatrix(roiFrom([[[0, 0]]]))).toThrow(/empty/);
  });
});
