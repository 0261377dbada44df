/**
 * Reading and writing models in the TensorFlow.js layers format from a local folder in Node,
 * without tfjs-node: `model.json` (topology + weightsManifest) beside binary shards
 * (`group1-shard1ofN.bin`, little-endian float32, 4 MB each), the format `tensorflowjs_converter
 * --input_format keras` writes and `tf.io.browserHTTPRequest` reads
 * (https://www.tensorflow.org/js/guide/save_load).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RadnomoError } from '../errors';
import { writeFileAtomic } from '../io/atomic-write';

/** Shard size tensorflowjs_converter uses by default (4 MB). */
const SHARD_BYTES = 4 * 1024 * 1024;

interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology?: unknown;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  userDefinedMetadata?: Record<string, unknown>;
}

function modelJsonPath(dir: string): string {
  return dir.toLowerCase().endsWith('.json') ? dir : path.join(dir, 'model.json');
}

/** Reads model.json and its shards from a folder (or a model.json path). */
export function readModelFolder(dir: string): { json: ModelJson; specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const file = modelJsonPath(dir);
  let json: ModelJson;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelJson;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no model.json there' : (e as Error).message;
    throw new RadnomoError('E_IO', `${dir}: cannot read a tfjs layers model (${why}).`);
  }
  if (!json || !Array.isArray(json.weightsManifest)) {
    throw new RadnomoError('E_FORMAT', `${file}: not a tfjs layers model.json (no weightsManifest).`);
  }
  const base = path.dirname(file);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Buffer[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const shard = path.join(base, p);
      try {
        parts.push(fs.readFileSync(shard));
      } catch {
        throw new RadnomoError('E_IO', `${dir}: weight shard ${p} named in model.json is missing.`);
      }
    }
    specs.push(...group.weights);
  }
  const all = Buffer.concat(parts);
  const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  return { json, specs, data };
}

/** An IOHandler reading and writing a tfjs layers model in a local folder (load and save). */
export function fsHandler(dir: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const { json, specs, data } = readModelFolder(dir);
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: data,
        userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
      };
    },
    save: async (a: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      const raw = a.weightData === undefined ? new ArrayBuffer(0) : tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer | ArrayBuffer[]);
      const bytes = new Uint8Array(raw);
      const n = Math.max(1, Math.ceil(bytes.byteLength / SHARD_BYTES));
      const paths: string[] = [];
      fs.mkdirSync(dir, { recursive: true });
      for (let i = 0; i < n; i++) {
        const name = `group1-shard${i + 1}of${n}.bin`;
        writeFileAtomic(path.join(dir, name), bytes.subarray(i * SHARD_BYTES, Math.min(bytes.byteLength, (i + 1) * SHARD_BYTES)));
        paths.push(name);
      }
      const json: ModelJson = {
        format: a.format ?? 'layers-model',
        generatedBy: a.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: a.convertedBy ?? null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths, weights: a.weightSpecs ?? [] }],
      };
      if (a.userDefinedMetadata) json.userDefinedMetadata = a.userDefinedMetadata;
      writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    },
  };
}

/** Saves a layers model to a folder (model.json + shards). */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fsHandler(dir));
}

/** Loads a whole layers model (topology and weights) from a folder. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fsHandler(dir));
}

/**
 * Splits a stored weight name into its layer and weight names: `conv1_conv/kernel`,
 * `resnet50/conv1_conv/kernel:0` and `conv1_conv/kernel_1` all give [conv1_conv, kernel].
 */
export function splitWeightName(name: string): [string, string] {
  const parts = name.replace(/:\d+$/, '').split('/');
  const w = parts[parts.length - 1]!.replace(/_\d+$/, '');
  return [parts.length >= 2 ? parts[parts.length - 2]! : '', w];
}

/**
 * Loads weights from a tfjs layers folder into `model` by layer name (Keras `load_weights(by_name)`):
 * every weight of every layer of `model` must be present with the same shape; stored weights of
 * layers the model lacks (e.g. ResNet50's 'predictions' top) are ignored. A mismatch is a
 * RadnomoError naming the folder and the first mismatching layer and shape.
 */
export function loadWeightsByName(model: tf.LayersModel, dir: string, what = 'the model'): { loaded: number; ignored: string[] } {
  const { specs, data } = readModelFolder(dir);
  let tensors: tf.NamedTensorMap;
  try {
    tensors = tf.io.decodeWeights(data, specs);
  } catch (e) {
    throw new RadnomoError('E_FORMAT', `${dir}: the weight shards do not match model.json (${(e as Error).message}).`);
  }
  const byKey = new Map<string, tf.Tensor>();
  for (const [name, t] of Object.entries(tensors)) {
    const [layer, w] = splitWeightName(name);
    byKey.set(`${layer}/${w}`, t);
  }
  const used = new Set<string>();
  const assign: Array<[tf.LayerVariable, tf.Tensor]> = [];
  try {
    for (const layer of model.layers) {
      for (const v of layer.weights) {
        const [, w] = splitWeightName(v.originalName);
        const key = `${layer.name}/${w}`;
        const t = byKey.get(key);
        if (!t) {
          throw new RadnomoError('E_FORMAT', `${dir}: does not match ${what}: layer "${layer.name}" has no weight "${w}" in the folder (expected shape [${v.shape.join(', ')}]).`);
        }
        if (t.shape.length !== v.shape.length || t.shape.some((s, i) => s !== v.shape[i])) {
          throw new RadnomoError(
            'E_FORMAT',
            `${dir}: does not match ${what}: layer "${layer.name}" weight "${w}" has shape [${t.shape.join(', ')}] but [${v.shape.join(', ')}] is expected.`,
          );
        }
        assign.push([v, t]);
        used.add(key);
      }
    }
    for (const [v, t] of assign) v.write(t);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { loaded: assign.length, ignored: [...byKey.keys()].filter((k) => !used.has(k)) };
}
