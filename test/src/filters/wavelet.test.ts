/**
 * Wavelet image type against PyWavelets goldens (fixtures/reference/wavelet.py → wavelet.json):
 * pywt.swtn directly (several wavelets, levels, start_level, axis subsets, a filter longer than the
 * signal) and PyRadiomics' getWaveletImage wrapper (odd-size padding, multi-level, force2D, names).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { swtn, waveletImages, waveletBank } from '../../../src/preprocess/filters/wavelet';
import { identityDirection, type Image, type Vec3 } from '../../../src/image';
import { isRadnomoError } from '../../../src/errors';

interface SwtnCase {
  name: string;
  size: Vec3;
  input: number[];
  wavelet: string;
  level: number;
  start_level: number;
  axes: (0 | 1 | 2)[];
  levels: { key: string; values: number[] }[][];
}
interface RadCase {
  name: string;
  size: Vec3;
  input: number[];
  settings: Record<string, unknown>;
  images: { prefix: string; values: number[] }[];
}
const G = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'reference', 'wavelet.json'), 'utf8')) as {
  swtn: SwtnCase[];
  pyradiomics: RadCase[];
};

/** Worst |a − b| / max|b| over the arrays (relative to the subband's scale). */
function worstRel(a: Float64Array, b: number[]): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let w = 0;
  for (let i = 0; i < b.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!) / scale);
  return w;
}

const TOL = 1e-12;

describe('pywt.swtn port', () => {
  for (const c of G.swtn) {
    test(c.name, () => {
      const res = swtn(Float64Array.from(c.input), c.size, c.wavelet, c.level, c.start_level, c.axes);
      expect(res.length).toBe(c.levels.length);
      let worst = 0;
      res.forEach((lev, li) => {
        expect([...lev.keys()]).toEqual(c.levels[li]!.map((s) => s.key));
        for (const s of c.levels[li]!) worst = Math.max(worst, worstRel(lev.get(s.key)!, s.values));
      });
      expect(worst).toBeLessThan(TOL);
    });
  }
});

describe('PyRadiomics getWaveletImage port', () => {
  for (const c of G.pyradiomics) {
    test(c.name, () => {
      const img: Image = { size: c.size, spacing: [1, 1, 1], origin: [0, 0, 0], direction: identityDirection(), data: Float64Array.from(c.input) };
      const out = waveletImages(img, c.settings);
      expect(out.map((o) => o.prefix)).toEqual(c.images.map((o) => o.prefix));
      let worst = 0;
      out.forEach((o, i) => {
        expect(o.image.size).toEqual(c.size);
        worst = Math.max(worst, worstRel(o.image.data, c.images[i]!.values));
      });
      expect(worst).toBeLessThan(TOL);
    });
  }
});

describe('wavelet closed forms and errors', () => {
  test('haar on a constant volume: approximation = 2^(n/2)·c, details 0', () => {
    const img: Image = { size: [4, 3, 5], spacing: [1, 1, 1], origin: [0, 0, 0], direction: identityDirection(), data: new Float64Array(60).fill(3) };
    const out = waveletImages(img, { wavelet: 'haar' });
    expect(out.map((o) => o.prefix)).toEqual(['wavelet-LLH', 'wavelet-LHL', 'wavelet-LHH', 'wavelet-HLL', 'wavelet-HLH', 'wavelet-HHL', 'wavelet-HHH', 'wavelet-LLL']);
    for (const o of out.slice(0, 7)) for (const v of o.image.data) expect(Math.abs(v)).toBeLessThan(1e-12);
    // each low-pass haar pass multiplies a constant by 2 / sqrt(2) = sqrt(2)
    for (const v of out[7]!.image.data) expect(v).toBeCloseTo(3 * 2 ** 1.5, 12);
  });
  test('coif1 filters: low-pass sums to sqrt(2), high-pass to 0', () => {
    const b = waveletBank('coif1');
    expect(Math.abs(b.decLo.reduce((s, v) => s + v, 0) - Math.SQRT2)).toBeLessThan(1e-12);
    expect(Math.abs(b.decHi.reduce((s, v) => s + v, 0))).toBeLessThan(1e-12);
  });
  test('unknown wavelet and too-short axis are RadnomoErrors', () => {
    const img: Image = { size: [4, 4, 4], spacing: [1, 1, 1], origin: [0, 0, 0], direction: identityDirection(), data: new Float64Array(64) };
    expect(() => waveletImages(img, { wavelet: 'coif99' })).toThrow(/Unknown wavelet "coif99"/);
    try {
      swtn(new Float64Array(6 * 4 * 4), [6, 4, 4], 'haar', 2, 0, [0]);
      throw new Error('no error');
    } catch (e) {
      expect(isRadnomoError(e)).toBe(true);
      expect((e as Error).message).toMatch(/length 6 along axis x/);
    }
  });
});
