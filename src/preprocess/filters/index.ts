/**
 * Image types (PyRadiomics `imageoperations.get<Type>Image` generators): one entry per derived
 * image, named as PyRadiomics names them, in PyRadiomics' yield order. Filters see the whole
 * (possibly resampled / pre-cropped) image; with a `region` (extraction passes the ROI's bounding
 * box) they return only that box, computing only what it depends on, with the same values there.
 */
import { RadnomoError } from '../../errors';
import type { Image } from '../../image';
import { logImages, type SigmaSetting } from './log';
import { waveletImages } from './wavelet';
import { squareImage, squareRootImage, logarithmImage, exponentialImage } from './simple';
import { gradientMagnitude } from './gradient';
import { lbp2DImage } from './lbp';
import { lbp3DImages } from './lbp3d';
import { checkRegion, cropToRegion, type FilterRegion } from './region';

export type { FilterRegion } from './region';

/** Options of `applyImageType`. */
export interface ApplyImageTypeOptions {
  /**
   * Compute derived images only inside this inclusive voxel-index box (e.g. the ROI's bounding
   * box). Every returned image is then exactly the box: size upper − lower + 1, same spacing and
   * direction, origin at the box's lower corner; its values are bit-identical to the whole-image
   * computation's inside the box. LoG, Wavelet and Gradient compute only what the box depends on;
   * the point-wise types (which scale by whole-image maxima) and LBP2D are computed on the whole
   * image and cropped; LBP3D runs its spline prefilter over the whole image and samples only the
   * ROI voxels inside the box; 'original' is the cropped input.
   */
  region?: FilterRegion;
}

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
 * merged with the image type's own). `mask` (non-zero = ROI) is used by LBP3D, which computes
 * only at ROI voxels (0 elsewhere).
 * 'LoG' with no `sigma` yields nothing (as in PyRadiomics). Derived images: 'original',
 * 'log-sigma-<s>-mm-3D', 'wavelet-LLH' … 'wavelet-LLL' (2-letter names with force2D),
 * 'square', 'squareroot', 'logarithm', 'exponential', 'gradient', 'lbp-2D', and 'lbp-3D-m1' …
 * 'lbp-3D-m<lbp3DLevels>' then 'lbp-3D-k'.
 * With `options.region`, every image is only that box (see `ApplyImageTypeOptions`).
 */
export function applyImageType(
  type: ImageTypeName,
  image: Image,
  mask: Uint8Array,
  settings: Record<string, unknown>,
  options: ApplyImageTypeOptions = {},
): FilteredImage[] {
  const region = options.region;
  if (region) checkRegion(region, image.size);
  const crop = (im: Image): Image => (region ? cropToRegion(im, region) : im);
  const wrap = (list: { prefix: string; image: Image }[]): FilteredImage[] => list.map((x) => ({ ...x, settings }));
  switch (type) {
    case 'Original':
      return wrap([{ prefix: 'original', image: crop(image) }]);
    case 'LoG':
      return wrap(logImages(image, sigmaList(settings), region));
    case 'Wavelet': {
      const w = settings.wavelet;
      if (w !== undefined && typeof w !== 'string') throw new RadnomoError('E_PARAMS', `Setting wavelet must be a wavelet name, got ${JSON.stringify(w)}.`);
      const wavelet = w as string | undefined;
      return wrap(
        waveletImages(
          image,
          {
            wavelet,
            level: num(settings, 'level'),
            start_level: num(settings, 'start_level'),
            force2D: settings.force2D === true,
            force2Ddimension: num(settings, 'force2Ddimension'),
          },
          region,
        ),
      );
    }
    case 'Square':
      return wrap([{ prefix: 'square', image: crop(squareImage(image)) }]);
    case 'SquareRoot':
      return wrap([{ prefix: 'squareroot', image: crop(squareRootImage(image)) }]);
    case 'Logarithm':
      return wrap([{ prefix: 'logarithm', image: crop(logarithmImage(image)) }]);
    case 'Exponential':
      return wrap([{ prefix: 'exponential', image: crop(exponentialImage(image)) }]);
    case 'Gradient':
      return wrap([{ prefix: 'gradient', image: gradientMagnitude(image, settings.gradientUseSpacing !== false, region) }]);
    case 'LBP2D': {
      const m = settings.lbp2DMethod;
      if (m !== undefined && typeof m !== 'string') throw new RadnomoError('E_PARAMS', `Setting lbp2DMethod must be text, got ${JSON.stringify(m)}.`);
      const method = m as string | undefined;
      return wrap([
        {
          prefix: 'lbp-2D',
          image: crop(
            lbp2DImage(image, {
              lbp2DRadius: num(settings, 'lbp2DRadius'),
              lbp2DSamples: num(settings, 'lbp2DSamples'),
              lbp2DMethod: method,
              force2Ddimension: num(settings, 'force2Ddimension'),
            }),
          ),
        },
      ]);
    }
    case 'LBP3D':
      return wrap(
        lbp3DImages(
          image,
          mask,
          {
            lbp3DLevels: num(settings, 'lbp3DLevels'),
            lbp3DIcosphereRadius: num(settings, 'lbp3DIcosphereRadius'),
            lbp3DIcosphereSubdivision: num(settings, 'lbp3DIcosphereSubdivision'),
          },
          region,
        ),
      );
    default:
      throw new RadnomoError('E_PARAMS', `Unknown image type "${String(type)}".`);
  }
}
