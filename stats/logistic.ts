/**
 * Binary logistic regression by maximum likelihood, as R's `glm(family = binomial)`: the same
 * IRLS iterations (`glm.fit`: start at mu = (y + 0.5) / 2, convergence when
 * |dev - devold| / (|dev| + 0.1) < 1e-8, at most 25 iterations, logit link clamped at |eta| = 30
 * as R's C code does), Wald statistics as `summary.glm`, odds-ratio intervals as
 * `exp(confint.default(fit))`, treatment (dummy) coding of categorical predictors with R's
 * default reference level, univariable screening, separation warnings, and `rms::lrm`'s summary
 * statistics (model LR chi-square, C, Dxy, Nagelkerke R2, Brier).
 */
import { Matrix, QrDecomposition } from 'ml-matrix';
import { RadnomoError } from '../src/errors';
import { pchisq, pnorm, qnorm } from './distributions';
import { sortLevels } from './tests';

const DBL_EPSILON = 2.220446049250313e-16;
const THRESH = 30;
const MTHRESH = -30;
const INVEPS = 1 / DBL_EPSILON;

/** R's binomial()$linkinv (C `logit_linkinv`): eta clamped to +-30 before exp. */
export function logitLinkinv(eta: number): number {
  const tmp = eta < MTHRESH ? DBL_EPSILON : eta > THRESH ? INVEPS : Math.exp(eta);
  return tmp / (1 + tmp);
}

/** R's binomial()$mu.eta (C `logit_mu_eta`): d mu / d eta, DBL_EPSILON outside +-30. */
function logitMuEta(eta: number): number {
  const opexp = 1 + Math.exp(eta);
  return eta > THRESH || eta < MTHRESH ? DBL_EPSILON : Math.exp(eta) / (opexp * opexp);
}

/** Binomial deviance residual for one 0/1 observation (R's binomial()$dev.resids). */
function devResid(y: number, mu: number): number {
  return y === 1 ? -2 * Math.log(mu) : -2 * Math.log1p(-mu);
}

/** Options of the IRLS fit; the defaults are glm.control()'s. */
export interface LogisticOptions {
  /** Convergence tolerance on the relative deviance change (glm.control epsilon). Default 1e-8. */
  epsilon?: number;
  /** Maximum IRLS iterations (glm.control maxit). Default 25. */
  maxit?: number;
}

/** One coefficient row, as summary.glm plus exp(confint.default). */
export interface LogisticTerm {
  term: string;
  estimate: number;
  se: number;
  z: number;
  p: number;
  or: number;
  orLower: number;
  orUpper: number;
}

/** rms::lrm's summary statistics for a fitted model. */
export interface LrmStatistics {
  /** Model likelihood-ratio chi-square: null deviance - deviance. */
  lrChi2: number;
  df: number;
  /** 1 - pchisq(lrChi2, df), as rms computes it. */
  p: number;
  /**
   * C index as rms computes it: concordance of the fitted probability with the outcome after
   * binning probabilities into 1/5000ths (lrm.fit's Fortran table), ties count 1/2.
   */
  c: number;
  /** Exact C index (Mann-Whitney AUC of the fitted probabilities, no binning). */
  cExact: number;
  /** Somers' Dxy = 2C - 1 (from the binned C, as rms). */
  dxy: number;
  /** Nagelkerke R2: (1 - exp(-LR/n)) / (1 - exp(-L0/n)), L0 = null deviance. */
  r2: number;
  /** Mean squared difference between fitted probability and outcome. */
  brier: number;
}

/** What was found about (quasi-)complete separation. */
export interface SeparationReport {
  detected: boolean;
  /** Rows whose fitted probability is within 10 * DBL_EPSILON of 0 or 1 (glm's warning rule). */
  fittedZeroOrOne: number;
  /** Terms whose coefficient was still moving at the end of the iterations. */
  divergingTerms: string[];
}

