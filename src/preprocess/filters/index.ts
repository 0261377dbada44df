/**
 * Image types (PyRadiomics `imageoperations.get<Type>Image` generators): one entry per derived
 * image, named as PyRadiomics names them, in PyRadiomics' yield order. Filters run on the whole
 * (possibly resampled / pre-cropped) image, before cropping to the ROI.
 */
import { RadnomoError } from '../../errors';
import type { Image } from '../../image';
import { logImages, type SigmaSetting } from './log';
import { waveletImages } from './wavelet';
import { squareImage, squareRootImage, logarithmImage, exponentialImage } from './simple';
import { gradientMagnitude } from './gradient';
import { lbp2DImage, lbp3DImages } from './lbp';

export interface FilteredImage {
  prefix: string;
  image: Image;
  settings: Record<string, unknown>;
}

export type ImageTypeName =
  | 'Original'
  | 'LoG'
  | 'Wavelet'
  | 'Square'
  | 'SquareRoot'
  | 'Logarithm'
  | 'Exponential'
  | 'Gradient'
  | 'LBP2D'
  | 'LBP3D';

function num(settings: Record<string, unknown>, key: string): number | undefined {
  const v = settings[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RadnomoError('E_PARAMS', `Setting ${key} must be a number, got ${JSON.stringify(v)}.`);
  return v;
}

function sigmaList(settings: Record<string, unknown>): SigmaSetting[] {
  const v = settings.sigma;
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((s) => {
    if (typeof s === 'number' || typeof s === 'string') return s;
    throw new RadnomoError('E_PARAMS', `LoG sigma values must be numbers, got ${JSON.stringify(s)}.`);
  });
}

/**
 * Applies one PyRadiomics image type to `image` with its effective `settings` (global settings
 * merged with the image type's own). `mask` is accepted for LBP3D, which samples only ROI voxels.
 * 'LoG' with no `sigma` yields nothing (as in PyRadiomics). Derived images: 'original',
 * 'log-sigma-<s>-mm-3D', 'wavelet-LLH' … 'wavelet-LLL' (2-letter names with force2D),
 * 'square', 'squareroot', 'logarithm', 'exponential', 'gradient', 'lbp-2D'.
 */
export function applyImageType(
  type: ImageTypeName,
  image: Image,
  mask: Uint8Array,
  settings: Record<string, unknown>,
): FilteredImage[] {
  void mask;
  const wrap = (list: { prefix: string; image: Image }[]): FilteredImage[] => list.map((x) => ({ ...x, settings }));
  switch (type) {
    case 'Original':
      return wrap([{ prefix: 'original', image }]);
    case 'LoG':
      return wrap(logImages(image, sigmaList(settings)));
    case 'Wavelet': {
      const w = settings.wavelet;
      if (w !== undefined && typeof w !== 'string') throw new RadnomoError('E_PARAMS', `Setting wavelet must be a wavelet name, got ${JSON.stringify(w)}.`);
      const wavelet = w as string | undefined;
      return wrap(
        waveletImages(image, {
          wavelet,
          level: num(settings, 'level'),
          start_level: num(settings, 'start_level'),
          force2D: settings.force2D === true,
          force2Ddimension: num(settings, 'force2Ddimension'),
        }),
      );
    }
    case 'Square':
      return wrap([{ prefix: 'square', image: squareImage(image) }]);
    case 'SquareRoot':
      return wrap([{ prefix: 'squareroot', image: squareRootImage(image) }]);
    case 'Logarithm':
      return wrap([{ prefix: 'logarithm', image: logarithmImage(image) }]);
    case 'Exponential':
      return wrap([{ prefix: 'exponential', image: exponentialImage(image) }]);
    case 'Gradient':
      return wrap([{ prefix: 'gradient', image: gradientMagnitude(image, settings.gradientUseSpacing !== false) }]);
    case 'LBP2D': {
      const m = settings.lbp2DMethod;
      if (m !== undefined && typeof m !== 'string') throw new RadnomoError('E_PARAMS', `Setting lbp2DMethod must be text, got ${JSON.stringify(m)}.`);
      const method = m as string | undefined;
      return wrap([
        {
          prefix: 'lbp-2D',
          image: lbp2DImage(image, {
            lbp2DRadius: num(settings, 'lbp2DRadius'),
            lbp2DSamples: num(settings, 'lbp2DSamples'),
            lbp2DMethod: method,
            force2Ddimension: num(settings, 'force2Ddimension'),
          }),
        },
      ]);
    }
    case 'LBP3D':
      return lbp3DImages();
    default:
      throw new RadnomoError('E_PARAMS', `Unknown image type "${String(type)}".`);
  }
}
