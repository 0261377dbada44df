/**
 * Full fine-tuning for the DTL score (`--finetune full`): every trainable weight of the backbone
 * (ResNet50's convolution kernels and biases, BatchNormalization gammas and betas) and a new head
 * — dropout on the 2,048 pooled features, then one sigmoid unit — trained end to end on
 * the images, with per-batch augmentation (flips, small rotations, Gaussian noise; ./augment.ts).
 * The rules are those of head mode (./finetune.ts): plain SGD (learning rate 0.01, no momentum, as
 * Keras' `SGD(0.01)`), batch 32, at most 30 epochs, binary cross-entropy, and the epoch kept is
 * the one with the best validation AUC on a seeded, stratified split of the TRAINING rows only
 * (ties: the earlier epoch); its weights are restored at the end.
 *
 * BatchNormalization. Keras' transfer-learning guide (keras.io/guides/transfer_learning,
 * "fine-tuning") keeps BN layers in inference mode when the base is unfrozen — calling the base
 * with `training=False` — and TF2 Keras also forces inference mode for a BN layer whose
 * `trainable` is false. tfjs-layers does neither automatically: its BatchNormalization uses batch
 * statistics and updates the moving mean/variance whenever it is called with `training: true`,
 * whatever `trainable` says (tfjs-layers src/layers/normalization.ts, `call`). radnomo therefore
 * calls the backbone with `training: false`: BN normalises with the ImageNet moving statistics,
 * which stay frozen, while gamma and beta are still trained by SGD — the Keras recipe. It also
 * makes each example's gradient independent of the rest of its batch, so a batch of 32 can be
 * processed in micro-batches (`microBatch`, default 8) whose gradients are summed before the one
 * SGD step: the update equals that of the whole batch, at a quarter of the activation memory.
 *
 * Head. Keras' recipe: GlobalAveragePooling2D → Dropout → Dense(1, sigmoid) on the raw pooled
 * features, the unit glorot-uniform (Keras' Dense default) from the seeded generator, bias 0. Unlike
 * head mode the features are not z-scored: with a trainable backbone, dividing by a feature's
 * (possibly tiny) SD multiplies the gradient flowing back into the backbone by 1/SD, and training
 * diverged in our tests. The returned head therefore has featureMean 0 and featureSd 1, so
 * `applyHead(head, featuresOf(model, inputs))` (`fullScores`) gives the scores, the head JSON and
 * the fine-tuned backbone together reproduce them, and Grad-CAM works unchanged.
 *
 * Determinism. One `Random(seed)` drives, in order: the validation split, the head's initial
 * weights, then per epoch the shuffle and per example its augmentation and its dropout mask.
 * Dropout is inverted dropout (Keras `Dropout`), its mask drawn from that generator: tfjs'
 * `tf.dropout`/`tf.layers.dropout` with a fixed `seed` re-creates the same mask at every call
 * (tfjs-core ops/dropout.ts → randomUniform(seed)), and without a seed it is not reproducible.
 * The same seed on the same backend gives the same weights; different backends differ by
 * floating-point rounding.
 *
 * Backends. tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel (the gradient of a
 * convolution with respect to its kernel), so ResNet50 cannot be trained on it as shipped; its
 * `Conv2DBackpropInput` is a plain loop, 3–4× slower than the forward convolution. The cpu
 * backend has both, but its `Conv2DBackpropFilter` is a scalar loop about 70× slower than the rest
 * of a training step. For the duration of `finetuneFull` radnomo registers, on wasm and cpu only,
 * implementations of these kernels built from the backend's own fast kernels (matrix products and
 * forward convolution; see `conv2dBackpropFilterOps` / `conv2dBackpropInputOps`), and restores
 * the previous registrations afterwards. On the tensorflow backend (tfjs-node / tfjs-node-gpu) the
 * native kernels are used. Full fine-tuning on a CPU is slow — see `finetuneFull` — but works.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Random } from '../random';
import { RadnomoError } from '../errors';
import { writeFileAtomic } from '../io/atomic-write';
import { aucOf, applyHead, checkBinary, stratifiedSplit, type DtlHead } from './finetune';
import { featuresOf } from './extract';
import { augmentImage, type AugmentOptions } from './augment';
import { saveModel } from './weights-io';

// ---------------------------------------------------------------------------------------------
// Convolution gradients from fast kernels
// ---------------------------------------------------------------------------------------------

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/** Pads (positive amounts) or crops (negative amounts) a 4-D tensor along axis 1 or 2 with zeros. */
function padOrCrop(t: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  let r = t;
  if (before > 0 || after > 0) {
    const p: Array<[number, number]> = [[0, 0], [0, 0], [0, 0], [0, 0]];
    p[axis] = [Math.max(0, before), Math.max(0, after)];
    r = tf.pad(r, p);
  }
  if (before < 0 || after < 0) {
    const begin = [0, 0, 0, 0];
    const size = [-1, -1, -1, -1];
    begin[axis] = Math.max(0, -before);
    size[axis] = r.shape[axis] - begin[axis]! - Math.max(0, -after);
    r = tf.slice(r, begin, size);
  }
  return r;
}

