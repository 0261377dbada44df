import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildResNet50 } from '../../src/deep/resnet50';
import { useBackend } from '../../src/deep/backend';
import { saveModel, loadModel, loadWeightsByName, splitWeightName } from '../../src/deep/weights-io';
import { loadBackbone } from '../../src/deep/extract';

const SMALL = path.join(__dirname, '..', '..', 'fixtures', 'reference', 'keras_small');

/** The keras_small architecture built in code (same layer names as the Keras model). */
function smallModel(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3], name: 'in_x' });
  let x = tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'conv1_pad' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv1_conv' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ axis: 3, epsilon: 1.001e-5, name: 'conv1_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu', name: 'conv1_relu' }).apply(x) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'predictions' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [pooled, out] });
}

describe('tfjs layers format over fs (no tfjs-node)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  test('weight names split into layer and weight', () => {
    expect(splitWeightName('conv1_conv/kernel')).toEqual(['conv1_conv', 'kernel']);
    expect(splitWeightName('resnet50/conv2_block1_0_bn/moving_variance:0')).toEqual(['conv2_block1_0_bn', 'moving_variance']);
    expect(splitWeightName('conv1_conv/kernel_1')).toEqual(['conv1_conv', 'kernel']);
  });

  test('a ResNet50 saved by the handler and loaded back gives identical outputs (whole model and by name)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-rn50-'));
    try {
      const m = buildResNet50({ inputSize: 32, seed: 11 });
      await saveModel(m, dir);
      const files = fs.readdirSync(dir).sort();
      expect(files).toContain('model.json');
      const shards = files.filter((f) => f.endsWith('.bin'));
      expect(shards.length).toBe(Math.ceil((23587712 * 4) / (4 * 1024 * 1024)));
      const x = tf.randomNormal([1, 32, 32, 3], 0, 60, 'float32', 5);
      const y0 = (m.predict(x) as tf.Tensor).dataSync();
      const back = await loadModel(dir);
      const y1 = (back.predict(x) as tf.Tensor).dataSync();
      expect(Array.from(y1)).toEqual(Array.from(y0));
      // into a fresh ResNet50 of another seed, by layer name (what --weights DIR does)
      const other = buildResNet50({ inputSize: 32, seed: 99 });
      const r = loadWeightsByName(other, dir);
      expect(r.loaded).toBe(m.weights.length);
      const y2 = (other.predict(x) as tf.Tensor).dataSync();
      expect(Array.from(y2)).toEqual(Array.from(y0));
      [m, back, other].forEach((k) => k.dispose());
      x.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the small Keras-format fixture loads by layer name and reproduces numpy outputs', async () => {
    const exp = JSON.parse(fs.readFileSync(path.join(SMALL, 'expected.json'), 'utf8')) as { input: number[]; avg_pool: number[]; predictions: number[] };
    const x = tf.tensor4d(exp.input, [1, 8, 8, 3]);
    const m = smallModel();
    const r = loadWeightsByName(m, SMALL);
    expect(r.loaded).toBe(8);
    expect(r.ignored).toEqual([]);
    const [pooled, pred] = m.predict(x) as tf.Tensor[];
    const p = pooled!.dataSync();
    exp.avg_pool.forEach((v, i) => expect(Math.abs(p[i]! - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
    expect(Math.abs(pred!.dataSync()[0]! - exp.predictions[0]!)).toBeLessThan(1e-6);
    // the Keras topology itself also loads through the handler
    const whole = await loadModel(SMALL);
    expect(whole.layers.map((l) => l.name)).toEqual(['input_1', 'conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'avg_pool', 'predictions']);
    expect(Math.abs((whole.predict(x) as tf.Tensor).dataSync()[0]! - exp.predictions[0]!)).toBeLessThan(1e-6);
  });

  test('a folder that is not ResNet50 is an error naming the folder, the layer and the shapes', () => {
    expect(() => loadBackbone({ weights: SMALL, inputSize: 32 })).toThrow(
      new RegExp(`${SMALL.replace(/[/\\.]/g, '\\$&')}: does not match ResNet50.*layer "conv1_conv" weight "kernel" has shape \\[3, 3, 3, 4\\] but \\[7, 7, 3, 64\\] is expected`),
    );
    expect(() => loadBackbone({ weights: path.join(SMALL, 'nowhere'), inputSize: 32 })).toThrow(/nowhere: cannot read a tfjs layers model \(no model.json there\)/);
    expect(() => loadBackbone({ weights: 'random' })).toThrow(/--weights random needs --seed/);
  });
});
