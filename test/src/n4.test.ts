import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readImage } from '../../src/io/read-image';
import { identityDirection, type Image, type Vec3 } from '../../src/image';
import { Random } from '../../src/random';
import { n4BiasFieldCorrection } from '../../src/preprocess/n4';
import { otsuMask, otsuThreshold } from '../../src/preprocess/otsu';
import { shrinkGrid } from '../../src/preprocess/shrink';
import {
  axisTable,
  contractToLattice,
  evaluateAtPoints,
  evaluateOnGrid,
  fitLattice,
  poweredWeights,
  refineLattice,
  type AxisTable,
  type Lattice,
} from '../../src/preprocess/bspline-fit';
import { isRadnomoError } from '../../src/errors';
import { writeImage } from '../../src/io/write-image';
import { runN4 } from '../../src/cli/n4-command';

const FIX = path.join(__dirname, '..', '..', 'fixtures');
const REF = path.join(FIX, 'reference', 'n4');

function pearson(a: ArrayLike<number>, b: ArrayLike<number>, use: (i: number) => boolean): number {
  let n = 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    if (!use(i)) continue;
    n++;
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (!use(i)) continue;
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

function cv(v: ArrayLike<number>, use: (i: number) => boolean): number {
  let n = 0;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < v.length; i++) {
    if (!use(i)) continue;
    n++;
    s += v[i]!;
    s2 += v[i]! * v[i]!;
  }
  const m = s / n;
  return Math.sqrt((s2 / n - m * m) * (n / (n - 1))) / m;
}

function randomLattice(size: [number, number, number], rng: Random): Lattice {
  const data = new Float64Array(size[0] * size[1] * size[2]);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { size, data };
}

describe('B-spline lattice pieces', () => {
  test('refinement keeps the function (cubic and quadratic)', () => {
    const rng = new Random(11);
    for (const order of [3, 2]) {
      const lat = randomLattice([order + 2, order + 1, order + 3], rng);
      const fine = refineLattice(lat, order);
      expect(fine.size).toEqual(lat.size.map((c) => 2 * c - order));
      const a = evaluateOnGrid(lat, [23, 17, 9], order);
      const b = evaluateOnGrid(fine, [23, 17, 9], order);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst).toBeLessThan(1e-12);
    }
  });

  test('cubic weights are the uniform B-spline basis and sum to 1', () => {
    const t = axisTable(9, 6, 3);
    for (let i = 0; i < 9; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += t.weights[i * 4 + j]!;
      expect(s).toBeCloseTo(1, 14);
    }
    // voxel 4 of 9 over 3 spans: u = 1.5, start 1, t = 0.5 → (1/48, 23/48, 23/48, 1/48).
    expect(t.start[4]).toBe(1);
    expect(Array.from(t.weights.subarray(16, 20))).toEqual([1 / 48, 23 / 48, 23 / 48, 1 / 48].map((x) => expect.closeTo(x, 15)));
    // The last voxel is nudged inside the domain by ITK's epsilon (u = spans − 1e-3·spans/(n−1)).
    expect(t.start[8]).toBe(2);
  });

  test('separable fit equals the scattered-data sums, and grid evaluation equals point evaluation', () => {
    const rng = new Random(5);
    const size: [number, number, number] = [13, 11, 7];
    const order = 3;
    const cp: [number, number, number] = [5, 4, 6];
    const tables: [AxisTable, AxisTable, AxisTable] = [axisTable(size[0], cp[0], order), axisTable(size[1], cp[1], order), axisTable(size[2], cp[2], order)];
    const ix: number[] = [];
    const iy: number[] = [];
    const iz: number[] = [];
    const vals: number[] = [];
    const grid = new Float64Array(size[0] * size[1] * size[2]);
    const ind = new Float64Array(grid.length);
    for (let z = 0; z < size[2]; z++)
      for (let y = 0; y < size[1]; y++)
        for (let x = 0; x < size[0]; x++) {
          if (rng.next() < 0.4) continue;
          const v = rng.normal();
          ix.push(x);
          iy.push(y);
          iz.push(z);
          vals.push(v);
          const w2 = tables[0].sumSq[x]! * tables[1].sumSq[y]! * tables[2].sumSq[z]!;
          grid[x + size[0] * (y + size[1] * z)] = v / w2;
          ind[x + size[0] * (y + size[1] * z)] = 1;
        }
    const pts = { ix: Int32Array.from(ix), iy: Int32Array.from(iy), iz: Int32Array.from(iz) };
    const direct = fitLattice(pts, Float64Array.from(vals), tables, cp, order);
    const omega = contractToLattice(ind, size, tables, tables.map((t) => poweredWeights(t, 2)) as [Float64Array, Float64Array, Float64Array], cp, order);
    const delta = contractToLattice(grid, size, tables, tables.map((t) => poweredWeights(t, 3)) as [Float64Array, Float64Array, Float64Array], cp, order);
    for (let i = 0; i < direct.data.length; i++) {
      const sep = omega[i] !== 0 ? delta[i]! / omega[i]! : 0;
      expect(Math.abs(sep - direct.data[i]!)).toBeLessThan(1e-12);
    }
    const atPts = new Float64Array(vals.length);
    evaluateAtPoints(direct, pts, tables, order, atPts);
    const onGrid = evaluateOnGrid(direct, size, order, tables);
    for (let p = 0; p < vals.length; p++) expect(Math.abs(atPts[p]! - onGrid[ix[p]! + size[0] * (iy[p]! + size[1] * iz[p]!)]!)).toBeLessThan(1e-12);
  });
});

