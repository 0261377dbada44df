/**
 * The worker-thread side of `radnomo deep extract --jobs N`: piscina loads the compiled
 * `dist/src/deep/worker.js` in each worker; each worker builds ResNet50 once (one model per
 * worker; tfjs wasm has no threads in Node) and extracts one case per call.
 */
import { useBackend, type BackendChoice } from './backend';
import { loadBackbone, prepareCase, featuresOf, deepCaseName, type Backbone, type BackboneSpec, type DeepCase } from './extract';
import { flipHorizontal } from './finetune';
import type { SliceOptions } from './slice';
import { NO_PREPROCESSING, type DeepPreprocessing } from './preprocess';
import { isRadnomoError } from '../errors';

export interface DeepTask {
  c: DeepCase;
  spec: BackboneSpec;
  backend: BackendChoice;
  slice: SliceOptions;
  /** Preprocessing before the slice (N4, resampling...; default none). */
  prep?: DeepPreprocessing;
  /** Also compute the features of the horizontally flipped slice (augmentation). */
  flip: boolean;
}

export type DeepTaskResult =
  | { ok: true; features: Float32Array; flipped: Float32Array | null }
  | { ok: false; code: string; message: string };

/** The model of this thread, keyed by backend and weights (one run uses one; a new spec replaces it). */
let cached: { key: string; backbone: Promise<Backbone> } | undefined;

/** Extracts one case's features in this thread (building the model on first use); a failure becomes `ok: false` naming the case. */
export async function runDeepTask(t: DeepTask): Promise<DeepTaskResult> {
  try {
    const key = JSON.stringify([t.backend, t.spec.weights, t.spec.seed ?? null, t.spec.inputSize ?? 224]);
    if (cached?.key !== key) {
      if (cached) (await cached.backbone.catch(() => null))?.model.dispose();
      cached = { key, backbone: useBackend(t.backend).then(() => loadBackbone(t.spec)) };
    }
    const b = await cached.backbone;
    const p = await prepareCase(t.c, { ...t.slice, size: b.inputSize }, t.prep ?? NO_PREPROCESSING);
    const inputs = t.flip ? [p.input, flipHorizontal(p.input, b.inputSize)] : [p.input];
    const f = featuresOf(b.model, inputs, b.inputSize, inputs.length);
    return { ok: true, features: f[0]!, flipped: t.flip ? f[1]! : null };
  } catch (e) {
    const name = deepCaseName(t.c);
    if (isRadnomoError(e)) return { ok: false, code: e.code, message: e.message.startsWith(name) ? e.message : `${name}: ${e.message}` };
    return { ok: false, code: 'E_CASE', message: `${name}: unexpected failure (${(e as Error).message}).` };
  }
}

export default runDeepTask;
