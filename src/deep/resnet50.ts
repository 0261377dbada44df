/**
 * ResNet50 built with tfjs layers in the layout of Keras applications (`keras.applications.ResNet50`,
 * `include_top=False, pooling='avg'`): the same layer names, kinds, shapes and order of weights, so
 * weights converted from Keras with `tensorflowjs_converter --input_format keras` load by layer name.
 * Source of the layout: keras/src/applications/resnet.py (`ResNet`, `stack_residual_blocks_v1`,
 * `residual_block_v1`; He et al., "Deep Residual Learning for Image Recognition", CVPR 2016).
 */
import * as tf from '@tensorflow/tfjs';

/** Keras' ResNet50 batch-normalisation epsilon. */
export const RESNET_BN_EPSILON = 1.001e-5;
/** Number of features after global average pooling. */
export const RESNET50_FEATURES = 2048;
/** Parameters of Keras' ResNet50 without the top (include_top=False), from Keras' model summary. */
export const RESNET50_PARAMS_NO_TOP = 23587712;
/** Name of the last convolutional block's output (Grad-CAM target layer). */
export const RESNET50_LAST_CONV = 'conv5_block3_out';

/** The stacks of ResNet50: [stack name, bottleneck filters, blocks, first stride]. */
const STACKS: ReadonlyArray<[string, number, number, number]> = [
  ['conv2', 64, 3, 1],
  ['conv3', 128, 4, 2],
  ['conv4', 256, 6, 2],
  ['conv5', 512, 3, 2],
];

export interface ResNet50Options {
  /** Input height and width (224 for ImageNet weights; any size ≥ 32 works for shape-only uses). */
  inputSize?: number;
  /** Seed of the glorot-uniform kernel initialisers (for `--weights random`); BN starts at identity. */
  seed?: number;
  /** Name of the input layer (Keras 2 names it input_1, Keras 3 input_layer). */
  inputName?: string;
}

/**
 * Builds ResNet50 without the classification top, ending in GlobalAveragePooling2D 'avg_pool'
 * (2,048 features). With a seed the initial weights are reproducible.
 */
export function buildResNet50(opts: ResNet50Options = {}): tf.LayersModel {
  const size = opts.inputSize ?? 224;
  let seedCounter = opts.seed ?? 0;
  const kInit = (): ReturnType<typeof tf.initializers.glorotUniform> =>
    tf.initializers.glorotUniform({ seed: opts.seed === undefined ? undefined : seedCounter++ });
  const conv = (x: tf.SymbolicTensor, filters: number, kernel: number, strides: number, padding: 'valid' | 'same', name: string): tf.SymbolicTensor =>
    tf.layers
      .conv2d({ filters, kernelSize: kernel, strides, padding, useBias: true, kernelInitializer: kInit(), biasInitializer: 'zeros', name })
      .apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor, name: string): tf.SymbolicTensor =>
    tf.layers.batchNormalization({ axis: 3, epsilon: RESNET_BN_EPSILON, name }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string): tf.SymbolicTensor =>
    tf.layers.activation({ activation: 'relu', name }).apply(x) as tf.SymbolicTensor;

  const block = (x: tf.SymbolicTensor, filters: number, stride: number, convShortcut: boolean, name: string): tf.SymbolicTensor => {
    let shortcut = x;
    if (convShortcut) {
      shortcut = conv(x, 4 * filters, 1, stride, 'valid', `${name}_0_conv`);
      shortcut = bn(shortcut, `${name}_0_bn`);
    }
    let y = conv(x, filters, 1, stride, 'valid', `${name}_1_conv`);
    y = relu(bn(y, `${name}_1_bn`), `${name}_1_relu`);
    y = conv(y, filters, 3, 1, 'same', `${name}_2_conv`);
    y = relu(bn(y, `${name}_2_bn`), `${name}_2_relu`);
    y = conv(y, 4 * filters, 1, 1, 'valid', `${name}_3_conv`);
    y = bn(y, `${name}_3_bn`);
    const added = tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as tf.SymbolicTensor;
    return relu(added, `${name}_out`);
  };

  const input = tf.input({ shape: [size, size, 3], name: opts.inputName ?? 'input_1' });
  let x = tf.layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }).apply(input) as tf.SymbolicTensor;
  x = conv(x, 64, 7, 2, 'valid', 'conv1_conv');
  x = relu(bn(x, 'conv1_bn'), 'conv1_relu');
  x = tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x) as tf.SymbolicTensor;
  for (const [stack, filters, blocks, stride1] of STACKS) {
    x = block(x, filters, stride1, true, `${stack}_block1`);
    for (let i = 2; i <= blocks; i++) x = block(x, filters, 1, false, `${stack}_block${i}`);
  }
  const out = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'resnet50' });
}

/** Total number of weights (trainable and not) of a model. */
export function countParams(model: tf.LayersModel): number {
  return model.weights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}
