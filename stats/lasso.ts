/**
 * LASSO / elastic-net logistic regression as `glmnet::glmnet(family = "binomial")` computes it
 * (Friedman, Hastie & Tibshirani 2010, J Stat Softw 33(1)), and `cv.glmnet` with
 * type.measure "deviance" or "auc".
 *
 * The path solver follows glmnet's two-class routine (`lognet2n`, ported to C++ in glmnetpp):
 * observation weights 1/n, predictors centred and scaled with the weighted (1/n) mean and SD,
 * a quadratic-approximation (IRLS) outer loop with cyclic coordinate descent inside, the
 * sequential strong rule with KKT checks, warm starts along lambda, convergence when the largest
 * `xv_j * (change in b_j)^2` (and `sum(v) * (change in b0)^2`) falls below `thresh * dev0`, and
 * glmnet's path exits (after 5 lambdas: stop when the deviance ratio grows by < 1e-5 or exceeds
 * 0.999, or more than dfmax variables enter). The first lambda is reported as glmnet's
 * `fix.lam` does: exp(2 log l2 - log l3).
 *
 * The inner products and residual updates run in stats/lasso-kernel.ts (a small WebAssembly SIMD
 * module, with a JavaScript fallback that gives the same doubles). Where glmnet computes the IRLS
 * weight xv_j of every strong-set column at each quadratic approximation, radnomo computes it on
 * first use (a coefficient that is zero and stays zero never needs it): same result, less work.
 */
import { RadnomoError } from '../src/errors';
import type { Random } from '../src/random';
import { createLassoKernel } from './lasso-kernel';

/** Options of glmnet(family = "binomial") that radnomo supports, with glmnet's defaults. */
export interface GlmnetOptions {
  /** Elastic-net mixing: 1 = LASSO (default), 0 = ridge. */
  alpha?: number;
  /** Number of lambdas (default 100). */
  nlambda?: number;
  /** Smallest lambda as a fraction of lambda_max: 0.01 if n < p else 1e-4 (glmnet's default). */
  lambdaMinRatio?: number;
  /** A user lambda sequence (sorted decreasing, as glmnet does); overrides nlambda/lambdaMinRatio. */
  lambda?: readonly number[];
  /** Standardise predictors (default true). */
  standardize?: boolean;
  /** Fit an intercept (default true). */
  intercept?: boolean;
  /** Convergence threshold (default 1e-7). */
  thresh?: number;
  /** Maximum passes over the data for all lambdas (default 1e5). */
  maxit?: number;
  /** Maximum number of variables in the model (default p + 1). */
  dfmax?: number;
}

/** A fitted glmnet path: one column of coefficients per lambda, on the original predictor scale. */
export interface GlmnetPath {
  names: string[];
  lambda: Float64Array;
  /** Number of non-zero coefficients (intercept excluded) at each lambda. */
  df: Int32Array;
  /** Fraction of null deviance explained at each lambda (glmnet's dev.ratio). */
  devRatio: Float64Array;
  /** Null deviance (glmnet nulldev): -2 log-likelihood of the intercept-only model. */
  nulldev: number;
  /** Intercepts. */
  a0: Float64Array;
  /** beta[k][j]: coefficient of predictor j at lambda k. */
  beta: Float64Array[];
  /** Passes over the data (glmnet's npasses). */
  npasses: number;
  /** glmnet's non-fatal warning when a lambda did not converge within maxit (the path stops before it). */
  warning?: string;
}

// glmnet.control() defaults.
const FDEV = 1e-5; // minimum fractional change in deviance to continue the path
const DEVMAX = 0.999; // maximum fraction of explained deviance
const EPS = 1e-6; // minimum lambda.min.ratio
const BIG = 9.9e35;
const MNLAM = 5; // minimum number of lambdas before the path may stop
const PMIN = 1e-9; // minimum null probability

/** Column-major copy of rows (n x p): x[j * n + i]. Validates finite values. */
function toColumnMajor(rows: ReadonlyArray<ArrayLike<number>>, p: number, what: string): Float64Array {
  const n = rows.length;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r.length !== p) {
      throw new RadnomoError('E_DATA', `${what}: row ${i + 1} has ${r.length} values but ${p} predictors were given.`);
    }
    for (let j = 0; j < p; j++) {
      const v = r[j]!;
      if (!Number.isFinite(v)) {
        throw new RadnomoError('E_VALUE', `${what}: predictor ${j + 1} in row ${i + 1} is ${v}; remove or impute missing values first.`);
      }
      x[j * n + i] = v;
    }
  }
  return x;
}

/** Checks a 0/1 outcome and returns it as doubles. */
function binaryOutcome(y: ArrayLike<number>, n: number, what: string): Float64Array {
  if (y.length !== n) throw new RadnomoError('E_DATA', `${what}: the outcome has ${y.length} values but there are ${n} rows.`);
  const out = new Float64Array(n);
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) {
      throw new RadnomoError('E_VALUE', `${what}: the outcome must be 0/1, but row ${i + 1} is ${v}.`);
    }
    out[i] = v;
    n1 += v;
  }
  if (Math.min(n1, n - n1) <= 1) {
    throw new RadnomoError('E_DATA', `${what}: one outcome class has ${Math.min(n1, n - n1)} observations; glmnet needs at least 2 in each.`);
  }
  return out;
}

/** r -= d * (v * u) (element-wise), then returns sum(r) summed left to right (as a plain sum of r). */
function subScaledSum(r: Float64Array, d: number, v: Float64Array, u: Float64Array): number {
  const n = r.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const ri = r[i]! - d * (v[i]! * u[i]!);
    r[i] = ri;
    s += ri;
  }
  return s;
}

