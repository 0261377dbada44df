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
