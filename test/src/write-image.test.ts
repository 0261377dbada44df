import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { writeImage } from '../../src/io/write-image';
import { readImage, readLabelMap } from '../../src/io/read-image';
import type { Image, LabelMap } from '../../src/image';
import { Random } from '../../src/random';
import { isRadnomoError } from '../../src/errors';

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-write-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

function oblique(): Image {
  const rng = new Random(7);
  const size: [number, number, number] = [7, 5, 4];
  const data = new Float64Array(7 * 5 * 4);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() * 1000;
  // A rotation about z by 30° then about x by 20° (not symmetric), row-major.
  const a = Math.PI / 6;
  const b = Math.PI / 9;
  const rz = [Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a), 0, 0, 0, 1];
  const rx = [1, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, Math.sin(b), Math.cos(b)];
  const d = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) d[r * 3 + c]! += rx[r * 3 + k]! * rz[k * 3 + c]!;
  return { size, spacing: [0.7, 1.25, 3], origin: [-12.5, 40.25, 7], direction: d, data };
}

describe('writeImage round trip', () => {
  for (const ext of ['.nrrd', '.nii.gz', '.nii', '.mha']) {
    test(`${ext}: float64 data and geometry come back as written`, async () => {
      const img = oblique();
      const file = path.join(tmpDir, `img${ext}`);
      await writeImage(file, img);
      const back = await readImage(file);
      expect(back.size).toEqual(img.size);
      expect(Array.from(back.data)).toEqual(Array.from(img.data));
      for (let d = 0; d < 3; d++) {
        expect(back.spacing[d]).toBeCloseTo(img.spacing[d]!, ext.startsWith('.nii') ? 5 : 12);
        expect(back.origin[d]).toBeCloseTo(img.origin[d]!, ext.startsWith('.nii') ? 4 : 12);
      }
      for (let k = 0; k < 9; k++) expect(back.direction[k]).toBeCloseTo(img.direction[k]!, ext.startsWith('.nii') ? 5 : 12);
      // no temporary files left behind
      expect(fs.readdirSync(tmpDir).filter((f) => f.includes('.tmp'))).toEqual([]);
    });
  }

  test('NRRD header carries the direction columns scaled by spacing (ITK convention)', async () => {
    const img = oblique();
    const file = path.join(tmpDir, 'hdr.nrrd');
    await writeImage(file, img, { compress: false });
    const text = fs.readFileSync(file).subarray(0, 2000).toString('latin1');
    const m = /space directions: \(([^)]*)\) \(([^)]*)\) \(([^)]*)\)/.exec(text);
    expect(m).not.toBeNull();
    for (let j = 0; j < 3; j++) {
      const v = m![j + 1]!.split(',').map(Number);
      // axis j's vector = column j of the direction matrix times spacing j (LPS space)
      for (let r = 0; r < 3; r++) expect(v[r]).toBeCloseTo(img.direction[r * 3 + j]! * img.spacing[j]!, 10);
    }
  });

  test('label maps as uint8 / int32, float32 storage, gzip really applied', async () => {
    const lab: LabelMap = { ...oblique(), data: Int32Array.from({ length: 140 }, (_, i) => i % 3) };
    const f1 = path.join(tmpDir, 'lab.nrrd');
    await writeImage(f1, lab, { componentType: 'uint8' });
    expect(Array.from((await readLabelMap(f1)).data)).toEqual(Array.from(lab.data));
    const img = oblique();
    const f2 = path.join(tmpDir, 'f32.nii.gz');
    await writeImage(f2, img, { componentType: 'float32' });
    const back = await readImage(f2);
    for (let i = 0; i < img.data.length; i++) expect(back.data[i]).toBe(Math.fround(img.data[i]!));
    expect(() => zlib.gunzipSync(fs.readFileSync(f2))).not.toThrow();
  });

  test('bad requests are RadnomoErrors and leave no file', async () => {
    const img = oblique();
    const bad = async (file: string, o?: Parameters<typeof writeImage>[2], im: Image = img): Promise<string> => {
      try {
        await writeImage(file, im, o);
      } catch (e) {
        expect(isRadnomoError(e)).toBe(true);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(await bad(path.join(tmpDir, 'x.png'))).toMatch(/unknown output image format/);
    expect(await bad(path.join(tmpDir, 'x.nrrd'), { componentType: 'uint8' })).toMatch(/uint8 cannot store/);
    const nan = { ...img, data: Float64Array.from(img.data) };
    nan.data[3] = NaN;
    expect(await bad(path.join(tmpDir, 'y.nrrd'), undefined, nan)).toMatch(/voxel 3 is NaN/);
    expect(fs.existsSync(path.join(tmpDir, 'x.nrrd'))).toBe(false);
    expect(fs.existsSync(path.join(tmpDir, 'y.nrrd'))).toBe(false);
  });
});
