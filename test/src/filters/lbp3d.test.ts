/**
 * LBP3D against PyRadiomics' own getLBP3DImage (run by fixtures/reference/lbp3d.py with scipy and
 * trimesh → lbp3d.json): every derived image at every ROI voxel for default and non-default
 * levels / radius / subdivision, a label other than 1, ROIs touching every face of the volume
 * (samples outside the image), int16 (samples rounded to int16, NaN kurtosis on a flat plateau)
 * and float32 images; and the pieces: scipy's spline prefilter and map_coordinates, trimesh's
 * icosphere, scipy's sph_harm.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lbp3DImages, lbp3DSampleType, scipyKurtosis } from '../../../src/preprocess/filters/lbp3d';
import { CubicSplineSampler, castSample, splineFilter3D, splineFilterLine } from '../../../src/preprocess/filters/spline-interpolation';
import { icosphereVertices, sphHarm } from '../../../src/preprocess/filters/spherical';
import { applyImageType } from '../../../src/preprocess/filters';
import { identityDirection, type Image, type Vec3 } from '../../../src/image';
import { readImage, readLabelMap } from '../../../src/io/read-image';
import { isRadnomoError } from '../../../src/errors';
import { extractFeatures } from '../../../src/extract';
import { parseParams } from '../../../src/params';

interface GoldenCase {
  name: string;
  size: Vec3;
  spacing: Vec3;
  dtype: string;
  input: number[];
  mask: number[];
  settings: Record<string, number>;
  roiIndex: number[];
  outputs: { name: string; values: (number | null)[] }[];
}
const G = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'reference', 'lbp3d.json'), 'utf8')) as {
  generator: string;
  cases: GoldenCase[];
  icospheres: { subdivisions: number; radius: number; vertices: number[] }[];
  splineFilter: { input: number[]; output: number[] };
  sphHarm: { theta: number[]; phi: number[]; values: { m: number; n: number; re: number[]; im: number[] }[] };
  mapCoordinates: { case: number; points: number[][]; values: number[] };
  brain1: { roiIndex: number[]; outputs: { name: string; values: (number | null)[] }[] };
};

function imageOf(c: GoldenCase): Image {
  return {
    size: c.size,
    spacing: c.spacing,
    origin: [3, -2, 10],
    direction: identityDirection(),
    data: Float64Array.from(c.input),
    pixelType: c.dtype,
  };
}
const roiOf = (c: GoldenCase): Uint8Array => Uint8Array.from(c.mask, (v) => (v === (c.settings.label ?? 1) ? 1 : 0));

/** Worst |a − b| / max(1, |b|) over ROI voxels; NaN must meet NaN. */
function worstError(data: Float64Array, index: number[], golden: (number | null)[]): number {
  let worst = 0;
  index.forEach((p, i) => {
    const r = golden[i]!;
    const v = data[p]!;
    if (r === null) {
      if (!Number.isNaN(v)) worst = Infinity;
    } else worst = Math.max(worst, Math.abs(v - r) / Math.max(1, Math.abs(r)));
  });
  return worst;
}

describe('LBP3D against PyRadiomics getLBP3DImage', () => {
  for (const c of G.cases) {
    test(c.name, () => {
      const outs = lbp3DImages(imageOf(c), roiOf(c), c.settings);
      expect(outs.map((o) => o.prefix)).toEqual(c.outputs.map((o) => o.name));
      c.outputs.forEach((g, i) => {
        expect(worstError(outs[i]!.image.data, c.roiIndex, g.values)).toBeLessThan(1e-14);
      });
      // outside the ROI (uninitialised in PyRadiomics) radnomo writes 0; geometry is the input's
      const inRoi = new Set(c.roiIndex);
      for (const o of outs) {
        expect(o.image.size).toEqual(c.size);
        expect(o.image.spacing).toEqual(c.spacing);
        expect(o.image.origin).toEqual([3, -2, 10]);
        let outside = 0;
        o.image.data.forEach((v, p) => {
          if (!inRoi.has(p)) outside += Math.abs(v);
        });
        expect(outside).toBe(0);
      }
    });
  }
});

