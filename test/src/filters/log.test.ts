/**
 * LoG image type. Goldens: ITK 5.2's LaplacianRecursiveGaussianImageFilter<In, Image<float>> with
 * NormalizeAcrossScale on, the filter and pixel types SimpleITK runs for PyRadiomics' getLoGImage
 * (fixtures/reference/itk/itk_filters.cxx → itk_filters_synthetic.json, itk_filters_brain1.json).
 * Our port reproduces ITK's float32 intermediate images, so it matches to the float bit.
 * Closed forms: LoG of a Gaussian blob at its centre; symmetry; a constant image gives ~0.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { laplacianRecursiveGaussian, logImages, pythonFloatRepr } from '../../../src/preprocess/filters/log';
import { readImage } from '../../../src/io/read-image';
import { identityDirection, type Image, type Vec3 } from '../../../src/image';
import { isRadnomoError } from '../../../src/errors';

const REF = path.join(__dirname, '..', '..', '..', 'fixtures', 'reference');
const SYN = JSON.parse(fs.readFileSync(path.join(REF, 'itk_filters_synthetic.json'), 'utf8')) as Record<string, number[]> & {
  size: Vec3;
  spacing: Vec3;
};

function image(size: Vec3, spacing: Vec3, data: Float64Array): Image {
  return { size, spacing, origin: [0, 0, 0], direction: identityDirection(), data };
}

describe('LoG against ITK (SimpleITK LaplacianRecursiveGaussianImageFilter)', () => {
  const cases: [string, string, number][] = [
    ['log_0.5', 'input', 0.5],
    ['log_1.5', 'input', 1.5],
    ['log_2.0', 'input', 2.0],
    ['log_float_1.5', 'input_float', 1.5],
  ];
  for (const [key, input, sigma] of cases) {
    test(`synthetic 11×9×7, spacing 0.7×1.1×2.3, ${key} (${input}): every voxel equals ITK's float32 value`, () => {
      const out = laplacianRecursiveGaussian(image(SYN.size, SYN.spacing, Float64Array.from(SYN[input]!)), sigma);
      const ref = SYN[key]!;
      let worst = 0;
      let scale = 0;
      for (const v of ref) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(out.data[i]! - ref[i]!) / scale);
      // bit-exact in practice; allow one float32 ulp of the largest value
      expect(worst).toBeLessThanOrEqual(2 ** -23);
    });
  }

  test('brain1 (int16, 256×256×25, 0.78×0.78×6.5 mm), sigma 1, 3, 5 mm, sampled over the ROI box', async () => {
    const B = JSON.parse(fs.readFileSync(path.join(REF, 'itk_filters_brain1.json'), 'utf8')) as Record<string, number[]>;
    const img = await readImage(path.join(__dirname, '..', '..', '..', 'fixtures', 'pyradiomics', 'brain1_image.nrrd'));
    const [x0, y0, z0] = B.bboxIndex!;
    const [sx, sy, sz] = B.bboxSize!;
    for (const sigma of [1, 3, 5]) {
      const out = laplacianRecursiveGaussian(img, sigma);
      const ref = B[`log_${sigma.toFixed(1)}`]!;
      let k = 0;
      let mismatches = 0;
      for (let z = 0; z < sz!; z++) {
        for (let y = 0; y < sy!; y++) {
          for (let x = 0; x < sx!; x++) {
            if ((x + y + z) % 5 !== 0) continue;
            const v = out.data[x0! + x + img.size[0] * (y0! + y + img.size[1] * (z0! + z))]!;
            // the golden holds float32 values printed with 9 significant digits: compare as float32
            if (Math.fround(ref[k]!) !== v) mismatches++;
            k++;
          }
        }
      }
      expect(k).toBe(ref.length);
      expect(mismatches).toBe(0);
    }
  });
});

describe('LoG closed forms', () => {
  /** Gaussian blob exp(−r²/(2 s0²)) (r in mm) on a grid, centred on voxel c. */
  function blob(size: Vec3, spacing: Vec3, s0: number): Image {
    const data = new Float64Array(size[0] * size[1] * size[2]);
    const c = size.map((n) => (n - 1) / 2);
    for (let z = 0; z < size[2]; z++)
      for (let y = 0; y < size[1]; y++)
        for (let x = 0; x < size[0]; x++) {
          const r2 = ((x - c[0]!) * spacing[0]) ** 2 + ((y - c[1]!) * spacing[1]) ** 2 + ((z - c[2]!) * spacing[2]) ** 2;
          data[x + size[0] * (y + size[1] * z)] = Math.exp(-r2 / (2 * s0 * s0));
        }
    return image(size, spacing, data);
  }
  // σ²·∇²(G_s0 * G_σ)(0) for a unit blob = −3 σ² (s0²/S²)^{3/2} / S², S² = s0² + σ².
  const analytic = (s0: number, sigma: number): number => {
    const S2 = s0 * s0 + sigma * sigma;
    return (-3 * sigma * sigma * (s0 * s0 / S2) ** 1.5) / S2;
  };
  for (const [spacing, s0, sigma] of [
    [[1, 1, 1], 3, 2],
    [[0.8, 1.0, 1.5], 4, 3],
    [[1, 1, 1], 2, 1],
  ] as [Vec3, number, number][]) {
    test(`blob s0=${s0} mm, sigma=${sigma} mm, spacing ${spacing.join('×')}: centre value within 1.5 % of the analytic LoG`, () => {
      const size = spacing.map((s) => 2 * Math.ceil((5 * Math.hypot(s0, sigma)) / s) + 1) as Vec3;
      const out = laplacianRecursiveGaussian(blob(size, spacing, s0), sigma);
      const ci = (size[0] - 1) / 2 + size[0] * ((size[1] - 1) / 2 + size[1] * ((size[2] - 1) / 2));
      const rel = Math.abs(out.data[ci]! / analytic(s0, sigma) - 1);
      // ITK's Deriche 4th-order IIR approximates the Gaussian second derivative with a peak error of
      // about 1 %: measured 0.92–0.95 % (bit-identical to ITK's own output on these volumes).
      expect(rel).toBeLessThan(1.5e-2);
      // symmetric input → symmetric response (up to float32 rounding)
      let worst = 0;
      let scale = 0;
      for (const v of out.data) scale = Math.max(scale, Math.abs(v));
      const [nx, ny, nz] = size;
      for (let z = 0; z < nz; z++)
        for (let y = 0; y < ny; y++)
          for (let x = 0; x < nx; x++) {
            const a = out.data[x + nx * (y + ny * z)]!;
            const b = out.data[nx - 1 - x + nx * (ny - 1 - y + ny * (nz - 1 - z))]!;
            worst = Math.max(worst, Math.abs(a - b) / scale);
          }
      expect(worst).toBeLessThan(1e-5);
    });
  }
  test('quadratic f = (x² + y² + z²)/2 (mm²): normalised LoG = 3σ² in the interior', () => {
    // The second-order kernel is normalised so that its second moment is exact: on a quadratic the
    // recursive filter is exact up to rounding, far from the edges (edge extension breaks it there).
    const size: Vec3 = [61, 61, 41];
    const spacing: Vec3 = [0.5, 0.5, 0.75];
    const data = new Float64Array(size[0] * size[1] * size[2]);
    for (let z = 0; z < size[2]; z++)
      for (let y = 0; y < size[1]; y++)
        for (let x = 0; x < size[0]; x++) {
          const px = (x - 30) * spacing[0];
          const py = (y - 30) * spacing[1];
          const pz = (z - 20) * spacing[2];
          data[x + size[0] * (y + size[1] * z)] = (px * px + py * py + pz * pz) / 2;
        }
    const sigma = 1.5;
    const out = laplacianRecursiveGaussian(image(size, spacing, data), sigma);
    const v = out.data[30 + size[0] * (30 + size[1] * 20)]!;
    expect(Math.abs(v / (3 * sigma * sigma) - 1)).toBeLessThan(1e-4);
  });
  test('constant image: LoG ≈ 0 everywhere (edge-extension initial conditions)', () => {
    const size: Vec3 = [12, 10, 8];
    const out = laplacianRecursiveGaussian(image(size, [0.9, 1.2, 2], new Float64Array(960).fill(1000)), 2.5);
    for (const v of out.data) expect(Math.abs(v)).toBeLessThan(1e-3);
  });
});

