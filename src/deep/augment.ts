/**
 * Image augmentation for full fine-tuning: pure functions over channels-last (size × size × c)
 * Float32Array images, as `prepareSlice` makes them (caffe-preprocessed, BGR). The operations are
 * those of Keras' `ImageDataGenerator` (keras/src/legacy/preprocessing/image.py:
 * `horizontal_flip`, `vertical_flip`, `rotation_range` with `fill_mode='nearest'`) plus additive
 * Gaussian noise (Keras' `GaussianNoise` layer: zero-mean, fixed standard deviation). Rotation
 * resamples bilinearly; samples falling outside the image take the nearest edge pixel, as
 * fill_mode 'nearest'. Random parameters come only from radnomo's seeded `Random`.
 */
import { Random } from '../random';
import { RadnomoError } from '../errors';
import { flipHorizontal } from './finetune';

export { flipHorizontal };

/** Vertical flip (rows reversed) of a channels-last (size × size × c) image. */
export function flipVertical(input: Float32Array, size: number, channels = 3): Float32Array {
  checkImage(input, size, channels);
  const out = new Float32Array(input.length);
  const row = size * channels;
  for (let y = 0; y < size; y++) out.set(input.subarray((size - 1 - y) * row, (size - y) * row), y * row);
  return out;
}

/**
 * Rotation by `degrees` about the image centre ((size − 1)/2, (size − 1)/2), counter-clockwise as
 * displayed with rows going down (x right, y down): output pixel p takes the input at
 * c + R(−θ)(p − c), bilinearly interpolated over the four neighbours; positions outside the image
 * are clamped to the edge (Keras fill_mode 'nearest'). A multiple of 90° lands exactly on pixel
 * centres, so it permutes pixels exactly.
 */
export function rotate(input: Float32Array, size: number, degrees: number, channels = 3): Float32Array {
  checkImage(input, size, channels);
  if (!Number.isFinite(degrees)) throw new RadnomoError('E_PARAMS', `rotation angle must be finite, got ${degrees}.`);
  if (degrees === 0) return Float32Array.from(input);
  const t = (degrees * Math.PI) / 180;
  // exact values at multiples of 90° (Math.cos(Math.PI / 2) is 6e-17, not 0)
  const q = degrees / 90;
  const cos = Number.isInteger(q) ? [1, 0, -1, 0][((q % 4) + 4) % 4]! : Math.cos(t);
  const sin = Number.isInteger(q) ? [0, 1, 0, -1][((q % 4) + 4) % 4]! : Math.sin(t);
  const c = (size - 1) / 2;
  const out = new Float32Array(input.length);
  const clamp = (v: number): number => (v < 0 ? 0 : v > size - 1 ? size - 1 : v);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // on screen (y down) a counter-clockwise turn maps d to (cos·dx + sin·dy, −sin·dx + cos·dy);
      // the output samples the input at the inverse image of its offset
      const dx = x - c;
      const dy = y - c;
      const sx = clamp(c + cos * dx - sin * dy);
      const sy = clamp(c + sin * dx + cos * dy);
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(x0 + 1, size - 1);
      const y1 = Math.min(y0 + 1, size - 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (y * size + x) * channels;
      for (let k = 0; k < channels; k++) {
        const a = input[(y0 * size + x0) * channels + k]! * (1 - fx) + input[(y0 * size + x1) * channels + k]! * fx;
        const b = input[(y1 * size + x0) * channels + k]! * (1 - fx) + input[(y1 * size + x1) * channels + k]! * fx;
        out[o + k] = a * (1 - fy) + b * fy;
      }
    }
  }
  return out;
}

/**
 * Adds zero-mean Gaussian noise of standard deviation `sd` (in the input's units: the [0, 255]
 * grey scale before the caffe mean subtraction) — one draw per pixel, added to every channel, so a
 * grey image replicated to 3 channels stays grey.
 */
export function addGaussianNoise(input: Float32Array, size: number, sd: number, rng: Random, channels = 3): Float32Array {
  checkImage(input, size, channels);
  if (!(sd >= 0) || !Number.isFinite(sd)) throw new RadnomoError('E_PARAMS', `noise SD must be a finite number ≥ 0, got ${sd}.`);
  const out = Float32Array.from(input);
  if (sd === 0) return out;
  for (let p = 0; p < size * size; p++) {
    const e = sd * rng.normal();
    for (let k = 0; k < channels; k++) out[p * channels + k]! += e;
  }
  return out;
}

/** Augmentation settings (defaults in brackets). */
export interface AugmentOptions {
  /** Probability of a horizontal flip [0.5]. */
  horizontalFlip?: number;
  /** Probability of a vertical flip [0.5]. */
  verticalFlip?: number;
  /** Rotation angle drawn uniformly from [−maxRotation, +maxRotation] degrees [10]. */
  maxRotation?: number;
  /** SD of the additive Gaussian noise on the [0, 255] scale [5, about 2% of the range]. */
  noiseSd?: number;
}

/** The parameters drawn for one augmented copy. */
export interface AugmentDraw {
  flipH: boolean;
  flipV: boolean;
  degrees: number;
}

/** Defaults of `AugmentOptions`. */
export const AUGMENT_DEFAULTS: Required<AugmentOptions> = { horizontalFlip: 0.5, verticalFlip: 0.5, maxRotation: 10, noiseSd: 5 };

/**
 * One random augmentation of an image: horizontal flip, vertical flip (each with its
 * probability), rotation by a uniform angle in ±maxRotation, then Gaussian noise. The draws are
 * taken from `rng` in a fixed order (flipH, flipV, angle, then one normal per pixel), so a seed
 * fixes the result.
 */
export function augmentImage(input: Float32Array, size: number, rng: Random, o: AugmentOptions = {}, channels = 3): { image: Float32Array; draw: AugmentDraw } {
  const a = { ...AUGMENT_DEFAULTS, ...o };
  for (const [k, v] of [['horizontalFlip', a.horizontalFlip], ['verticalFlip', a.verticalFlip]] as const) {
    if (!(v >= 0 && v <= 1)) throw new RadnomoError('E_PARAMS', `augmentation ${k} must be a probability in [0, 1], got ${v}.`);
  }
  if (!(a.maxRotation >= 0 && a.maxRotation <= 180)) throw new RadnomoError('E_PARAMS', `augmentation maxRotation must be in [0, 180] degrees, got ${a.maxRotation}.`);
  const draw: AugmentDraw = {
    flipH: rng.next() < a.horizontalFlip,
    flipV: rng.next() < a.verticalFlip,
    degrees: (2 * rng.next() - 1) * a.maxRotation,
  };
  let img = input;
  if (draw.flipH) img = flipHorizontal(img, size, channels);
  if (draw.flipV) img = flipVertical(img, size, channels);
  if (draw.degrees !== 0) img = rotate(img, size, draw.degrees, channels);
  img = addGaussianNoise(img, size, a.noiseSd, rng, channels);
  return { image: img, draw };
}

function checkImage(input: Float32Array, size: number, channels: number): void {
  if (input.length !== size * size * channels) {
    throw new RadnomoError('E_DATA', `an image of ${input.length} values is not ${size} × ${size} × ${channels}.`);
  }
}
