import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDeepExtract, runDeepGradcam } from '../../src/cli/deep-command';
import { readCsv } from '../../src/io/csv';
import { readImageFile, readLabelMapFile } from '../../src/io/read-image';
import { preprocessForSlice, NO_PREPROCESSING } from '../../src/deep/preprocess';
import { largestRoiSlice } from '../../src/deep/slice';
import { writeNrrd as writeVol } from '../src/batch-fixtures';

/** Writes an int16 volume with the batch tests' raw NRRD writer (1 mm spacing). */
function writeNrrd(file: string, size: [number, number, number], data: Int16Array): void {
  writeVol(file, { size, spacing: [1, 1, 1], data });
}

describe('radnomo deep extract / gradcam handlers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-deep-'));
  const size: [number, number, number] = [24, 24, 3];
  beforeAll(() => {
    for (let c = 0; c < 2; c++) {
      const img = new Int16Array(24 * 24 * 3).map((_, i) => ((i * 37 + c * 11) % 97) - 40);
      const mask = new Int16Array(24 * 24 * 3);
      const mask2 = new Int16Array(24 * 24 * 3);
      for (let y = 8; y < 14; y++) for (let x = 6 + c; x < 15; x++) mask[x + 24 * (y + 24)] = 1;
      for (let y = 9; y < 13; y++) for (let x = 7; x < 14; x++) mask2[x + 24 * (y + 24)] = 1;
      writeNrrd(path.join(dir, `img${c}.nrrd`), size, img);
      writeNrrd(path.join(dir, `mask${c}.nrrd`), size, mask);
      writeNrrd(path.join(dir, `mask2_${c}.nrrd`), size, mask2);
    }
    writeNrrd(path.join(dir, 'empty.nrrd'), size, new Int16Array(24 * 24 * 3));
    fs.writeFileSync(path.join(dir, 'cases.csv'), 'ID,Image,Mask,Mask2\nP1,img0.nrrd,mask0.nrrd,mask2_0.nrrd\nP2,img1.nrrd,mask1.nrrd,mask2_1.nrrd\n');
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'ID,Image,Mask\nP1,img0.nrrd,mask0.nrrd\nP9,img1.nrrd,empty.nrrd\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('random weights: 2,048 features per case with ids, every row marked UNTRAINED, a warning; second reader via --mask-column', async () => {
    const logs: string[] = [];
    const out = path.join(dir, 'dtl.csv');
    const code = await runDeepExtract({ batch: path.join(dir, 'cases.csv'), weights: 'random', seed: '3', jobs: '1', backend: 'wasm', margin: '1', out, quiet: true }, (s) => logs.push(s));
    expect(code).toBe(0);
    expect(logs.some((l) => /warning: --weights random --seed 3 gives an UNTRAINED network/.test(l))).toBe(true);
    const t = readCsv(out);
    expect(t.names.slice(0, 6)).toEqual(['ID', 'Image', 'Mask', 'Mask2', 'dtl_weights', 'dtl_0000']);
    expect(t.names[t.names.length - 1]).toBe('dtl_2047');
    expect(t.names.length).toBe(5 + 2048);
    expect(t.columns.get('ID')).toEqual(['P1', 'P2']);
    expect(t.columns.get('dtl_weights')).toEqual(['UNTRAINED-random-seed-3', 'UNTRAINED-random-seed-3']);
    const f1 = t.columns.get('dtl_0005')!.map(Number);
    expect(f1.every(Number.isFinite)).toBe(true);
    const out2 = path.join(dir, 'dtl2.csv');
    await runDeepExtract({ batch: path.join(dir, 'cases.csv'), weights: 'random', seed: '3', jobs: '1', backend: 'wasm', maskColumn: 'Mask2', margin: '1', out: out2, quiet: true }, () => undefined);
    const t2 = readCsv(out2);
    expect(t2.columns.get('ID')).toEqual(['P1', 'P2']);
    expect(t2.columns.get('dtl_0005')).not.toEqual(t.columns.get('dtl_0005')); // the other reader's ROI → other crop
  });

  test('a case whose mask has no ROI slice fails alone, named in <out>.errors.csv (exit 3); a missing backend is an error', async () => {
    const out = path.join(dir, 'x.csv');
    const logs: string[] = [];
    const code = await runDeepExtract({ batch: path.join(dir, 'bad.csv'), weights: 'random', seed: '1', jobs: '1', backend: 'wasm', out, quiet: true }, (s) => logs.push(s));
    expect(code).toBe(3);
    expect(readCsv(out).columns.get('ID')).toEqual(['P1']);
    const errors = readCsv(path.join(dir, 'x.errors.csv'));
    expect(errors.columns.get('ID')).toEqual(['P9']);
    expect(errors.columns.get('error')).toEqual(['case 2 (img1.nrrd): the mask has no axial slice containing label 1.']);
    expect(logs).toContain('failed: case 2 (img1.nrrd): the mask has no axial slice containing label 1.');
    await expect(
      runDeepExtract({ batch: path.join(dir, 'cases.csv'), weights: 'random', seed: '1', backend: 'tensorflow', out: path.join(dir, 'y.csv') }, () => undefined),
    ).rejects.toThrow(/--backend tensorflow needs @tensorflow\/tfjs-node/);
    await expect(runDeepExtract({ batch: path.join(dir, 'cases.csv'), weights: 'random', out: path.join(dir, 'y.csv') }, () => undefined)).rejects.toThrow(
      /--weights random needs --seed S/,
    );
  });

  test('gradcam writes a 224×224 PNG overlay', async () => {
    const out = path.join(dir, 'heat.png');
    const code = await runDeepGradcam(
      { image: path.join(dir, 'img0.nrrd'), mask: path.join(dir, 'mask0.nrrd'), weights: 'random', seed: '2', backend: 'wasm', out },
      () => undefined,
    );
    expect(code).toBe(0);
    const png = fs.readFileSync(out);
    expect(png.toString('ascii', 1, 4)).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([224, 224]);
  });

  test('gradcam applies deep extract\'s preprocessing (--resample) before choosing the slice', async () => {
    const run = async (o: { resample?: string }): Promise<{ log: string; png: Buffer }> => {
      const out = path.join(dir, `heat-${o.resample ?? 'plain'}.png`);
      const logs: string[] = [];
      const opts = { image: path.join(dir, 'img0.nrrd'), mask: path.join(dir, 'mask0.nrrd'), weights: 'random', seed: '2', backend: 'wasm', out, ...o };
      expect(await runDeepGradcam(opts, (l) => logs.push(l))).toBe(0);
      return { log: logs.find((l) => l.startsWith('Grad-CAM'))!, png: fs.readFileSync(out) };
    };
    const plain = await run({});
    const resampled = await run({ resample: '0.5,0.5,0' });
    expect(plain.log).toMatch(/of slice 1 /);
    // The slice is chosen and cropped on the resampled volumes (0.5 mm in-plane), as deep extract does.
    const img = (await readImageFile(path.join(dir, 'img0.nrrd'))).image;
    const mask = (await readLabelMapFile(path.join(dir, 'mask0.nrrd'))).image;
    const prep = { ...NO_PREPROCESSING, resampledPixelSpacing: [0.5, 0.5, 0] as [number, number, number], interpolator: 'sitkBSpline' as const };
    const pre = preprocessForSlice(img, mask, prep, 1, 10, 'img0');
    expect(pre.mask.spacing).toEqual([0.5, 0.5, 1]);
    expect(resampled.log).toContain(`of slice ${largestRoiSlice(pre.mask).z} `);
    expect(resampled.png.equals(plain.png)).toBe(false);
  });
});
