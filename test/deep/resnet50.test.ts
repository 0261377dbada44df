import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildResNet50, countParams, RESNET50_PARAMS_NO_TOP } from '../../src/deep/resnet50';
import { useBackend } from '../../src/deep/backend';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'reference', 'keras_resnet50_layers.json');

describe('ResNet50 architecture (Keras applications layout)', () => {
  // Input 64×64: parameter count and layer names do not depend on the input size, and building is faster.
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useBackend('wasm');
    model = buildResNet50({ inputSize: 64, seed: 3 });
  });
  afterAll(() => model.dispose());

  test('parameter count equals Keras ResNet50 without the top (23,587,712)', () => {
    expect(RESNET50_PARAMS_NO_TOP).toBe(23587712);
    expect(countParams(model)).toBe(23587712);
    expect(model.countParams()).toBe(23587712);
    // trainable = all minus the BN moving statistics, as Keras reports 23,534,592
    const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    expect(trainable).toBe(23534592);
  });

  test('layer names and order equal Keras ResNet50 (fixture from Keras\' published architecture)', () => {
    const expected = (JSON.parse(fs.readFileSync(FIX, 'utf8')) as { layers: string[] }).layers;
    expect(expected.length).toBe(176);
    expect(model.layers.map((l) => l.name)).toEqual(expected);
  });

  test('output is 2,048 pooled features; conv5_block3_out is 2×2×2048 for a 64×64 input', () => {
    expect(model.outputs[0]!.shape).toEqual([null, 2048]);
    expect(model.getLayer('conv5_block3_out').outputShape).toEqual([null, 2, 2, 2048]);
    const y = tf.tidy(() => (model.predict(tf.ones([1, 64, 64, 3])) as tf.Tensor).arraySync() as number[][]);
    expect(y[0]!.length).toBe(2048);
    expect(y[0]!.every((v) => Number.isFinite(v) && v >= 0)).toBe(true); // ReLU before pooling
  });

  test('the same seed gives the same weights; another seed differs', () => {
    // the weights do not depend on the input size, so a 32×32 build with seed 3 must equal the main model
    const b = buildResNet50({ inputSize: 32, seed: 3 });
    const c = buildResNet50({ inputSize: 32, seed: 4 });
    for (const name of ['conv1_conv', 'conv5_block3_3_conv']) {
      const wa = model.getLayer(name).getWeights()[0]!.dataSync();
      const wb = b.getLayer(name).getWeights()[0]!.dataSync();
      const wc = c.getLayer(name).getWeights()[0]!.dataSync();
      expect(Array.from(wb)).toEqual(Array.from(wa));
      expect(Array.from(wc)).not.toEqual(Array.from(wa));
    }
    [b, c].forEach((m) => m.dispose());
  });
});
