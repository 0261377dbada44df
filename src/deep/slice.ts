/**
 * The 2D input of radnomo's deep features: the axial slice with the largest ROI area, cropped to
 * the ROI's bounding box with a margin, resized to 224 × 224 (bilinear), scaled to [0, 255],
 * replicated to 3 channels and preprocessed as Keras' ResNet50 expects
 * (`keras.applications.resnet50.preprocess_input`, mode 'caffe': RGB → BGR, then subtract the
 * ImageNet channel means B 103.939, G 116.779, R 123.68, no scaling).
 */
import type { Image, LabelMap } from '../image';
import { RadnomoError } from '../errors';

/** ImageNet channel means in BGR order (Keras imagenet_utils, mode 'caffe'). */
export const CAFFE_MEAN_BGR: readonly [number, number, number] = [103.939, 116.779, 123.68];

export interface SliceOptions {
  /** Mask label of the ROI (default 1, as PyRadiomics). */
  label?: number;
  /** Margin around the ROI's bounding box, in voxels (default 10); the crop is clipped to the image. */
  margin?: number;
  /** Output height and width (default 224). */
  size?: number;
  /** Expand the crop to a square around its centre so the resize keeps the aspect ratio (default true). */
  square?: boolean;
  /** Names the case in error messages. */
  where?: string;
}

/** Index (0-based, along the image's third index axis) and area of the slice with the largest ROI area. */
export interface ChosenSlice {
  z: number;
  area: number;
}

/**
 * The axial slice (constant third index, k) with the most ROI voxels; ties go to the lowest
 * index. A mask with no ROI voxel is a RadnomoError naming the case.
 */
export function largestRoiSlice(mask: LabelMap, label = 1, where = 'the mask'): ChosenSlice {
  const [nx, ny, nz] = mask.size;
  const plane = nx * ny;
  let best = -1;
  let bestArea = 0;
  for (let z = 0; z < nz; z++) {
    let a = 0;
    const off = z * plane;
    for (let i = 0; i < plane; i++) if (mask.data[off + i] === label) a++;
    if (a > bestArea) {
      bestArea = a;
      best = z;
    }
  }
  if (best < 0) throw new RadnomoError('E_MASK', `${where}: the mask has no axial slice containing label ${label}.`);
  return { z: best, area: bestArea };
}

/** Inclusive crop box [x0, x1] × [y0, y1] in the slice's pixel indices. */
export interface CropBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * The ROI's bounding box in slice z, grown by `margin` voxels on each side; with `square` the
 * shorter side grows (around the centre, lower side first for odd growth) to the longer; then
 * clipped to the image.
 */
export function roiCropBox(mask: LabelMap, z: number, label = 1, margin = 10, square = true): CropBox {
  const [nx, ny] = mask.size;
  const off = z * nx * ny;
  let x0 = nx, x1 = -1, y0 = ny, y1 = -1;
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      if (mask.data[off + x + nx * y] !== label) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) throw new RadnomoError('E_MASK', `slice ${z} holds no voxel of label ${label}.`);
  x0 -= margin;
  x1 += margin;
  y0 -= margin;
  y1 += margin;
  if (square) {
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    if (w > h) {
      const g = w - h;
      y0 -= Math.ceil(g / 2);
      y1 += Math.floor(g / 2);
    } else if (h > w) {
      const g = h - w;
      x0 -= Math.ceil(g / 2);
      x1 += Math.floor(g / 2);
    }
  }
  return { x0: Math.max(0, x0), x1: Math.min(nx - 1, x1), y0: Math.max(0, y0), y1: Math.min(ny - 1, y1) };
}

/**
 * Bilinear resize of a row-major (h × w) plane to (outH × outW), with half-pixel centres (the
 * convention of OpenCV INTER_LINEAR, PIL and tf.image.resize(..., 'bilinear')): output pixel i
 * samples input position (i + 0.5)·in/out − 0.5, clamped to the edge pixels.
 */