/** Inserts `s − 1` zeros between neighbours along axis 1 or 2 (length n → s·(n − 1) + 1). */
function dilate(t: tf.Tensor4D, axis: 1 | 2, s: number): tf.Tensor4D {
  if (s === 1) return t;
  const n = t.shape[axis];
  const z = tf.zerosLike(t);
  const stacked = tf.stack([t, ...Array.from({ length: s - 1 }, () => z)], axis + 1);
  const shape = [...t.shape] as [number, number, number, number];
  shape[axis] = n * s;
  const begin = [0, 0, 0, 0];
  const size = [-1, -1, -1, -1];
  size[axis] = s * (n - 1) + 1;
  return tf.slice(tf.reshape(stacked, shape), begin, size) as tf.Tensor4D;
}

/**
 * dL/dW of a 2-D convolution (NHWC, dilation 1) as tf's `Conv2DBackpropFilter`: for each kernel
 * offset (i, j), the strided window of the zero-padded input reshaped to [N·Ho·Wo, Ci], transposed,
 * times dL/dy reshaped to [N·Ho·Wo, Co] — one matrix product per offset (the explicit transpose
 * keeps the product on the backend's fast path; tfjs-wasm's transposed-operand product is ~20×
 * slower).
 */
export function conv2dBackpropFilterOps(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const [kh, kw, ci, co] = filterShape;
    const { top, bottom, left, right } = info.padInfo;
    const [n] = x.shape;
    const ho = info.outHeight, wo = info.outWidth, sh = info.strideHeight, sw = info.strideWidth;
    const xp = padOrCrop(padOrCrop(x, 1, top, bottom), 2, left, right);
    const m = n * ho * wo;
    const dy2 = tf.reshape(dy, [m, co]);
    const parts: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const whole = kh === 1 && kw === 1 && sh === 1 && sw === 1 && xp.shape[1] === ho && xp.shape[2] === wo;
        const xs = whole ? xp : tf.stridedSlice(xp, [0, i, j, 0], [n, i + sh * (ho - 1) + 1, j + sw * (wo - 1) + 1, ci], [1, sh, sw, 1]);
        parts.push(tf.matMul(tf.transpose(tf.reshape(xs, [m, ci])), dy2));
      }
    }
    return tf.reshape(parts.length === 1 ? parts[0]! : tf.stack(parts), filterShape);
  });
}

/**
 * dL/dx of a 2-D convolution (NHWC, dilation 1) as tf's `Conv2DBackpropInput`: dL/dy dilated by
 * the stride, padded by (k − 1 − pad_before) and the remainder, then correlated ('valid', stride
 * 1) with the kernel rotated by 180° and its channel axes swapped — a forward convolution. For a
 * 1 × 1 kernel the channel product is done first (a matrix product) and only the result is dilated.
 */