function sumOf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/** r -= d * (v * u) (element-wise) */
function subScaled(r: Float64Array, d: number, v: Float64Array, u: Float64Array): void {
  for (let i = 0; i < r.length; i++) r[i] = r[i]! - d * (v[i]! * u[i]!);
}

/**
 * One coordinate-descent step of glmnet's binomial solver: given g = <r, c>, the soft-thresholded
 * update sign(u)(|u| - l1)_+ / (xv + l2) with u = g + xv * b. Returns the new coefficient (the
 * caller applies the working-residual update r -= d * (v * c) when the coefficient moves).
 */
function coordinateStep(g: number, xvk: number, bk: number, l1: number, l2: number): number {
  const u = g + xvk * bk;
  const au = Math.abs(u) - l1;
  return au > 0 ? (u < 0 ? -au : au) / (xvk + l2) : 0;
}

/**
 * Core of glmnet's two-class binomial path (lognet + lstandard1 + lognet2n) on the rows `rows`
 * (all when null) of a column-major matrix `src` (srcN x p, not modified) and the 0/1 outcome `y`
 * of those rows. Returns coefficients on the original scale.
 */
function lognetPath(src: Float64Array, srcN: number, rows: Int32Array | null, p: number, y: Float64Array, o: Required<Omit<GlmnetOptions, 'lambda'>> & { lambda?: readonly number[] }): Omit<GlmnetPath, 'names'> {
  const n = rows ? rows.length : srcN;
  const w = new Float64Array(n).fill(1 / n);
  // Every array the inner loops touch lives in the kernel's heap (byte offsets below): x (then
  // standardised in place), r, v, q, a column of ones, and the index/result lists of the KKT check.
  const colBytes = n * 8;
  const X = 0;
  const R = X + p * colBytes;
  const V = R + colBytes;
  const Q = V + colBytes;
  const ONES = Q + colBytes;
  const IDX = ONES + colBytes;
  const OUT = IDX + Math.ceil(p / 2) * 8;
  const kern = createLassoKernel(OUT + p * 8);
  const heap = kern.heap;
  const x = heap.subarray(X / 8, X / 8 + n * p);
  // One pass per column: copy it, note whether it varies (chkvars: constant columns are
  // excluded), and sum w_i x_ij for its mean.
  const ju = new Uint8Array(p);
  const wsum = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const so = j * srcN;
    const off = j * n;
    const first = src[so + (rows ? rows[0]! : 0)]!;
    let varies = 0;
    let m = 0;
    for (let t = 0; t < n; t++) {
      const xi = src[so + (rows ? rows[t]! : t)]!;
      x[off + t] = xi;
      m += w[t]! * xi;
      if (xi !== first) varies = 1;
    }
    ju[j] = varies;
    wsum[j] = m;
  }
  let anyVar = false;
  for (let j = 0; j < p; j++) if (ju[j]) anyVar = true;
  if (!anyVar) throw new RadnomoError('E_DATA', 'glmnet: every predictor is constant; nothing to fit.');
  // lstandard1 (intercept): weighted mean and weighted SD (weights 1/n).
  const xm = new Float64Array(p);
  const xs = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    if (!ju[j]) continue;
    const off = j * n;
    if (o.intercept) {
      const m = wsum[j]!;
      xm[j] = m;
      if (o.standardize) {
        // centre, and sum the squares of the centred values, in one pass
        let s = 0;
        for (let i = 0; i < n; i++) {
          const c = x[off + i]! - m;
          x[off + i] = c;
          s += w[i]! * c * c;
        }
        xs[j] = Math.sqrt(s);
      } else {
        for (let i = 0; i < n; i++) x[off + i] = x[off + i]! - m;
      }
    } else if (o.standardize) {
      let s2 = 0;
      let s1 = 0;
      for (let i = 0; i < n; i++) {
        s2 += w[i]! * x[off + i]! * x[off + i]!;
        s1 += w[i]! * x[off + i]!;
      }
      xs[j] = Math.sqrt(s2 - s1 * s1);
    }
    if (o.standardize) {
      const s = xs[j]!;
      for (let i = 0; i < n; i++) x[off + i] = x[off + i]! / s;
    }
  }
  const vp = new Float64Array(p).fill(1);
  const cols: Float64Array[] = [];
  for (let j = 0; j < p; j++) cols.push(x.subarray(j * n, (j + 1) * n));
  const ones = heap.subarray(ONES / 8, ONES / 8 + n).fill(1);

  // lognet2n
  const nlam = o.lambda ? o.lambda.length : o.nlambda;
  const flmin = o.lambda ? 1 : o.lambdaMinRatio;
  const ulam = o.lambda ? [...o.lambda].sort((a, b) => b - a) : [];
  const bta = o.alpha;
  const omb = 1 - bta;
  const fmax = Math.log(1 / PMIN - 1);
  const fmin = -fmax;
  const vmin = (1 + PMIN) * PMIN * (1 - PMIN);
  let q0 = 0;
  for (let i = 0; i < n; i++) q0 += w[i]! * y[i]!;
  if (q0 <= PMIN) throw new RadnomoError('E_DATA', 'glmnet: null probability < 1e-9.');
  if (q0 >= 1 - PMIN) throw new RadnomoError('E_DATA', 'glmnet: null probability > 1 - 1e-9.');
  if (!o.intercept) q0 = 0.5;
  const bz = o.intercept ? Math.log(q0 / (1 - q0)) : 0;
  const b = new Float64Array(p); // b(1..ni)
  let b0 = bz;
  const bs = new Float64Array(p);
  let bs0 = 0;
  const xv = new Float64Array(p);
  const xvAt = new Int32Array(p); // IRLS step at which xv[k] was last computed
  let irls = 0;
  const ga = new Float64Array(p);
  const ixx = new Uint8Array(p);
  const mm = new Int32Array(p); // 1-based position in the active list, 0 when never active
  const m = new Int32Array(p); // active list
  let nin = 0;
  const vi = q0 * (1 - q0);
  const v = heap.subarray(V / 8, V / 8 + n);
  const r = heap.subarray(R / 8, R / 8 + n);
  const q = heap.subarray(Q / 8, Q / 8 + n);
  for (let i = 0; i < n; i++) {
    v[i] = vi * w[i]!;
    r[i] = w[i]! * (y[i]! - q0);
    q[i] = q0;
  }
  let xmz = vi;
  const dev1 = -(bz * q0 + Math.log(1 - q0));
  let dev0 = dev1;
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    if (yi > 0) dev0 += w[i]! * yi * Math.log(yi);
    if (yi < 1) dev0 += w[i]! * (1 - yi) * Math.log(1 - yi);
  }
  let alf = 1;
  if (flmin < 1) alf = Math.pow(Math.max(EPS, flmin), 1 / (nlam - 1));
  const mnl = Math.min(MNLAM, nlam);
  const shr = o.thresh * dev0;
  const ne = o.dfmax;
  const nx = p; // pmax = min(2 dfmax + 20, p) = p for the default dfmax
  let nlp = 0;
  for (let j = 0; j < p; j++) {
    if (!ju[j]) continue;
    ga[j] = Math.abs(kern.dot(R, X + j * colBytes, n));
  }

  const almOut: number[] = [];
  const a0Out: number[] = [];
  const devOut: number[] = [];
  const betaOut: Float64Array[] = [];
  let al = 0;
  // glmnet's jerr = -ilm: the passes for lambda ilm exceeded maxit; the lambdas before it are kept.
  let jerr = 0;

  let dlx = 0;
  // A working-residual update r -= pendD * (v * pend) not yet applied (pend = the column x_k moved
  // last, or ones after the intercept moved): it is fused into the next pass over r (the next
  // inner product or sum), and always applied before r is read otherwise.
  let pend: Float64Array | null = null;
  let pendD = 0;
  let pendAt = 0; // byte offset of pend in the kernel heap
  let al1 = 0;
  let al2 = 0;
  let d = 0;

  lambdas: for (let ilm = 1; ilm <= nlam; ilm++) {
    let al0 = al;
    if (flmin >= 1) al = ulam[ilm - 1]!;
    else if (ilm > 2) al = al * alf;
    else if (ilm === 1) al = BIG;
    else {
      al0 = 0;
      for (let j = 0; j < p; j++) {
        if (!ju[j]) continue;
        if (vp[j]! > 0) al0 = Math.max(al0, ga[j]! / vp[j]!);
      }
      al0 = al0 / Math.max(bta, 1e-3);
      al = alf * al0;
    }
    al2 = al * omb;
    al1 = al * bta;
    const tlam = bta * (2 * al - al0);
    for (let k = 0; k < p; k++) {
      if (ixx[k] === 1 || !ju[k]) continue;
      if (ga[k]! > tlam * vp[k]!) ixx[k] = 1;
    }
    let tooSmall = false;
    // "again" loop: IRLS outer iterations until the coefficients settle and the KKT checks pass.
    for (;;) {
      if (nlp > o.maxit) {
        jerr = -ilm;
        break lambdas;
      }
      bs0 = b0;
      for (let l = 0; l < nin; l++) bs[m[l]!] = b[m[l]!]!;
      // glmnet sets xv_j = sum(v x_j^2) for the whole strong set here; radnomo computes it on
      // first use in this IRLS step instead: a coefficient that is zero and stays zero never
      // reads xv_j, so the result is the same while most of the strong set is skipped.
      irls++;
      // Weighted least squares by coordinate descent: full sweeps over the strong set,
      // each followed by sweeps over the active set until converged.
      for (;;) {
        nlp++;
        dlx = 0;
        for (let k = 0; k < p; k++) {
          if (!ixx[k]) continue;
          const bk = b[k]!;
          let g: number;
          if (pend !== null) {
            g = kern.subScaledDot(R, pendD, V, pendAt, X + k * colBytes, n);
            pend = null;
          } else g = kern.dot(R, X + k * colBytes, n);
          if (bk === 0 && Math.abs(g) <= vp[k]! * al1) continue;
          if (xvAt[k] !== irls) {
            xv[k] = kern.weightColumn(V, X + k * colBytes, n);
            xvAt[k] = irls;
          }
          const nb = coordinateStep(g, xv[k]!, bk, vp[k]! * al1, vp[k]! * al2);
          b[k] = nb;
          d = nb - bk;
          if (Math.abs(d) <= 0) continue;
          pend = cols[k]!;
          pendAt = X + k * colBytes;
          pendD = d;
          const c = xv[k]! * d * d;
          if (c > dlx) dlx = c;
          if (mm[k] === 0) {
            nin++;
            mm[k] = nin;
            m[nin - 1] = k;
          }
        }
        if (o.intercept) {
          let sr: number;
          if (pend !== null) {
            sr = subScaledSum(r, pendD, v, pend);
            pend = null;
          } else sr = sumOf(r);
          d = sr / xmz;
          if (d !== 0) {
            b0 += d;
            const c = xmz * d * d;
            if (c > dlx) dlx = c;
            pend = ones;
            pendAt = ONES;
            pendD = d;
          }
        }
        if (dlx < shr) break;
        if (nlp > o.maxit) {
        jerr = -ilm;
        break lambdas;
      }
        for (;;) {
          nlp++;
          dlx = 0;
          for (let l = 0; l < nin; l++) {
            const k = m[l]!;
            const bk = b[k]!;
            let g: number;
            if (pend !== null) {
              g = kern.subScaledDot(R, pendD, V, pendAt, X + k * colBytes, n);
              pend = null;
            } else g = kern.dot(R, X + k * colBytes, n);
            if (bk === 0 && Math.abs(g) <= vp[k]! * al1) continue;
            if (xvAt[k] !== irls) {
              xv[k] = kern.weightColumn(V, X + k * colBytes, n);
              xvAt[k] = irls;
            }
            const nb = coordinateStep(g, xv[k]!, bk, vp[k]! * al1, vp[k]! * al2);
            b[k] = nb;
            d = nb - bk;
            if (Math.abs(d) <= 0) continue;
            pend = cols[k]!;
            pendAt = X + k * colBytes;
            pendD = d;
            const c = xv[k]! * d * d;
            if (c > dlx) dlx = c;
          }
          if (o.intercept) {
            let sr: number;
            if (pend !== null) {
              sr = subScaledSum(r, pendD, v, pend);
              pend = null;
            } else sr = sumOf(r);
            d = sr / xmz;
            if (d !== 0) {
              b0 += d;
              const c = xmz * d * d;
              if (c > dlx) dlx = c;
              pend = ones;
              pendAt = ONES;
              pendD = d;
            }
          }
          if (dlx < shr) break;
          if (nlp > o.maxit) {
        jerr = -ilm;
        break lambdas;
      }
        }
      }
      if (pend !== null) {
        subScaled(r, pendD, v, pend);
        pend = null;
      }
      if (nin > nx) break;
      // New quadratic approximation at the current coefficients.
      // q = b0 + sum over the active list (in its order) of b_k x_k, several columns per pass.
      q.fill(b0);
      {
        let l = 0;
        for (; l + 3 < nin; l += 4) {
          const ka = m[l]!;
          const kb = m[l + 1]!;
          const kc = m[l + 2]!;
          const kd = m[l + 3]!;
          kern.addColumns4(Q, b[ka]!, X + ka * colBytes, b[kb]!, X + kb * colBytes, b[kc]!, X + kc * colBytes, b[kd]!, X + kd * colBytes, n);
        }
        for (; l < nin; l++) {
          const k = m[l]!;
          kern.addScaled(Q, b[k]!, X + k * colBytes, n);
        }
      }
      let sv = 0;
      for (let i = 0; i < n; i++) {
        const fi = q[i]!;
        const qi = fi < fmin ? 0 : fi > fmax ? 1 : 1 / (1 + Math.exp(-fi));
        q[i] = qi;
        const vv = w[i]! * qi * (1 - qi);
        v[i] = vv;
        sv += vv;
      }
      xmz = sv;
      if (xmz <= vmin) {
        tooSmall = true;
        break;
      }
      for (let i = 0; i < n; i++) r[i] = w[i]! * (y[i]! - q[i]!);
      if (xmz * (b0 - bs0) * (b0 - bs0) < shr) {
        let ix = false;
        for (let l = 0; l < nin; l++) {
          const k = m[l]!;
          const d = b[k]! - bs[k]!;
          if (xv[k]! * d * d < shr) continue;
          ix = true;
          break;
        }
        if (!ix) {
          // Gradients of the columns outside the strong set (one kernel call for all of them).
          let cnt = 0;
          const idx = kern.heapI32;
          for (let k = 0; k < p; k++) {
            if (ixx[k] === 1 || !ju[k]) continue;
            idx[IDX / 4 + cnt] = k;
            cnt++;
          }
          kern.dots(R, X, colBytes, IDX, cnt, OUT, n);
          for (let t = 0; t < cnt; t++) {
            const k = idx[IDX / 4 + t]!;
            ga[k] = Math.abs(heap[OUT / 8 + t]!);
            if (ga[k]! > al1 * vp[k]!) {
              ixx[k] = 1;
              ix = true;
            }
          }
          if (!ix) break; // converged and KKT conditions hold
        }
      }
    }
    if (nin > nx) break;
    const beta = new Float64Array(p);
    let me = 0;
    for (let l = 0; l < nin; l++) {
      const k = m[l]!;
      if (b[k] !== 0) me++;
      beta[k] = b[k]!;
    }
    almOut.push(al);
    a0Out.push(b0);
    betaOut.push(beta);
    // dev2: deviance with probabilities clipped to [pmin, 1 - pmin].
    let devi = 0;
    for (let i = 0; i < n; i++) {
      const pi = Math.min(Math.max(PMIN, q[i]!), 1 - PMIN);
      devi -= w[i]! * (y[i]! * Math.log(pi) + (1 - y[i]!) * Math.log(1 - pi));
    }
    const dr = (dev1 - devi) / dev0;
    devOut.push(dr);
    if (tooSmall) break;
    if (ilm < mnl) continue;
    if (flmin >= 1) continue;
    if (me > ne) break;
    if (dr > DEVMAX) break;
    if (dr - devOut[ilm - 2]! < FDEV) break;
  }

  // Back to the original scale (lognet), and glmnet's fix.lam for the first lambda.
  const lmu = almOut.length;
  let warning: string | undefined;
  if (jerr < 0) {
    if (lmu === 0) throw new RadnomoError('E_DATA', `glmnet: convergence for the first lambda not reached after maxit=${o.maxit} passes; no solution.`);
    warning = `convergence for lambda ${-jerr} not reached after maxit=${o.maxit} passes; the solutions for the ${lmu} larger lambdas are returned (glmnet's warning).`;
  }
  const lambda = Float64Array.from(almOut);
  if (!o.lambda && lmu > 2) lambda[0] = Math.exp(2 * Math.log(lambda[1]!) - Math.log(lambda[2]!));
  const a0 = new Float64Array(lmu);
  const df = new Int32Array(lmu);
  for (let k = 0; k < lmu; k++) {
    const beta = betaOut[k]!;
    let a = a0Out[k]!;
    let nz = 0;
    for (let j = 0; j < p; j++) {
      if (beta[j] === 0) continue;
      const bj = o.standardize ? beta[j]! / xs[j]! : beta[j]!;
      beta[j] = bj;
      a -= bj * xm[j]!;
      nz++;
    }
    a0[k] = o.intercept ? a : 0;
    df[k] = nz;
  }
  return { lambda, df, devRatio: Float64Array.from(devOut), nulldev: 2 * n * dev0, a0, beta: betaOut, npasses: nlp, ...(warning ? { warning } : {}) };
}

