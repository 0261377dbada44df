/**
 * Grad-CAM (Selvaraju et al., ICCV 2017): the class-discriminative map of a convolutional layer's
 * activations A^k weighted by the spatial mean of ∂score/∂A^k, passed through ReLU. For ResNet50
 * the target is the last convolutional block, conv5_block3_out; the score is the DTL head's logit
 * when a head is given, else the sum of the 2,048 pooled features (not class-specific).
 */
import * as tf from '@tensorflow/tfjs';
import { readImageFile, readLabelMapFile } from '../io/read-image';
import { RESNET50_LAST_CONV } from './resnet50';
import { loadBackbone, type BackboneSpec } from './extract';
import { headLogitTensor, type DtlHead } from './finetune';
import { prepareSlice, resizeBilinear, type SliceOptions } from './slice';
import { preprocessForSlice, NO_PREPROCESSING, type DeepPreprocessing } from './preprocess';
import { encodePngRgb, overlay } from './png';

/** A Grad-CAM map at the target layer's resolution, and upsampled to the input size, both scaled to max 1. */
export interface CamResult {
  /** h × w at the target layer, ≥ 0, max 1 (all zero when no activation raises the score). */
  cam: Float64Array;
  h: number;
  w: number;
  /** Upsampled (bilinear) to the input's size × size. */
  heat: Float64Array;
}

/**
 * Grad-CAM of one input: `features` maps the input to the target layer's activations
 * [1, h, w, C]; `tail` maps those activations to one score per image (the rest of the network).
 */
export function gradCam(features: tf.LayersModel, tail: (act: tf.Tensor4D) => tf.Tensor1D, input: tf.Tensor4D): CamResult {
  const map = tf.tidy(() => {
    const act = features.predict(input) as tf.Tensor4D;
    const grads = tf.grad((a: tf.Tensor) => tail(a as tf.Tensor4D).sum())(act) as tf.Tensor4D;
    const alpha = grads.mean([1, 2], true); // [1, 1, 1, C]
    return tf.relu(act.mul(alpha).sum(3)).squeeze([0]) as tf.Tensor2D; // [h, w]
  });
  const cam = Float64Array.from(map.dataSync());
  const [h, w] = map.shape;
  map.dispose();
  let mx = 0;
  for (const v of cam) if (v > mx) mx = v;
  if (mx > 0) for (let i = 0; i < cam.length; i++) cam[i]! /= mx;
  const size = input.shape[1];
  const heat = resizeBilinear(cam, h, w, size, input.shape[2]);
  return { cam, h, w, heat };
}

/** The ResNet50 feature extractor up to conv5_block3_out and its tail (GAP, then head logit or feature sum). */
export function resnetCamParts(model: tf.LayersModel, head: DtlHead | null): { features: tf.LayersModel; tail: (a: tf.Tensor4D) => tf.Tensor1D; target: string } {
  const features = tf.model({ inputs: model.inputs, outputs: model.getLayer(RESNET50_LAST_CONV).output as tf.SymbolicTensor });
  const tail = (a: tf.Tensor4D): tf.Tensor1D => {
    const pooled = a.mean([1, 2]) as tf.Tensor2D;
    return head ? headLogitTensor(head, pooled) : (pooled.sum(1) as tf.Tensor1D);
  };
  return { features, tail, target: head ? `${RESNET50_LAST_CONV}, DTL head logit` : `${RESNET50_LAST_CONV}, sum of pooled features` };
}

/** Grad-CAM of a case as a PNG overlay on its prepared slice. */
export async function gradcamCase(
  imageFile: string,
  maskFile: string,
  spec: BackboneSpec,
  head: DtlHead | null,
  o: SliceOptions = {},
  prep: DeepPreprocessing = NO_PREPROCESSING,
): Promise<{ png: Buffer; slice: number; target: string; cam: CamResult }> {
  const [img, mask] = await Promise.all([readImageFile(imageFile), readLabelMapFile(maskFile)]);
  const b = loadBackbone(spec);
  // The same preprocessing (N4, normalisation, resampling) as deep extract, so the slice matches.
  const pre = preprocessForSlice(img.image, mask.image, prep, o.label ?? 1, o.margin ?? 10, imageFile);
  const p = prepareSlice(pre.image, pre.mask, { ...o, size: b.inputSize, where: imageFile });
  const { features, tail, target } = resnetCamParts(b.model, head);
  const x = tf.tensor4d(p.input, [1, p.size, p.size, 3]);
  const cam = gradCam(features, tail, x);
  x.dispose();
  b.model.dispose();
  const png = encodePngRgb(overlay(p.gray, cam.heat, p.size, p.size), p.size, p.size);
  return { png, slice: p.slice.z, target, cam };
}
