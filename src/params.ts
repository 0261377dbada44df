import * as fs from 'node:fs';
import * as crypto from 'node:crypto';
import YAML from 'yaml';
import { RadnomoError } from './errors';

/**
 * Extraction settings under PyRadiomics' names (the `setting` section of a params file), with
 * PyRadiomics' defaults. `ibsi` is radnomo's own switch to the IBSI manual's conventions.
 */
export interface ExtractionSettings {
  label: number;
  minimumROIDimensions: number;
  minimumROISize: number | null;
  geometryTolerance: number | null;
  correctMask: boolean;
  additionalInfo: boolean;
  binWidth: number;
  binCount: number | null;
  normalize: boolean;
  normalizeScale: number;
  removeOutliers: number | null;
  resampledPixelSpacing: number[] | null;
  /** null disables resampling even when resampledPixelSpacing is set (PyRadiomics). */
  interpolator: string | null;
  preCrop: boolean;
  padDistance: number;
  distances: number[];
  force2D: boolean;
  force2Ddimension: 0 | 1 | 2;
  resegmentRange: number[] | null;
  resegmentMode: 'absolute' | 'relative' | 'sigma';
  resegmentShape: boolean;
  voxelArrayShift: number;
  symmetricalGLCM: boolean;
  weightingNorm: null | 'manhattan' | 'euclidean' | 'infinity' | 'no_weighting';
  gldm_a: number;
  ibsi: boolean;
  /**
   * radnomo's own: N4 bias-field correction of the image before anything else (false, true for
   * 3D Slicer's defaults, or a mapping of N4 options: shrinkFactor, iterations, convergenceThreshold,
   * controlPoints, splineOrder, biasFieldFwhm, wienerNoise, histogramBins).
   */
  n4: false | N4Setting;
}

/** N4 options in a params file (each optional; 3D Slicer's defaults otherwise). */
export interface N4Setting {
  shrinkFactor?: number;
  iterations?: number[];
  convergenceThreshold?: number;
  controlPoints?: number;
  splineOrder?: number;
  biasFieldFwhm?: number;
  wienerNoise?: number;
  histogramBins?: number;
}

export const DEFAULT_SETTINGS: ExtractionSettings = {
  label: 1,
  minimumROIDimensions: 2,
  minimumROISize: null,
  geometryTolerance: null,
  correctMask: false,
  additionalInfo: true,
  binWidth: 25,
  binCount: null,
  normalize: false,
  normalizeScale: 1,
  removeOutliers: null,
  resampledPixelSpacing: null,
  interpolator: 'sitkBSpline',
  preCrop: false,
  padDistance: 5,
  distances: [1],
  force2D: false,
  force2Ddimension: 0,
  resegmentRange: null,
  resegmentMode: 'absolute',
  resegmentShape: false,
  voxelArrayShift: 0,
  symmetricalGLCM: true,
  weightingNorm: null,
  gldm_a: 0,
  ibsi: false,
  n4: false,
};

/** The feature classes radnomo computes, under PyRadiomics' class names. */
export const FEATURE_CLASSES = ['firstorder', 'shape', 'shape2D', 'glcm', 'glrlm', 'glszm', 'gldm', 'ngtdm'] as const;
export type FeatureClassName = (typeof FEATURE_CLASSES)[number];

/** PyRadiomics' image type names (the `imageType` section). */
export const IMAGE_TYPES = [
  'Original',
  'LoG',
  'Wavelet',
  'Square',
  'SquareRoot',
  'Logarithm',
  'Exponential',
  'Gradient',
  'LBP2D',
  'LBP3D',
] as const;

/** A parsed params file: enabled image types (with their own settings), classes (null = all features) and settings. */
export interface ExtractionParams {
  imageTypes: Record<string, Partial<ExtractionSettings> & Record<string, unknown>>;
  featureClasses: Partial<Record<FeatureClassName, string[] | null>>;
  settings: ExtractionSettings;
}