test('brain1 (int16 MR, label 1, PyRadiomics test case) with default settings, every ROI voxel', async () => {
  const fix = path.join(__dirname, '..', '..', '..', 'fixtures', 'pyradiomics');
  const image = await readImage(path.join(fix, 'brain1_image.nrrd'));
  const label = await readLabelMap(path.join(fix, 'brain1_label.nrrd'));
  expect(lbp3DSampleType(image)).toBe('int16');
  const outs = lbp3DImages(image, Uint8Array.from(label.data, (v) => (v === 1 ? 1 : 0)));
  expect(outs.map((o) => o.prefix)).toEqual(G.brain1.outputs.map((o) => o.name));
  G.brain1.outputs.forEach((g, i) => expect(worstError(outs[i]!.image.data, G.brain1.roiIndex, g.values)).toBeLessThan(1e-14));
});

test('the golden cases exercise NaN kurtosis, ties and samples outside the image', () => {
  const int16 = G.cases.find((c) => c.dtype === 'int16')!;
  expect(int16.outputs.at(-1)!.values.filter((v) => v === null).length).toBeGreaterThan(0);
  expect(lbp3DSampleType(imageOf(int16))).toBe('int16');
  expect(lbp3DSampleType(imageOf(G.cases.find((c) => c.dtype === 'float32')!))).toBe('float32');
  // an int16-labelled image with fractional values (e.g. normalised) is sampled as float64
  expect(lbp3DSampleType({ ...imageOf(int16), data: Float64Array.from(int16.input, (v) => v / 3) })).toBe('float64');
});

test('integer and float32 sample casts follow scipy', () => {
  expect(castSample(2.5, 'int16')).toBe(3);
  expect(castSample(-2.5, 'int16')).toBe(-3);
  expect(castSample(-2.4, 'int16')).toBe(-2);
  expect(castSample(40000, 'int16')).toBe(32767);
  expect(castSample(-0.7, 'uint8')).toBe(0);
  expect(castSample(255.6, 'uint8')).toBe(255);
  expect(castSample(0.1, 'float32')).toBe(Math.fround(0.1));
});

test('spline prefilter equals scipy spline_filter1d on a 60-sample line', () => {
  const line = Float64Array.from(G.splineFilter.input);
  splineFilterLine(line, line.length);
  let worst = 0;
  G.splineFilter.output.forEach((r, i) => (worst = Math.max(worst, Math.abs(line[i]! - r) / Math.max(1, Math.abs(r)))));
  expect(worst).toBeLessThan(1e-15);
});

test('cubic spline sampling equals scipy map_coordinates(order=3), inside, on and beyond the borders', () => {
  const c = G.cases[G.mapCoordinates.case]!;
  const sampler = new CubicSplineSampler(splineFilter3D(c.input, c.size), c.size);
  G.mapCoordinates.points.forEach(([z, y, x], i) => {
    const r = G.mapCoordinates.values[i]!;
    const v = sampler.sample(z!, y!, x!);
    if (r === 0) expect(v).toBe(0);
    else expect(Math.abs(v - r) / Math.abs(r)).toBeLessThan(1e-15);
  });
});

test("icosphere vertices equal trimesh's, in trimesh's order", () => {
  for (const s of G.icospheres) {
    const v = icosphereVertices(s.subdivisions, s.radius);
    expect(v.length).toBe(s.vertices.length);
    expect(v.length / 3).toBe(10 * 4 ** s.subdivisions + 2);
    let worst = 0;
    s.vertices.forEach((r, i) => (worst = Math.max(worst, Math.abs(v[i]! - r))));
    expect(worst).toBeLessThan(1e-15 * Math.max(1, s.radius));
  }
});

test('spherical harmonics equal scipy sph_harm (degrees 0–4, icosphere angles incl. negative polar ones)', () => {
  let worst = 0;
  for (const h of G.sphHarm.values) {
    G.sphHarm.theta.forEach((theta, v) => {
      const [re, im] = sphHarm(h.m, h.n, theta, G.sphHarm.phi[v]!);
      worst = Math.max(worst, Math.abs(re - h.re[v]!), Math.abs(im - h.im[v]!));
    });
  }
  expect(worst).toBeLessThan(4e-15);
});

test('kurtosis: symmetric in the samples, closed form, NaN for a constant row', () => {
  // kurtosis is a symmetric function of the samples
  const s = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7]);
  const rev = Float64Array.from(s).reverse();
  expect(Math.abs(scipyKurtosis(s, false) - scipyKurtosis(rev, false))).toBeLessThan(1e-14);
  // closed form: kurtosis of two equally frequent values is −2 (Fisher, biased)
  expect(scipyKurtosis(Float64Array.from([1, 3, 1, 3, 1, 3, 1, 3]), false)).toBeCloseTo(-2, 14);
  expect(scipyKurtosis(new Float64Array(10).fill(7), false)).toBeNaN();
});