/** Validates a 0/1 outcome; `what` names it in errors. */
export function checkBinaryOutcome(y: ArrayLike<number>, what = 'outcome'): Float64Array {
  const out = new Float64Array(y.length);
  let n1 = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (Number.isNaN(v)) throw new RadnomoError('E_VALUE', `${what}: row ${i + 1} is missing (NaN); drop missing rows first.`);
    if (v !== 0 && v !== 1) throw new RadnomoError('E_COLUMN', `${what}: row ${i + 1} holds ${v}; the outcome must be coded 0/1.`);
    out[i] = v;
    n1 += v;
  }
  if (n1 === 0 || n1 === y.length) {
    throw new RadnomoError('E_DATA', `${what}: all ${y.length} rows are ${n1 === 0 ? 0 : 1}; logistic regression needs both outcome classes.`);
  }
  return out;
}

/**
 * A logistic regression model fitted by IRLS exactly as R's glm.fit. Use `fit(X, y, names)` with
 * X given as rows (without an intercept column; the intercept is added and named "(Intercept)").
 */
export class LogisticModel {
  /** Term names, "(Intercept)" first. */
  terms: string[] = [];
  /** Coefficients in the order of `terms`. */
  coefficients: Float64Array = new Float64Array(0);
  /** Standard errors from the inverse Fisher information (summary.glm). */
  se: Float64Array = new Float64Array(0);
  /** Variance-covariance matrix (vcov(fit)), row-major p x p. */
  vcov: Float64Array[] = [];
  /** Fitted probabilities of the training rows. */
  fitted: Float64Array = new Float64Array(0);
  y: Float64Array = new Float64Array(0);
  deviance = NaN;
  nullDeviance = NaN;
  logLik = NaN;
  aic = NaN;
  iterations = 0;
  converged = false;
  nobs = 0;
  warnings: string[] = [];
  separation: SeparationReport = { detected: false, fittedZeroOrOne: 0, divergingTerms: [] };
  private fitted_ = false;