describe('getLoGImage settings', () => {
  const img = image([10, 10, 6], [1, 1, 2], new Float64Array(600).map((_, i) => (i * 37) % 101));
  test('names follow str(float(sigma)) with . → -', () => {
    expect(logImages(img, [1, 2.5, '3']).map((o) => o.prefix)).toEqual(['log-sigma-1-0-mm-3D', 'log-sigma-2-5-mm-3D', 'log-sigma-3-mm-3D']);
    expect(pythonFloatRepr(0.00001)).toBe('1e-05');
    expect(pythonFloatRepr(1e16)).toBe('1e+16');
    expect(pythonFloatRepr(0.1)).toBe('0.1');
  });
  test('sigma ≤ 0, sigma too large for the size and images under 4 voxels are RadnomoErrors naming sigma and size', () => {
    expect(() => logImages(img, [0])).toThrow(/sigma must be greater than 0/);
    // x: 10 voxels at 1 mm: sigma 10 needs ceil(10/1)+1 = 11; sigma 9 needs 10 (and 6 ≥ ceil(9/2)+1 along z)
    expect(() => logImages(img, [10])).toThrow(/sigma 10 mm is too large.*10 × 10 × 6/);
    expect(logImages(img, [9]).length).toBe(1);
    try {
      logImages(image([10, 10, 3], [1, 1, 1], new Float64Array(300)), [1]);
      throw new Error('no error');
    } catch (e) {
      expect(isRadnomoError(e)).toBe(true);
      expect((e as Error).message).toMatch(/10 × 10 × 3/);
    }
  });
});
