import { Random } from '../../src/random';
import { RadnomoError } from '../../src/errors';
import { flipHorizontal, flipVertical, rotate, addGaussianNoise, augmentImage } from '../../src/deep/augment';

function randomImage(size: number, seed: number, channels = 3): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: size * size * channels }, () => rng.normal() * 50);
}
const at = (im: Float32Array, size: number, x: number, y: number, k: number, channels = 3): number => im[(y * size + x) * channels + k]!;

describe('flips', () => {
  test('each flip applied twice is the identity; a flip moves pixels as stated', () => {
    const im = randomImage(7, 1);
    expect(Array.from(flipHorizontal(flipHorizontal(im, 7), 7))).toEqual(Array.from(im));
    expect(Array.from(flipVertical(flipVertical(im, 7), 7))).toEqual(Array.from(im));
    const v = flipVertical(im, 7);
    const h = flipHorizontal(im, 7);
    for (let k = 0; k < 3; k++) {
      expect(at(v, 7, 2, 0, k)).toBe(at(im, 7, 2, 6, k));
      expect(at(h, 7, 0, 2, k)).toBe(at(im, 7, 6, 2, k));
    }
    expect(Array.from(v)).not.toEqual(Array.from(im));
  });
  test('a wrong image length is an error', () => {
    expect(() => flipVertical(new Float32Array(10), 7)).toThrow(RadnomoError);
  });
});

describe('rotation', () => {
  test('rotation by 0 is the identity (a copy)', () => {
    const im = randomImage(9, 2);
    const r = rotate(im, 9, 0);
    expect(r).not.toBe(im);
    expect(Array.from(r)).toEqual(Array.from(im));
  });

  test('90° counter-clockwise (y down) is the exact permutation out(x, y) = in(size−1−y, x)', () => {
    const n = 8; // even size: the centre falls between pixels, still exact
    const im = randomImage(n, 3);
    const r = rotate(im, n, 90);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) for (let k = 0; k < 3; k++) expect(at(r, n, x, y, k)).toBe(at(im, n, n - 1 - y, x, k));
    // a pixel right of the centre moves up on screen
    const dot = new Float32Array(9 * 9 * 3);
    dot[(4 * 9 + 7) * 3] = 1; // (x 7, y 4), centre (4, 4)
    const d = rotate(dot, 9, 90);
    expect(at(d, 9, 4, 1, 0)).toBe(1);
    expect(d.reduce((s, v) => s + v, 0)).toBe(1);
  });

  test('180° equals both flips; four quarter turns are the identity', () => {
    const im = randomImage(7, 4);
    expect(Array.from(rotate(im, 7, 180))).toEqual(Array.from(flipHorizontal(flipVertical(im, 7), 7)));
    let r = im;
    for (let i = 0; i < 4; i++) r = rotate(r, 7, 90);
    expect(Array.from(r)).toEqual(Array.from(im));
  });

  test('symmetric patterns: a 4-fold symmetric pattern is unchanged by 90°; a Gaussian blob by 30°', () => {
    const n = 21;
    const c = (n - 1) / 2;
    const plus = new Float32Array(n * n * 3);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const v = Math.abs(x - c) <= 1 || Math.abs(y - c) <= 1 ? 100 : Math.abs(x - c) * Math.abs(y - c);
        for (let k = 0; k < 3; k++) plus[(y * n + x) * 3 + k] = v - 10 * k;
      }
    expect(Array.from(rotate(plus, n, 90))).toEqual(Array.from(plus));
    // Radially symmetric Gaussian (σ = 3 px, peak 1): rotation leaves it unchanged up to bilinear
    // interpolation error, bounded by h²/8 · max|f''| = 1/(8σ²) ≈ 0.014 per axis (h = 1 px); 0.03 allows both axes.
    const s = 3;
    const blob = new Float32Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) blob[y * n + x] = Math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * s * s));
    const r = rotate(blob, n, 30, 1);
    let worst = 0;
    for (let i = 0; i < blob.length; i++) worst = Math.max(worst, Math.abs(r[i]! - blob[i]!));
    expect(worst).toBeLessThan(0.03);
    // an asymmetric image does change, so the comparison above is not vacuous
    const im = randomImage(n, 5, 1);
    const ri = rotate(im, n, 30, 1);
    let diff = 0;
    for (let i = 0; i < im.length; i++) diff = Math.max(diff, Math.abs(ri[i]! - im[i]!));
    expect(diff).toBeGreaterThan(10);
  });
});

