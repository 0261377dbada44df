/**
 * Support vector classification as `e1071::svm(type = "C-classification", scale = TRUE,
 * probability = TRUE)`: predictors centred and scaled by the training means and SDs (R's
 * `scale()`, SD with n - 1), C-SVC with cost 1, gamma 1/ncol(x), tolerance 0.001, shrinking, by
 * libsvm itself (the `libsvm-js` package, libsvm 3.22 compiled to asm.js; e1071 embeds libsvm too).
 *
 * Decision values are computed here from the trained libsvm model (sum_i coef_i K(sv_i, x) - rho,
 * with the support vectors taken at full precision from the scaled training rows) and follow
 * e1071's sign convention: libsvm orders the classes by their first appearance in the training
 * data, and the decision value is positive for that first class. So e1071's decision values are
 * "1/0" (positive = outcome 1) when the first training row has outcome 1, and "0/1" otherwise.
 * `decisionValues` reproduces that; `score` is always oriented so that larger means outcome 1.
 *
 * Platt probabilities use libsvm's sigmoid fitted on an internal 5-fold cross-validation whose
 * folds come from the C library's rand(): the sigmoid (probA, probB), hence the probabilities,
 * differ between builds of libsvm (e1071 in R vs libsvm-js) although the SVM itself is identical.
 */
import { RadnomoError } from '../src/errors';

type LibsvmModelInstance = {
  train(features: number[][], labels: number[]): void;
  getLabels(): number[];
  getSVIndices(): number[];
  serializeModel(): string;
  free(): void;
};
type LibsvmCtor = {
  new (options: Record<string, string | number | boolean>): LibsvmModelInstance;
  SVM_TYPES: Record<string, string>;
  KERNEL_TYPES: Record<string, string>;
};

let libsvmCtor: LibsvmCtor | null = null;
function libsvm(): LibsvmCtor {
  if (!libsvmCtor) {
    // The asm.js build loads synchronously.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    libsvmCtor = require('libsvm-js/asm') as LibsvmCtor;
  }
  return libsvmCtor;
}

export type SvmKernel = 'linear' | 'radial';

export interface SvmOptions {
  kernel?: SvmKernel;
  /** C (default 1). */
  cost?: number;
  /** RBF gamma (default 1 / number of predictors, as e1071). */
  gamma?: number;
  /** Stopping tolerance (default 0.001). */
  tolerance?: number;
  /** Fit Platt's sigmoid for probabilities (default true). */
  probability?: boolean;
}

/** The parts of a trained two-class libsvm model used for prediction. */
interface TrainedModel {
  labels: [number, number];
  rho: number;
  coef: Float64Array;
  sv: Float64Array[];
  svIndex: Int32Array;
  probA: number;
  probB: number;
}

function parseModel(text: string): { labels: number[]; rho: number; probA: number; probB: number; coef: number[] } {
  const lines = text.split('\n');
  const head = new Map<string, string[]>();
  let k = 0;
  for (; k < lines.length; k++) {
    const line = lines[k]!.trim();
    if (line === 'SV') break;
    const parts = line.split(/\s+/);
    head.set(parts[0]!, parts.slice(1));
  }
  const coef: number[] = [];
  for (k++; k < lines.length; k++) {
    const line = lines[k]!.trim();
    if (line === '') continue;
    coef.push(Number(line.split(/\s+/)[0]));
  }
  const num = (key: string): number => {
    const v = head.get(key);
    return v ? Number(v[0]) : NaN;
  };
  return { labels: (head.get('label') ?? []).map(Number), rho: num('rho'), probA: num('probA'), probB: num('probB'), coef };
}

/** libsvm's sigmoid_predict: 1 / (1 + exp(dec * A + B)), evaluated without overflow. */
function sigmoidPredict(dec: number, a: number, b: number): number {
  const fApB = dec * a + b;
  return fApB >= 0 ? Math.exp(-fApB) / (1 + Math.exp(-fApB)) : 1 / (1 + Math.exp(fApB));
}

/**
 * libsvm's two-class probability of outcome 1 from a decision value (svm_predict_probability):
 * Platt's sigmoid with (probA, probB), clipped to [1e-7, 1 - 1e-7] (for two classes libsvm uses
 * the pairwise probability directly); `firstLabel` is the class the decision value is positive for.
 */
export function plattProbability(dec: number, probA: number, probB: number, firstLabel: number): number {
  const minProb = 1e-7;
  const r = Math.min(Math.max(sigmoidPredict(dec, probA, probB), minProb), 1 - minProb);
  return firstLabel === 1 ? r : 1 - r;
}

/**
 * A fitted two-class SVM: `fit(rows, y)` scales with the training means/SDs and trains libsvm;
 * `decisionValues`, `score` and `predictProbability` apply it to new rows.
 */
export class SvmModel {
  private readonly kernel: SvmKernel;
  private readonly cost: number;
  private readonly gammaOpt: number | undefined;
  private readonly tolerance: number;
  private readonly probability: boolean;
  private center = new Float64Array(0);
  private scale = new Float64Array(0);
  private model: TrainedModel | null = null;
  private gammaValue = NaN;
  /** Warnings from fitting (e.g. constant predictors left unscaled, as e1071 does). */
  warnings: string[] = [];