describe('Otsu and shrink grids', () => {
  test('Otsu separates two well-separated modes', () => {
    const rng = new Random(3);
    const v = new Float64Array(2000);
    for (let i = 0; i < v.length; i++) v[i] = i < 1200 ? 10 + rng.normal() : 50 + 2 * rng.normal();
    const t = otsuThreshold(v, 200);
    // Every threshold in the gap gives the same split; ITK keeps the first, the upper bound of
    // the bin holding the lower mode's largest value.
    const lowMax = Math.max(...v.subarray(0, 1200));
    const highMin = Math.min(...v.subarray(1200));
    expect(t).toBeGreaterThanOrEqual(lowMax);
    expect(t).toBeLessThan(lowMax + (Math.max(...v) - Math.min(...v)) / 200 + 1e-9);
    expect(t).toBeLessThan(highMin);
    const m = otsuMask(v, 200);
    let fg = 0;
    for (const x of m) fg += x;
    expect(fg).toBe(800);
  });

  test('ShrinkImageFilter grid: size floor(n/f), centres aligned', () => {
    expect(shrinkGrid([256, 256, 25], 4)).toEqual({ size: [64, 64, 6], offset: [2, 2, 2] });
    expect(shrinkGrid([10, 9, 3], 4)).toEqual({ size: [2, 2, 1], offset: [3, 2, 1] });
    expect(shrinkGrid([5, 5, 5], 1)).toEqual({ size: [5, 5, 5], offset: [0, 0, 0] });
  });
});

describe('N4 options', () => {
  const img: Image = { size: [8, 8, 8], spacing: [1, 1, 1], origin: [0, 0, 0], direction: identityDirection(), data: new Float64Array(512).fill(1) };
  test.each([
    [{ shrinkFactor: 0 }, /shrink factor/],
    [{ iterations: [] }, /iterations/],
    [{ iterations: [50, 0] }, /iterations/],
    [{ controlPoints: 3 }, /control points/],
    [{ splineOrder: 0 }, /spline order/],
    [{ biasFieldFwhm: -1 }, /FWHM/],
    [{ histogramBins: 1 }, /histogram bins/],
    [{ mask: new Uint8Array(5) }, /mask has 5 voxels/],
  ])('rejects %p', (opts, re) => {
    let err: unknown;
    try {
      n4BiasFieldCorrection(img, opts);
    } catch (e) {
      err = e;
    }
    expect(isRadnomoError(err)).toBe(true);
    expect((err as Error).message).toMatch(re);
  });
});