describe('through applyImageType', () => {
  const c = G.cases[0]!;
  const img = imageOf(c);
  const roi = roiOf(c);

  test('names, order, and region = whole-image crop', () => {
    const whole = applyImageType('LBP3D', img, roi, { lbp3DLevels: 3 });
    expect(whole.map((o) => o.prefix)).toEqual(['lbp-3D-m1', 'lbp-3D-m2', 'lbp-3D-m3', 'lbp-3D-k']);
    const region = { lower: [2, 1, 3] as Vec3, upper: [9, 8, 7] as Vec3 };
    const boxed = applyImageType('LBP3D', img, roi, { lbp3DLevels: 3 }, { region });
    const applied = applyImageType('Original', whole[0]!.image, roi, {}, { region });
    expect(boxed[0]!.image.size).toEqual([8, 8, 5]);
    expect(boxed[0]!.image.origin).toEqual(applied[0]!.image.origin);
    boxed.forEach((b, i) => {
      const crop = applyImageType('Original', whole[i]!.image, roi, {}, { region })[0]!.image.data;
      expect(Array.from(b.image.data)).toEqual(Array.from(crop));
    });
    expect(boxed.every((b) => b.settings.lbp3DLevels === 3)).toBe(true);
  });

  test('bad settings are RadnomoErrors naming the setting', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ lbp3DLevels: 2.5 }, /lbp3DLevels/],
      [{ lbp3DLevels: 1 }, /lbp3DLevels/],
      [{ lbp3DLevels: 'two' }, /lbp3DLevels/],
      [{ lbp3DIcosphereRadius: -1 }, /lbp3DIcosphereRadius/],
      [{ lbp3DIcosphereRadius: 0 }, /lbp3DIcosphereRadius/],
      [{ lbp3DIcosphereSubdivision: 1.5 }, /lbp3DIcosphereSubdivision/],
      [{ lbp3DIcosphereSubdivision: -1 }, /lbp3DIcosphereSubdivision/],
      [{ lbp3DIcosphereSubdivision: 12 }, /lbp3DIcosphereSubdivision/],
    ];
    for (const [s, re] of bad) {
      let err: unknown;
      try {
        applyImageType('LBP3D', img, roi, s);
      } catch (e) {
        err = e;
      }
      expect(isRadnomoError(err)).toBe(true);
      expect((err as Error).message).toMatch(re);
    }
  });
});

test('extraction with imageType LBP3D gives lbp-3D-* features computed on the LBP3D images', () => {
  const c = G.cases[0]!;
  const img = imageOf(c);
  const label = { ...img, data: Int32Array.from(c.mask), pixelType: undefined };
  const params = parseParams(
    'imageType:\n  LBP3D:\n    lbp3DIcosphereRadius: 1.5\nfeatureClass:\n  firstorder: [Mean, Maximum]\nsetting:\n  binWidth: 1\n',
    'lbp3d.yaml',
  );
  const f = extractFeatures(img, label, params).features;
  const names = Object.keys(f).filter((n) => n.startsWith('lbp-3D')).sort();
  expect(names).toEqual([
    'lbp-3D-k_firstorder_Maximum', 'lbp-3D-k_firstorder_Mean',
    'lbp-3D-m1_firstorder_Maximum', 'lbp-3D-m1_firstorder_Mean',
    'lbp-3D-m2_firstorder_Maximum', 'lbp-3D-m2_firstorder_Mean',
  ]);
  // the same images computed directly: their ROI means and maxima
  const direct = lbp3DImages(img, roiOf(c), { lbp3DIcosphereRadius: 1.5 });
  for (const d of direct) {
    let sum = 0;
    let max = -Infinity;
    for (const p of c.roiIndex) {
      sum += d.image.data[p]!;
      max = Math.max(max, d.image.data[p]!);
    }
    expect(Math.abs(f[`${d.prefix}_firstorder_Mean`]! - sum / c.roiIndex.length)).toBeLessThan(1e-12 * Math.max(1, Math.abs(sum / c.roiIndex.length)));
    expect(f[`${d.prefix}_firstorder_Maximum`]).toBe(max);
  }
});