function resolveOptions(n: number, p: number, opts: GlmnetOptions): Required<Omit<GlmnetOptions, 'lambda'>> & { lambda?: readonly number[] } {
  const alpha = opts.alpha ?? 1;
  if (!(alpha >= 0 && alpha <= 1)) throw new RadnomoError('E_PARAMS', `glmnet: alpha must be in [0, 1], got ${alpha}.`);
  const nlambda = opts.nlambda ?? 100;
  if (!Number.isInteger(nlambda) || nlambda < 1) throw new RadnomoError('E_PARAMS', `glmnet: nlambda must be a positive integer, got ${nlambda}.`);
  const lambdaMinRatio = opts.lambdaMinRatio ?? (n < p ? 0.01 : 1e-4);
  if (!(lambdaMinRatio > 0 && lambdaMinRatio < 1)) throw new RadnomoError('E_PARAMS', `glmnet: lambda.min.ratio must be in (0, 1), got ${lambdaMinRatio}.`);
  if (opts.lambda) {
    for (const l of opts.lambda) if (!(l >= 0)) throw new RadnomoError('E_PARAMS', `glmnet: lambdas must be non-negative, got ${l}.`);
  }
  return {
    alpha,
    nlambda,
    lambdaMinRatio,
    standardize: opts.standardize ?? true,
    intercept: opts.intercept ?? true,
    thresh: opts.thresh ?? 1e-7,
    maxit: opts.maxit ?? 1e5,
    dfmax: opts.dfmax ?? p + 1,
    lambda: opts.lambda,
  };
}

