import type { Image, LabelMap, Vec3 } from '../../src/image';
import { identityDirection } from '../../src/image';
import { largestRoiSlice, roiCropBox, resizeBilinear, scaleTo255, caffePreprocessGray, prepareSlice, CAFFE_MEAN_BGR } from '../../src/deep/slice';

function vol<T extends Float64Array | Int32Array>(size: Vec3, data: T): { size: Vec3; spacing: Vec3; origin: Vec3; direction: Float64Array; data: T } {
  return { size, spacing: [1, 1, 1], origin: [0, 0, 0], direction: identityDirection(), data };
}

/** A 20×20×5 mask with the given ROI rectangles per slice: [x0, x1, y0, y1] inclusive. */
function maskWith(rects: Array<[number, number, number, number] | null>): LabelMap {
  const m = new Int32Array(20 * 20 * rects.length);
  rects.forEach((r, z) => {
    if (!r) return;
    for (let y = r[2]; y <= r[3]; y++) for (let x = r[0]; x <= r[1]; x++) m[x + 20 * (y + 20 * z)] = 1;
  });
  return vol([20, 20, rects.length], m);
}

describe('largest axial ROI slice', () => {
  test('picks the slice with the most ROI voxels; ties go to the lower index', () => {
    // areas 0, 6, 9, 9, 4
    const m = maskWith([null, [0, 2, 0, 1], [5, 7, 5, 7], [10, 18, 3, 3], [1, 2, 1, 2]]);
    expect(largestRoiSlice(m)).toEqual({ z: 2, area: 9 });
    const m2 = maskWith([null, [0, 2, 0, 1], [5, 7, 5, 7], [10, 19, 3, 3], [1, 2, 1, 2]]); // slice 3 now 10
    expect(largestRoiSlice(m2)).toEqual({ z: 3, area: 10 });
  });
  test('other labels are ignored; a mask without the label is an error naming the case', () => {
    const m = maskWith([[0, 5, 0, 5], [1, 1, 1, 1]]);
    for (let i = 0; i < 400; i++) if (m.data[i] === 1) m.data[i] = 2;
    expect(largestRoiSlice(m, 1)).toEqual({ z: 1, area: 1 });
    expect(() => largestRoiSlice(maskWith([null, null]), 1, 'case 7 (p7.nrrd)')).toThrow('case 7 (p7.nrrd): the mask has no axial slice containing label 1.');
  });
});

describe('crop box', () => {
  test('bounding box plus margin, squared around the centre, clipped to the image', () => {
    const m = maskWith([[5, 8, 10, 11]]);
    expect(roiCropBox(m, 0, 1, 2, false)).toEqual({ x0: 3, x1: 10, y0: 8, y1: 13 });
    // width 8, height 6 → height grows by 2 (1 above, 1 below)
    expect(roiCropBox(m, 0, 1, 2, true)).toEqual({ x0: 3, x1: 10, y0: 7, y1: 14 });
    // width 8, height 5 → grows by 3: 2 above, 1 below
    const m3 = maskWith([[5, 8, 10, 10]]);
    expect(roiCropBox(m3, 0, 1, 2, true)).toEqual({ x0: 3, x1: 10, y0: 6, y1: 13 }); // y 8..12 grows to 6..13
    const edge = maskWith([[0, 1, 18, 19]]);
    expect(roiCropBox(edge, 0, 1, 3, true)).toEqual({ x0: 0, x1: 4, y0: 15, y1: 19 });
  });
});

describe('bilinear resize (half-pixel centres) and scaling', () => {
  test('a ramp 0..3 of width 4 resized to 8', () => {
    const out = resizeBilinear(Float64Array.from([0, 1, 2, 3]), 1, 4, 1, 8);
    expect(Array.from(out)).toEqual([0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]);
  });
  test('2×2 → 4×4 by hand; a constant stays constant; downsizing by 2 averages pairs', () => {
    const out = resizeBilinear(Float64Array.from([0, 4, 8, 12]), 2, 2, 4, 4);
    expect(Array.from(out)).toEqual([0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12]);
    expect(Array.from(resizeBilinear(new Float64Array(15).fill(7), 3, 5, 6, 4))).toEqual(new Array(24).fill(7));
    expect(Array.from(resizeBilinear(Float64Array.from([0, 2, 4, 6]), 1, 4, 1, 2))).toEqual([1, 5]);
  });
  test('min-max scaling to [0, 255] and Keras caffe preprocessing (BGR, ImageNet means)', () => {
    expect(Array.from(scaleTo255(Float64Array.from([-100, 0, 100])))).toEqual([0, 127.5, 255]);
    expect(Array.from(scaleTo255(Float64Array.from([3, 3])))).toEqual([0, 0]);
    const p = caffePreprocessGray(Float64Array.from([255, 0]));
    expect(CAFFE_MEAN_BGR).toEqual([103.939, 116.779, 123.68]);
    expect(Array.from(p)).toEqual(Array.from(Float32Array.from([255 - 103.939, 255 - 116.779, 255 - 123.68, -103.939, -116.779, -123.68])));
  });
});

describe('prepareSlice end to end', () => {
  test('crop of the chosen slice holds a known ramp; output 8×8×3', () => {
    // image value = x on slice 1 (the largest ROI), 1000 elsewhere
    const size: Vec3 = [20, 20, 3];
    const img = new Float64Array(20 * 20 * 3).fill(1000);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) img[x + 20 * (y + 20)] = x;
    const m = new Int32Array(20 * 20 * 3);
    m[5 + 20 * (5 + 20 * 0)] = 1; // slice 0: 1 voxel
    for (let y = 6; y <= 9; y++) for (let x = 4; x <= 7; x++) m[x + 20 * (y + 20 * 1)] = 1; // slice 1: 16
    const image: Image = vol(size, img);
    const mask: LabelMap = vol(size, m);
    const p = prepareSlice(image, mask, { margin: 0, size: 8 });
    expect(p.slice).toEqual({ z: 1, area: 16 });
    expect(p.box).toEqual({ x0: 4, x1: 7, y0: 6, y1: 9 });
    // crop values x = 4..7 in every row → resized ramp [4,4.25,...,7] → scaled by (v-4)*85
    const row = [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3].map((v) => v * 85);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) expect(p.gray[y * 8 + x]).toBeCloseTo(row[x]!, 10);
    expect(p.input.length).toBe(8 * 8 * 3);
    expect(p.input[3 * 7 + 2]).toBeCloseTo(255 - 123.68, 4);
  });
});
