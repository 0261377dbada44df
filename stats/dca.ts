/**
 * Decision curve analysis for a binary outcome as dcurves::dca defines it (Vickers & Elkin 2006):
 * net benefit = TP/n - FP/n * pt / (1 - pt) at each threshold probability pt, for each model and for
 * "treat all" and "treat none", and dcurves::net_intervention_avoided (per 100 patients).
 */
import { RadnomoError } from '../src/errors';
import { seqBy } from './hosmer-lemeshow';

const EPS = 2.220446049250313e-16;

/** One decision curve. */
export interface DecisionCurve {
  /** Model name, or "all" / "none". */
  variable: string;
  tpRate: Float64Array;
  fpRate: Float64Array;
  netBenefit: Float64Array;
  /** (net benefit - net benefit of treat-all) / (pt / (1 - pt)) * nper. */
  netInterventionAvoided: Float64Array;
}

export interface DcaResult {
  n: number;
  prevalence: number;
  thresholds: Float64Array;
  /** "all", "none", then the models in the order given. */
  curves: DecisionCurve[];
}

/**
 * Parses a threshold grid "from:to:by" (e.g. "0.01:0.99:0.01") into R's seq(from, to, by = by).
 * Thresholds must lie in (0, 1).
 */
export function parseThresholds(spec: string): Float64Array {
  const parts = spec.split(':').map((s) => Number(s.trim()));
  if (parts.length !== 3 || parts.some((v) => !Number.isFinite(v))) {
    throw new RadnomoError('E_USAGE', `thresholds "${spec}" must be "from:to:by", e.g. 0.01:0.99:0.01.`);
  }
  const [from, to, by] = parts as [number, number, number];
  if (!(by > 0) || !(from <= to)) throw new RadnomoError('E_USAGE', `thresholds "${spec}": need from <= to and by > 0.`);
  if (!(from > 0) || !(to < 1)) throw new RadnomoError('E_USAGE', `thresholds "${spec}": thresholds must lie strictly between 0 and 1.`);
  return Float64Array.from(seqBy(from, to, by));
}

/**
 * The default grid: dcurves::dca's default, seq(0, 0.99, by = 0.01), without its 0 (where
 * interventions avoided are undefined). Its values are i · 0.01, which at 15 thresholds differ in
 * the last bit from seq(0.01, 0.99, by = 0.01) and so decide differently for risks rounded to 2
 * decimals.
 */
export function defaultThresholds(): Float64Array {
  return Float64Array.from(seqBy(0, 0.99, 0.01).slice(1));
}

/**
 * Decision curves (matches dcurves::dca + net_intervention_avoided(nper)): a row is test-positive
 * when its risk >= pt; risks of exactly 0 and 1 are nudged to -eps and 1 + eps as dcurves does.
 */
export function decisionCurves(
  y: ArrayLike<number>,
  models: ReadonlyArray<{ name: string; risk: ArrayLike<number> }>,
  thresholds: ArrayLike<number> = defaultThresholds(),
  nper = 100,
): DcaResult {
  const n = y.length;
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new RadnomoError('E_VALUE', `decision curves: outcome at row ${i + 1} is ${y[i]}; it must be 0/1.`);
    n1 += y[i]!;
  }
  if (n1 === 0 || n1 === n) throw new RadnomoError('E_DATA', `decision curves: the outcome has a single class in all ${n} rows.`);
  for (let k = 0; k < thresholds.length; k++) {
    const t = thresholds[k]!;
    if (!(t >= 0 && t < 1)) throw new RadnomoError('E_USAGE', `decision curves: threshold ${t} is outside [0, 1).`);
  }
  const names = new Set<string>();
  for (const m of models) {
    if (m.name === 'all' || m.name === 'none') throw new RadnomoError('E_USAGE', `decision curves: a model cannot be named "${m.name}" (reserved for treat-all/treat-none).`);
    if (names.has(m.name)) throw new RadnomoError('E_USAGE', `decision curves: model "${m.name}" is given twice.`);
    names.add(m.name);
    if (m.risk.length !== n) throw new RadnomoError('E_DATA', `decision curves: model "${m.name}" has ${m.risk.length} risks but the outcome has ${n} rows.`);
    for (let i = 0; i < n; i++) {
      const r = m.risk[i]!;
      if (!(r >= 0 && r <= 1)) throw new RadnomoError('E_VALUE', `decision curves: model "${m.name}" risk at row ${i + 1} is ${r}; risks must lie in [0, 1].`);
    }
  }
  const prev = n1 / n;
  const n0 = n - n1;
  const T = Float64Array.from(thresholds);
  const curve = (variable: string, risk: Float64Array, nbAll: Float64Array | null): DecisionCurve => {
    const tp = new Float64Array(T.length);
    const fp = new Float64Array(T.length);
    const nb = new Float64Array(T.length);
    // Sort risks of cases and controls once; count >= t by binary search.
    const cases: number[] = [];
    const controls: number[] = [];
    for (let i = 0; i < n; i++) (y[i] === 1 ? cases : controls).push(risk[i]!);
    const sc = Float64Array.from(cases).sort();
    const s0 = Float64Array.from(controls).sort();
    for (let k = 0; k < T.length; k++) {
      const t = T[k]!;
      tp[k] = (countAtLeast(sc, t) / n1) * prev;
      fp[k] = (countAtLeast(s0, t) / n0) * (1 - prev);
      nb[k] = tp[k]! - (t / (1 - t)) * fp[k]!;
    }
    const ref = nbAll ?? nb;
    const nia = Float64Array.from(nb, (v, k) => ((v - ref[k]!) / (T[k]! / (1 - T[k]!))) * nper);
    return { variable, tpRate: tp, fpRate: fp, netBenefit: nb, netInterventionAvoided: nia };
  };
  const all = curve('all', new Float64Array(n).fill(1 + EPS), null);
  const none = curve('none', new Float64Array(n).fill(-EPS), all.netBenefit);
  const curves = [all, none];
  for (const m of models) {
    const r = Float64Array.from(m.risk, (v) => (v === 0 ? -EPS : v === 1 ? 1 + EPS : v));
    curves.push(curve(m.name, r, all.netBenefit));
  }
  return { n, prevalence: prev, thresholds: T, curves };
}

/** Number of values >= t in an ascending array. */
function countAtLeast(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! >= t) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}
