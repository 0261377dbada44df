import { gldmFeatures, gldmMatrix, GLDM_FEATURE_NAMES, neighbourOffsets } from '../../features/gldm';
import type { DiscretisedRoi, TextureSettings } from '../../features/roi';
import type { Vec3 } from '../../src/image';
import { brain1Roi, configSettings, expectedValues, relErr, textureSettingsOf } from './brain1';
import { roiFrom } from '../support/roi';

const expected = expectedValues();

function rows(m: { P: Float64Array; ivector: Float64Array; jvector: Float64Array }): number[][] {
  const nj = m.jvector.length;
  return Array.from(m.ivector, (_, i) => Array.from(m.P.subarray(i * nj, (i + 1) * nj)));
}

/** Offsets as sorted 'dx,dy,dz' strings. */
function offsetSet(o: Int32Array): string[] {
  const out: string[] = [];
  for (let a = 0; a < o.length; a += 3) out.push(`${o[a]},${o[a + 1]},${o[a + 2]}`);
  return out.sort();
}

describe.each(['original', 'normalization', 'resegmentation', '2d', 'FBN', 'flatRegion'])('GLDM on brain1, config %s', (config) => {
  test('all 14 features match the PyRadiomics baseline', async () => {
    const roi = await brain1Roi(config);
    const got = gldmFeatures(roi, textureSettingsOf(config));
    const exp = expected.get(config)!;
    expect(Object.keys(got).sort()).toEqual([...GLDM_FEATURE_NAMES].sort());
    for (const name of GLDM_FEATURE_NAMES) {
      const e = exp.get(`original_gldm_${name}`);
      expect(e).toBeDefined();
      if (Math.abs(e!) < 1e-12) expect(Math.abs(got[name]!)).toBeLessThan(1e-12);
      else expect(relErr(got[name]!, e!)).toBeLessThan(1e-12);
    }
  });
});

describe('PyRadiomics neighbourhood (build_angles)', () => {
  test('26 offsets in 3D, 8 in-plane with force2D, 98 more at distance 2', () => {
    const big: Vec3 = [10, 10, 10];
    const o3 = neighbourOffsets(big, [1], false, 0, true);
    expect(o3.length / 3).toBe(26);
    const s3 = offsetSet(o3);
    expect(new Set(s3).size).toBe(26);
    expect(s3).not.toContain('0,0,0');
    const o2 = neighbourOffsets(big, [1], true, 0, true);
    expect(o2.length / 3).toBe(8);
    for (let a = 2; a < o2.length; a += 3) expect(o2[a]).toBe(0); // no z step: axial slices
    const ox = neighbourOffsets(big, [1], true, 2, true);
    for (let a = 0; a < ox.length; a += 3) expect(ox[a]).toBe(0); // numpy axis 2 is x
    expect(neighbourOffsets(big, [2], false, 0, true).length / 3).toBe(125 - 27);
    expect(neighbourOffsets(big, [1, 2], false, 0, true).length / 3).toBe(124);
    // one direction of each pair when not bidirectional (GLCM/GLRLM style)
    const mono = offsetSet(neighbourOffsets(big, [1], false, 0, false));
    expect(mono.length).toBe(13);
    for (const m of mono) expect(mono).not.toContain(m.split(',').map((v) => String(-Number(v))).join(','));
  });
  test('offsets longer than the image along an axis are not generated', () => {
    const flat = offsetSet(neighbourOffsets([5, 5, 1], [1], false, 0, true));
    expect(flat.length).toBe(8);
    expect(neighbourOffsets([5, 5, 2], [2], false, 0, true).length / 3).toBe(25 * 3 - 9 * 3);
  });
});

