/**
 * Gradient image type. Goldens: ITK 5.2 GradientMagnitudeImageFilter<In, Image<float>> (the types
 * SimpleITK runs for PyRadiomics' getGradientImage), fixtures/reference/itk/itk_filters.cxx.
 * Closed form: a linear ramp (central differences exact inside, halved one-sided differences at
 * the faces from ITK's zero-flux Neumann boundary).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gradientMagnitude } from '../../../src/preprocess/filters/gradient';
import { readImage } from '../../../src/io/read-image';
import { identityDirection, type Image, type Vec3 } from '../../../src/image';

const REF = path.join(__dirname, '..', '..', '..', 'fixtures', 'reference');
const SYN = JSON.parse(fs.readFileSync(path.join(REF, 'itk_filters_synthetic.json'), 'utf8')) as Record<string, number[]> & {
  size: Vec3;
  spacing: Vec3;
};
const image = (size: Vec3, spacing: Vec3, data: Float64Array): Image => ({ size, spacing, origin: [0, 0, 0], direction: identityDirection(), data });

describe('Gradient magnitude against ITK', () => {
  for (const [key, input, useSpacing] of [
    ['gradient_spacing', 'input', true],
    ['gradient_nospacing', 'input', false],
    ['gradient_float_spacing', 'input_float', true],
  ] as [string, string, boolean][]) {
    test(`synthetic 11×9×7 ${key}: every voxel equals ITK's float32 value`, () => {
      const out = gradientMagnitude(image(SYN.size, SYN.spacing, Float64Array.from(SYN[input]!)), useSpacing);
      const ref = SYN[key]!;
      let mismatches = 0;
      for (let i = 0; i < ref.length; i++) if (out.data[i] !== ref[i]) mismatches++;
      expect(mismatches).toBe(0);
    });
  }
  test('brain1 (int16), sampled over the ROI box: equals ITK float32 values', async () => {
    const B = JSON.parse(fs.readFileSync(path.join(REF, 'itk_filters_brain1.json'), 'utf8')) as Record<string, number[]>;
    const img = await readImage(path.join(__dirname, '..', '..', '..', 'fixtures', 'pyradiomics', 'brain1_image.nrrd'));
    const out = gradientMagnitude(img, true);
    const [x0, y0, z0] = B.bboxIndex!;
    const [sx, sy, sz] = B.bboxSize!;
    const ref = B.gradient!;
    let k = 0;
    let mismatches = 0;
    for (let z = 0; z < sz!; z++)
      for (let y = 0; y < sy!; y++)
        for (let x = 0; x < sx!; x++) {
          if ((x + y + z) % 5 !== 0) continue;
          if (Math.fround(ref[k++]!) !== out.data[x0! + x + img.size[0] * (y0! + y + img.size[1] * (z0! + z))]) mismatches++;
        }
    expect(k).toBe(ref.length);
    expect(mismatches).toBe(0);
  });
});

describe('Gradient closed form: linear ramp', () => {
  const size: Vec3 = [6, 5, 4];
  const spacing: Vec3 = [0.5, 2, 1.25];
  const [a, b, c] = [3, -2, 0.5]; // intensity per mm
  const data = new Float64Array(120);
  for (let z = 0; z < 4; z++)
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 6; x++) data[x + 6 * (y + 5 * z)] = a * x * spacing[0] + b * y * spacing[1] + c * z * spacing[2];
  const img = image(size, spacing, data);
  test('with spacing: interior |∇f| = sqrt(a²+b²+c²); faces halve that axis component', () => {
    const out = gradientMagnitude(img, true);
    for (let z = 0; z < 4; z++)
      for (let y = 0; y < 5; y++)
        for (let x = 0; x < 6; x++) {
          const gx = x === 0 || x === 5 ? a / 2 : a;
          const gy = y === 0 || y === 4 ? b / 2 : b;
          const gz = z === 0 || z === 3 ? c / 2 : c;
          expect(Math.abs(out.data[x + 6 * (y + 5 * z)]! / Math.hypot(gx, gy, gz) - 1)).toBeLessThan(1e-6); // float32 output
        }
  });
  test('without spacing: per-voxel differences', () => {
    const out = gradientMagnitude(img, false);
    const v = out.data[2 + 6 * (2 + 5 * 1)]!;
    expect(Math.abs(v / Math.hypot(a * spacing[0], b * spacing[1], c * spacing[2]) - 1)).toBeLessThan(1e-6);
  });
});
