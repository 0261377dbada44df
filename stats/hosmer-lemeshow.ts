/**
 * Hosmer-Lemeshow goodness-of-fit test exactly as ResourceSelection::hoslem.test(y, p, g):
 * breaks = unique(quantile(p, seq(0, 1, 1/g))) (type 7), groups by
 * cut(p, breaks, include.lowest = TRUE) (right-closed intervals), statistic = sum over both outcome
 * columns of (observed - expected)^2 / expected, df = G - 2 with G the number of groups that occur.
 */
import { RadnomoError } from '../src/errors';
import { pchisq } from './distributions';

/** One Hosmer-Lemeshow group (a cut() interval). */
export interface HlGroup {
  /** Interval end points: (lower, upper], the first one closed on the left. */
  lower: number;
  upper: number;
  n: number;
  observed1: number;
  expected1: number;
  observed0: number;
  expected0: number;
}

export interface HosmerLemeshowResult {
  statistic: number;
  df: number;
  p: number;
  /** Requested number of groups g. */
  groupsRequested: number;
  groups: HlGroup[];
  warnings: string[];
}

/** R's quantile(x, probs, type = 7) on already sorted data: (1 - h) * x[lo] + h * x[hi]. */
export function quantileType7(sorted: ArrayLike<number>, probs: readonly number[]): number[] {
  const n = sorted.length;
  return probs.map((pr) => {
    const index = 1 + Math.max(n - 1, 0) * pr;
    const lo = Math.floor(index);
    const hi = Math.ceil(index);
    const qs = sorted[lo - 1]!;
    if (index > lo && sorted[hi - 1] !== qs) {
      const h = index - lo;
      return (1 - h) * qs + h * sorted[hi - 1]!;
    }
    return qs;
  });
}

/** R's seq(from, to, by) for by > 0: from + (0:n) * by, n = floor((to - from) / by + 1e-10), capped at `to`. */
export function seqBy(from: number, to: number, by: number): number[] {
  const n = Math.floor((to - from) / by + 1e-10);
  const out: number[] = [];
  for (let i = 0; i <= n; i++) out.push(Math.min(from + i * by, to));
  return out;
}

/** Compensated (Neumaier) sum, close to R's long-double sum(). */
export function accurateSum(values: Iterable<number>): number {
  let s = 0;
  let c = 0;
  for (const v of values) {
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/**
 * Hosmer-Lemeshow test (matches ResourceSelection::hoslem.test(y, prob, g)). `y` is 0/1, `prob`
 * the predicted probabilities. Warns when tied quantiles leave fewer than g groups.
 */
export function hosmerLemeshow(y: ArrayLike<number>, prob: ArrayLike<number>, g = 10): HosmerLemeshowResult {
  const n = y.length;
  if (prob.length !== n) throw new RadnomoError('E_DATA', `Hosmer-Lemeshow: ${prob.length} probabilities but ${n} outcomes.`);
  if (!Number.isInteger(g) || g < 2) throw new RadnomoError('E_USAGE', `Hosmer-Lemeshow: the number of groups must be an integer >= 2, got ${g}.`);
  for (let i = 0; i < n; i++) {
    const p = prob[i]!;
    if (!(p >= 0 && p <= 1)) throw new RadnomoError('E_VALUE', `Hosmer-Lemeshow: probability at row ${i + 1} is ${p}; probabilities must lie in [0, 1].`);
    if (y[i] !== 0 && y[i] !== 1) throw new RadnomoError('E_VALUE', `Hosmer-Lemeshow: outcome at row ${i + 1} is ${y[i]}; it must be 0/1.`);
  }
  const sorted = Float64Array.from(prob).sort();
  const probs = seqBy(0, 1, 1 / g);
  const q = quantileType7(sorted, probs);
  const breaks: number[] = [];
  for (const b of q) if (!breaks.includes(b)) breaks.push(b);
  breaks.sort((a, b) => a - b);
  const nb = breaks.length;
  if (nb < 2) throw new RadnomoError('E_DATA', 'Hosmer-Lemeshow: all predicted probabilities are equal; no groups can be formed.');
  const members: number[][] = Array.from({ length: nb - 1 }, () => []);
  for (let i = 0; i < n; i++) {
    // .bincode(right = TRUE, include.lowest = TRUE): the first k with p <= breaks[k].
    const x = prob[i]!;
    let lo = 0;
    let hi = nb - 1;
    while (hi - lo >= 2) {
      const mid = (hi + lo) >> 1;
      if (x > breaks[mid]!) lo = mid;
      else hi = mid;
    }
    members[lo]!.push(i);
  }
  const groups: HlGroup[] = [];
  let stat = 0;
  members.forEach((m, k) => {
    const o1 = accurateSum(m.map((i) => y[i]!));
    const e1 = accurateSum(m.map((i) => prob[i]!));
    const o0 = accurateSum(m.map((i) => 1 - y[i]!));
    const e0 = accurateSum(m.map((i) => 1 - prob[i]!));
    groups.push({ lower: breaks[k]!, upper: breaks[k + 1]!, n: m.length, observed1: o1, expected1: e1, observed0: o0, expected0: e0 });
    if (m.length > 0) stat += (o0 - e0) ** 2 / e0 + (o1 - e1) ** 2 / e1;
  });
  const G = groups.filter((gr) => gr.n > 0).length;
  const warnings: string[] = [];
  if (G < g) warnings.push(`tied predicted probabilities allowed only ${G} of the ${g} requested groups; df = ${G - 2}.`);
  if (G < 3) throw new RadnomoError('E_DATA', `Hosmer-Lemeshow: only ${G} distinct group(s) could be formed; at least 3 are needed (df = G - 2).`);
  if (!Number.isFinite(stat)) throw new RadnomoError('E_DATA', 'Hosmer-Lemeshow: a group has an expected count of 0 (probabilities of exactly 0 or 1); the statistic is undefined.');
  const df = G - 2;
  return { statistic: stat, df, p: pchisq(stat, df, false), groupsRequested: g, groups, warnings };
}
