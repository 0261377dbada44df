import { ngtdmFeatures, ngtdmMatrix, NGTDM_FEATURE_NAMES } from '../../features/ngtdm';
import type { DiscretisedRoi, TextureSettings } from '../../features/roi';
import type { Vec3 } from '../../src/image';
import { brain1Roi, configSettings, expectedValues, relErr, textureSettingsOf } from './brain1';
import { roiFrom } from '../support/roi';

const expected = expectedValues();

function expectClose(got: number, want: number, rel = 1e-14): void {
  expect(relErr(got, want)).toBeLessThan(rel);
}

describe.each(['original', 'normalization', 'resegmentation', '2d', 'FBN', 'flatRegion'])('NGTDM on brain1, config %s', (config) => {
  test('all 5 features match the PyRadiomics baseline', async () => {
    const roi = await brain1Roi(config);
    const got = ngtdmFeatures(roi, textureSettingsOf(config));
    const exp = expected.get(config)!;
    expect(Object.keys(got).sort()).toEqual([...NGTDM_FEATURE_NAMES].sort());
    for (const name of NGTDM_FEATURE_NAMES) {
      const e = exp.get(`original_ngtdm_${name}`);
      expect(e).toBeDefined();
      if (Math.abs(e!) < 1e-12) expect(Math.abs(got[name]!)).toBeLessThan(1e-12);
      else expect(relErr(got[name]!, e!)).toBeLessThan(1e-12);
    }
  });
});

describe('NGTDM on hand-made volumes', () => {
  test('3 × 3 checkerboard, worked by hand', () => {
    const roi = roiFrom([
      [
        [1, 2, 1],
        [2, 1, 2],
        [1, 2, 1],
      ],
    ]);
    // centre: |1 − 12/8| = 1/2; corners: |1 − 5/3| = 2/3 each; edges: |2 − 7/5| = 3/5 each
    const m = ngtdmMatrix(roi);
    expect(Array.from(m.ivector)).toEqual([1, 2]);
    expect(Array.from(m.n)).toEqual([5, 4]);
    expectClose(m.s[0]!, 1 / 2 + 4 * (2 / 3));
    expectClose(m.s[1]!, 4 * (3 / 5));
    const f = ngtdmFeatures(roi);
    // p = [5/9, 4/9]; Σ p s = 763/270; Σ s = 167/30
    expectClose(f.Coarseness!, 270 / 763);
    expectClose(f.Contrast!, 334 / 2187);
    expectClose(f.Busyness!, 763 / 180);
    expectClose(f.Complexity!, 763 / 1215);
    expectClose(f.Strength!, 60 / 167);
  });

  test('a voxel without ROI neighbours counts in n_i with s_i += 0 (PyRadiomics, not IBSI)', () => {
    const roi = roiFrom([[[1, 2, 0, 1]]]);
    const m = ngtdmMatrix(roi);
    expect(Array.from(m.n)).toEqual([2, 1]);
    expect(Array.from(m.s)).toEqual([1, 1]);
    const f = ngtdmFeatures(roi);
    // Nvp = 3, p = [2/3, 1/3]; leaving the isolated voxel out would give Complexity 1
    expectClose(f.Complexity!, 2 / 3);
    expectClose(f.Coarseness!, 1);
    expectClose(f.Strength!, 1);
    expectClose(f.Contrast!, 4 / 27);
    // |1·2/3 − 2·1/3| = 0: Busyness' denominator vanishes and PyRadiomics returns 0
    expect(f.Busyness).toBe(0);
  });

  test('a uniform region gives PyRadiomics special values', () => {
    const lvl = [
      [4, 4, 4],
      [4, 4, 4],
    ];
    const f = ngtdmFeatures(roiFrom([lvl, lvl]));
    expect(f).toEqual({ Coarseness: 1e6, Contrast: 0, Busyness: 0, Complexity: 0, Strength: 0 });
  });

  test('distances and force2D set the neighbourhood', () => {
    const line = roiFrom([[[1, 2, 3, 4]]]);
    expect(Array.from(ngtdmMatrix(line, { distances: [2] }).s)).toEqual([2, 2, 2, 2]);
    const s12 = ngtdmMatrix(line, { distances: [1, 2] }).s;
    expectClose(s12[0]!, 1.5);
    expectClose(s12[1]!, 2 / 3);
    expectClose(s12[2]!, 2 / 3);
    expectClose(s12[3]!, 1.5);
    const stack = roiFrom([[[1]], [[3]]]);
    expect(Array.from(ngtdmMatrix(stack).s)).toEqual([2, 2]);
    const flat = ngtdmMatrix(stack, { force2D: true, force2Ddimension: 0 });
    expect(Array.from(flat.n)).toEqual([1, 1]);
    expect(Array.from(flat.s)).toEqual([0, 0]);
    expect(ngtdmFeatures(stack, { force2D: true }).Coarseness).toBe(1e6);
  });
});