export function conv2dBackpropInputOps(
  xShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const fs = filter.shape;
    const info = tf.backend_util.computeConv2DInfo(xShape, fs, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const [kh, kw, ci, co] = fs;
    const [n, h, w] = xShape;
    const ho = info.outHeight, wo = info.outWidth, sh = info.strideHeight, sw = info.strideWidth;
    const { top, left } = info.padInfo;
    const afterH = h + top - sh * (ho - 1) - 1;
    const afterW = w + left - sw * (wo - 1) - 1;
    if (kh === 1 && kw === 1) {
      const z = tf.reshape(tf.matMul(tf.reshape(dy, [n * ho * wo, co]), tf.transpose(tf.reshape(filter, [ci, co]))), [n, ho, wo, ci]) as tf.Tensor4D;
      return padOrCrop(padOrCrop(dilate(dilate(z, 1, sh), 2, sw), 1, -top, afterH), 2, -left, afterW);
    }
    const d = padOrCrop(padOrCrop(dilate(dilate(dy, 1, sh), 2, sw), 1, kh - 1 - top, afterH), 2, kw - 1 - left, afterW);
    const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(d, rotated, 1, 'valid');
  });
}

interface ConvGradAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: Rounding;
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
}

/** Wraps a kernel input as a tensor sharing its data (one more reference, released on disposal). */
function wrap(info: tf.TensorInfo, backend: unknown): tf.Tensor4D {
  const t = tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor4D;
  (backend as { incRef(id: tf.DataId): void }).incRef(info.dataId);
  return t;
}

function nhwcOnly(a: ConvGradAttrs, kernel: string): void {
  if (a.dataFormat !== 'NHWC') throw new RadnomoError('E_PARAMS', `radnomo's ${kernel} kernel supports NHWC only, got ${a.dataFormat}.`);
}

const filterKernel = (backendName: string): tf.KernelConfig => ({
  kernelName: 'Conv2DBackpropFilter',
  backendName,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as ConvGradAttrs;
    nhwcOnly(a, 'Conv2DBackpropFilter');
    // A Tensor returned from a kernel is taken as the output (tfjs-core engine.ts, runKernelFunc).
    return tf.tidy(() => conv2dBackpropFilterOps(wrap(inputs.x!, backend), wrap(inputs.dy!, backend), a.filterShape!, a.strides, a.pad, a.dimRoundingMode));
  },
});

const inputKernel = (backendName: string): tf.KernelConfig => ({
  kernelName: 'Conv2DBackpropInput',
  backendName,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as ConvGradAttrs;
    nhwcOnly(a, 'Conv2DBackpropInput');
    return tf.tidy(() => conv2dBackpropInputOps(a.inputShape!, wrap(inputs.dy!, backend), wrap(inputs.filter!, backend), a.strides, a.pad, a.dimRoundingMode));
  },
});

/** Which kernels radnomo registers per backend for training (see the file comment). */
const TRAINING_KERNELS: Record<string, Array<(b: string) => tf.KernelConfig>> = {
  wasm: [filterKernel, inputKernel],
  cpu: [filterKernel],
};

/**
 * Registers radnomo's convolution-gradient kernels for `backendName` (wasm: both; cpu: the filter
 * gradient; others: none) and returns a function restoring the previous registrations, and a
 * sentence saying what was done.
 */
export function installTrainingKernels(backendName: string): { restore: () => void; note: string } {
  const makers = TRAINING_KERNELS[backendName] ?? [];
  const previous: Array<{ name: string; old: tf.KernelConfig | undefined }> = [];
  for (const make of makers) {
    const k = make(backendName);
    const old = tf.getKernel(k.kernelName, backendName);
    if (old) tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel(k);
    previous.push({ name: k.kernelName, old });
  }
  const restore = (): void => {
    for (const { name, old } of previous.reverse()) {
      tf.unregisterKernel(name, backendName);
      if (old) tf.registerKernel(old);
    }
  };
  const names = previous.map((p) => `${p.name}${p.old ? '' : ' (missing from the backend)'}`);
  const note = names.length
    ? `backend ${backendName}: radnomo's ${names.join(' and ')} kernel${names.length > 1 ? 's (matrix products / forward convolutions) are' : ' (matrix products) is'} used while training.`
    : `backend ${backendName}: its own convolution-gradient kernels are used.`;
  if (!tf.getKernel('Conv2DBackpropFilter', backendName) || !tf.getKernel('Conv2DBackpropInput', backendName)) {
    restore();
    throw new RadnomoError('E_PARAMS', `the tfjs backend "${backendName}" lacks the convolution-gradient kernels full fine-tuning needs; use --backend wasm, cpu or tensorflow.`);
  }
  return { restore, note };
}

