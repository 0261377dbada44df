/**
 * Fine-tuning for the DTL score.
 *
 * Head mode (default): the ResNet50 backbone stays frozen, so its 2,048 pooled features are
 * computed once per case (and once per augmented copy) and cached; a new head — dropout, then one
 * sigmoid unit — is trained on them with plain SGD (learning rate 0.01, batch 32, at most 30 epochs,
 * binary cross-entropy), as Keras' `SGD(0.01)` + `Dropout` + `Dense(1, 'sigmoid')` on a frozen
 * base. The features are z-scored first with the training rows' means and SDs (stored in the
 * head), which keeps SGD at 0.01 stable whatever the backbone's feature scale. The best epoch is
 * chosen by the validation AUC on a seeded, stratified split of the TRAINING rows only; test rows
 * never enter. Everything is driven by one seeded generator: the same seed gives the same head.
 *
 * Full mode (`finetuneFull`): the whole network with the same head, trained end to end on images
 * with augmentation (needs a GPU/tfjs-node backend to be practical).
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../random';
import { RadnomoError } from '../errors';
import { roc } from '../../stats/roc';

/** A trained head, saved as JSON (`--head head.json`). */
export interface DtlHead {
  kind: 'radnomo-dtl-head';
  version: 1;
  /** 'head' (frozen backbone) or 'full' (fine-tuned backbone saved beside it). */
  mode: 'head' | 'full';
  featureMean: number[];
  featureSd: number[];
  /** Weights of the sigmoid unit over the z-scored features. */
  weights: number[];
  bias: number;
  dropout: number;
  epochsRun: number;
  bestEpoch: number;
  validationAuc: number;
  seed: number;
  /** True when the backbone had random weights (--weights random): not transfer learning. */
  untrained: boolean;
}

export interface HeadOptions {
  seed: number;
  learningRate?: number;
  batchSize?: number;
  epochs?: number;
  dropout?: number;
  /** Fraction of the training rows held out for choosing the epoch (default 0.2, stratified). */
  validationFraction?: number;
  /** Augmented feature copies per row (e.g. from the flipped slice), used for training, never validation. */
  augmented?: Float32Array[][];
  untrained?: boolean;
  log?: (s: string) => void;
  /** Names the outcome in error messages. */
  outcomeName?: string;
}

/** Mann–Whitney AUC with cases expected higher (pROC direction '<'). */
export function aucOf(y: ArrayLike<number>, score: ArrayLike<number>): number {
  return roc(y, score, { direction: '<' }).auc;
}

/** Checks a 0/1 outcome with both classes; a RadnomoError names the outcome otherwise. */
export function checkBinary(y: ArrayLike<number>, name = 'the outcome'): void {
  let n0 = 0, n1 = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 0) n0++;
    else if (y[i] === 1) n1++;
    else throw new RadnomoError('E_DATA', `${name} holds ${y[i]} at row ${i + 1}; fine-tuning needs a 0/1 outcome.`);
  }
  if (n0 === 0 || n1 === 0) {
    throw new RadnomoError('E_DATA', `${name} has one class only (${n0} zeros, ${n1} ones among the training rows); fine-tuning needs both classes.`);
  }
}

/** Seeded stratified split of row positions into train and validation parts. */
export function stratifiedSplit(y: ArrayLike<number>, fraction: number, rng: Random): { train: number[]; val: number[] } {
  const train: number[] = [];
  const val: number[] = [];
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) idx.push(i);
    const s = rng.shuffle(idx);
    const nVal = Math.max(1, Math.round(s.length * fraction));
    if (s.length < 2) throw new RadnomoError('E_DATA', `class ${cls} has ${s.length} training row(s); at least 2 are needed to hold one out for validation.`);
    val.push(...s.slice(0, nVal));
    train.push(...s.slice(nVal));
  }
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}

function zscoreFit(rows: Float32Array[]): { mean: Float64Array; sd: Float64Array } {
  const d = rows[0]!.length;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]!;
  for (let j = 0; j < d; j++) mean[j]! /= rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) sd[j]! += (r[j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(sd[j]! / Math.max(1, rows.length - 1));
    sd[j] = s > 1e-12 ? s : 1; // constant feature: centred only
  }
  return { mean, sd };
}