type Kind = 'int' | 'num' | 'bool' | 'numlist' | 'intlist' | 'str' | 'numOrNull' | 'intOrNull' | 'enum' | 'n4';
interface KeySpec {
  kind: Kind;
  values?: readonly (string | number | null)[];
  min?: number;
}

const SETTING_SPECS: Record<string, KeySpec> = {
  label: { kind: 'int' },
  label_channel: { kind: 'int', min: 0 },
  minimumROIDimensions: { kind: 'int', min: 1 },
  minimumROISize: { kind: 'intOrNull', min: 1 },
  geometryTolerance: { kind: 'numOrNull' },
  correctMask: { kind: 'bool' },
  additionalInfo: { kind: 'bool' },
  enableCExtensions: { kind: 'bool' },
  binWidth: { kind: 'num' },
  binCount: { kind: 'intOrNull', min: 1 },
  normalize: { kind: 'bool' },
  normalizeScale: { kind: 'num' },
  removeOutliers: { kind: 'numOrNull' },
  resampledPixelSpacing: { kind: 'numlist' },
  interpolator: {
    kind: 'enum',
    values: [
      'sitkNearestNeighbor',
      'sitkLinear',
      'sitkBSpline',
      'sitkGaussian',
      'sitkLabelGaussian',
      'sitkHammingWindowedSinc',
      'sitkCosineWindowedSinc',
      'sitkWelchWindowedSinc',
      'sitkLanczosWindowedSinc',
      'sitkBlackmanWindowedSinc',
      1,
      2,
      3,
      null,
    ],
  },
  preCrop: { kind: 'bool' },
  padDistance: { kind: 'int', min: 0 },
  distances: { kind: 'intlist', min: 1 },
  force2D: { kind: 'bool' },
  force2Ddimension: { kind: 'enum', values: [0, 1, 2] },
  resegmentRange: { kind: 'numlist' },
  resegmentMode: { kind: 'enum', values: ['absolute', 'relative', 'sigma'] },
  resegmentShape: { kind: 'bool' },
  voxelArrayShift: { kind: 'num' },
  symmetricalGLCM: { kind: 'bool' },
  weightingNorm: { kind: 'enum', values: ['manhattan', 'euclidean', 'infinity', 'no_weighting', null] },
  gldm_a: { kind: 'int', min: 0 },
  ibsi: { kind: 'bool' },
  n4: { kind: 'n4' },
  // Filter settings (used by the image types that take them).
  sigma: { kind: 'numlist' },
  start_level: { kind: 'int', min: 0 },
  level: { kind: 'int', min: 1 },
  wavelet: { kind: 'str' },
  gradientUseSpacing: { kind: 'bool' },
  lbp2DRadius: { kind: 'num' },
  lbp2DSamples: { kind: 'int', min: 1 },
  lbp2DMethod: { kind: 'str' },
  lbp3DLevels: { kind: 'int', min: 1 },
  lbp3DIcosphereRadius: { kind: 'num' },
  lbp3DIcosphereSubdivision: { kind: 'int', min: 0 },
};

const INTERPOLATOR_CODES: Record<number, string> = { 1: 'sitkNearestNeighbor', 2: 'sitkLinear', 3: 'sitkBSpline' };

