/**
 * Region-restricted filtering (`applyImageType(..., { region })`): inside the region every value
 * must be bit-identical (`toBe`, so even the sign of a zero counts) to the whole-image filter's,
 * and the returned image must be exactly the region (size, origin at its lower corner, spacing,
 * direction). Covers LoG (several sigmas, anisotropic spacing, boxes in the middle, touching the
 * borders, and a single voxel), Wavelet (coif1 level 1, db2 level 2, start_level, force2D over
 * each dimension, odd sizes that pywt pads by wrapping, boxes whose taps wrap around), Gradient,
 * the point-wise types, LBP2D and Original, plus brain1 at its ROI box for LoG and Wavelet.
 */
import * as path from 'node:path';
import { applyImageType, type FilterRegion, type ImageTypeName } from '../../../src/preprocess/filters';
import { identityDirection, indexToPhysical, type Image, type Vec3 } from '../../../src/image';
import { readImage, readLabelMap } from '../../../src/io/read-image';
import { isRadnomoError } from '../../../src/errors';

/** A deterministic non-smooth test volume (values of both signs, float and integer-like). */
function volume(size: Vec3, spacing: Vec3, seed = 1): Image {
  const n = size[0] * size[1] * size[2];
  const data = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s % 2001) - 700 + (i % 3 === 0 ? 0.37 : 0);
  }
  const direction = Float64Array.from([0, 1, 0, -1, 0, 0, 0, 0, 1]);
  return { size, spacing, origin: [-12.5, 40.25, 3], direction, data };
}

const mask = (im: Image): Uint8Array => new Uint8Array(im.data.length).fill(1);

/** Compares every derived image of one image type, region vs whole image, voxel by voxel. */
function compareRegion(type: ImageTypeName, im: Image, settings: Record<string, unknown>, region: FilterRegion): number {
  const full = applyImageType(type, im, mask(im), settings);
  const part = applyImageType(type, im, mask(im), settings, { region });
  expect(part.map((d) => d.prefix)).toEqual(full.map((d) => d.prefix));
  const rs: Vec3 = [region.upper[0] - region.lower[0] + 1, region.upper[1] - region.lower[1] + 1, region.upper[2] - region.lower[2] + 1];
  const [nx, ny] = im.size;
  let compared = 0;
  for (let j = 0; j < full.length; j++) {
    const f = full[j]!.image;
    const r = part[j]!.image;
    expect(r.size).toEqual(rs);
    expect(r.spacing).toEqual(im.spacing);
    expect(Array.from(r.direction)).toEqual(Array.from(im.direction));
    expect(r.origin).toEqual(indexToPhysical(im, region.lower));
    expect(r.data.length).toBe(rs[0] * rs[1] * rs[2]);
    let k = 0;
    let mismatches = 0;
    for (let z = region.lower[2]; z <= region.upper[2]; z++) {
      for (let y = region.lower[1]; y <= region.upper[1]; y++) {
        for (let x = region.lower[0]; x <= region.upper[0]; x++) {
          const a = f.data[x + nx * (y + ny * z)]!;
          const b = r.data[k++]!;
          if (!Object.is(a, b)) {
            mismatches++;
            // report the first difference with its position
            if (mismatches === 1) expect({ image: full[j]!.prefix, x, y, z, value: b }).toEqual({ image: full[j]!.prefix, x, y, z, value: a });
          }
          compared++;
        }
      }
    }
    expect(mismatches).toBe(0);
  }
  return compared;
}

const box = (lower: Vec3, upper: Vec3): FilterRegion => ({ lower, upper });

describe('LoG restricted to a region equals the whole-image LoG there', () => {
  const im = volume([23, 19, 14], [0.7, 1.1, 2.3]);
  const regions: [string, FilterRegion][] = [
    ['middle', box([6, 5, 4], [15, 12, 9])],
    ['touching the lower borders', box([0, 0, 0], [7, 6, 3])],
    ['touching the upper borders', box([16, 11, 10], [22, 18, 13])],
    ['whole extent along x and z, thin along y', box([0, 9, 0], [22, 9, 13])],
    ['a single voxel', box([11, 3, 12], [11, 3, 12])],
    ['the whole image', box([0, 0, 0], [22, 18, 13])],
  ];
  for (const [name, region] of regions) {
    test(`${name}, sigma 0.5, 1, 2.5, 4 mm, spacing 0.7 × 1.1 × 2.3`, () => {
      expect(compareRegion('LoG', im, { sigma: [0.5, 1, 2.5, 4] }, region)).toBeGreaterThan(0);
    });
  }
  test('isotropic spacing and a float image with a box near the corner', () => {
    const iso = volume([12, 12, 12], [1, 1, 1], 7);
    iso.data = iso.data.map((v) => v / 7);
    expect(compareRegion('LoG', iso, { sigma: [1, 3] }, box([1, 8, 2], [4, 11, 6]))).toBe(2 * 4 * 4 * 5);
  });
});

