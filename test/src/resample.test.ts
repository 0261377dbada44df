/**
 * Resampling: ITK goldens (fixtures/reference/itk_resample/itk_resample.cxx, ITK 5.2 — the classes
 * SimpleITK's ResampleImageFilter wraps), PyRadiomics' brain1 'resampling' checkpoints, and
 * closed forms.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readImage, readLabelMap } from '../../src/io/read-image';
import type { Image, LabelMap, Vec3 } from '../../src/image';
import { indexToPhysical } from '../../src/image';
import {
  castToPixelType,
  inferPixelType,
  resampleIbsi,
  resampleImageAndMask,
  resampleToGrid,
  type Grid,
} from '../../src/preprocess/resample';
import { bsplineCoefficients, isInsideBuffer, roundHalfUp } from '../../src/preprocess/interpolate';
import { FIX, configSettings } from '../features/brain1';

const REF = path.join(__dirname, '..', '..', 'fixtures', 'reference');

interface GridJson {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: number[];
}
interface SyntheticCase {
  name: string;
  input: GridJson;
  output: GridJson;
  inputValues: number[];
  nearest: number[];
  linear: number[];
  bspline: number[];
  bsplineInt16: number[];
}

const grid = (g: GridJson): Grid => ({ size: g.size, spacing: g.spacing, origin: g.origin, direction: Float64Array.from(g.direction) });

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (scale || 1));
  return worst;
}

describe('ITK goldens on synthetic volumes', () => {
  const data = JSON.parse(fs.readFileSync(path.join(REF, 'itk_resample_synthetic.json'), 'utf8')) as { cases: SyntheticCase[] };

  for (const c of data.cases) {
    describe(c.name, () => {
      const input: Image = { ...grid(c.input), data: Float64Array.from(c.inputValues) };
      const out = grid(c.output);

      test('nearest neighbour equals ITK exactly', () => {
        expect(Array.from(resampleToGrid(input, out, 'sitkNearestNeighbor'))).toEqual(c.nearest);
      });
      test('linear equals ITK to 1e-13 (relative to the largest value)', () => {
        expect(maxRelDiff(resampleToGrid(input, out, 'sitkLinear'), c.linear)).toBeLessThan(1e-13);
      });
      test('B-spline equals ITK to 1e-12 (relative to the largest value)', () => {
        expect(maxRelDiff(resampleToGrid(input, out, 'sitkBSpline'), c.bspline)).toBeLessThan(1e-12);
      });
      test('B-spline cast to int16 (truncation, clamping) equals ITK exactly', () => {
        expect(Array.from(resampleToGrid(input, out, 'sitkBSpline', { pixelType: 'int16' }))).toEqual(c.bsplineInt16);
      });
      test('the golden covers voxels inside the input (and, except singleSlice, outside it)', () => {
        const inside = c.nearest.filter((v, i) => v !== 0 || c.linear[i] !== 0).length;
        expect(inside).toBeGreaterThan(0);
        if (c.name !== 'singleSlice') expect(inside).toBeLessThan(c.nearest.length);
      });
    });
  }
});

describe('PyRadiomics brain1, config "resampling" (2 mm, sitkBSpline, padDistance 5)', () => {
  let result: { image: Image; mask: LabelMap };
  let golden: {
    grid: GridJson;
    roiVoxels: number;
    int16Sum: number;
    doubleSum: number;
    doubleStride: number;
    doubleSampled: number[];
  };
  let image: Image;
  let label: LabelMap;

  beforeAll(async () => {
    image = await readImage(path.join(FIX, 'brain1_image.nrrd'));
    label = await readLabelMap(path.join(FIX, 'brain1_label.nrrd'));
    const s = configSettings('resampling');
    result = resampleImageAndMask(image, label, {
      resampledPixelSpacing: s.resampledPixelSpacing as number[],
      interpolator: s.interpolator as string,
      label: s.label as number,
      padDistance: (s.padDistance as number | undefined) ?? 5,
    });
    golden = JSON.parse(fs.readFileSync(path.join(REF, 'itk_resample_brain1.json'), 'utf8')) as typeof golden;
  });

  test('README checkpoints: size 30 × 39 × 34, 1915 ROI voxels, min −128, max 2253, mean 598.916742081448', () => {
    expect(result.image.size).toEqual([30, 39, 34]);
    expect(result.mask.size).toEqual([30, 39, 34]);
    let roi = 0;
    for (const v of result.mask.data) roi += v === 1 ? 1 : 0;
    expect(roi).toBe(1915);
    let mn = Infinity;
    let mx = -Infinity;
    let sum = 0;
    for (const v of result.image.data) {
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
      sum += v;
    }
    expect(mn).toBe(-128);
    expect(mx).toBe(2253);
    const mean = sum / result.image.data.length;
    expect(Math.abs(1 - mean / 598.916742081448)).toBeLessThan(1e-12);
  });

  test('grid (origin, spacing, direction) as ITK computes it from PyRadiomics\' formulas', () => {
    expect(result.image.spacing).toEqual([2, 2, 2]);
    for (let a = 0; a < 3; a++) expect(result.image.origin[a]).toBe(golden.grid.origin[a]);
    expect(Array.from(result.image.direction)).toEqual(golden.grid.direction);
    expect(result.mask.origin).toEqual(result.image.origin);
  });

  test('every int16 voxel and every mask voxel equals ITK', async () => {
    const gi = await readImage(path.join(REF, 'itk_resample_brain1_image.nrrd'));
    const gm = await readLabelMap(path.join(REF, 'itk_resample_brain1_mask.nrrd'));
    let diffI = 0;
    let diffM = 0;
    for (let i = 0; i < gi.data.length; i++) {
      if (gi.data[i] !== result.image.data[i]) diffI++;
      if (gm.data[i] !== result.mask.data[i]) diffM++;
    }
    expect(gi.data.length).toBe(result.image.data.length);
    expect(diffI).toBe(0);
    expect(diffM).toBe(0);
  });

  test('B-spline values before the int16 cast equal ITK to 1e-12 relative', () => {
    const g: Grid = grid(golden.grid);
    const d = resampleToGrid(image, g, 'sitkBSpline', { pixelType: 'float64' });
    let worst = 0;
    golden.doubleSampled.forEach((v, k) => {
      worst = Math.max(worst, Math.abs(d[k * golden.doubleStride]! - v) / Math.abs(v));
    });
    expect(worst).toBeLessThan(1e-12);
    let sum = 0;
    for (const v of d) sum += v;
    expect(Math.abs(1 - sum / golden.doubleSum)).toBeLessThan(1e-13);
  });

  test('a spacing equal to the image\'s only crops (mask resampled onto the image grid)', () => {
    const r = resampleImageAndMask(image, label, {
      resampledPixelSpacing: [0, 0, 0],
      interpolator: 'sitkBSpline',
      label: 1,
      padDistance: 2,
    });
    // ROI bounding box x 162..208, y 84..153, z 11..17, widened by 2
    expect(r.image.size).toEqual([51, 74, 11]);
    expect(r.image.spacing).toEqual(image.spacing);
    expect(r.image.origin).toEqual(indexToPhysical(image, [160, 82, 9]));
    expect(r.image.data[0]).toBe(image.data[160 + 256 * (82 + 256 * 9)]);
    let n = 0;
    for (const v of r.mask.data) n += v === 1 ? 1 : 0;
    expect(n).toBe(4137);
  });
});

/** A volume holding f(x, y, z) at the voxel indices. */
function fieldVolume(size: Vec3, f: (x: number, y: number, z: number) => number, geom?: Partial<Grid>): Image {
  const data = new Float64Array(size[0] * size[1] * size[2]);
  let i = 0;
  for (let z = 0; z < size[2]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[0]; x++) data[i++] = f(x, y, z);
  return {
    size,
    spacing: geom?.spacing ?? [1, 1, 1],
    origin: geom?.origin ?? [0, 0, 0],
    direction: geom?.direction ?? Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    data,
  };
}

