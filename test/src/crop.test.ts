/** Bounding boxes and PyRadiomics' cropToTumorMask (src/preprocess/crop.ts). */
import type { Image, LabelMap, Vec3 } from '../../src/image';
import { indexToPhysical } from '../../src/image';
import { boundingBox, cropToBoundingBox } from '../../src/preprocess/crop';
import { loadBrain1 } from '../features/brain1';

function volume(size: Vec3, direction: number[], spacing: Vec3 = [0.7, 1.3, 2.1], origin: Vec3 = [-3.2, 4.1, 1.7]): Image {
  const data = new Float64Array(size[0] * size[1] * size[2]);
  for (let i = 0; i < data.length; i++) data[i] = i * 1.5 - 7;
  return { size, spacing, origin, direction: Float64Array.from(direction), data };
}

const ROTATED = [0.8, -0.6, 0, 0.36, 0.48, -0.8, 0.48, 0.64, 0.6];

describe('boundingBox', () => {
  test('inclusive bounds of the non-zero voxels', () => {
    const size: Vec3 = [5, 4, 3];
    const m = new Uint8Array(60);
    m[1 + 5 * (2 + 4 * 0)] = 1;
    m[3 + 5 * (1 + 4 * 2)] = 7;
    expect(boundingBox(m, size)).toEqual({ lower: [1, 1, 0], upper: [3, 2, 2] });
  });
  test('a single voxel, and an empty mask', () => {
    const m = new Uint8Array(60);
    m[59] = 1;
    expect(boundingBox(m, [5, 4, 3])).toEqual({ lower: [4, 3, 2], upper: [4, 3, 2] });
    expect(boundingBox(new Uint8Array(60), [5, 4, 3])).toBeNull();
  });
});

describe('cropToBoundingBox (PyRadiomics cropToTumorMask)', () => {
  test('without padding: exactly the box; every voxel keeps its value and physical position', () => {
    const vol = volume([6, 5, 4], ROTATED);
    const box = { lower: [1, 2, 1] as Vec3, upper: [3, 4, 2] as Vec3 };
    const c = cropToBoundingBox(vol, box, 0);
    expect(c.size).toEqual([3, 3, 2]);
    expect(c.spacing).toEqual(vol.spacing);
    expect(Array.from(c.direction)).toEqual(ROTATED);
    for (let z = 0; z < 2; z++)
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 3; x++) {
          const src: Vec3 = [x + 1, y + 2, z + 1];
          expect(c.data[x + 3 * (y + 3 * z)]).toBe(vol.data[src[0] + 6 * (src[1] + 5 * src[2])]);
          const a = indexToPhysical(c, [x, y, z]);
          const b = indexToPhysical(vol, src);
          for (let k = 0; k < 3; k++) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-12);
        }
  });

  test('padding is clipped to the image on each side separately', () => {
    const vol = volume([10, 8, 6], [1, 0, 0, 0, -1, 0, 0, 0, 1]);
    const box = { lower: [1, 3, 4] as Vec3, upper: [7, 4, 5] as Vec3 };
    const c = cropToBoundingBox(vol, box, 2);
    // x: 1−2 → 0 .. 7+2 = 9; y: 1 .. 6; z: 2 .. 5 (clipped at 5)
    expect(c.size).toEqual([10, 6, 4]);
    expect(c.origin).toEqual(indexToPhysical(vol, [0, 1, 2]));
    expect(c.data[0]).toBe(vol.data[0 + 10 * (1 + 8 * 2)]);
    expect(c.data[c.data.length - 1]).toBe(vol.data[9 + 10 * (6 + 8 * 5)]);
  });

  test('keeps the typed-array type of label maps and masks', () => {
    const lm: LabelMap = { size: [4, 4, 4], spacing: [1, 1, 1], origin: [0, 0, 0], direction: Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), data: new Int32Array(64).fill(3) };
    const c = cropToBoundingBox(lm, { lower: [1, 1, 1], upper: [2, 2, 2] }, 1);
    expect(c.data).toBeInstanceOf(Int32Array);
    expect(c.size).toEqual([4, 4, 4]);
    expect(c.origin).toEqual([0, 0, 0]);
    const m = { ...lm, data: new Uint8Array(64) };
    expect(cropToBoundingBox(m, { lower: [1, 1, 1], upper: [1, 1, 1] }, 0).data).toBeInstanceOf(Uint8Array);
  });

  test('brain1 label 1: bounding box 47 × 70 × 7 and 4137 voxels (README); padDistance 5 widens every side', async () => {
    const { image, mask } = await loadBrain1();
    const box = boundingBox(mask, image.size)!;
    expect(box).toEqual({ lower: [162, 84, 11], upper: [208, 153, 17] });
    const c0 = cropToBoundingBox({ ...image, data: mask }, box, 0);
    expect(c0.size).toEqual([47, 70, 7]);
    let n = 0;
    for (const v of c0.data) n += v;
    expect(n).toBe(4137);
    const c5 = cropToBoundingBox(image, box, 5);
    expect(c5.size).toEqual([57, 80, 17]);
    expect(c5.origin).toEqual(indexToPhysical(image, [157, 79, 6]));
  });
});
