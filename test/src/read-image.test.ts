import * as path from 'node:path';
import { readImage, readLabelMap } from '../../src/io/read-image';

const FIX = path.join(__dirname, '..', '..', 'fixtures');

test('reads the IBSI digital phantom NIfTI with its geometry', async () => {
  const img = await readImage(path.join(FIX, 'ibsi', 'digital_phantom', 'image.nii.gz'));
  expect(img.size).toEqual([5, 4, 4]);
  expect(img.spacing).toEqual([2, 2, 2]);
  expect(img.data[0]).toBe(1);
  const mask = await readLabelMap(path.join(FIX, 'ibsi', 'digital_phantom', 'mask.nii.gz'));
  let n = 0;
  for (const v of mask.data) n += v === 1 ? 1 : 0;
  expect(n).toBe(74);
});

test('reads a folder holding one DICOM series, sorted by position, with its geometry (fixtures/reference/make_dicom_series.py)', async () => {
  const img = await readImage(path.join(FIX, 'dicom_series'));
  expect(img.size).toEqual([6, 5, 4]);
  expect(img.spacing.map((v) => +v.toFixed(9))).toEqual([0.5, 0.8, 2.5]);
  expect(img.origin.map((v) => +v.toFixed(9))).toEqual([-10, 20, 30]);
  // voxel (x, y, z) holds 100 z + 10 y + x; the files are stored in reverse slice order
  for (let z = 0; z < 4; z++) {
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 6; x++) expect(img.data[x + 6 * (y + 5 * z)]).toBe(100 * z + 10 * y + x);
    }
  }
});

test('an empty folder is a clear error naming it', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-empty-'));
  await expect(readImage(dir)).rejects.toThrow(/holds no files \(expected one DICOM series\)/);
  fs.rmSync(dir, { recursive: true });
});

test('one cached ITK-Wasm module per format reads again after a failed read, with the same values', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-reuse-'));
  const file = path.join(FIX, 'pyradiomics', 'brain1_label.nrrd');
  try {
    const first = await readLabelMap(file);
    fs.writeFileSync(path.join(dir, 'corrupt.nrrd'), 'NRRD0004\ntype: short\nsizes: 6 6\n\ngarbage');
    fs.writeFileSync(path.join(dir, 'truncated.nrrd'), fs.readFileSync(path.join(FIX, 'pyradiomics', 'brain1_image.nrrd')).subarray(0, 2000));
    await expect(readImage(path.join(dir, 'corrupt.nrrd'))).rejects.toThrow(/corrupt\.nrrd: cannot be read as NRRD/);
    await expect(readImage(path.join(dir, 'truncated.nrrd'))).rejects.toThrow(/truncated\.nrrd: cannot be read as NRRD/);
    const again = await readLabelMap(file);
    expect(again.size).toEqual(first.size);
    expect(again.origin).toEqual(first.origin);
    expect(Buffer.from(again.data.buffer, again.data.byteOffset, again.data.byteLength).equals(Buffer.from(first.data.buffer, first.data.byteOffset, first.data.byteLength))).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('overlapping reads (image and mask together) leave console.log working afterwards', async () => {
  const log = console.log;
  await Promise.all([readImage(path.join(FIX, 'pyradiomics', 'brain1_image.nrrd')), readLabelMap(path.join(FIX, 'pyradiomics', 'brain1_label.nrrd'))]);
  expect(console.log).toBe(log);
});