function rotation(ax: number, ay: number, az: number): Float64Array {
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)];
  return Float64Array.from([
    cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
    sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
    -sy, cy * sx, cy * cx,
  ]);
}

describe('closed forms', () => {
  const ramp = (x: number, y: number, z: number): number => 7 + 2 * x - 3 * y + 0.5 * z;

  test('linear interpolation reproduces a linear ramp everywhere inside the image', () => {
    const vol = fieldVolume([8, 7, 6], ramp, { spacing: [1.5, 0.8, 2], origin: [3, -1, 4] });
    const g: Grid = { size: [9, 9, 5], spacing: [1.1, 0.55, 2.3], origin: [3.2, -0.9, 4.1], direction: vol.direction };
    const out = resampleToGrid(vol, g, 'sitkLinear');
    let worst = 0;
    let k = 0;
    for (let z = 0; z < 5; z++)
      for (let y = 0; y < 9; y++)
        for (let x = 0; x < 9; x++, k++) {
          const p = indexToPhysical({ ...g, data: out }, [x, y, z]);
          const ci = [(p[0] - 3) / 1.5, (p[1] + 1) / 0.8, (p[2] - 4) / 2];
          expect(ci.every((c, a) => c >= 0 && c <= vol.size[a]! - 1)).toBe(true);
          worst = Math.max(worst, Math.abs(out[k]! - ramp(ci[0]!, ci[1]!, ci[2]!)));
        }
    expect(worst).toBeLessThan(1e-12);
  });

  test('cubic B-spline reproduces a linear ramp in the interior (mirror boundaries decay as 0.268^n)', () => {
    const n = 64;
    const vol = fieldVolume([n, n, n], ramp);
    const g: Grid = { size: [8, 8, 8], spacing: [0.9, 0.85, 0.8], origin: [28.3, 28.6, 28.9], direction: vol.direction };
    const out = resampleToGrid(vol, g, 'sitkBSpline');
    let worst = 0;
    let k = 0;
    for (let z = 0; z < 8; z++)
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++, k++) {
          worst = Math.max(worst, Math.abs(out[k]! - ramp(28.3 + 0.9 * x, 28.6 + 0.85 * y, 28.9 + 0.8 * z)));
        }
    expect(worst).toBeLessThan(1e-11);
  });

  test('cubic B-spline reproduces a constant exactly up to rounding, borders included', () => {
    const vol = fieldVolume([5, 4, 3], () => 42.5);
    const g: Grid = { size: [11, 9, 7], spacing: [0.45, 0.43, 0.41], origin: [-0.45, -0.45, -0.45], direction: vol.direction };
    const out = resampleToGrid(vol, g, 'sitkBSpline');
    for (const v of out) expect(Math.abs(v - 42.5)).toBeLessThan(1e-11);
  });

  test('cubic B-spline interpolates: at the grid nodes it returns the data', () => {
    const vol = fieldVolume([30, 5, 4], (x, y, z) => Math.sin(x * 1.7) * 100 + y * y - z);
    const out = resampleToGrid(vol, vol, 'sitkBSpline');
    // the causal initialisation is truncated at ITK's tolerance 1e-10
    expect(maxRelDiff(out, vol.data)).toBeLessThan(1e-9);
  });

  test('identity resampling with nearest neighbour returns the input, also with a rotated direction', () => {
    const vol = fieldVolume([7, 6, 5], (x, y, z) => (x * 31 + y * 17 + z * 7) % 23, {
      spacing: [0.7, 1.3, 2.1],
      origin: [-3.2, 4.1, 1.7],
      direction: rotation(0.3, -0.2, 0.5),
    });
    expect(Array.from(resampleToGrid(vol, vol, 'sitkNearestNeighbor'))).toEqual(Array.from(vol.data));
    expect(maxRelDiff(resampleToGrid(vol, vol, 'sitkLinear'), vol.data)).toBeLessThan(1e-13);
  });

  test('points outside the buffer take the default value 0; the half-voxel margin counts as inside', () => {
    const vol = fieldVolume([4, 1, 1], (x) => 10 + x);
    // output voxel centres at index −0.75, −0.5, …, 3.75 along x
    const g: Grid = { size: [19, 1, 1], spacing: [0.25, 1, 1], origin: [-0.75, 0, 0], direction: vol.direction };
    const nn = Array.from(resampleToGrid(vol, g, 'sitkNearestNeighbor'));
    expect(nn[0]).toBe(0); // −0.75: outside
    expect(nn[1]).toBe(10); // −0.5: inside, rounds half up to 0
    expect(nn[3]).toBe(10); // 0.0
    expect(nn[5]).toBe(11); // 0.5 → 1
    expect(nn[16]).toBe(13); // 3.25
    expect(nn[17]).toBe(0); // 3.5 = size − 0.5: outside
    const lin = Array.from(resampleToGrid(vol, g, 'sitkLinear'));
    expect(lin[1]).toBe(10); // before the first voxel: its value
    expect(lin[4]).toBe(10.25);
    expect(lin[16]).toBe(13); // past the last voxel: its value
  });

  test('isInsideBuffer, roundHalfUp and the pixel-type cast', () => {
    expect(isInsideBuffer([3, 3, 3], -0.5, 0, 2.4999)).toBe(true);
    expect(isInsideBuffer([3, 3, 3], -0.5000001, 0, 0)).toBe(false);
    expect(isInsideBuffer([3, 3, 3], 0, 0, 2.5)).toBe(false);
    expect(isInsideBuffer([3, 3, 3], NaN, 0, 0)).toBe(false);
    expect([roundHalfUp(-0.5), roundHalfUp(0.5), roundHalfUp(1.49999999999999978), roundHalfUp(-1.5)]).toEqual([0, 1, 1, -1]);
    expect(castToPixelType(-3.9, 'int16')).toBe(-3);
    expect(castToPixelType(3.9, 'int16')).toBe(3);
    expect(castToPixelType(40000, 'int16')).toBe(32767);
    expect(castToPixelType(-40000.5, 'int16')).toBe(-32768);
    expect(castToPixelType(-0.7, 'uint8')).toBe(0);
    expect(castToPixelType(0.1, 'float32')).toBe(Math.fround(0.1));
    expect(inferPixelType([1, -5, 300])).toBe('int16');
    expect(inferPixelType([1, 50000])).toBe('int32');
    expect(inferPixelType([1, 0.5])).toBe('float64');
  });

  test('B-spline coefficients of a 1-D impulse follow the closed form of the cubic prefilter', () => {
    // The defining property of the coefficients: Σ c_j β3(k − j) = data_k with β3(0) = 2/3,
    // β3(±1) = 1/6 (mirror boundaries); away from the ends of the line c_k ∝ z^|k − 20|.
    const n = 40;
    const data = new Float64Array(n);
    data[20] = 1;
    const c = bsplineCoefficients(data, [n, 1, 1]);
    for (let k = 0; k < n; k++) {
      const left = k === 0 ? c[1]! : c[k - 1]!; // mirror: c[−1] = c[1]
      const right = k === n - 1 ? c[n - 2]! : c[k + 1]!; // mirror: c[n] = c[n−2]
      // ITK truncates the causal initial sum at tolerance 1e-10 (18 terms): errors of a few 1e-12
      expect(Math.abs((left + 4 * c[k]! + right) / 6 - data[k]!)).toBeLessThan(1e-10);
    }
    const z = Math.sqrt(3) - 2;
    expect(Math.abs(c[21]! / c[20]! - z)).toBeLessThan(1e-12);
  });

  test('an interpolator radnomo does not implement is a RadnomoError naming the supported ones', () => {
    const vol = fieldVolume([3, 3, 3], () => 1);
    expect(() => resampleToGrid(vol, vol, 'sitkGaussian')).toThrow(/sitkGaussian.*sitkNearestNeighbor, sitkLinear, sitkBSpline/);
  });
});