function zscore(r: Float32Array, mean: Float64Array, sd: Float64Array): Float64Array {
  const out = new Float64Array(r.length);
  for (let j = 0; j < r.length; j++) out[j] = (r[j]! - mean[j]!) / sd[j]!;
  return out;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Trains the head on cached features `X` (rows = cases) and 0/1 outcome `y` (training rows only).
 * Returns the head of the epoch with the best validation AUC (ties: the earlier epoch).
 */
export function fitHead(X: Float32Array[], y: ArrayLike<number>, o: HeadOptions): DtlHead {
  if (X.length !== y.length) throw new RadnomoError('E_DATA', `${X.length} feature rows but ${y.length} outcomes.`);
  checkBinary(y, o.outcomeName);
  const lr = o.learningRate ?? 0.01;
  const bs = o.batchSize ?? 32;
  const epochs = o.epochs ?? 30;
  const p = o.dropout ?? 0.5;
  const rng = new Random(o.seed);
  const { train, val } = stratifiedSplit(y, o.validationFraction ?? 0.2, rng);
  const { mean, sd } = zscoreFit(train.map((i) => X[i]!));
  const d = X[0]!.length;
  // training examples: the training part's rows plus their augmented copies
  const ex: Array<{ x: Float64Array; y: number }> = [];
  for (const i of train) {
    ex.push({ x: zscore(X[i]!, mean, sd), y: y[i]! });
    for (const a of o.augmented?.[i] ?? []) ex.push({ x: zscore(a, mean, sd), y: y[i]! });
  }
  const vx = val.map((i) => zscore(X[i]!, mean, sd));
  const vy = val.map((i) => y[i]!);
  const w = new Float64Array(d);
  const lim = Math.sqrt(6 / (d + 1)); // glorot-uniform, as Keras' Dense
  for (let j = 0; j < d; j++) w[j] = (2 * rng.next() - 1) * lim;
  let b = 0;
  let best = { auc: -1, epoch: 0, w: Float64Array.from(w), b };
  const grad = new Float64Array(d);
  const keep = new Uint8Array(d);
  const dropBelow = Math.round(p * 4294967296); // a unit is dropped when a uniform 32-bit draw is below this
  const inv = 1 / (1 - p);
  const score = (x: Float64Array): number => {
    let z = b;
    for (let j = 0; j < d; j++) z += w[j]! * x[j]!;
    return z;
  };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = rng.shuffle(ex.map((_, k) => k));
    let loss = 0;
    for (let s = 0; s < order.length; s += bs) {
      const batch = order.slice(s, s + bs);
      grad.fill(0);
      let gb = 0;
      for (const k of batch) {
        const { x, y: t } = ex[k]!;
        let z = b;
        for (let j = 0; j < d; j++) {
          const k = rng.nextUint32() >= dropBelow ? 1 : 0;
          keep[j] = k;
          if (k) z += w[j]! * x[j]! * inv;
        }
        const q = sigmoid(z);
        loss -= t ? Math.log(Math.max(q, 1e-12)) : Math.log(Math.max(1 - q, 1e-12));
        const e = q - t;
        const ei = e * inv;
        for (let j = 0; j < d; j++) if (keep[j]) grad[j]! += ei * x[j]!;
        gb += e;
      }
      for (let j = 0; j < d; j++) w[j]! -= (lr * grad[j]!) / batch.length;
      b -= (lr * gb) / batch.length;
    }
    const auc = aucOf(vy, vx.map(score));
    o.log?.(`epoch ${epoch}/${epochs}: training loss ${(loss / ex.length).toFixed(4)}, validation AUC ${auc.toFixed(3)}`);
    if (auc > best.auc) best = { auc, epoch, w: Float64Array.from(w), b };
  }
  return {
    kind: 'radnomo-dtl-head',
    version: 1,
    mode: 'head',
    featureMean: Array.from(mean),
    featureSd: Array.from(sd),
    weights: Array.from(best.w),
    bias: best.b,
    dropout: p,
    epochsRun: epochs,
    bestEpoch: best.epoch,
    validationAuc: best.auc,
    seed: o.seed,
    untrained: !!o.untrained,
  };
}

/** The head's linear score (logit) of one feature row. */
export function headLogit(head: DtlHead, x: ArrayLike<number>): number {
  let z = head.bias;
  for (let j = 0; j < head.weights.length; j++) z += (head.weights[j]! * (x[j]! - head.featureMean[j]!)) / head.featureSd[j]!;
  return z;
}

/** DTL scores (probabilities) of feature rows. */
export function applyHead(head: DtlHead, X: ArrayLike<number>[]): Float64Array {
  return Float64Array.from(X.map((x) => sigmoid(headLogit(head, x))));
}

/** The head as a tfjs function from pooled features [n, d] to logits [n] (for Grad-CAM). */
export function headLogitTensor(head: DtlHead, pooled: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const scale = tf.tensor1d(head.weights.map((w, j) => w / head.featureSd[j]!));
    const offset = head.bias - head.weights.reduce((s, w, j) => s + (w * head.featureMean[j]!) / head.featureSd[j]!, 0);
    return pooled.mul(scale).sum(1).add(offset) as tf.Tensor1D;
  });
}

/** Checks parsed JSON is a DTL head. */
export function parseHead(json: unknown, source: string): DtlHead {
  const h = json as Partial<DtlHead>;
  if (!h || h.kind !== 'radnomo-dtl-head' || !Array.isArray(h.weights) || !Array.isArray(h.featureMean) || !Array.isArray(h.featureSd)) {
    throw new RadnomoError('E_FORMAT', `${source}: not a radnomo DTL head (written by radnomo deep extract --finetune).`);
  }
  return h as DtlHead;
}

/** Horizontal flip of a channels-last (size × size × c) image. */
export function flipHorizontal(input: Float32Array, size: number, channels = 3): Float32Array {
  const out = new Float32Array(input.length);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < channels; c++) out[(y * size + x) * channels + c] = input[(y * size + (size - 1 - x)) * channels + c]!;
  return out;
}