/**
 * Fits the whole lambda path, matching `glmnet(x, y, family = "binomial", ...)` with its
 * defaults. `rows` are the n observations (each p predictor values), `y` is 0/1 (glmnet's second
 * factor level, here 1, is the modelled event).
 */
export function glmnetBinomial(rows: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, names?: readonly string[], opts: GlmnetOptions = {}): GlmnetPath {
  const n = rows.length;
  if (n < 2) throw new RadnomoError('E_DATA', `glmnet: ${n} rows; need more.`);
  const p = rows[0]!.length;
  if (p < 2) throw new RadnomoError('E_DATA', 'glmnet: x should be a matrix with 2 or more columns (glmnet refuses a single predictor).');
  const nm = names ? [...names] : Array.from({ length: p }, (_, j) => `V${j + 1}`);
  if (nm.length !== p) throw new RadnomoError('E_DATA', `glmnet: ${nm.length} names for ${p} predictors.`);
  const x = toColumnMajor(rows, p, 'glmnet');
  const yy = binaryOutcome(y, n, 'glmnet');
  return { names: nm, ...lognetPath(x, n, null, p, yy, resolveOptions(n, p, opts)) };
}

/**
 * Same as glmnetBinomial on the rows `rows` (all when null) of a column-major matrix x[j * srcN + i]
 * (no copy of the caller's rows); y holds the outcome of those rows.
 */