describe('N4 recovers a known field on a synthetic phantom', () => {
  // 64×64×32 phantom: background, an ellipsoid (100) holding a sphere (150) and a small
  // ellipsoid (60); Gaussian noise (sd 3); multiplied by a smooth field of about ±20%.
  const size: Vec3 = [64, 64, 32];
  const n = size[0] * size[1] * size[2];
  const rng = new Random(20240601);
  const cls = new Uint8Array(n); // 0 background, 1..3 tissues
  const clean = new Float64Array(n);
  const trueLog = new Float64Array(n);
  const biased = new Float64Array(n);
  const means = [8, 100, 150, 60];
  for (let z = 0, i = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, i++) {
        const u = (x - 31.5) / 31.5;
        const v = (y - 31.5) / 31.5;
        const w = (z - 15.5) / 15.5;
        let c = 0;
        if ((u / 0.9) ** 2 + (v / 0.8) ** 2 + (w / 0.85) ** 2 <= 1) {
          c = 1;
          if ((u - 0.3) ** 2 + (v + 0.1) ** 2 + (w * 0.9) ** 2 <= 0.3 ** 2) c = 2;
          else if (((u + 0.35) / 0.25) ** 2 + ((v - 0.2) / 0.15) ** 2 + (w / 0.5) ** 2 <= 1) c = 3;
        }
        cls[i] = c;
        clean[i] = means[c]! + 3 * rng.normal();
        trueLog[i] = 0.16 * u + 0.08 * v * w - 0.07 * v * v + 0.05 * w;
        biased[i] = clean[i]! * Math.exp(trueLog[i]!);
      }
  const image: Image = { size, spacing: [1, 1, 2], origin: [0, 0, 0], direction: identityDirection(), data: biased };

  test('log field correlation ≥ 0.95 inside the object; tissue CVs within 10% of the unbiased phantom', () => {
    const r = n4BiasFieldCorrection(image, { shrinkFactor: 2 });
    const inside = (i: number): boolean => cls[i]! > 0;
    const corr = pearson(r.logField.data, trueLog, inside);
    const report: string[] = [`log-field correlation ${corr.toFixed(4)}`];
    expect(corr).toBeGreaterThanOrEqual(0.95);
    for (const c of [1, 2, 3]) {
      const use = (i: number): boolean => cls[i] === c;
      const cvClean = cv(clean, use);
      const cvBiased = cv(biased, use);
      const cvCorr = cv(r.corrected.data, use);
      report.push(`class ${c}: CV clean ${cvClean.toFixed(4)} biased ${cvBiased.toFixed(4)} corrected ${cvCorr.toFixed(4)}`);
      expect(Math.abs(cvCorr - cvClean) / cvClean).toBeLessThanOrEqual(0.1);
    }
    // The field really was there: the biased CVs of the large classes are well above the clean ones.
    expect(cv(biased, (i) => cls[i] === 1)).toBeGreaterThan(2 * cv(clean, (i) => cls[i] === 1));
    process.stdout.write(`N4 phantom: ${report.join('; ')}\n`);
  });

  test('corrected = image / exp(logField), geometry kept', () => {
    const r = n4BiasFieldCorrection(image, { iterations: [5, 5] });
    expect(r.corrected.size).toEqual(size);
    expect(r.logField.spacing).toEqual([1, 1, 2]);
    for (let i = 0; i < n; i += 997) expect(r.corrected.data[i]).toBeCloseTo(biased[i]! / Math.exp(r.logField.data[i]!), 12);
    expect(r.levels.map((l) => l.controlPoints)).toEqual([
      [4, 4, 4],
      [5, 5, 5],
    ]);
  });
});

describe('agreement with ITK N4 (Slicer pipeline, 4 levels × 50 iterations, shrink 4) on brain1', () => {
  interface ItkRef {
    otsuThreshold: number;
    shrinkOffset: Vec3;
    shrunkSize: Vec3;
    finalLatticeSize: [number, number, number];
    finalLattice: number[];
    levels: Array<{ iterations: number; convergence: number }>;
  }
  const ref = JSON.parse(fs.readFileSync(path.join(REF, 'n4_itk.json'), 'utf8')) as ItkRef;

  test('log field matches ITK inside ITK’s Otsu mask', async () => {
    const image = await readImage(path.join(FIX, 'pyradiomics', 'brain1_image.nrrd'));
    const itkMask = await readImage(path.join(REF, 'brain1_otsu_mask_itk.nrrd'));
    const itkField = await readImage(path.join(REF, 'brain1_logfield_itk_every4xy.nrrd'));
    // Same Otsu threshold and mask.
    expect(otsuThreshold(image.data, 200)).toBe(ref.otsuThreshold);
    expect(shrinkGrid(image.size, 4)).toEqual({ size: ref.shrunkSize, offset: ref.shrinkOffset });
    const r = n4BiasFieldCorrection(image, { iterations: [50, 50, 50, 50] });
    let maskDiff = 0;
    for (let i = 0; i < r.mask.length; i++) if (r.mask[i] !== itkMask.data[i]) maskDiff++;
    expect(maskDiff).toBe(0);
    // Our field at the stored samples (voxel (4i, 4j, k)).
    const [nx, ny] = image.size;
    const [mx, my, mz] = itkField.size;
    const ours = new Float64Array(mx * my * mz);
    const inMask = new Uint8Array(mx * my * mz);
    for (let k = 0, s = 0; k < mz; k++)
      for (let j = 0; j < my; j++)
        for (let i = 0; i < mx; i++, s++) {
          const v = 4 * i + nx * (4 * j + ny * k);
          ours[s] = r.logField.data[v]!;
          inMask[s] = itkMask.data[v]! !== 0 ? 1 : 0;
        }
    const corr = pearson(ours, itkField.data, (s) => inMask[s] === 1);
    let worst = 0;
    for (let s = 0; s < ours.length; s++) if (inMask[s]) worst = Math.max(worst, Math.abs(ours[s]! - itkField.data[s]!));
    process.stdout.write(`N4 vs ITK on brain1: correlation ${corr}, max |Δ log field| ${worst.toExponential(3)}; levels ${JSON.stringify(r.levels.map((l) => [l.iterations, l.convergence]))}\n`);
    expect(corr).toBeGreaterThanOrEqual(0.999);
    expect(worst).toBeLessThan(5e-3);
    // Same iteration counts, and the last convergence values of each level within 2%
    // (ITK computes in single precision).
    r.levels.forEach((l, i) => {
      expect(l.iterations).toBe(ref.levels[i]!.iterations);
      expect(Math.abs(l.convergence - ref.levels[i]!.convergence) / ref.levels[i]!.convergence).toBeLessThan(0.02);
    });
    expect(r.levels[3]!.controlPoints).toEqual(ref.finalLatticeSize);
  });

  test('reconstructing ITK’s final lattice at full resolution reproduces ITK’s field (BSplineControlPointImageFilter)', async () => {
    const itkField = await readImage(path.join(REF, 'brain1_logfield_itk_every4xy.nrrd'));
    const lattice: Lattice = { size: ref.finalLatticeSize, data: Float64Array.from(ref.finalLattice) };
    const full = evaluateOnGrid(lattice, [256, 256, 25], 3);
    const [mx, my, mz] = itkField.size;
    let worst = 0;
    for (let k = 0, s = 0; k < mz; k++)
      for (let j = 0; j < my; j++)
        for (let i = 0; i < mx; i++, s++) worst = Math.max(worst, Math.abs(full[4 * i + 256 * (4 * j + 256 * k)]! - itkField.data[s]!));
    // single-precision lattice and field
    expect(worst).toBeLessThan(2e-6);
  });
});