  /**
   * Fits the model (matches glm(y ~ ., family = binomial) on the same design). Throws a
   * RadnomoError for unequal lengths, non-finite values, a non-0/1 or single-class outcome, a
   * constant or collinear term.
   */
  fit(X: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, names: readonly string[], options: LogisticOptions = {}): this {
    const epsilon = options.epsilon ?? 1e-8;
    const maxit = options.maxit ?? 25;
    const n = y.length;
    if (X.length !== n) throw new RadnomoError('E_DATA', `logistic regression: ${X.length} predictor rows but ${n} outcome values.`);
    const yy = checkBinaryOutcome(y);
    const k = names.length;
    const p = k + 1;
    if (n <= p) throw new RadnomoError('E_DATA', `logistic regression: ${n} rows are too few for ${p} coefficients.`);
    // Column-major design with the intercept first.
    const cols: Float64Array[] = [new Float64Array(n).fill(1)];
    for (let j = 0; j < k; j++) cols.push(new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const row = X[i]!;
      if (row.length !== k) throw new RadnomoError('E_DATA', `logistic regression: row ${i + 1} has ${row.length} values but ${k} predictor names were given.`);
      for (let j = 0; j < k; j++) {
        const v = row[j]!;
        if (!Number.isFinite(v)) throw new RadnomoError('E_VALUE', `logistic regression: predictor "${names[j]}" row ${i + 1} is ${v}; drop or impute missing values first.`);
        cols[j + 1]![i] = v;
      }
    }
    for (let j = 1; j < p; j++) {
      const c = cols[j]!;
      let constant = true;
      for (let i = 1; i < n && constant; i++) if (c[i] !== c[0]) constant = false;
      if (constant) throw new RadnomoError('E_DATA', `logistic regression: predictor "${names[j - 1]}" is constant (${c[0]}) and cannot be estimated.`);
    }
    const terms = ['(Intercept)', ...names];

    const eta = new Float64Array(n);
    const mu = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const m = (yy[i]! + 0.5) / 2;
      eta[i] = Math.log(m / (1 - m));
      mu[i] = logitLinkinv(eta[i]!);
    }
    let devold = 0;
    for (let i = 0; i < n; i++) devold += devResid(yy[i]!, mu[i]!);
    let coef: Float64Array = new Float64Array(p);
    let lastR: Matrix | null = null;
    let conv = false;
    let iter = 0;
    let dev = devold;
    for (iter = 1; iter <= maxit; iter++) {
      const step = irlsStep(cols, yy, eta, mu, terms);
      coef = step.coef;
      const R = step.R;
      lastR = R;
      dev = 0;
      for (let i = 0; i < n; i++) {
        let e = 0;
        for (let j = 0; j < p; j++) e += cols[j]![i]! * coef[j]!;
        eta[i] = e;
        mu[i] = logitLinkinv(e);
        dev += devResid(yy[i]!, mu[i]!);
      }
      if (!Number.isFinite(dev)) {
        throw new RadnomoError('E_DATA', 'logistic regression: the deviance became infinite; the data are degenerate (check for separation or extreme values).');
      }
      if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
        conv = true;
        break;
      }
      devold = dev;
    }
    if (iter > maxit) iter = maxit;

    // Covariance: (R'R)^-1 from the last IRLS QR, as summary.glm's chol2inv(qr$qr).
    const Rinv = invertUpper(lastR!, p);
    const vcov: Float64Array[] = [];
    for (let a = 0; a < p; a++) {
      const row = new Float64Array(p);
      for (let c = 0; c < p; c++) {
        let s = 0;
        for (let m = Math.max(a, c); m < p; m++) s += Rinv[a]![m]! * Rinv[c]![m]!;
        row[c] = s;
      }
      vcov.push(row);
    }

    let ll = 0;
    let n1 = 0;
    for (let i = 0; i < n; i++) {
      ll += yy[i] === 1 ? Math.log(mu[i]!) : Math.log1p(-mu[i]!);
      n1 += yy[i]!;
    }
    const ybar = n1 / n;
    let nullDev = 0;
    for (let i = 0; i < n; i++) nullDev += devResid(yy[i]!, ybar);

    this.terms = terms;
    this.coefficients = coef;
    this.vcov = vcov;
    this.se = Float64Array.from(vcov, (r, j) => Math.sqrt(r[j]!));
    this.fitted = Float64Array.from(mu);
    this.y = yy;
    this.deviance = dev;
    this.nullDeviance = nullDev;
    this.logLik = ll;
    this.aic = -2 * ll + 2 * p;
    this.iterations = iter;
    this.converged = conv;
    this.nobs = n;
    this.warnings = [];
    if (!conv) this.warnings.push(`IRLS did not converge in ${maxit} iterations (glm.fit: algorithm did not converge).`);
    const eps10 = 10 * DBL_EPSILON;
    let extreme = 0;
    for (let i = 0; i < n; i++) if (mu[i]! > 1 - eps10 || mu[i]! < eps10) extreme++;
    // Separation probe: two more IRLS steps from the reported fit. With a finite MLE they move
    // the coefficients by rounding error only; under (quasi-)complete separation the diverging
    // coefficients keep growing by O(1) per step (R may still report convergence).
    const probeEta = Float64Array.from(eta);
    const probeMu = Float64Array.from(mu);
    let probe = coef;
    let before = coef;
    for (let s = 0; s < 2; s++) {
      before = probe;
      probe = irlsStep(cols, yy, probeEta, probeMu, terms).coef;
      for (let i = 0; i < n; i++) {
        let e = 0;
        for (let j = 0; j < p; j++) e += cols[j]![i]! * probe[j]!;
        probeEta[i] = e;
        probeMu[i] = logitLinkinv(e);
      }
    }
    const diverging: string[] = [];
    for (let j = 1; j < p; j++) {
      // Between the 1st and 2nd extra step: a converged fit moves by rounding error only.
      if (Math.abs(probe[j]! - before[j]!) > 1e-6 * Math.max(1, Math.abs(probe[j]!))) diverging.push(terms[j]!);
    }
    this.separation = { detected: extreme > 0 || diverging.length > 0, fittedZeroOrOne: extreme, divergingTerms: diverging };
    if (extreme > 0) {
      this.warnings.push(`fitted probabilities numerically 0 or 1 occurred for ${extreme} of ${n} rows (glm's warning): the outcome is (quasi-)completely separated.`);
    }
    if (this.separation.detected) {
      const what = diverging.length > 0 ? `coefficients diverging for ${diverging.map((t) => `"${t}"`).join(', ')}` : 'no single coefficient diverging';
      this.warnings.push(`separation: ${what}; estimates, standard errors and p-values of these terms are not meaningful.`);
    }
    this.fitted_ = true;
    return this;
  }

  private check(): void {
    if (!this.fitted_) throw new RadnomoError('E_USAGE', 'LogisticModel: call fit() before using the model.');
  }

  /** Coefficient table as summary.glm, with odds ratios and exp(confint.default(fit, level)). */
  table(level = 0.95): LogisticTerm[] {
    this.check();
    const q = qnorm((1 + level) / 2);
    return this.terms.map((term, j) => {
      const est = this.coefficients[j]!;
      const se = this.se[j]!;
      const z = est / se;
      return { term, estimate: est, se, z, p: 2 * pnorm(-Math.abs(z)), or: Math.exp(est), orLower: Math.exp(est - q * se), orUpper: Math.exp(est + q * se) };
    });
  }

  /** Linear predictor (log-odds) of new rows given in the training design's columns. */
  linearPredictor(rows: ReadonlyArray<ArrayLike<number>>): Float64Array {
    this.check();
    const k = this.terms.length - 1;
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r.length !== k) throw new RadnomoError('E_DATA', `LogisticModel: row ${i + 1} has ${r.length} values but the model has ${k} terms besides the intercept.`);
      let e = this.coefficients[0]!;
      for (let j = 0; j < k; j++) e += this.coefficients[j + 1]! * r[j]!;
      out[i] = e;
    }
    return out;
  }

  /** Predicted probabilities of new rows (predict(fit, newdata, type = "response")). */
  predict(rows: ReadonlyArray<ArrayLike<number>>): Float64Array {
    return this.linearPredictor(rows).map(logitLinkinv);
  }

  /** rms::lrm's statistics for this fit (Model L.R., d.f., P, C, Dxy, R2, Brier). */
  lrmStatistics(): LrmStatistics {
    this.check();
    const n = this.nobs;
    const lr = this.nullDeviance - this.deviance;
    const df = this.terms.length - 1;
    const r2 = (1 - Math.exp(-lr / n)) / (1 - Math.exp(-this.nullDeviance / n));
    let brier = 0;
    for (let i = 0; i < n; i++) brier += (this.fitted[i]! - this.y[i]!) ** 2;
    const c = binnedConcordance(this.fitted, this.y);
    return { lrChi2: lr, df, p: 1 - pchisq(lr, df), c, cExact: concordance(this.fitted, this.y), dxy: 2 * c - 1, r2, brier: brier / n };
  }
}