function glmnetColumnMajor(x: Float64Array, srcN: number, rows: Int32Array | null, p: number, y: Float64Array, names: string[], opts: GlmnetOptions): GlmnetPath {
  const n = rows ? rows.length : srcN;
  return { names, ...lognetPath(x, srcN, rows, p, y, resolveOptions(n, p, opts)) };
}

/**
 * R's `approx(x, y, v)$y` for increasing x (linear interpolation, exact at knots), as used by
 * glmnet's lambda.interp.
 */
function approxIndex(xk: Float64Array, v: number): number {
  let i = 0;
  let j = xk.length - 1;
  while (i < j - 1) {
    const ij = (i + j) >> 1;
    if (v < xk[ij]!) j = ij;
    else i = ij;
  }
  if (v === xk[j]) return j + 1;
  if (v === xk[i]) return i + 1;
  return i + 1 + (j - i) * ((v - xk[i]!) / (xk[j]! - xk[i]!));
}

/** The columns and weights that glmnet's `lambda.interp` blends for the value s. */
export function lambdaInterp(lambda: ArrayLike<number>, s: number): { left: number; right: number; frac: number } {
  const k = lambda.length;
  if (k === 1) return { left: 0, right: 0, frac: 1 };
  const l1 = lambda[0]!;
  const lk = lambda[k - 1]!;
  const norm = new Float64Array(k);
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = 0; i < k; i++) {
    norm[i] = (l1 - lambda[i]!) / (l1 - lk);
    mn = Math.min(mn, norm[i]!);
    mx = Math.max(mx, norm[i]!);
  }
  let sf = (l1 - s) / (l1 - lk);
  if (sf < mn) sf = mn;
  if (sf > mx) sf = mx;
  const coord = approxIndex(norm, sf);
  const left = Math.floor(coord);
  const right = Math.ceil(coord);
  let frac = (sf - norm[right - 1]!) / (norm[left - 1]! - norm[right - 1]!);
  if (left === right) frac = 1;
  if (Math.abs(norm[left - 1]! - norm[right - 1]!) < Number.EPSILON) frac = 1;
  return { left: left - 1, right: right - 1, frac };
}