function checkValue(where: string, key: string, v: unknown): unknown {
  const spec = SETTING_SPECS[key];
  if (!spec) {
    throw new RadnomoError('E_PARAMS', `${where}: unknown setting "${key}" (PyRadiomics and radnomo have no such setting).`);
  }
  const bad = (want: string): never => {
    throw new RadnomoError('E_PARAMS', `${where}: setting "${key}" must be ${want}, got ${JSON.stringify(v)}.`);
  };
  const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const min = spec.min;
  switch (spec.kind) {
    case 'bool':
      if (typeof v !== 'boolean') bad('true or false');
      return v;
    case 'int':
      if (!isNum(v) || !Number.isInteger(v) || (min !== undefined && v < min)) bad(`a whole number${min !== undefined ? ` ≥ ${min}` : ''}`);
      return v;
    case 'intOrNull':
      if (v === null) return null;
      if (!isNum(v) || !Number.isInteger(v) || (min !== undefined && v < min)) bad(`a whole number${min !== undefined ? ` ≥ ${min}` : ''} or null`);
      return v;
    case 'num':
      if (!isNum(v)) bad('a number');
      return v;
    case 'numOrNull':
      if (v === null) return null;
      if (!isNum(v)) bad('a number or null');
      return v;
    case 'str':
      if (typeof v !== 'string') bad('text');
      return v;
    case 'numlist':
    case 'intlist': {
      if (v === null) return null;
      const list = Array.isArray(v) ? v : [v];
      if (list.length === 0) bad('a non-empty list of numbers');
      for (const x of list) {
        if (key === 'sigma' && typeof x === 'string' && /^[+-]?\d+$/.test(x)) continue;
        if (!isNum(x)) bad('a list of numbers');
        if (spec.kind === 'intlist' && (!Number.isInteger(x) || (min !== undefined && (x as number) < min))) bad('a list of whole numbers ≥ 1');
      }
      return list;
    }
    case 'n4': {
      if (v === false || v === null) return false;
      if (v === true) return {};
      if (typeof v !== 'object' || Array.isArray(v)) bad('true, false, or a mapping of N4 options');
      const allowed: Record<string, 'pos' | 'int' | 'intlist'> = {
        shrinkFactor: 'int',
        iterations: 'intlist',
        convergenceThreshold: 'pos',
        controlPoints: 'int',
        splineOrder: 'int',
        biasFieldFwhm: 'pos',
        wienerNoise: 'pos',
        histogramBins: 'int',
      };
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const want = allowed[k];
        if (!want) {
          throw new RadnomoError('E_PARAMS', `${where}: unknown N4 option "${k}" (known: ${Object.keys(allowed).join(', ')}).`);
        }
        const ok =
          want === 'intlist'
            ? Array.isArray(x) && x.length > 0 && x.every((y) => Number.isInteger(y) && (y as number) >= 1)
            : want === 'int'
              ? Number.isInteger(x) && (x as number) >= 1
              : isNum(x) && x > 0;
        if (!ok) {
          throw new RadnomoError('E_PARAMS', `${where}: N4 option "${k}" must be ${want === 'intlist' ? 'a list of whole numbers ≥ 1' : want === 'int' ? 'a whole number ≥ 1' : 'a positive number'}, got ${JSON.stringify(x)}.`);
        }
      }
      return v;
    }
    case 'enum':
      if (!spec.values!.includes(v as string | number | null)) {
        bad(`one of ${spec.values!.map((x) => JSON.stringify(x)).join(', ')}`);
      }
      if (key === 'interpolator' && typeof v === 'number') return INTERPOLATOR_CODES[v];
      return v;
  }
}

/** Validates a settings object (unknown keys and wrong types are errors naming the file and key). */
export function validateSettings(where: string, raw: unknown): Partial<ExtractionSettings> & Record<string, unknown> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RadnomoError('E_PARAMS', `${where}: must be a mapping of setting names to values.`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = checkValue(where, k, v);
  return out as Partial<ExtractionSettings> & Record<string, unknown>;
}

/**
 * Parses a PyRadiomics parameter file's content (YAML or JSON) with sections `imageType`,
 * `featureClass` and `setting`, accepted as PyRadiomics accepts them. Missing sections take
 * PyRadiomics' defaults: image type Original, all feature classes.
 */