// ---------------------------------------------------------------------------------------------
// Full fine-tuning
// ---------------------------------------------------------------------------------------------

export interface FullFinetuneOptions {
  seed: number;
  /** Height and width of the square inputs (224 for ImageNet weights). */
  inputSize: number;
  learningRate?: number;
  batchSize?: number;
  /** Epochs run (default 30); the best one by validation AUC is kept. */
  epochs?: number;
  /** Dropout rate before the sigmoid unit (default 0.5). */
  dropout?: number;
  /** Fraction of the training rows held out for choosing the epoch (default 0.2, stratified). */
  validationFraction?: number;
  /** Images per forward/backward pass; their gradients are summed into one SGD step per batch (default 8). */
  microBatch?: number;
  /** Augmentation of each training image in each batch (defaults of AUGMENT_DEFAULTS); false: none. */
  augment?: AugmentOptions | false;
  untrained?: boolean;
  log?: (s: string) => void;
  /** Names the outcome in error messages. */
  outcomeName?: string;
}

/** One epoch of full fine-tuning. */
export interface FullEpoch {
  epoch: number;
  /** Mean binary cross-entropy of the epoch's (augmented, dropped-out) training examples. */
  loss: number;
  validationAuc: number;
  seconds: number;
}

export interface FullFinetuneResult {
  /** The head (mode 'full') of the best epoch: apply it to the pooled features of `model`. */
  head: DtlHead;
  /** The backbone passed in, its weights fine-tuned in place and restored to the best epoch. */
  model: tf.LayersModel;
  history: FullEpoch[];
  /** The tfjs backend that trained. */
  backend: string;
  /** Rows (positions in the inputs) used for training and for choosing the epoch. */
  trainRows: number[];
  validationRows: number[];
  /** Pooled features of prepared inputs under the fine-tuned backbone. */
  features(inputs: Float32Array[]): Float32Array[];
  /** DTL scores (probabilities) of prepared inputs. */
  scores(inputs: Float32Array[]): Float64Array;
}

/** DTL scores of prepared inputs from a fine-tuned backbone and its 'full' head. */
export function fullScores(model: tf.LayersModel, head: DtlHead, inputs: Float32Array[], inputSize: number, batchSize = 8): Float64Array {
  return applyHead(head, featuresOf(model, inputs, inputSize, batchSize));
}

function variableOf(w: tf.LayerVariable): tf.Variable {
  // LayerVariable.read() returns its tf.Variable (tfjs-layers src/variables.ts)
  return w.read() as tf.Variable;
}

/** Numbers the head variables (tfjs variable names must be unique). */
let headCounter = 0;

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Fine-tunes `model` (ResNet50 from `loadBackbone`/`buildResNet50`, ending in pooled features)
 * and a new head end to end on prepared inputs (each inputSize × inputSize × 3, caffe-preprocessed
 * as `prepareSlice` makes them) with 0/1 outcomes `y` (training rows only). Returns the head of
 * the best validation-AUC epoch, with the model's weights restored to that epoch.
 *
 * Cost: each epoch runs a forward and backward pass per training image and a forward pass per
 * validation image. Measured at 224 × 224 on a shared 2-core machine (tfjs 4.22, one thread):
 * wasm about 6 s per training image per epoch plus 0.7 s per validation image; cpu about 60 s and
 * 23 s. So 200 training cases × 30 epochs take about 10 hours on wasm: it works, but use the
 * tensorflow backend (tfjs-node-gpu) for real studies. Memory: the 23.5 M weights, a copy of the
 * best epoch's, and the activations of one micro-batch.
 */