describe('radnomo n4 (runN4)', () => {
  test('writes the corrected image and the field; rejects bad values', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-n4-'));
    try {
      const size: Vec3 = [24, 24, 12];
      const rng = new Random(9);
      const data = new Float64Array(size[0] * size[1] * size[2]);
      for (let z = 0, i = 0; z < size[2]; z++)
        for (let y = 0; y < size[1]; y++)
          for (let x = 0; x < size[0]; x++, i++) {
            const inside = (x - 11.5) ** 2 + (y - 11.5) ** 2 < 100;
            data[i] = (inside ? 100 : 5) * Math.exp(0.01 * (x - 12)) + rng.normal();
          }
      const img: Image = { size, spacing: [1, 1, 1], origin: [1, 2, 3], direction: identityDirection(), data };
      const inFile = path.join(dir, 'in.nrrd');
      await writeImage(inFile, img);
      const logs: string[] = [];
      const code = await runN4(inFile, { out: path.join(dir, 'out.nii.gz'), field: path.join(dir, 'field.nrrd'), shrink: '2', iterations: '10,10', convergence: '0' }, (s) => logs.push(s));
      expect(code).toBe(0);
      const out = await readImage(path.join(dir, 'out.nii.gz'));
      const field = await readImage(path.join(dir, 'field.nrrd'));
      expect(out.size).toEqual(size);
      for (let i = 0; i < data.length; i += 101) expect(out.data[i]).toBeCloseTo(Math.fround(data[i]! / field.data[i]!), 2);
      expect(logs.join('\n')).toMatch(/level 2: 10 iterations, 5×5×5 control points/);
      const fail = async (o: Record<string, string>): Promise<string> => {
        try {
          await runN4(inFile, { out: path.join(dir, 'x.nrrd'), ...o }, () => undefined);
        } catch (e) {
          expect(isRadnomoError(e)).toBe(true);
          return (e as Error).message;
        }
        return 'no error';
      };
      expect(await fail({ shrink: '0' })).toMatch(/--shrink must be a whole number of at least 1, got "0"/);
      expect(await fail({ iterations: '50,x' })).toMatch(/--iterations/);
      expect(await fail({ controlPoints: '3' })).toMatch(/--control-points must be a whole number of at least 4/);
      expect(await fail({ fwhm: '-0.1' })).toMatch(/--fwhm must be a positive number/);
      expect(await fail({ convergence: 'abc' })).toMatch(/--convergence/);
      expect(await fail({ bins: '1' })).toMatch(/--bins/);
      expect(await fail({ controlPoints: '4,4' })).toMatch(/one number or three/);
      expect(fs.existsSync(path.join(dir, 'x.nrrd'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