/**
 * Intercept and coefficients at lambda = s, as `coef(fit, s = s)` (linear interpolation between
 * the two neighbouring path lambdas; beyond the path the end values).
 */
export function coefAt(path: GlmnetPath, s: number): { intercept: number; beta: Float64Array } {
  const { left, right, frac } = lambdaInterp(path.lambda, s);
  const bl = path.beta[left]!;
  const br = path.beta[right]!;
  const p = bl.length;
  const beta = new Float64Array(p);
  for (let j = 0; j < p; j++) beta[j] = bl[j]! * frac + br[j]! * (1 - frac);
  return { intercept: path.a0[left]! * frac + path.a0[right]! * (1 - frac), beta };
}

/**
 * A fitted LASSO / elastic-net logistic model (the rad score): `fit` on training rows, then
 * `apply` gives intercept + sum(coef * x) at a chosen lambda, as `predict(fit, newx, s, type = "link")`.
 */
export class LassoLogistic {
  private pathValue: GlmnetPath | null = null;

  constructor(private readonly opts: GlmnetOptions = {}) {}

  /** Fits the glmnet path (see glmnetBinomial). */
  fit(rows: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, names?: readonly string[]): this {
    this.pathValue = glmnetBinomial(rows, y, names, this.opts);
    return this;
  }

  /** The fitted path (lambda, df, dev.ratio, beta). */
  get path(): GlmnetPath {
    if (!this.pathValue) throw new RadnomoError('E_USAGE', 'LassoLogistic: call fit() before using the model.');
    return this.pathValue;
  }

  /** Coefficients at lambda (named; intercept under "(Intercept)"), as coef(fit, s = lambda). */
  coefficients(lambda: number): Array<{ name: string; value: number }> {
    const c = coefAt(this.path, lambda);
    return [{ name: '(Intercept)', value: c.intercept }, ...this.path.names.map((name, j) => ({ name, value: c.beta[j]! }))];
  }

  /** Linear score intercept + sum(coef * x) per row at lambda: the rad score. */
  apply(rows: ReadonlyArray<ArrayLike<number>>, lambda: number): Float64Array {
    return linkScores(this.path, rows, lambda);
  }
}

/** predict(fit, newx, s = lambda, type = "link") for rows. */
export function linkScores(path: GlmnetPath, rows: ReadonlyArray<ArrayLike<number>>, lambda: number): Float64Array {
  const c = coefAt(path, lambda);
  const p = c.beta.length;
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.length !== p) throw new RadnomoError('E_DATA', `lasso: row ${i + 1} has ${r.length} values but the model has ${p} predictors.`);
    let s = c.intercept;
    for (let j = 0; j < p; j++) {
      const bj = c.beta[j]!;
      if (bj !== 0) s += bj * r[j]!;
    }
    out[i] = s;
  }
  return out;
}

/** Options of cv.glmnet. */
export interface CvGlmnetOptions extends GlmnetOptions {
  /** Number of folds when foldid is not given (default 10). */
  nfolds?: number;
  /** Fold of each row, 1..K (as cv.glmnet's foldid). */
  foldid?: ArrayLike<number>;
  /** Generator for random folds (radnomo's seeded Random) when foldid is not given. */
  random?: Random;
  /** "deviance" (default) or "auc". */
  typeMeasure?: 'deviance' | 'auc';
}

/** What cv.glmnet returns (names as in R, camel-cased). */
export interface CvGlmnetResult {
  measure: 'deviance' | 'auc';
  lambda: Float64Array;
  cvm: Float64Array;
  cvsd: Float64Array;
  cvup: Float64Array;
  cvlo: Float64Array;
  nzero: Int32Array;
  lambdaMin: number;
  lambda1se: number;
  /** 0-based indices of lambda.min and lambda.1se in lambda. */
  indexMin: number;
  index1se: number;
  foldid: Int32Array;
  fit: GlmnetPath;
  warnings: string[];
}

/** cv.glmnet's default random folds: sample(rep(seq(nfolds), length = N)), with radnomo's Random. */
export function randomFolds(n: number, nfolds: number, random: Random): Int32Array {
  const base: number[] = [];
  for (let i = 0; i < n; i++) base.push((i % nfolds) + 1);
  return Int32Array.from(random.shuffle(base));
}