export function parseParams(text: string, source: string): ExtractionParams {
  let doc: unknown;
  try {
    const parsed = YAML.parseDocument(text, { prettyErrors: false });
    if (parsed.errors.length > 0) throw parsed.errors[0]!;
    keepIntegerSigmaText(parsed);
    doc = parsed.toJS();
  } catch (e) {
    throw new RadnomoError('E_PARAMS', `${source}: not valid YAML (${(e as Error).message.split('\n')[0]}).`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new RadnomoError('E_PARAMS', `${source}: a params file must be a mapping with sections imageType, featureClass, setting.`);
  }
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!['imageType', 'featureClass', 'setting', 'voxelSetting'].includes(k)) {
      throw new RadnomoError('E_PARAMS', `${source}: unknown section "${k}" (sections are imageType, featureClass, setting).`);
    }
  }
  const settings: ExtractionSettings = { ...DEFAULT_SETTINGS, ...validateSettings(`${source} (setting)`, d.setting) };

  const imageTypes: ExtractionParams['imageTypes'] = {};
  if (d.imageType === undefined || d.imageType === null) {
    imageTypes.Original = {};
  } else {
    if (typeof d.imageType !== 'object' || Array.isArray(d.imageType)) {
      throw new RadnomoError('E_PARAMS', `${source}: section imageType must map image type names to their settings.`);
    }
    for (const [name, s] of Object.entries(d.imageType as Record<string, unknown>)) {
      if (!(IMAGE_TYPES as readonly string[]).includes(name)) {
        throw new RadnomoError('E_PARAMS', `${source}: unknown image type "${name}" (known: ${IMAGE_TYPES.join(', ')}).`);
      }
      imageTypes[name] = validateSettings(`${source} (imageType ${name})`, s);
    }
  }

  const featureClasses: ExtractionParams['featureClasses'] = {};
  if (d.featureClass === undefined || d.featureClass === null) {
    for (const c of FEATURE_CLASSES) if (c !== 'shape2D') featureClasses[c] = null;
  } else {
    if (typeof d.featureClass !== 'object' || Array.isArray(d.featureClass)) {
      throw new RadnomoError('E_PARAMS', `${source}: section featureClass must map class names to feature lists (or null for all).`);
    }
    for (const [name, list] of Object.entries(d.featureClass as Record<string, unknown>)) {
      if (!(FEATURE_CLASSES as readonly string[]).includes(name)) {
        throw new RadnomoError('E_PARAMS', `${source}: unknown feature class "${name}" (known: ${FEATURE_CLASSES.join(', ')}).`);
      }
      if (list !== null && list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))) {
        throw new RadnomoError('E_PARAMS', `${source}: featureClass ${name} must be a list of feature names or empty.`);
      }
      featureClasses[name as FeatureClassName] = Array.isArray(list) && list.length > 0 ? (list as string[]) : null;
    }
  }
  return { imageTypes, featureClasses, settings };
}

/**
 * PyRadiomics names LoG images with Python's str() of each sigma as YAML typed it:
 * `sigma: [3]` gives 'log-sigma-3-mm-3D', `sigma: [3.0]` gives 'log-sigma-3-0-mm-3D'. JavaScript
 * numbers cannot tell 3 from 3.0, so integer-typed sigmas are kept as their source text.
 */
function keepIntegerSigmaText(doc: YAML.Document.Parsed): void {
  const paths: Array<Array<string>> = [['imageType', 'LoG', 'sigma'], ['setting', 'sigma']];
  for (const p of paths) {
    const node = doc.getIn(p, true);
    const items = YAML.isSeq(node) ? node.items : YAML.isScalar(node) ? [node] : [];
    for (const it of items) {
      if (YAML.isScalar(it) && typeof it.value === 'number' && typeof it.source === 'string' && /^[+-]?\d+$/.test(it.source)) {
        it.value = it.source.replace(/^\+/, '');
      }
    }
  }
}

/** Reads and parses a params file. */
export function readParams(file: string): ExtractionParams {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new RadnomoError('E_IO', `${file}: cannot read the params file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  return parseParams(text, file);
}

/** Default params: image type Original, all classes but shape2D, PyRadiomics' default settings. */
export function defaultParams(): ExtractionParams {
  return parseParams('{}', 'defaults');
}

/** A short stable hash of the effective params (diagnostics column). */
export function paramsHash(p: ExtractionParams): string {
  const canon = JSON.stringify(p, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return crypto.createHash('sha1').update(canon).digest('hex').slice(0, 16);
}
