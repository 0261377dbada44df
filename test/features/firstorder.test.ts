import { firstorderFeatures, FIRSTORDER_FEATURE_NAMES, percentileSorted, pairwiseSum } from '../../features/firstorder';
import { brain1Roi, configSettings, expectedValues, loadBrain1, relErr } from './brain1';
import { normalizeImage } from '../../src/preprocess/normalize';

const expected = expectedValues();

describe.each(['original', 'normalization', 'resegmentation'])('firstorder on brain1, config %s', (config) => {
  test('every feature within 1e-9 of the PyRadiomics baseline', async () => {
    const s = configSettings(config);
    const roi = await brain1Roi(config);
    const { image } = await loadBrain1();
    const data = s.normalize ? normalizeImage(image.data, s.normalizeScale as number) : image.data;
    const got = firstorderFeatures(data, roi, { voxelArrayShift: (s.voxelArrayShift as number | undefined) ?? 0 });
    const exp = expected.get(config)!;
    let n = 0;
    for (const name of FIRSTORDER_FEATURE_NAMES) {
      const e = exp.get(`original_firstorder_${name}`);
      expect(e).toBeDefined();
      expect(relErr(got[name]!, e!)).toBeLessThan(1e-9);
      n++;
    }
    expect(n).toBe(18);
  });
});

describe('firstorder closed forms', () => {
  test('values 1..4 in one slice', () => {
    const roi = { size: [2, 2, 1] as [number, number, number], spacing: [1, 2, 3] as [number, number, number], mask: Uint8Array.from([1, 1, 1, 1]), levels: Int32Array.from([1, 1, 2, 2]) };
    const f = firstorderFeatures(Float64Array.from([1, 2, 3, 4]), roi, { voxelArrayShift: 1 });
    expect(f.Mean).toBe(2.5);
    expect(f.Energy).toBe(4 + 9 + 16 + 25);
    expect(f.TotalEnergy).toBe(6 * 54);
    expect(f.Variance).toBeCloseTo(1.25, 14);
    expect(f.Median).toBe(2.5);
    expect(f.Range).toBe(3);
    expect(f.Skewness).toBeCloseTo(0, 14);
    expect(f.Kurtosis).toBeCloseTo((2 * 1.5 ** 4 + 2 * 0.5 ** 4) / 4 / 1.25 ** 2, 12);
    expect(f.Uniformity).toBe(0.5);
    expect(f.Entropy).toBeCloseTo(1, 12);
    expect(f['10Percentile']).toBeCloseTo(1.3, 12);
  });
  test('numpy percentile rule and pairwise sum', () => {
    const s = Float64Array.from([0, 10, 20, 30, 40]);
    expect(percentileSorted(s, 25)).toBe(10);
    expect(percentileSorted(s, 90)).toBeCloseTo(36, 12);
    const big = new Float64Array(1000).fill(0.1);
    expect(Math.abs(pairwiseSum(big) - 100)).toBeLessThan(1e-12);
  });
});