describe('Wavelet restricted to a region equals the whole-image wavelet there', () => {
  // odd x and z: PyRadiomics pads them by one wrapped voxel before pywt.swtn
  const im = volume([21, 18, 11], [0.8, 0.8, 3], 3);
  const cases: [string, Record<string, unknown>, FilterRegion][] = [
    ['coif1 level 1, middle', {}, box([5, 6, 3], [14, 11, 7])],
    ['coif1 level 1, box at the borders (taps wrap around)', {}, box([0, 0, 0], [3, 17, 2])],
    ['coif1 level 1, box at the upper borders (odd axes padded)', {}, box([17, 14, 8], [20, 17, 10])],
    ['db2 level 2, middle', { wavelet: 'db2', level: 2 }, box([7, 4, 2], [12, 13, 8])],
    ['db2 level 2, whole image', { wavelet: 'db2', level: 2 }, box([0, 0, 0], [20, 17, 10])],
    ['haar level 2, start_level 1', { wavelet: 'haar', level: 2, start_level: 1 }, box([2, 3, 4], [9, 5, 6])],
    ['coif1 force2D (axial slices)', { force2D: true, force2Ddimension: 0 }, box([0, 2, 5], [6, 9, 5])],
    ['db2 level 2 force2D over numpy axis 1 (y left out)', { wavelet: 'db2', level: 2, force2D: true, force2Ddimension: 1 }, box([9, 0, 6], [20, 4, 10])],
    ['sym4 level 1 force2D over numpy axis 2 (x left out)', { wavelet: 'sym4', force2D: true, force2Ddimension: 2 }, box([3, 15, 0], [8, 17, 4])],
  ];
  for (const [name, settings, region] of cases) {
    test(name, () => {
      expect(compareRegion('Wavelet', im, settings, region)).toBeGreaterThan(0);
    });
  }
  test('a long filter (coif5) on a short axis: taps wrap around more than once', () => {
    const small = volume([8, 6, 4], [1, 1, 1], 9);
    expect(compareRegion('Wavelet', small, { wavelet: 'coif5', level: 1 }, box([1, 2, 0], [4, 3, 3]))).toBe(8 * 4 * 2 * 4);
  });
});

describe('the other image types restricted to a region', () => {
  const im = volume([13, 10, 7], [0.6, 0.9, 2], 5);
  const regions = [box([0, 0, 0], [12, 9, 6]), box([3, 2, 1], [9, 8, 5]), box([0, 9, 6], [12, 9, 6])];
  const types: [ImageTypeName, Record<string, unknown>][] = [
    ['Original', {}],
    ['Gradient', {}],
    ['Gradient', { gradientUseSpacing: false }],
    ['Square', {}],
    ['SquareRoot', {}],
    ['Logarithm', {}],
    ['Exponential', { binWidth: 1 }],
    ['LBP2D', {}],
  ];
  for (const [type, settings] of types) {
    test(`${type} ${JSON.stringify(settings)}`, () => {
      const pos = { ...im, data: im.data.map((v) => (type === 'Exponential' ? v / 1000 : v)) };
      for (const r of regions) expect(compareRegion(type, pos, settings, r)).toBeGreaterThan(0);
    });
  }
});

test('a region outside the image or inverted is a RadnomoError', () => {
  const im = volume([6, 6, 6], [1, 1, 1]);
  for (const region of [box([0, 0, 0], [6, 5, 5]), box([2, 2, 2], [1, 3, 3]), box([-1, 0, 0], [2, 2, 2]), box([0.5, 0, 0], [2, 2, 2])]) {
    let err: unknown;
    try {
      applyImageType('LoG', im, mask(im), { sigma: [1] }, { region });
    } catch (e) {
      err = e;
    }
    expect(isRadnomoError(err)).toBe(true);
  }
});

test('brain1 at its ROI bounding box: LoG 1, 3, 5 mm and the 8 coif1 wavelet images are bit-identical', async () => {
  const FIX = path.join(__dirname, '..', '..', '..', 'fixtures', 'pyradiomics');
  const im = await readImage(path.join(FIX, 'brain1_image.nrrd'));
  const label = await readLabelMap(path.join(FIX, 'brain1_label.nrrd'));
  const [nx, ny] = im.size;
  const lower: Vec3 = [Infinity, Infinity, Infinity];
  const upper: Vec3 = [-1, -1, -1];
  label.data.forEach((v, i) => {
    if (v !== 1) return;
    const c = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
    for (let a = 0; a < 3; a++) {
      lower[a] = Math.min(lower[a]!, c[a]!);
      upper[a] = Math.max(upper[a]!, c[a]!);
    }
  });
  expect([lower, upper]).toEqual([
    [162, 84, 11],
    [208, 153, 17],
  ]);
  expect(compareRegion('LoG', im, { sigma: [1, 3, 5] }, { lower, upper })).toBe(3 * 47 * 70 * 7);
  expect(compareRegion('Wavelet', im, {}, { lower, upper })).toBe(8 * 47 * 70 * 7);
}, 60000);