/** Weighted AUC as glmnet's auc.mat (survival::concordance): ties in the score count one half. */
function weightedAuc(y: Float64Array, prob: Float64Array, idx: Int32Array): number {
  // sort held-out rows by probability; walk groups of ties.
  const order = Array.from(idx).sort((a, b) => prob[a]! - prob[b]!);
  let negBelow = 0;
  let num = 0;
  let npos = 0;
  let nneg = 0;
  let g = 0;
  while (g < order.length) {
    let h = g;
    let pos = 0;
    let neg = 0;
    while (h < order.length && prob[order[h]!] === prob[order[g]!]) {
      if (y[order[h]!] === 1) pos++;
      else neg++;
      h++;
    }
    num += pos * negBelow + 0.5 * pos * neg;
    negBelow += neg;
    npos += pos;
    nneg += neg;
    g = h;
  }
  return num / (npos * nneg);
}

/**
 * K-fold cross-validation of the binomial glmnet path, matching `cv.glmnet(x, y, family =
 * "binomial", foldid = ..., type.measure = ...)` with grouped = TRUE: each fold is fitted on its
 * own lambda path and predicted at the full-data lambdas by glmnet's linear interpolation; fold
 * measures are averaged with fold-size weights; cvsd = sqrt(weighted mean of squared deviations /
 * (K - 1)); lambda.min is the largest lambda at the minimum cvm (maximum for AUC) and lambda.1se
 * the largest lambda within one cvsd of it.
 */
export function cvGlmnetBinomial(rows: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, names?: readonly string[], opts: CvGlmnetOptions = {}): CvGlmnetResult {
  const n = rows.length;
  if (n < 3) throw new RadnomoError('E_DATA', `cv.glmnet: ${n} rows; need more.`);
  const p = rows[0]!.length;
  if (p < 2) throw new RadnomoError('E_DATA', 'cv.glmnet: x should be a matrix with 2 or more columns (glmnet refuses a single predictor).');
  const nm = names ? [...names] : Array.from({ length: p }, (_, j) => `V${j + 1}`);
  const x = toColumnMajor(rows, p, 'cv.glmnet');
  const yy = binaryOutcome(y, n, 'cv.glmnet');
  const warnings: string[] = [];
  let foldid: Int32Array;
  if (opts.foldid) {
    if (opts.foldid.length !== n) throw new RadnomoError('E_DATA', `cv.glmnet: foldid has ${opts.foldid.length} values for ${n} rows.`);
    foldid = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const f = opts.foldid[i]!;
      if (!Number.isInteger(f) || f < 1) throw new RadnomoError('E_VALUE', `cv.glmnet: foldid of row ${i + 1} is ${f}; folds are numbered 1..K.`);
      foldid[i] = f;
    }
  } else {
    if (!opts.random) throw new RadnomoError('E_USAGE', 'cv.glmnet: give either foldid or a seeded Random for the folds.');
    const k = opts.nfolds ?? 10;
    if (!Number.isInteger(k)) throw new RadnomoError('E_PARAMS', `cv.glmnet: nfolds must be an integer, got ${k}.`);
    foldid = randomFolds(n, k, opts.random);
  }
  let nfolds = 0;
  for (const f of foldid) nfolds = Math.max(nfolds, f);
  if (nfolds < 3) throw new RadnomoError('E_PARAMS', `cv.glmnet: nfolds must be at least 3 (got ${nfolds}); 10 is recommended.`);
  const fit = glmnetColumnMajor(x, n, null, p, yy, nm, opts);
  if (fit.warning) warnings.push(`full-data fit: ${fit.warning}`);
  const lambda = fit.lambda;
  const nl = lambda.length;
  // Held-out predictions (probabilities) for every row at every full-data lambda.
  const prob: Float64Array[] = Array.from({ length: nl }, () => new Float64Array(n));
  const foldRows: Int32Array[] = [];
  for (let k = 1; k <= nfolds; k++) {
    const out: number[] = [];
    const inn: number[] = [];
    for (let i = 0; i < n; i++) (foldid[i] === k ? out : inn).push(i);
    foldRows.push(Int32Array.from(out));
    if (out.length === 0) throw new RadnomoError('E_DATA', `cv.glmnet: fold ${k} is empty; folds must be numbered 1..K without gaps.`);
    const nk = inn.length;
    const yk = new Float64Array(nk);
    let n1 = 0;
    for (let t = 0; t < nk; t++) {
      yk[t] = yy[inn[t]!]!;
      n1 += yk[t]!;
    }
    if (Math.min(n1, nk - n1) <= 1) throw new RadnomoError('E_DATA', `cv.glmnet: the training rows of fold ${k} have ${Math.min(n1, nk - n1)} observations of one class; glmnet needs at least 2.`);
    const fk = glmnetColumnMajor(x, n, Int32Array.from(inn), p, yk, nm, { ...opts, lambda: opts.lambda });
    if (fk.warning) warnings.push(`fold ${k}: ${fk.warning}`);
    // Held-out rows, row-major; the fold's coefficients at each full-data lambda as coefAt
    // interpolates them (same arithmetic, without allocating a dense vector per lambda).
    const nout = out.length;
    const xo = new Float64Array(nout * p);
    for (let j = 0; j < p; j++) for (let t = 0; t < nout; t++) xo[t * p + j] = x[j * n + out[t]!]!;
    const nzj = new Int32Array(p);
    const nzb = new Float64Array(p);
    for (let l = 0; l < nl; l++) {
      const { left, right, frac } = lambdaInterp(fk.lambda, lambda[l]!);
      const bl = fk.beta[left]!;
      const br = fk.beta[right]!;
      let nz = 0;
      for (let j = 0; j < p; j++) {
        const bj = bl[j]! * frac + br[j]! * (1 - frac);
        if (bj === 0) continue;
        nzj[nz] = j;
        nzb[nz] = bj;
        nz++;
      }
      const a = fk.a0[left]! * frac + fk.a0[right]! * (1 - frac);
      const pr = prob[l]!;
      for (let t = 0; t < nout; t++) {
        const ro = t * p;
        let s = a;
        for (let z = 0; z < nz; z++) s += nzb[z]! * xo[ro + nzj[z]!]!;
        pr[out[t]!] = 1 / (1 + Math.exp(-s));
      }
    }
  }
  let measure = opts.typeMeasure ?? 'deviance';
  if (measure === 'auc' && n / nfolds < 10) {
    warnings.push("Too few (< 10) observations per fold for type.measure='auc'; changed to type.measure='deviance' (as cv.glmnet does).");
    measure = 'deviance';
  }
  const cvraw: Float64Array[] = Array.from({ length: nfolds }, () => new Float64Array(nl)); // fold x lambda
  const wfold = new Float64Array(nfolds);
  for (let k = 0; k < nfolds; k++) wfold[k] = foldRows[k]!.length;
  let grouped = true;
  if (measure === 'auc') {
    for (let k = 0; k < nfolds; k++) for (let l = 0; l < nl; l++) cvraw[k]![l] = weightedAuc(yy, prob[l]!, foldRows[k]!);
  } else {
    if (n / nfolds < 3) {
      warnings.push('Option grouped=FALSE enforced in cv.glmnet, since < 3 observations per fold.');
      grouped = false;
    }
    const pmin = 1e-5;
    const pmax = 1 - pmin;
    const dev = (l: number, i: number): number => {
      const pr = Math.min(Math.max(prob[l]![i]!, pmin), pmax);
      return -2 * (yy[i] === 1 ? Math.log(pr) : Math.log(1 - pr));
    };
    if (grouped) {
      for (let k = 0; k < nfolds; k++) {
        const idx = foldRows[k]!;
        for (let l = 0; l < nl; l++) {
          let s = 0;
          for (const i of idx) s += dev(l, i);
          cvraw[k]![l] = s / idx.length;
        }
      }
    } else {
      // Ungrouped: observations are the units (weights 1, N = n).
      const cvm = new Float64Array(nl);
      const cvsd = new Float64Array(nl);
      for (let l = 0; l < nl; l++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += dev(l, i);
        const mean = s / n;
        let ss = 0;
        for (let i = 0; i < n; i++) ss += (dev(l, i) - mean) ** 2;
        cvm[l] = mean;
        cvsd[l] = Math.sqrt(ss / n / (n - 1));
      }
      return finishCv(measure, fit, cvm, cvsd, foldid, warnings);
    }
  }
  const cvm = new Float64Array(nl);
  const cvsd = new Float64Array(nl);
  // weighted.mean(..., na.rm = TRUE): a fold whose AUC is undefined (one class only) is left
  // out of both means, but N stays the number of folds, as in cv.glmnet.
  for (let l = 0; l < nl; l++) {
    let s = 0;
    let sw = 0;
    for (let k = 0; k < nfolds; k++) {
      const v = cvraw[k]![l]!;
      if (Number.isNaN(v)) continue;
      s += v * wfold[k]!;
      sw += wfold[k]!;
    }
    const mean = s / sw;
    let ss = 0;
    for (let k = 0; k < nfolds; k++) {
      const v = cvraw[k]![l]!;
      if (Number.isNaN(v)) continue;
      ss += (v - mean) ** 2 * wfold[k]!;
    }
    cvm[l] = mean;
    cvsd[l] = Math.sqrt(ss / sw / (nfolds - 1));
  }
  if (measure === 'auc') {
    const bad = cvraw.filter((row) => Number.isNaN(row[0]!)).length;
    if (bad > 0) warnings.push(`${bad} fold(s) hold only one outcome class; their AUC is undefined and they are left out of cvm/cvsd (as cv.glmnet does).`);
  }
  return finishCv(measure, fit, cvm, cvsd, foldid, warnings);
}