export function resizeBilinear(src: Float64Array, h: number, w: number, outH: number, outW: number): Float64Array {
  const out = new Float64Array(outH * outW);
  const sy = h / outH;
  const sx = w / outW;
  const xi0 = new Int32Array(outW), xi1 = new Int32Array(outW), xf = new Float64Array(outW);
  for (let j = 0; j < outW; j++) {
    const p = Math.min(Math.max((j + 0.5) * sx - 0.5, 0), w - 1);
    const f = Math.floor(p);
    xi0[j] = f;
    xi1[j] = Math.min(f + 1, w - 1);
    xf[j] = p - f;
  }
  for (let i = 0; i < outH; i++) {
    const p = Math.min(Math.max((i + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(p);
    const y1 = Math.min(y0 + 1, h - 1);
    const fy = p - y0;
    for (let j = 0; j < outW; j++) {
      const a = src[y0 * w + xi0[j]!]! * (1 - xf[j]!) + src[y0 * w + xi1[j]!]! * xf[j]!;
      const b = src[y1 * w + xi0[j]!]! * (1 - xf[j]!) + src[y1 * w + xi1[j]!]! * xf[j]!;
      out[i * outW + j] = a * (1 - fy) + b * fy;
    }
  }
  return out;
}

/** Linear map of values to [0, 255] by their minimum and maximum; a constant plane becomes 0. */
export function scaleTo255(v: Float64Array): Float64Array {
  let lo = Infinity, hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const out = new Float64Array(v.length);
  if (!(hi > lo)) return out;
  const range = hi - lo;
  for (let i = 0; i < v.length; i++) out[i] = ((v[i]! - lo) * 255) / range;
  return out;
}

/**
 * Keras 'caffe' preprocessing of a gray plane in [0, 255] replicated to RGB: channels-last
 * (size × size × 3) in BGR order minus the ImageNet means.
 */
export function caffePreprocessGray(gray: Float64Array): Float32Array {
  const out = new Float32Array(gray.length * 3);
  for (let i = 0; i < gray.length; i++) {
    const g = gray[i]!;
    out[3 * i] = g - CAFFE_MEAN_BGR[0];
    out[3 * i + 1] = g - CAFFE_MEAN_BGR[1];
    out[3 * i + 2] = g - CAFFE_MEAN_BGR[2];
  }
  return out;
}

/** A prepared network input and how it was made. */
export interface PreparedSlice {
  /** size × size × 3, BGR, mean-subtracted (feed to ResNet50 as [1, size, size, 3]). */
  input: Float32Array;
  /** The gray plane in [0, 255] (size × size, row-major, rows = y), for overlays. */
  gray: Float64Array;
  size: number;
  slice: ChosenSlice;
  box: CropBox;
}

/** Copies the crop box of slice z as a row-major plane (rows = y). */
export function cropPlane(image: Image, z: number, box: CropBox): { plane: Float64Array; h: number; w: number } {
  const [nx, ny] = image.size;
  const w = box.x1 - box.x0 + 1;
  const h = box.y1 - box.y0 + 1;
  const plane = new Float64Array(w * h);
  const off = z * nx * ny;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) plane[y * w + x] = image.data[off + box.x0 + x + nx * (box.y0 + y)]!;
  return { plane, h, w };
}

/** The whole input pipeline of one case: largest slice → crop → resize → [0, 255] → 3 channels → caffe. */
export function prepareSlice(image: Image, mask: LabelMap, o: SliceOptions = {}): PreparedSlice {
  const where = o.where ?? 'the case';
  if (image.size[0] !== mask.size[0] || image.size[1] !== mask.size[1] || image.size[2] !== mask.size[2]) {
    throw new RadnomoError('E_GEOMETRY', `${where}: image size ${image.size.join('×')} differs from mask size ${mask.size.join('×')}.`);
  }
  const label = o.label ?? 1;
  const size = o.size ?? 224;
  const slice = largestRoiSlice(mask, label, where);
  const box = roiCropBox(mask, slice.z, label, o.margin ?? 10, o.square ?? true);
  const { plane, h, w } = cropPlane(image, slice.z, box);
  for (const v of plane) if (!Number.isFinite(v)) throw new RadnomoError('E_VALUE', `${where}: the image holds NaN or infinite values in slice ${slice.z}.`);
  const gray = scaleTo255(resizeBilinear(plane, h, w, size, size));
  return { input: caffePreprocessGray(gray), gray, size, slice, box };
}
