/** The image-type dispatcher: PyRadiomics' derived-image names and order, settings passed through. */
import { applyImageType } from '../../../src/preprocess/filters';
import { identityDirection, type Image } from '../../../src/image';
import { isRadnomoError } from '../../../src/errors';

const img: Image = {
  size: [9, 8, 6],
  spacing: [1, 1, 1.5],
  origin: [0, 0, 0],
  direction: identityDirection(),
  data: Float64Array.from({ length: 432 }, (_, i) => ((i * 7919) % 257) - 60),
};
const mask = new Uint8Array(432).fill(1);

test('names and order per image type', () => {
  const names = (t: Parameters<typeof applyImageType>[0], s: Record<string, unknown> = {}) => applyImageType(t, img, mask, s).map((o) => o.prefix);
  expect(names('Original')).toEqual(['original']);
  expect(names('LoG', { sigma: [1, 2.5] })).toEqual(['log-sigma-1-0-mm-3D', 'log-sigma-2-5-mm-3D']);
  expect(names('LoG')).toEqual([]);
  expect(names('Wavelet')).toEqual(['wavelet-LLH', 'wavelet-LHL', 'wavelet-LHH', 'wavelet-HLL', 'wavelet-HLH', 'wavelet-HHL', 'wavelet-HHH', 'wavelet-LLL']);
  expect(names('Wavelet', { level: 2, force2D: true, force2Ddimension: 0 })).toEqual([
    'wavelet-LH', 'wavelet-HL', 'wavelet-HH', 'wavelet2-LH', 'wavelet2-HL', 'wavelet2-HH', 'wavelet2-LL',
  ]);
  expect(names('Square')).toEqual(['square']);
  expect(names('SquareRoot')).toEqual(['squareroot']);
  expect(names('Logarithm')).toEqual(['logarithm']);
  expect(names('Exponential')).toEqual(['exponential']);
  expect(names('Gradient')).toEqual(['gradient']);
  expect(names('LBP2D')).toEqual(['lbp-2D']);
  expect(names('LBP3D')).toEqual(['lbp-3D-m1', 'lbp-3D-m2', 'lbp-3D-k']);
});

test('settings are passed through; derived images keep the geometry', () => {
  const s = { binWidth: 5, gradientUseSpacing: false };
  const [g] = applyImageType('Gradient', img, mask, s);
  expect(g!.settings).toBe(s);
  expect(g!.image.size).toEqual(img.size);
  expect(g!.image.spacing).toEqual(img.spacing);
  // without spacing the z differences are not divided by 1.5: differs from the default
  const [g2] = applyImageType('Gradient', img, mask, {});
  expect(Array.from(g!.image.data)).not.toEqual(Array.from(g2!.image.data));
});

test('bad settings are RadnomoErrors', () => {
  for (const f of [
    () => applyImageType('LBP3D', img, mask, { lbp3DLevels: 0 }),
    () => applyImageType('LoG', img, mask, { sigma: [-1] }),
    () => applyImageType('Wavelet', img, mask, { wavelet: 'nope' }),
    () => applyImageType('LBP2D', img, mask, { lbp2DMethod: 'fancy' }),
  ]) {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(isRadnomoError(err)).toBe(true);
  }
});