describe('Gaussian noise', () => {
  test('has the requested SD and mean 0, the same draw on every channel, and is seeded', () => {
    const n = 64;
    const sd = 5;
    const im = randomImage(n, 6);
    const out = addGaussianNoise(im, n, sd, new Random(9));
    const e: number[] = [];
    for (let p = 0; p < n * n; p++) {
      const d0 = out[p * 3]! - im[p * 3]!;
      // float32 storage: the channels' noise agree to float rounding of values up to ~250
      expect(Math.abs(out[p * 3 + 1]! - im[p * 3 + 1]! - d0)).toBeLessThan(1e-4);
      expect(Math.abs(out[p * 3 + 2]! - im[p * 3 + 2]! - d0)).toBeLessThan(1e-4);
      e.push(d0);
    }
    const m = e.reduce((s, v) => s + v, 0) / e.length;
    const s = Math.sqrt(e.reduce((a, v) => a + (v - m) ** 2, 0) / (e.length - 1));
    // 4,096 draws: SE of the mean sd/√n = 0.078, SE of the SD ≈ sd/√(2n) = 0.055 (1.1%);
    // tolerances of 4 SE (mean) and 5% ≈ 4.5 SE (SD) fail with probability < 1e-4.
    expect(Math.abs(m)).toBeLessThan(4 * (sd / Math.sqrt(e.length)));
    expect(Math.abs(s / sd - 1)).toBeLessThan(0.05);
    expect(Array.from(addGaussianNoise(im, n, sd, new Random(9)))).toEqual(Array.from(out));
    expect(Array.from(addGaussianNoise(im, n, sd, new Random(10)))).not.toEqual(Array.from(out));
    expect(Array.from(addGaussianNoise(im, n, 0, new Random(9)))).toEqual(Array.from(im));
    expect(() => addGaussianNoise(im, n, -1, new Random(9))).toThrow(RadnomoError);
  });
});

describe('augmentImage', () => {
  test('draws flips with their probabilities and angles within ±maxRotation, reproducibly', () => {
    const im = randomImage(5, 7);
    const rng = new Random(11);
    let h = 0, v = 0;
    const draws = 400;
    for (let i = 0; i < draws; i++) {
      const { draw } = augmentImage(im, 5, rng, { maxRotation: 10, noiseSd: 0 });
      if (draw.flipH) h++;
      if (draw.flipV) v++;
      expect(Math.abs(draw.degrees)).toBeLessThanOrEqual(10);
    }
    // binomial(400, 0.5): SD of the proportion 0.025; ±0.1 is 4 SD
    expect(Math.abs(h / draws - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(v / draws - 0.5)).toBeLessThan(0.1);
    const a = augmentImage(im, 5, new Random(3));
    const b = augmentImage(im, 5, new Random(3));
    expect(a.draw).toEqual(b.draw);
    expect(Array.from(a.image)).toEqual(Array.from(b.image));
    // no flips, no rotation, no noise: the image itself
    const id = augmentImage(im, 5, new Random(3), { horizontalFlip: 0, verticalFlip: 0, maxRotation: 0, noiseSd: 0 });
    expect(Array.from(id.image)).toEqual(Array.from(im));
    expect(() => augmentImage(im, 5, new Random(3), { horizontalFlip: 2 })).toThrow(RadnomoError);
  });
});