describe('GLDM on hand-made volumes', () => {
  // The 5 × 5 example of PyRadiomics' GLDM documentation (alpha 0, distance 1), worked by hand.
  const doc = roiFrom([
    [
      [5, 2, 5, 4, 4],
      [3, 3, 3, 1, 3],
      [2, 1, 1, 1, 3],
      [4, 2, 2, 2, 3],
      [3, 5, 3, 3, 2],
    ],
  ]);

  test('5 × 5 example: dependence j counts the voxel itself', () => {
    const m = gldmMatrix(doc);
    expect(Array.from(m.ivector)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(m.jvector)).toEqual([1, 2, 3, 4]);
    expect(rows(m)).toEqual([
      [0, 1, 2, 1],
      [1, 2, 3, 0],
      [1, 4, 4, 0],
      [1, 2, 0, 0],
      [3, 0, 0, 0],
    ]);
    const f = gldmFeatures(doc);
    // pd = [6, 9, 9, 1] over j = 1..4, Nz = 25; pg = [4, 6, 9, 3, 3]
    expect(f.SmallDependenceEmphasis).toBeCloseTo((6 + 9 / 4 + 9 / 9 + 1 / 16) / 25, 15);
    expect(f.LargeDependenceEmphasis).toBeCloseTo((6 + 36 + 81 + 16) / 25, 14);
    expect(f.DependenceNonUniformity).toBeCloseTo((36 + 81 + 81 + 1) / 25, 14);
    expect(f.DependenceNonUniformityNormalized).toBeCloseTo((36 + 81 + 81 + 1) / 625, 15);
    expect(f.GrayLevelNonUniformity).toBeCloseTo((16 + 36 + 81 + 9 + 9) / 25, 14);
    const mu = (4 + 12 + 27 + 12 + 15) / 25;
    expect(f.GrayLevelVariance).toBeCloseTo((4 * (1 - mu) ** 2 + 6 * (2 - mu) ** 2 + 9 * (3 - mu) ** 2 + 3 * (4 - mu) ** 2 + 3 * (5 - mu) ** 2) / 25, 14);
    const muj = (6 + 18 + 27 + 4) / 25;
    expect(f.DependenceVariance).toBeCloseTo((6 * (1 - muj) ** 2 + 9 * (2 - muj) ** 2 + 9 * (3 - muj) ** 2 + (4 - muj) ** 2) / 25, 14);
    expect(f.LowGrayLevelEmphasis).toBeCloseTo((4 + 6 / 4 + 9 / 9 + 3 / 16 + 3 / 25) / 25, 15);
    expect(f.HighGrayLevelEmphasis).toBeCloseTo((4 + 24 + 81 + 48 + 75) / 25, 14);
    // gray level 5 has three voxels with j = 1: they dominate SDLGLE's top entry
    let sdlgle = 0;
    let ldhgle = 0;
    let de = 0;
    const P = rows(m);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 4; j++) {
        sdlgle += P[i]![j]! / ((i + 1) ** 2 * (j + 1) ** 2);
        ldhgle += P[i]![j]! * (i + 1) ** 2 * (j + 1) ** 2;
        const p = P[i]![j]! / 25;
        if (p > 0) de -= p * Math.log2(p);
      }
    }
    expect(f.SmallDependenceLowGrayLevelEmphasis).toBeCloseTo(sdlgle / 25, 15);
    expect(f.LargeDependenceHighGrayLevelEmphasis).toBeCloseTo(ldhgle / 25, 12);
    expect(f.DependenceEntropy).toBeCloseTo(de, 13);
  });

  test('uniform 3 × 3 × 3 block: j = 1 + number of ROI neighbours', () => {
    const lvl = [
      [2, 2, 2],
      [2, 2, 2],
      [2, 2, 2],
    ];
    const m = gldmMatrix(roiFrom([lvl, lvl, lvl]));
    // 8 corners (7 neighbours), 12 edges (11), 6 faces (17), 1 centre (26)
    expect(Array.from(m.jvector)).toEqual([8, 12, 18, 27]);
    expect(rows(m)).toEqual([[8, 12, 6, 1]]);
    // force2D: per slice 4 corners (3), 4 edges (5), 1 centre (8), three slices
    const m2 = gldmMatrix(roiFrom([lvl, lvl, lvl]), { force2D: true, force2Ddimension: 0 });
    expect(Array.from(m2.jvector)).toEqual([4, 6, 9]);
    expect(rows(m2)).toEqual([[12, 12, 3]]);
  });

  test('gldm_a widens dependence; neighbours outside the ROI never count', () => {
    const roi = roiFrom([[[1, 2, 4, 0, 1]]]);
    expect(rows(gldmMatrix(roi))).toEqual([[2], [1], [1]]);
    expect(Array.from(gldmMatrix(roi).jvector)).toEqual([1]);
    const a1 = gldmMatrix(roi, { gldm_a: 1 });
    expect(Array.from(a1.jvector)).toEqual([1, 2]);
    // level 1: x=0 depends on x=1, x=4 is alone; level 2: x=1 depends on x=0; level 4: none
    expect(rows(a1)).toEqual([
      [1, 1],
      [0, 1],
      [1, 0],
    ]);
    const a2 = gldmMatrix(roi, { gldm_a: 2 });
    expect(rows(a2)).toEqual([
      [1, 1, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(() => gldmMatrix(roi, { gldm_a: 0.5 })).toThrow(/gldm_a/);
  });

  test('distances select the Chebyshev ring(s) of neighbours', () => {
    const roi = roiFrom([[[3, 3, 3, 3]]]);
    // distance 2 only: x0–x2 and x1–x3 depend
    const d2 = gldmMatrix(roi, { distances: [2] });
    expect(Array.from(d2.jvector)).toEqual([2]);
    expect(rows(d2)).toEqual([[4]]);
    const d12 = gldmMatrix(roi, { distances: [1, 2] });
    expect(Array.from(d12.jvector)).toEqual([3, 4]);
    expect(rows(d12)).toEqual([[2, 2]]);
    expect(() => gldmMatrix(roi, { distances: [0] })).toThrow(/distances/);
  });
});