/** getOptcv.glmnet: lambda.min and lambda.1se. */
function finishCv(measure: 'deviance' | 'auc', fit: GlmnetPath, cvm: Float64Array, cvsd: Float64Array, foldid: Int32Array, warnings: string[]): CvGlmnetResult {
  const lambda = fit.lambda;
  const nl = lambda.length;
  const sign = measure === 'auc' ? -1 : 1;
  let cvmin = Infinity;
  for (let l = 0; l < nl; l++) cvmin = Math.min(cvmin, sign * cvm[l]!);
  let lambdaMin = -Infinity;
  for (let l = 0; l < nl; l++) if (sign * cvm[l]! <= cvmin) lambdaMin = Math.max(lambdaMin, lambda[l]!);
  const indexMin = lambda.indexOf(lambdaMin);
  const semin = sign * cvm[indexMin]! + cvsd[indexMin]!;
  let lambda1se = -Infinity;
  for (let l = 0; l < nl; l++) if (sign * cvm[l]! <= semin) lambda1se = Math.max(lambda1se, lambda[l]!);
  const index1se = lambda.indexOf(lambda1se);
  const cvup = new Float64Array(nl);
  const cvlo = new Float64Array(nl);
  for (let l = 0; l < nl; l++) {
    cvup[l] = cvm[l]! + cvsd[l]!;
    cvlo[l] = cvm[l]! - cvsd[l]!;
  }
  return { measure, lambda, cvm, cvsd, cvup, cvlo, nzero: Int32Array.from(fit.df), lambdaMin, lambda1se, indexMin, index1se, foldid, fit, warnings };
}