/**
 * One IRLS step of glm.fit from the current eta/mu: weighted least squares of the working
 * response on the design by QR. Throws when a term is aliased (R's dqrdc2 tolerance 1e-11).
 */
function irlsStep(cols: Float64Array[], yy: Float64Array, eta: Float64Array, mu: Float64Array, terms: string[]): { coef: Float64Array; R: Matrix } {
  const n = yy.length;
  const p = cols.length;
  const A = new Matrix(n, p);
  const b = new Matrix(n, 1);
  const wn = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const me = logitMuEta(eta[i]!);
    const varmu = mu[i]! * (1 - mu[i]!);
    const z = eta[i]! + (yy[i]! - mu[i]!) / me;
    const w = Math.sqrt((me * me) / varmu);
    for (let j = 0; j < p; j++) {
      const a = cols[j]![i]! * w;
      A.set(i, j, a);
      wn[j] += a * a;
    }
    b.set(i, 0, z * w);
  }
  const qr = new QrDecomposition(A);
  const R = qr.upperTriangularMatrix;
  for (let j = 0; j < p; j++) {
    if (!(Math.abs(R.get(j, j)) > 1e-11 * Math.sqrt(wn[j]!))) {
      throw new RadnomoError('E_DATA', `logistic regression: term "${terms[j]}" is collinear with the terms before it (aliased); remove it or one of the predictors it duplicates.`);
    }
  }
  const sol = qr.solve(b);
  const coef = new Float64Array(p);
  for (let j = 0; j < p; j++) coef[j] = sol.get(j, 0);
  return { coef, R };
}

