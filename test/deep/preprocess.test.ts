/**
 * Preprocessing before the deep slice (`--resample`, `--n4`, `-p params.yaml`): the extractor's
 * resampling and N4, with known answers on small synthetic volumes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareCase, type DeepCase } from '../../src/deep/extract';
import { prepareSlice } from '../../src/deep/slice';
import { NO_PREPROCESSING, parseResample, preprocessForSlice, type DeepPreprocessing } from '../../src/deep/preprocess';
import { readImageFile, readLabelMapFile } from '../../src/io/read-image';
import { resampleImageAndMask } from '../../src/preprocess/resample';
import { n4BiasFieldCorrection } from '../../src/preprocess/n4';
import { runDeepExtract } from '../../src/cli/deep-command';
import * as worker from '../../src/deep/worker';
import { writeNrrd } from '../src/batch-fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-deep-prep-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

function deepCase(image: string, mask: string): DeepCase {
  return { index: 1, image: path.join(dir, image), mask: path.join(dir, mask), carried: {} };
}
const prep = (o: Partial<DeepPreprocessing>): DeepPreprocessing => ({ ...NO_PREPROCESSING, ...o });

describe('resampling before the slice', () => {
  // 12 × 12 × 4 voxels of 2 mm. ROI: a 3 × 3 square (x, y 5..7) on slice 2, one voxel (6, 6) on slice 1.
  beforeAll(() => {
    const n = 12 * 12 * 4;
    const img = new Int16Array(n).map((_, i) => 100 + ((i * 29) % 53) + 3 * (i % 12));
    const mask = new Uint8Array(n);
    for (let y = 5; y <= 7; y++) for (let x = 5; x <= 7; x++) mask[x + 12 * (y + 12 * 2)] = 1;
    mask[6 + 12 * (6 + 12 * 1)] = 1;
    writeNrrd(path.join(dir, 'img2mm.nrrd'), { size: [12, 12, 4], spacing: [2, 2, 2], data: img });
    writeNrrd(path.join(dir, 'mask2mm.nrrd'), { size: [12, 12, 4], spacing: [2, 2, 2], data: mask });
  });

  test('to 1 mm: the ROI doubles on each axis, so the chosen slice and the crop move as PyRadiomics\' grid says', async () => {
    const c = deepCase('img2mm.nrrd', 'mask2mm.nrrd');
    const plain = await prepareCase(c, { margin: 2, size: 32 });
    expect(plain.slice).toEqual({ z: 2, area: 9 });
    expect(plain.box).toEqual({ x0: 3, x1: 9, y0: 3, y1: 9 });
    // New voxel J samples old index −0.25 + J/2 (grid from index 0): ROI x, y 5..7 → J 10..15; old slice 2 → new slices 4, 5.
    const r = await prepareCase(c, { margin: 2, size: 32 }, prep({ resampledPixelSpacing: [1, 1, 1] }));
    expect(r.slice).toEqual({ z: 4, area: 36 });
    expect(r.box).toEqual({ x0: 8, x1: 17, y0: 8, y1: 17 });
    // 0 keeps the mask's spacing on that axis: only x and y double.
    const xy = await prepareCase(c, { margin: 2, size: 32 }, prep({ resampledPixelSpacing: [1, 1, 0] }));
    expect(xy.slice).toEqual({ z: 2, area: 36 });
  });

  test('the crop is what resampling the whole image would give (the extractor\'s pad of 5 would clip a margin of 8), image sitkBSpline, mask nearest', async () => {
    const c = deepCase('img2mm.nrrd', 'mask2mm.nrrd');
    const got = await prepareCase(c, { margin: 8, size: 32 }, prep({ resampledPixelSpacing: [1, 1, 1] }));
    const img = (await readImageFile(c.image)).image;
    const mask = (await readLabelMapFile(c.mask)).image;
    const whole = resampleImageAndMask(img, mask, { resampledPixelSpacing: [1, 1, 1], interpolator: 'sitkBSpline', label: 1, padDistance: 1000, pixelType: 'int16' });
    expect(whole.image.size).toEqual([24, 24, 8]);
    const want = prepareSlice(whole.image, whole.mask, { margin: 8, size: 32 });
    expect(got.box).toEqual({ x0: 2, x1: 23, y0: 2, y1: 23 });
    expect(got.box).toEqual(want.box);
    expect(Array.from(got.input)).toEqual(Array.from(want.input));
    const clipped = resampleImageAndMask(img, mask, { resampledPixelSpacing: [1, 1, 1], interpolator: 'sitkBSpline', label: 1, padDistance: 5, pixelType: 'int16' });
    expect(prepareSlice(clipped.image, clipped.mask, { margin: 8, size: 32 }).box).not.toEqual(want.box);
    // Another interpolator (from a params file) changes the pixels but not the mask's slice and crop.
    const nn = await prepareCase(c, { margin: 8, size: 32 }, prep({ resampledPixelSpacing: [1, 1, 1], interpolator: 'sitkNearestNeighbor' }));
    expect(nn.box).toEqual(got.box);
    expect(Array.from(nn.gray)).not.toEqual(Array.from(got.gray));
  });
});

describe('N4 before the slice', () => {
  beforeAll(() => {
    const [nx, ny, nz] = [32, 32, 8];
    const img = new Int16Array(nx * ny * nz);
    const mask = new Uint8Array(nx * ny * nz);
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          const tissue = (x - 16) ** 2 + (y - 16) ** 2 < 100 ? 300 : 180;
          const bias = Math.exp(0.4 * (x / nx - 0.5) + 0.2 * (y / ny - 0.5));
          img[x + nx * (y + ny * z)] = Math.round(tissue * bias + ((x * 7 + y * 13 + z * 3) % 11));
          if (z >= 3 && z <= 4 && Math.abs(x - 14) <= 6 && Math.abs(y - 17) <= 5) mask[x + nx * (y + ny * z)] = 1;
        }
    writeNrrd(path.join(dir, 'biased.nrrd'), { size: [nx, ny, nz], spacing: [1, 1, 1], data: img });
    writeNrrd(path.join(dir, 'biased-mask.nrrd'), { size: [nx, ny, nz], spacing: [1, 1, 1], data: mask });
  });

  test('the prepared slice is prepareSlice of the N4-corrected image (radnomo n4 defaults, float32 as Slicer writes)', async () => {
    const c = deepCase('biased.nrrd', 'biased-mask.nrrd');
    const got = await prepareCase(c, { margin: 3, size: 48 }, prep({ n4: {} }));
    const img = (await readImageFile(c.image)).image;
    const mask = (await readLabelMapFile(c.mask)).image;
    const corrected = n4BiasFieldCorrection(img).corrected;
    const want = prepareSlice({ ...corrected, data: corrected.data.map((v) => Math.fround(v)) }, mask, { margin: 3, size: 48 });
    expect(Array.from(got.input)).toEqual(Array.from(want.input));
    const plain = await prepareCase(c, { margin: 3, size: 48 });
    expect(plain.box).toEqual(got.box);
    const diff = Math.max(...Array.from(got.gray, (v, i) => Math.abs(v - plain.gray[i]!)));
    expect(diff).toBeGreaterThan(1); // the correction changes the pixels
  });

  test('a geometry mismatch is an error naming the case, unless correctMask', async () => {
    const img = (await readImageFile(path.join(dir, 'img2mm.nrrd'))).image;
    const mask = (await readLabelMapFile(path.join(dir, 'mask2mm.nrrd'))).image;
    const moved = { ...mask, origin: [0.5, 0, 0] as [number, number, number] };
    expect(() => preprocessForSlice(img, moved, NO_PREPROCESSING, 1, 2, 'case 7 (x.nrrd)')).toThrow(/^case 7 \(x\.nrrd\): image and mask geometry do not match: origin differs/);
    const fixed = preprocessForSlice(img, moved, prep({ correctMask: true }), 1, 2, 'case 7');
    expect(fixed.mask.origin).toEqual(img.origin);
  });
});

describe('--resample, --n4 and -p params.yaml on the command', () => {
  test('parseResample', () => {
    expect(parseResample('1,1,1')).toEqual([1, 1, 1]);
    expect(parseResample(' 0.5, 0.5 ,0')).toEqual([0.5, 0.5, 0]);
    for (const bad of ['1,1', '1,1,1,1', '0,0,0', '1,,1', 'x,1,1', '-1,1,1']) expect(() => parseResample(bad)).toThrow(/^--resample must be three spacings in mm/);
  });

  test('the params file\'s settings reach each case; --resample and --n4 override it', async () => {
    const yaml = path.join(dir, 'params.yaml');
    fs.writeFileSync(yaml, 'setting:\n  resampledPixelSpacing: [1, 1, 1]\n  interpolator: sitkLinear\n  label: 1\n  binWidth: 25\n');
    fs.writeFileSync(path.join(dir, 'one.csv'), 'ID,Image,Mask\nA,img2mm.nrrd,mask2mm.nrrd\n');
    const real = worker.runDeepTask;
    const seen: worker.DeepTask[] = [];
    jest.spyOn(worker, 'runDeepTask').mockImplementation(async (t) => {
      seen.push(t);
      return real(t);
    });
    const base = { batch: path.join(dir, 'one.csv'), weights: 'random', seed: '2', jobs: '1', backend: 'wasm', margin: '2', inputSize: '64', quiet: true };
    const logs: string[] = [];
    expect(await runDeepExtract({ ...base, params: yaml, out: path.join(dir, 'a.csv') }, (s) => logs.push(s))).toBe(0);
    expect(seen[0]!.prep).toMatchObject({ resampledPixelSpacing: [1, 1, 1], interpolator: 'sitkLinear', n4: false });
    expect(logs.some((l) => l.includes('preprocessing: resampled to 1 × 1 × 1 mm (sitkLinear)'))).toBe(true);
    expect(await runDeepExtract({ ...base, params: yaml, resample: '2,2,1', n4: true, out: path.join(dir, 'b.csv') }, () => undefined)).toBe(0);
    expect(seen[1]!.prep).toMatchObject({ resampledPixelSpacing: [2, 2, 1], interpolator: 'sitkLinear', n4: {} });
    expect(await runDeepExtract({ ...base, resample: '1,1,1', out: path.join(dir, 'c.csv') }, () => undefined)).toBe(0);
    expect(seen[2]!.prep).toMatchObject({ resampledPixelSpacing: [1, 1, 1], interpolator: 'sitkBSpline', n4: false });
    // The resampled run's features differ from the plain run's (the slice and crop changed).
    expect(await runDeepExtract({ ...base, out: path.join(dir, 'd.csv') }, () => undefined)).toBe(0);
    const row = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8').split('\n')[1]!;
    expect(row('c.csv')).not.toBe(row('d.csv'));
  });
});
