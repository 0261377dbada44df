/**
 * Deep transfer-learning (DTL) features: ResNet50's 2,048 globally pooled features of each case's
 * largest axial ROI slice, as a CSV with the batch's id columns and `dtl_0000` … `dtl_2047`.
 *
 * Untrained marking: with `--weights random --seed S` (for tests only) the backbone is not
 * pretrained, so nothing it yields is transfer learning. Every output then says so: the CSV's
 * `dtl_weights` column reads `UNTRAINED-random-seed-S` on every row, a head JSON carries
 * `untrained: true`, and a warning is logged. With a weights folder the column reads
 * `pretrained:<folder name>`.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RadnomoError } from '../errors';
import { readCsv, stringColumn, isMissing, toCsv } from '../io/csv';
import { readImageFile, readLabelMapFile } from '../io/read-image';
import { buildResNet50, RESNET50_FEATURES } from './resnet50';
import { loadWeightsByName } from './weights-io';
import { prepareSlice, type PreparedSlice, type SliceOptions } from './slice';
import { preprocessForSlice, NO_PREPROCESSING, type DeepPreprocessing } from './preprocess';

/** Column names of the 2,048 features. */
export function dtlColumnNames(n = RESNET50_FEATURES): string[] {
  return Array.from({ length: n }, (_, i) => `dtl_${String(i).padStart(4, '0')}`);
}

/** Where the backbone's weights come from. */
export interface BackboneSpec {
  /** A folder in tfjs layers format, or 'random' (tests only; needs a seed). */
  weights: string;
  seed?: number;
  /** Input size (224 for ImageNet weights). */
  inputSize?: number;
}

export interface Backbone {
  model: tf.LayersModel;
  untrained: boolean;
  /** The `dtl_weights` value: `pretrained:<folder>` or `UNTRAINED-random-seed-S`. */
  tag: string;
  inputSize: number;
}

/** The warning logged whenever random weights are used. */
export function untrainedWarning(seed: number): string {
  return `warning: --weights random --seed ${seed} gives an UNTRAINED network (for tests only); its features are not transfer learning, and every output is marked UNTRAINED.`;
}

/** Builds ResNet50 and loads its weights (or seeds random ones). */
export function loadBackbone(spec: BackboneSpec): Backbone {
  const inputSize = spec.inputSize ?? 224;
  if (spec.weights === 'random') {
    if (spec.seed === undefined || !Number.isInteger(spec.seed)) {
      throw new RadnomoError('E_USAGE', '--weights random needs --seed S (a whole number); random weights exist for tests only.');
    }
    return { model: buildResNet50({ inputSize, seed: spec.seed }), untrained: true, tag: `UNTRAINED-random-seed-${spec.seed}`, inputSize };
  }
  const model = buildResNet50({ inputSize });
  loadWeightsByName(model, spec.weights, 'ResNet50 (Keras applications layout, without top)');
  return { model, untrained: false, tag: `pretrained:${path.basename(path.resolve(spec.weights))}`, inputSize };
}

/** Pooled features of prepared inputs (each size × size × 3), in batches. */
export function featuresOf(model: tf.LayersModel, inputs: Float32Array[], size: number, batchSize = 1): Float32Array[] {
  const out: Float32Array[] = [];
  for (let s = 0; s < inputs.length; s += batchSize) {
    const part = inputs.slice(s, s + batchSize);
    const buf = new Float32Array(part.length * size * size * 3);
    part.forEach((p, k) => buf.set(p, k * size * size * 3));
    const f = tf.tidy(() => model.predict(tf.tensor4d(buf, [part.length, size, size, 3])) as tf.Tensor);
    const d = f.dataSync() as Float32Array;
    const width = f.shape[1]!;
    f.dispose();
    for (let k = 0; k < part.length; k++) out.push(d.slice(k * width, (k + 1) * width));
  }
  return out;
}

/** One case of a deep batch. */
export interface DeepCase {
  /** 1-based row of the batch file. */
  index: number;
  image: string;
  mask: string;
  /** The input row's columns (Image and the mask column as absolute paths). */
  carried: Record<string, string>;
}

/**
 * Reads a batch CSV (PyRadiomics layout: `Image`, `Mask`, other columns are ids carried into the
 * output). `maskColumn` picks another mask column (e.g. a second reader's `Mask2`).
 */
export function readDeepBatch(file: string, maskColumn = 'Mask'): { cases: DeepCase[]; names: string[] } {
  const t = readCsv(file);
  const images = stringColumn(t, 'Image');
  const masks = stringColumn(t, maskColumn);
  const dir = path.dirname(path.resolve(file));
  const cases: DeepCase[] = [];
  for (let i = 0; i < t.nrows; i++) {
    if (isMissing(images[i]!) || isMissing(masks[i]!)) throw new RadnomoError('E_COLUMN', `${file}: row ${i + 2} has an empty Image or ${maskColumn} path.`);
    const image = path.resolve(dir, images[i]!.trim());
    const mask = path.resolve(dir, masks[i]!.trim());
    const carried = Object.fromEntries(t.names.map((n) => [n, t.columns.get(n)![i]!]));
    carried.Image = image;
    carried[maskColumn] = mask;
    cases.push({ index: i + 1, image, mask, carried });
  }
  if (cases.length === 0) throw new RadnomoError('E_COLUMN', `${file}: the batch file has no cases.`);
  return { cases, names: [...t.names] };
}

/** Names a case for messages. */
export function deepCaseName(c: DeepCase): string {
  return `case ${c.index} (${path.basename(c.image)})`;
}

/**
 * Reads a case, preprocesses it (`prep`: geometry check, N4, normalisation, resampling, as the
 * extractor; default none beyond the geometry check) and prepares its network input; errors name
 * the case.
 */
export async function prepareCase(c: DeepCase, o: SliceOptions = {}, prep: DeepPreprocessing = NO_PREPROCESSING): Promise<PreparedSlice> {
  const where = deepCaseName(c);
  try {
    const img = await readImageFile(c.image);
    const mask = await readLabelMapFile(c.mask);
    const p = preprocessForSlice(img.image, mask.image, prep, o.label ?? 1, o.margin ?? 10, where);
    return prepareSlice(p.image, p.mask, { ...o, where });
  } catch (e) {
    if (e instanceof RadnomoError && !e.message.startsWith(where)) throw new RadnomoError(e.code, `${where}: ${e.message}`);
    throw e;
  }
}

/** The DTL feature table: carried id columns, `dtl_weights`, optional `dtl_score`, then the features. */
export function dtlTableCsv(cases: DeepCase[], names: string[], features: Float32Array[], tag: string, scores?: ArrayLike<number>): string {
  const width = features[0]?.length ?? RESNET50_FEATURES;
  const header = [...names, 'dtl_weights', ...(scores ? ['dtl_score'] : []), ...dtlColumnNames(width)];
  const rows = cases.map((c, i) => [
    ...names.map((n) => c.carried[n] ?? ''),
    tag,
    ...(scores ? [scores[i]!] : []),
    ...Array.from(features[i]!, (v) => v),
  ]);
  return toCsv(header, rows);
}