export async function finetuneFull(inputs: Float32Array[], y: ArrayLike<number>, model: tf.LayersModel, o: FullFinetuneOptions): Promise<FullFinetuneResult> {
  const size = o.inputSize;
  if (inputs.length !== y.length) throw new RadnomoError('E_DATA', `${inputs.length} images but ${y.length} outcomes.`);
  inputs.forEach((im, i) => {
    if (im.length !== size * size * 3) throw new RadnomoError('E_DATA', `image ${i + 1} has ${im.length} values, not ${size} × ${size} × 3.`);
  });
  checkBinary(y, o.outcomeName);
  const lr = o.learningRate ?? 0.01;
  const bs = o.batchSize ?? 32;
  const epochs = o.epochs ?? 30;
  const p = o.dropout ?? 0.5;
  const micro = Math.min(o.microBatch ?? 8, bs);
  if (!(p >= 0 && p < 1)) throw new RadnomoError('E_PARAMS', `dropout must be in [0, 1), got ${p}.`);
  if (!(Number.isInteger(bs) && bs >= 1 && Number.isInteger(micro) && micro >= 1 && Number.isInteger(epochs) && epochs >= 1)) {
    throw new RadnomoError('E_PARAMS', `batch size, micro-batch and epochs must be whole numbers ≥ 1 (got ${bs}, ${micro}, ${epochs}).`);
  }
  const backend = tf.getBackend();
  const { restore, note } = installTrainingKernels(backend);
  const log = o.log;
  log?.(`full fine-tuning: ${note}`);
  const owned: tf.Tensor[] = [];
  let best: { auc: number; epoch: number; values: tf.Tensor[] } | null = null;
  const optimizer = tf.train.sgd(lr);
  try {
    const rng = new Random(o.seed);
    const { train, val } = stratifiedSplit(y, o.validationFraction ?? 0.2, rng);
    // the head sees the raw pooled features (Keras: GlobalAveragePooling2D → Dropout → Dense)
    const d = model.outputs[0]!.shape[model.outputs[0]!.shape.length - 1]!;
    if (!(d > 0)) throw new RadnomoError('E_PARAMS', 'the backbone must end in pooled features [batch, d].');
    // head: glorot-uniform (Keras Dense default), bias 0
    const lim = Math.sqrt(6 / (d + 1));
    const w0 = new Float32Array(d);
    for (let j = 0; j < d; j++) w0[j] = (2 * rng.next() - 1) * lim;
    headCounter++;
    const wV = tf.variable(tf.tensor2d(w0, [d, 1]), true, `radnomo_full_head_kernel_${headCounter}`);
    const bV = tf.variable(tf.zeros([1]), true, `radnomo_full_head_bias_${headCounter}`);
    owned.push(wV, bV);
    const vars: tf.Variable[] = [...model.trainableWeights.map(variableOf), wV, bV];
    const dropBelow = Math.round(p * 4294967296);
    const inv = 1 / (1 - p);
    const vy = val.map((i) => y[i]!);
    const validationAuc = (): number => {
      const f = featuresOf(model, val.map((i) => inputs[i]!), size, micro);
      const wv = wV.dataSync();
      const b = bV.dataSync()[0]!;
      const z = f.map((r) => {
        let s = b;
        for (let j = 0; j < d; j++) s += wv[j]! * r[j]!;
        return s;
      });
      const bad = z.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new RadnomoError('E_DATA', `full fine-tuning diverged: the score of validation row ${val[bad]! + 1} is ${z[bad]}; lower the learning rate.`);
      }
      return aucOf(vy, z);
    };
    const history: FullEpoch[] = [];
    const augment = o.augment === false ? null : (o.augment ?? {});
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const t0 = Date.now();
      const order = rng.shuffle(train);
      let lossSum = 0;
      for (let s = 0; s < order.length; s += bs) {
        const batch = order.slice(s, s + bs);
        let acc: tf.NamedTensorMap | null = null;
        for (let m = 0; m < batch.length; m += micro) {
          const part = batch.slice(m, m + micro);
          const xBuf = new Float32Array(part.length * size * size * 3);
          const mask = new Float32Array(part.length * d);
          part.forEach((i, k) => {
            xBuf.set(augment ? augmentImage(inputs[i]!, size, rng, augment).image : inputs[i]!, k * size * size * 3);
            for (let j = 0; j < d; j++) mask[k * d + j] = rng.nextUint32() >= dropBelow ? inv : 0;
          });
          const labels = Float32Array.from(part, (i) => y[i]!);
          const scale = 1 / batch.length;
          const { value, grads } = tf.tidy(() => {
            const xT = tf.tensor4d(xBuf, [part.length, size, size, 3]);
            const maskT = tf.tensor2d(mask, [part.length, d]);
            const yT = tf.tensor1d(labels);
            return tf.variableGrads(() => {
              const pooled = model.apply(xT, { training: false }) as tf.Tensor2D;
              const logit = pooled.mul(maskT).matMul(wV).add(bV).reshape([part.length]);
              const l = tf.losses.sigmoidCrossEntropy(yT, logit, undefined, 0, tf.Reduction.NONE);
              return l.sum().mul(scale) as tf.Scalar;
            }, vars);
          });
          lossSum += value.dataSync()[0]! / scale;
          value.dispose();
          if (!acc) acc = grads;
          else {
            const prev: tf.NamedTensorMap = acc;
            acc = tf.tidy(() => Object.fromEntries(Object.keys(prev).map((k) => [k, prev[k]!.add(grads[k]!)])));
            tf.dispose(prev);
            tf.dispose(grads);
          }
          await yieldToEventLoop();
        }
        optimizer.applyGradients(acc!);
        tf.dispose(acc!);
      }
      const loss = lossSum / order.length;
      if (!Number.isFinite(loss)) {
        throw new RadnomoError('E_DATA', `full fine-tuning diverged at epoch ${epoch} (training loss ${loss}); lower the learning rate.`);
      }
      const auc = validationAuc();
      const seconds = (Date.now() - t0) / 1000;
      history.push({ epoch, loss, validationAuc: auc, seconds });
      log?.(`epoch ${epoch}/${epochs}: training loss ${loss.toFixed(4)}, validation AUC ${auc.toFixed(3)} (${seconds.toFixed(1)} s)`);
      if (!best || auc > best.auc) {
        if (best) tf.dispose(best.values);
        best = { auc, epoch, values: vars.map((v) => tf.keep(v.clone())) };
      }
    }
    // restore the best epoch's weights
    vars.forEach((v, k) => v.assign(best!.values[k]!));
    const head: DtlHead = {
      kind: 'radnomo-dtl-head',
      version: 1,
      mode: 'full',
      featureMean: new Array<number>(d).fill(0),
      featureSd: new Array<number>(d).fill(1),
      weights: Array.from(wV.dataSync()),
      bias: bV.dataSync()[0]!,
      dropout: p,
      epochsRun: epochs,
      bestEpoch: best!.epoch,
      validationAuc: best!.auc,
      seed: o.seed,
      untrained: !!o.untrained,
    };
    return {
      head,
      model,
      history,
      backend,
      trainRows: train,
      validationRows: val,
      features: (x) => featuresOf(model, x, size, micro),
      scores: (x) => fullScores(model, head, x, size, micro),
    };
  } finally {
    if (best) tf.dispose(best.values);
    tf.dispose(owned);
    optimizer.dispose();
    restore();
  }
}

/** The folder of the fine-tuned backbone saved beside a head file: `dtl.head.json` → `dtl.head.backbone`. */
export function fullBackboneDir(headFile: string): string {
  return headFile.replace(/\.json$/i, '') + '.backbone';
}

/**
 * Writes a 'full' head to `headFile` and its fine-tuned backbone beside it (`fullBackboneDir`),
 * in the tfjs layers format (weights-io's `saveModel`), so the folder also loads as
 * `--weights <folder>` (by layer name). The head JSON names the folder in `backbone`.
 */
export async function saveFullFinetune(head: DtlHead, model: tf.LayersModel, headFile: string): Promise<{ headFile: string; backboneDir: string }> {
  if (head.mode !== 'full') throw new RadnomoError('E_USAGE', `saveFullFinetune needs a 'full' head, got mode '${head.mode}'.`);
  const backboneDir = fullBackboneDir(headFile);
  await saveModel(model, backboneDir);
  writeFileAtomic(headFile, JSON.stringify({ ...head, backbone: path.basename(backboneDir) }) + '\n');
  return { headFile, backboneDir };
}