/** Inverse of the leading p x p upper-triangular block of R, as nested arrays. */
function invertUpper(R: Matrix, p: number): Float64Array[] {
  const inv: Float64Array[] = Array.from({ length: p }, () => new Float64Array(p));
  for (let j = p - 1; j >= 0; j--) {
    inv[j]![j] = 1 / R.get(j, j);
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let m = i + 1; m <= j; m++) s += R.get(i, m) * inv[m]![j]!;
      inv[i]![j] = -s / R.get(i, i);
    }
  }
  return inv;
}

/**
 * Concordance (C index / AUC) of a score with a 0/1 outcome by the Mann-Whitney rank formula with
 * average ranks for ties: P(score_case > score_control) + P(tie) / 2.
 */
export function concordance(score: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = score.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  let rankSum1 = 0;
  let n1 = 0;
  for (let s = 0; s < n; ) {
    let e = s;
    while (e + 1 < n && score[idx[e + 1]!] === score[idx[s]!]) e++;
    const r = (s + e + 2) / 2;
    for (let m = s; m <= e; m++) {
      if (y[idx[m]!] === 1) {
        rankSum1 += r;
        n1++;
      }
    }
    s = e + 1;
  }
  const n0 = n - n1;
  return (rankSum1 - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * The C index as rms::lrm.fit / val.prob report it: probabilities are first binned as
 * floor(5000 * p + 1) (the Fortran frequency table), then concordance with ties counted 1/2.
 * Differs from the exact AUC only when a case and a control fall in the same 1/5000 bin.
 */
export function binnedConcordance(prob: ArrayLike<number>, y: ArrayLike<number>): number {
  return concordance(Float64Array.from(prob, (p) => Math.floor(5000 * p + 1)), y);
}

// ---------------------------------------------------------------------------------------------
// Treatment (dummy) coding

/** One predictor column: numbers, or strings for a categorical predictor. */
export interface Predictor {
  name: string;
  values: ArrayLike<number> | readonly string[];
  /** Treat as categorical (dummy-coded). Strings are always categorical. */
  categorical?: boolean;
}

interface EncodedVariable {
  name: string;
  categorical: boolean;
  /** Sorted levels; levels[0] is the reference. */
  levels: string[];
}

function isStringArray(v: ArrayLike<number> | readonly string[]): v is readonly string[] {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === 'string';
}

/** The cell as a level label: numbers in R's shortest form (1, 2.5), strings trimmed. */
function levelLabel(v: number | string): string {
  return typeof v === 'number' ? String(v) : v.trim();
}

/** R's factor() level order (see stats/tests.ts). */
export { sortLevels };

/**
 * Treatment (dummy) coding as R's default contr.treatment: numeric predictors pass through; a
 * categorical predictor with sorted levels L1 < L2 < ... becomes indicator columns named
 * `<name><level>` for every level but the first (the reference), as model.matrix names them.
 */
export class TreatmentEncoder {
  private vars: EncodedVariable[] = [];

  /** Learns the level sets (on training rows). */
  fit(predictors: readonly Predictor[]): this {
    this.vars = predictors.map((pr) => {
      const categorical = pr.categorical === true || isStringArray(pr.values);
      if (!categorical) return { name: pr.name, categorical, levels: [] };
      const set = new Set<string>();
      for (let i = 0; i < pr.values.length; i++) set.add(levelLabel(pr.values[i]!));
      const levels = sortLevels([...set]);
      if (levels.length < 2) throw new RadnomoError('E_DATA', `categorical predictor "${pr.name}" has a single level ("${levels[0] ?? ''}"); it cannot be estimated.`);
      return { name: pr.name, categorical, levels };
    });
    return this;
  }

  /** Design term names (without the intercept). */
  get terms(): string[] {
    const out: string[] = [];
    for (const v of this.vars) {
      if (!v.categorical) out.push(v.name);
      else for (let l = 1; l < v.levels.length; l++) out.push(`${v.name}${v.levels[l]}`);
    }
    return out;
  }

  /** The predictor each term came from, in term order. */
  get termPredictors(): string[] {
    const out: string[] = [];
    for (const v of this.vars) {
      if (!v.categorical) out.push(v.name);
      else for (let l = 1; l < v.levels.length; l++) out.push(v.name);
    }
    return out;
  }

  /** Levels of each categorical predictor (reference first). */
  get levels(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const v of this.vars) if (v.categorical) out[v.name] = [...v.levels];
    return out;
  }

  /** Design rows for the given predictor columns (matched by name). Unknown levels are an error. */
  apply(predictors: readonly Predictor[]): Float64Array[] {
    const byName = new Map(predictors.map((p) => [p.name, p]));
    let n = -1;
    for (const v of this.vars) {
      const pr = byName.get(v.name);
      if (!pr) throw new RadnomoError('E_COLUMN', `predictor "${v.name}" is missing from the data to encode.`);
      if (n < 0) n = pr.values.length;
      else if (pr.values.length !== n) throw new RadnomoError('E_DATA', `predictor "${v.name}" has ${pr.values.length} rows but the others have ${n}.`);
    }
    n = Math.max(n, 0);
    const width = this.terms.length;
    const rows = Array.from({ length: n }, () => new Float64Array(width));
    let col = 0;
    for (const v of this.vars) {
      const vals = byName.get(v.name)!.values;
      if (!v.categorical) {
        for (let i = 0; i < n; i++) {
          const x = vals[i]!;
          const num = typeof x === 'number' ? x : Number(x);
          if (!Number.isFinite(num)) throw new RadnomoError('E_VALUE', `predictor "${v.name}" row ${i + 1} holds "${x}", not a finite number.`);
          rows[i]![col] = num;
        }
        col++;
      } else {
        const index = new Map(v.levels.map((l, k) => [l, k]));
        for (let i = 0; i < n; i++) {
          const k = index.get(levelLabel(vals[i]!));
          if (k === undefined) {
            throw new RadnomoError('E_VALUE', `predictor "${v.name}" row ${i + 1} has level "${vals[i]}", which was not seen when the model was fitted (levels: ${v.levels.join(', ')}).`);
          }
          if (k > 0) rows[i]![col + k - 1] = 1;
        }
        col += v.levels.length - 1;
      }
    }
    return rows;
  }
}

/** A logistic model with its encoder, fitted on raw predictor columns. */
export interface LogisticFit {
  model: LogisticModel;
  encoder: TreatmentEncoder;
  /** Coefficient table (summary.glm + odds ratios with Wald 95% CI). */
  coefficients: LogisticTerm[];
  /** Warnings, including separation warnings that name the predictors. */
  warnings: string[];
  lrm: LrmStatistics;
}

/**
 * For each predictor, whether it alone separates the outcome: a numeric predictor whose cases all
 * lie on one side of its controls (complete if strictly, quasi-complete if touching), or a
 * category level whose rows all share one outcome (quasi-complete).
 */
export function singlePredictorSeparation(y: ArrayLike<number>, predictors: readonly Predictor[]): string[] {
  const msgs: string[] = [];
  for (const pr of predictors) {
    if (pr.categorical === true || isStringArray(pr.values)) {
      const counts = new Map<string, [number, number]>();
      for (let i = 0; i < y.length; i++) {
        const l = levelLabel(pr.values[i]!);
        const c = counts.get(l) ?? [0, 0];
        c[y[i] === 1 ? 1 : 0]++;
        counts.set(l, c);
      }
      const bad = [...counts].filter(([, c]) => c[0] === 0 || c[1] === 0).map(([l, c]) => `"${l}" (all ${c[0] === 0 ? 1 : 0})`);
      if (bad.length > 0) msgs.push(`predictor "${pr.name}" quasi-completely separates the outcome: level ${bad.join(', ')}.`);
    } else {
      let min0 = Infinity, max0 = -Infinity, min1 = Infinity, max1 = -Infinity;
      for (let i = 0; i < y.length; i++) {
        const v = Number(pr.values[i]);
        if (y[i] === 1) {
          min1 = Math.min(min1, v);
          max1 = Math.max(max1, v);
        } else {
          min0 = Math.min(min0, v);
          max0 = Math.max(max0, v);
        }
      }
      if (max0 < min1 || max1 < min0) msgs.push(`predictor "${pr.name}" alone completely separates the outcome.`);
      else if (max0 === min1 || max1 === min0) msgs.push(`predictor "${pr.name}" alone quasi-completely separates the outcome.`);
    }
  }
  return msgs;
}

/**
 * Fits a multivariable logistic model on raw predictor columns: dummy-codes categorical
 * predictors (R's default reference level), fits as glm(family = binomial), and adds separation
 * warnings that name the predictors involved.
 */
export function fitLogistic(y: ArrayLike<number>, predictors: readonly Predictor[], options: LogisticOptions = {}): LogisticFit {
  if (predictors.length === 0) throw new RadnomoError('E_USAGE', 'logistic regression: no predictors were given.');
  for (const pr of predictors) {
    if (pr.values.length !== y.length) {
      throw new RadnomoError('E_DATA', `predictor "${pr.name}" has ${pr.values.length} rows but the outcome has ${y.length}.`);
    }
  }
  const encoder = new TreatmentEncoder().fit(predictors);
  const X = encoder.apply(predictors);
  const model = new LogisticModel().fit(X, y, encoder.terms, options);
  const warnings = [...model.warnings];
  const single = singlePredictorSeparation(y, predictors);
  if (single.length > 0 && !model.separation.detected) {
    model.separation = { ...model.separation, detected: true };
    warnings.push('separation: the maximum-likelihood estimates do not exist (see below); estimates, standard errors and p-values of these terms are not meaningful.');
  }
  if (model.separation.detected) {
    const tp = encoder.termPredictors;
    const involved = new Set<string>();
    for (const t of model.separation.divergingTerms) involved.add(tp[encoder.terms.indexOf(t)]!);
    if (involved.size > 0) warnings.push(`separation involves predictor(s): ${[...involved].map((s) => `"${s}"`).join(', ')}.`);
    warnings.push(...single);
  }
  return { model, encoder, coefficients: model.table(), warnings, lrm: model.lrmStatistics() };
}

/** One row of a univariable screen: a term of the one-predictor model. */
export interface UnivariableRow extends LogisticTerm {
  predictor: string;
  warnings: string[];
}

/**
 * Univariable screening: one logistic model per predictor (glm(y ~ x, family = binomial)),
 * reporting each non-intercept term's estimate, SE, z, Wald p and odds ratio with Wald 95% CI.
 */
export function univariableLogistic(y: ArrayLike<number>, predictors: readonly Predictor[], options: LogisticOptions = {}): UnivariableRow[] {
  const rows: UnivariableRow[] = [];
  for (const pr of predictors) {
    const f = fitLogistic(y, [pr], options);
    for (const t of f.coefficients.slice(1)) rows.push({ predictor: pr.name, ...t, warnings: f.warnings });
  }
  return rows;
}