describe('resampleIbsi (IBSI "align grid centers")', () => {
  const identity = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const line = (values: number[], spacing = 1): Image => ({
    size: [values.length, 1, 1],
    spacing: [spacing, 1, 1],
    origin: [10, 0, 0],
    direction: identity,
    data: Float64Array.from(values),
  });
  const labels = (v: Image, values: number[]): LabelMap => ({ ...v, data: Int32Array.from(values) });

  test('grid: n_b = ceil(n_a s_a / s_b), same centre, spacing 0 keeps an axis', () => {
    const img: Image = { size: [5, 4, 4], spacing: [2, 2, 2], origin: [0, 0, 0], direction: identity, data: new Float64Array(80) };
    const r = resampleIbsi(img, { ...img, data: new Int32Array(80) }, { spacing: [1, 3, 0], imageInterpolation: 'linear' });
    expect(r.image.size).toEqual([10, 3, 4]);
    expect(r.image.spacing).toEqual([1, 3, 2]);
    // centres: old (0 + 2·2, 0 + 1.5·2, 3) = (4, 3, 3); new origin + (n_b − 1)/2 · s_b
    expect(r.image.origin[0] + 4.5 * 1).toBeCloseTo(4, 12);
    expect(r.image.origin[1] + 1 * 3).toBeCloseTo(3, 12);
    expect(r.image.origin[2]).toBe(0);
    expect(r.mask.size).toEqual(r.image.size);
  });

  test('trilinear reproduces a ramp; beyond the outer voxel centres the outer values are kept', () => {
    const img = line([0, 10, 20, 30, 40]);
    const r = resampleIbsi(img, labels(img, [1, 1, 1, 1, 1]), { spacing: [0.5, 0, 0], imageInterpolation: 'linear' });
    // new voxels at original index −0.25, 0.25, …, 4.25
    expect(Array.from(r.image.data)).toEqual([0, 2.5, 7.5, 12.5, 17.5, 22.5, 27.5, 32.5, 37.5, 40]);
    expect(r.image.origin[0]).toBe(10 - 0.25);
  });

  test('ROI: linear interpolation of the 0/1 mask and partial-volume threshold 0.5', () => {
    const img = line([5, 5, 5, 5, 5, 5]);
    const r = resampleIbsi(img, labels(img, [0, 0, 1, 1, 0, 0]), { spacing: [0.5, 0, 0], imageInterpolation: 'nearest' });
    // original index −0.25, 0.25, …, 5.25: mask values 0,0,0,0.25,0.75,1,1,0.75,0.25,0,0,0
    expect(Array.from(r.mask.data)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    const r2 = resampleIbsi(img, labels(img, [0, 0, 1, 1, 0, 0]), { spacing: [0.5, 0, 0], imageInterpolation: 'nearest', partialVolumeThreshold: 0.2 });
    expect(Array.from(r2.mask.data)).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
  });

  test('intensity rounding to the nearest integer', () => {
    const img = line([0, 1, 2, 3]);
    const r = resampleIbsi(img, labels(img, [1, 1, 1, 1]), { spacing: [0.6, 0, 0], imageInterpolation: 'linear', roundIntensities: true });
    for (const v of r.image.data) expect(Number.isInteger(v)).toBe(true);
  });
});
