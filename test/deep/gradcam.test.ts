import * as zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../src/random';
import { useBackend } from '../../src/deep/backend';
import { gradCam, resnetCamParts } from '../../src/deep/gradcam';
import { buildResNet50 } from '../../src/deep/resnet50';
import { encodePngRgb, crc32, overlay } from '../../src/deep/png';

const S = 16;

/** Noise everywhere; class 1 also has a bright 3×3 square somewhere inside the top-left 8×8 quadrant. */
function sample(cls: number, rng: Random): Float32Array {
  const a = Float32Array.from({ length: S * S }, () => rng.normal() * 0.1);
  if (cls === 1) {
    const x0 = 1 + rng.int(4), y0 = 1 + rng.int(4);
    for (let y = y0; y < y0 + 3; y++) for (let x = x0; x < x0 + 3; x++) a[y * S + x]! += 2;
  }
  return a;
}

describe('Grad-CAM', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  // A small CNN (two fixed conv layers, trained head) stands in for ResNet50 here: teaching ResNet50 a class signal would take many
  // minutes on wasm, and gradCam() is the same code for any target layer + tail.
  test('the heatmap mass concentrates in the one region that carries the class signal', async () => {
    // tfjs-backend-wasm has no Conv2DBackpropFilter kernel (and tfjs' cpu backend takes ~1.5 s per
    // epoch here), so the conv filters stay fixed (seeded) and only the head is trained — the same
    // set-up as radnomo's head fine-tuning; Grad-CAM still differentiates through the head and pooling.
    const rng = new Random(42);
    const n = 120;
    const ys = Array.from({ length: n }, (_, i) => i % 2);
    const xs = ys.map((c) => sample(c, rng));
    const input = tf.input({ shape: [S, S, 1] });
    let h = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', trainable: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', trainable: false, name: 'target', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(h) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
    const dense = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) });
    const logit = dense.apply(pooled) as tf.SymbolicTensor;
    const out = tf.layers.activation({ activation: 'sigmoid' }).apply(logit) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy' });
    const X = tf.tensor4d(Float32Array.from(xs.flatMap((x) => Array.from(x))), [n, S, S, 1]);
    const Y = tf.tensor2d(ys, [n, 1]);
    await model.fit(X, Y, { epochs: 60, batchSize: 20, shuffle: false, verbose: 0 });
    const features = tf.model({ inputs: input, outputs: model.getLayer('target').output as tf.SymbolicTensor });
    const tail = (a: tf.Tensor4D): tf.Tensor1D => (dense.apply(a.mean([1, 2])) as tf.Tensor2D).reshape([-1]) as tf.Tensor1D;
    const test = new Random(7);
    const fractions: number[] = [];
    for (let k = 0; k < 10; k++) {
      const x = tf.tensor4d(sample(1, test), [1, S, S, 1]);
      const r = gradCam(features, tail, x);
      x.dispose();
      expect(r.h).toBe(S);
      let inside = 0, total = 0;
      for (let y = 0; y < S; y++) for (let xx = 0; xx < S; xx++) {
        const v = r.cam[y * S + xx]!;
        total += v;
        if (y < 8 && xx < 8) inside += v;
      }
      fractions.push(inside / total);
    }
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    console.log(`Grad-CAM mass in the signal quadrant: mean ${mean.toFixed(3)}, min ${Math.min(...fractions).toFixed(3)} (chance 0.25)`);
    expect(mean).toBeGreaterThan(0.6);
    X.dispose();
    Y.dispose();
  });

  test('ResNet50 parts: target conv5_block3_out, heat upsampled to the input size', () => {
    const m = buildResNet50({ inputSize: 64, seed: 5 });
    const { features, tail, target } = resnetCamParts(m, null);
    expect(target).toMatch(/^conv5_block3_out/);
    const x = tf.randomNormal([1, 64, 64, 3], 0, 50, 'float32', 1) as tf.Tensor4D;
    const r = gradCam(features, tail, x);
    expect([r.h, r.w]).toEqual([2, 2]);
    expect(r.heat.length).toBe(64 * 64);
    expect(Math.max(...r.cam)).toBeCloseTo(1, 12);
    m.dispose();
  });

  test('PNG encoder: signature, chunk CRCs, pixels survive inflate', () => {
    const rgb = overlay([0, 255, 128, 64], [0, 1, 0.5, 0], 2, 2, 0.5);
    expect(Array.from(rgb.subarray(0, 3))).toEqual([0, 0, 0]); // heat 0 leaves gray
    const png = encodePngRgb(rgb, 2, 2);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    let off = 8;
    const types: string[] = [];
    let idat: Buffer = Buffer.alloc(0);
    while (off < png.length) {
      const len = png.readUInt32BE(off);
      const type = png.toString('ascii', off + 4, off + 8);
      expect(png.readUInt32BE(off + 8 + len)).toBe(crc32(png.subarray(off + 4, off + 8 + len)));
      if (type === 'IDAT') idat = png.subarray(off + 8, off + 8 + len);
      types.push(type);
      off += 12 + len;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    const raw = zlib.inflateSync(idat);
    expect(Array.from(raw)).toEqual([0, ...rgb.subarray(0, 6), 0, ...rgb.subarray(6, 12)]);
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });
});