  constructor(opts: SvmOptions = {}) {
    this.kernel = opts.kernel ?? 'radial';
    if (this.kernel !== 'linear' && this.kernel !== 'radial') throw new RadnomoError('E_PARAMS', `svm: kernel must be "linear" or "radial", got "${String(this.kernel)}".`);
    this.cost = opts.cost ?? 1;
    if (!(this.cost > 0)) throw new RadnomoError('E_PARAMS', `svm: cost must be > 0, got ${this.cost}.`);
    this.gammaOpt = opts.gamma;
    if (this.gammaOpt !== undefined && !(this.gammaOpt > 0)) throw new RadnomoError('E_PARAMS', `svm: gamma must be > 0, got ${this.gammaOpt}.`);
    this.tolerance = opts.tolerance ?? 0.001;
    this.probability = opts.probability ?? true;
  }

  /** Trains on rows (n x p) and 0/1 outcomes. The row order matters to libsvm, as in e1071. */
  fit(rows: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, names?: readonly string[]): this {
    const n = rows.length;
    if (n < 2) throw new RadnomoError('E_DATA', `svm: ${n} rows; need more.`);
    const p = rows[0]!.length;
    if (p < 1) throw new RadnomoError('E_DATA', 'svm: no predictors.');
    if (y.length !== n) throw new RadnomoError('E_DATA', `svm: the outcome has ${y.length} values but there are ${n} rows.`);
    let n1 = 0;
    for (let i = 0; i < n; i++) {
      if (y[i] !== 0 && y[i] !== 1) throw new RadnomoError('E_VALUE', `svm: the outcome must be 0/1, but row ${i + 1} is ${y[i]}.`);
      n1 += y[i]!;
      const r = rows[i]!;
      if (r.length !== p) throw new RadnomoError('E_DATA', `svm: row ${i + 1} has ${r.length} values, row 1 has ${p}.`);
      for (let j = 0; j < p; j++) if (!Number.isFinite(r[j]!)) throw new RadnomoError('E_VALUE', `svm: predictor ${j + 1} in row ${i + 1} is ${r[j]}; remove or impute missing values first.`);
    }
    if (n1 === 0 || n1 === n) throw new RadnomoError('E_DATA', `svm: the outcome has a single class (${n1 === 0 ? 0 : 1}); two are needed.`);
    // R's scale(): column means, SD with n - 1; e1071 leaves constant columns unscaled.
    this.warnings = [];
    this.center = new Float64Array(p);
    this.scale = new Float64Array(p).fill(1);
    const constant: string[] = [];
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += rows[i]![j]!;
      const m = s / n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (rows[i]![j]! - m) ** 2;
      const sd = Math.sqrt(ss / (n - 1));
      if (sd > 0) {
        this.center[j] = m;
        this.scale[j] = sd;
      } else constant.push(names?.[j] !== undefined ? `"${names[j]}"` : String(j + 1));
    }
    if (constant.length > 0) this.warnings.push(`predictor(s) ${constant.join(', ')} are constant and were not scaled (as e1071).`);
    const xs = rows.map((r) => this.scaleRow(r));
    this.gammaValue = this.gammaOpt ?? 1 / p;
    const SVM = libsvm();
    const svm = new SVM({
      type: SVM.SVM_TYPES['C_SVC']!,
      kernel: this.kernel === 'linear' ? SVM.KERNEL_TYPES['LINEAR']! : SVM.KERNEL_TYPES['RBF']!,
      cost: this.cost,
      gamma: this.gammaValue,
      tolerance: this.tolerance,
      cacheSize: 40,
      shrinking: true,
      probabilityEstimates: this.probability,
      quiet: true,
    });
    try {
      svm.train(xs.map((r) => Array.from(r)), Array.from(y, (v) => Number(v)));
      const parsed = parseModel(svm.serializeModel());
      const idx = Int32Array.from(svm.getSVIndices());
      if (parsed.labels.length !== 2 || parsed.coef.length !== idx.length) throw new RadnomoError('E_DATA', 'svm: libsvm returned an unexpected model.');
      const labels: [number, number] = [parsed.labels[0]!, parsed.labels[1]!];
      const coef = Float64Array.from(parsed.coef);
      this.model = {
        labels,
        rho: this.exactRho(xs, y, labels[0], coef, idx, parsed.rho),
        coef,
        sv: Array.from(idx, (i) => xs[i]!),
        svIndex: idx,
        probA: parsed.probA,
        probB: parsed.probB,
      };
    } finally {
      svm.free();
    }
    return this;
  }

  private kernelValue(a: Float64Array, b: Float64Array): number {
    let s = 0;
    if (this.kernel === 'linear') {
      for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
      return s;
    }
    for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
    return Math.exp(-this.gammaValue * s);
  }

  /**
   * libsvm writes rho with only 6 significant digits ("%g") in libsvm 3.22's model text, so it is
   * recomputed here exactly as libsvm's Solver::calculate_rho does from the final gradient:
   * the mean of y_i G_i over free support vectors (0 < alpha_i < C), else the midpoint of the
   * bounds, with G_i = y_i sum_j coef_j K(x_i, x_j) - 1 (coefficients are written with 16 digits)
   * and K rounded to single precision as in libsvm's kernel cache.
   */
  private exactRho(xs: Float64Array[], y: ArrayLike<number>, first: number, coef: Float64Array, idx: Int32Array, printed: number): number {
    const sv = Array.from(idx, (i) => xs[i]!);
    const alpha = new Float64Array(xs.length);
    idx.forEach((i, k) => {
      alpha[i] = Math.abs(coef[k]!);
    });
    let ub = Infinity;
    let lb = -Infinity;
    let nFree = 0;
    let sumFree = 0;
    for (let i = 0; i < xs.length; i++) {
      const yi = y[i] === first ? 1 : -1;
      let f = 0;
      // libsvm caches kernel rows in single precision (Qfloat = float), so its gradient uses
      // float-rounded kernel values: reproduce that with Math.fround.
      for (let k = 0; k < sv.length; k++) f += coef[k]! * Math.fround(this.kernelValue(xs[i]!, sv[k]!));
      const yG = f - yi; // y_i * G_i with G_i = y_i f(x_i) - 1
      const a = alpha[i]!;
      if (a >= this.cost) {
        if (yi === -1) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else if (a <= 0) {
        if (yi === 1) ub = Math.min(ub, yG);
        else lb = Math.max(lb, yG);
      } else {
        nFree++;
        sumFree += yG;
      }
    }
    const rho = nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
    // The recomputed value must round to what libsvm printed; otherwise keep libsvm's.
    return Math.abs(rho - printed) <= 1e-5 * Math.max(1, Math.abs(printed)) ? rho : printed;
  }

  private scaleRow(r: ArrayLike<number>): Float64Array {
    const p = this.center.length;
    if (r.length !== p) throw new RadnomoError('E_DATA', `svm: a row has ${r.length} values but the model has ${p} predictors.`);
    const out = new Float64Array(p);
    for (let j = 0; j < p; j++) out[j] = (r[j]! - this.center[j]!) / this.scale[j]!;
    return out;
  }

  private get fitted(): TrainedModel {
    if (!this.model) throw new RadnomoError('E_USAGE', 'SvmModel: call fit() before predicting.');
    return this.model;
  }

  /** The outcome (0 or 1) for which decision values are positive: the first class in the training rows. */
  get positiveClass(): number {
    return this.fitted.labels[0];
  }

  /** e1071's column name of the decision values, e.g. "1/0". */
  get decisionName(): string {
    return `${this.fitted.labels[0]}/${this.fitted.labels[1]}`;
  }

  /** gamma used (1/p unless given). */
  get gamma(): number {
    return this.gammaValue;
  }

  /** Fitted libsvm quantities (0-based SV indices into the training rows, coefficients, rho, Platt A/B). */
  get libsvmModel(): { svIndex: Int32Array; coef: Float64Array; rho: number; probA: number; probB: number; labels: [number, number] } {
    const m = this.fitted;
    return { svIndex: m.svIndex, coef: m.coef, rho: m.rho, probA: m.probA, probB: m.probB, labels: m.labels };
  }

  /** Decision values as e1071's predict(..., decision.values = TRUE): positive for `positiveClass`. */
  decisionValues(rows: ReadonlyArray<ArrayLike<number>>): Float64Array {
    const m = this.fitted;
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const x = this.scaleRow(rows[i]!);
      let s = 0;
      for (let k = 0; k < m.sv.length; k++) s += m.coef[k]! * this.kernelValue(m.sv[k]!, x);
      out[i] = s - m.rho;
    }
    return out;
  }

  /** Decision values oriented so that larger means outcome 1 (a score for ROC analysis). */
  score(rows: ReadonlyArray<ArrayLike<number>>): Float64Array {
    const d = this.decisionValues(rows);
    if (this.fitted.labels[0] !== 1) for (let i = 0; i < d.length; i++) d[i] = -d[i]!;
    return d;
  }

  /** Predicted classes (0/1), as predict(): the sign of the decision value. */
  predict(rows: ReadonlyArray<ArrayLike<number>>): Int32Array {
    const m = this.fitted;
    return Int32Array.from(this.decisionValues(rows), (d) => (d > 0 ? m.labels[0] : m.labels[1]));
  }

  /**
   * Platt probability of outcome 1, as predict(..., probability = TRUE)[, "1"] (libsvm's formula),
   * with libsvm-js's sigmoid (probA/probB as libsvm 3.22 writes them, 6 significant digits).
   */
  predictProbability(rows: ReadonlyArray<ArrayLike<number>>): Float64Array {
    const m = this.fitted;
    if (!this.probability || !Number.isFinite(m.probA)) throw new RadnomoError('E_USAGE', 'SvmModel: fitted without probability = true.');
    return Float64Array.from(this.decisionValues(rows), (d) => plattProbability(d, m.probA, m.probB, m.labels[0]));
  }
}
