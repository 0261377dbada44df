import * as tf from '@tensorflow/tfjs';
import { Random } from '../../src/random';
import { buildResNet50 } from '../../src/deep/resnet50';
import { useBackend } from '../../src/deep/backend';
import { featuresOf } from '../../src/deep/extract';
import { caffePreprocessGray, scaleTo255 } from '../../src/deep/slice';
import { fitHead, applyHead, aucOf, flipHorizontal } from '../../src/deep/finetune';

const N = 32; // input size: ResNet50 accepts 32×32 (conv5 is 1×1), and texture survives

/** Class 0: smooth texture (white noise box-blurred 5×5); class 1: fine texture (white noise). */
function textureImage(cls: number, rng: Random): Float32Array {
  const white = new Float64Array(N * N).map(() => rng.normal());
  let g = white;
  if (cls === 0) {
    g = new Float64Array(N * N);
    for (let y = 0; y < N; y++)
      for (let x = 0; x < N; x++) {
        let s = 0;
        for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) s += white[((y + dy + N) % N) * N + ((x + dx + N) % N)]!;
        g[y * N + x] = s;
      }
  }
  return caffePreprocessGray(scaleTo255(g));
}

describe('head fine-tuning on cached features', () => {
  let X: Float32Array[];
  let y: number[];
  let flipped: Float32Array[][];
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useBackend('wasm');
    model = buildResNet50({ inputSize: N, seed: 7 }); // fixed random weights
    const rng = new Random(2025);
    y = Array.from({ length: 60 }, (_, i) => i % 2);
    const imgs = y.map((c) => textureImage(c, rng));
    X = featuresOf(model, imgs, N, 12);
    const fl = featuresOf(model, imgs.map((im) => flipHorizontal(im, N)), N, 12);
    flipped = fl.map((f) => [f]);
  });
  afterAll(() => model.dispose());

  test('a single-class outcome is an error naming the outcome', () => {
    expect(() => fitHead(X.slice(0, 4), [1, 1, 1, 1], { seed: 1, outcomeName: 'column "Grade"' })).toThrow(
      'column "Grade" has one class only (0 zeros, 4 ones among the training rows); fine-tuning needs both classes.',
    );
  });

  test('held-out AUC well above 0.5 on texture classes, from fixed random weights; same seed → same head', () => {
    const trainIdx = Array.from({ length: 40 }, (_, i) => i);
    const testIdx = Array.from({ length: 20 }, (_, i) => 40 + i);
    const opts = { seed: 11, augmented: trainIdx.map((i) => flipped[i]!) };
    const head = fitHead(trainIdx.map((i) => X[i]!), trainIdx.map((i) => y[i]!), opts);
    expect(head.epochsRun).toBe(30);
    expect(head.bestEpoch).toBeGreaterThanOrEqual(1);
    const scores = applyHead(head, testIdx.map((i) => X[i]!));
    const auc = aucOf(testIdx.map((i) => y[i]!), scores);
    console.log(`held-out AUC ${auc.toFixed(3)} (validation AUC ${head.validationAuc.toFixed(3)} at epoch ${head.bestEpoch})`);
    expect(auc).toBeGreaterThan(0.85);
    const again = fitHead(trainIdx.map((i) => X[i]!), trainIdx.map((i) => y[i]!), opts);
    expect(again).toEqual(head);
    const other = fitHead(trainIdx.map((i) => X[i]!), trainIdx.map((i) => y[i]!), { ...opts, seed: 12 });
    expect(other.weights).not.toEqual(head.weights);
  });
});
