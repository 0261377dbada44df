/**
 * Number formatting rules of radnomo's paper tables (one place, so every table agrees):
 *
 * - estimates: fixed decimals (default 2); a negative number uses the minus sign U+2212 ("−0.12"),
 *   so a spreadsheet does not read the cell as a formula and the typography is right; a value that
 *   rounds to zero is shown without a sign ("0.00", never "-0.00");
 * - values that are not numbers (NaN, ±Infinity: not estimable) are shown as an em dash "—"; the
 *   table that shows one adds a footnote saying why;
 * - p-values: 3 decimals; below 0.001 "< 0.001"; when 3 decimals would round to 1, "> 0.999";
 * - estimate with CI: "0.81 (0.75–0.87)" (en dash); when a bound is negative, "−0.12 (−0.30 to 0.05)";
 * - odds ratios below 0.01 or from 1000 up: 3 significant digits as "1.23 × 10⁻⁵";
 * - counts with percentages: "12 (34.5)" (percent with 1 decimal);
 * - mean ± SD "12.3 ± 4.5"; median [IQR] "12.3 [10.1, 14.2]" (quartiles by R's quantile type 7).
 */

/** Shown for a value that is not available (NaN or infinite). */
export const DASH = '—';
/** Typographic minus sign. */
export const MINUS = '\u2212';
/** En dash between the bounds of an interval. */
export const EN_DASH = '–';

/** Decimals used by the tables unless the caller says otherwise. */
export interface FormatOptions {
  /** Decimals of estimates (AUC, OR, sensitivity, ...). Default 2. */
  decimals?: number;
  /** Decimals of p-values. Default 3 (so the floor is "< 0.001"). */
  pDecimals?: number;
  /** Decimals of percentages. Default 1. */
  percentDecimals?: number;
}

export const DEFAULT_FORMAT: Required<FormatOptions> = { decimals: 2, pDecimals: 3, percentDecimals: 1 };

/** The full option set with defaults filled in (and integer decimals 0..10 enforced). */
export function formatOptions(o: FormatOptions = {}): Required<FormatOptions> {
  const r: Required<FormatOptions> = {
    decimals: o.decimals ?? DEFAULT_FORMAT.decimals,
    pDecimals: o.pDecimals ?? DEFAULT_FORMAT.pDecimals,
    percentDecimals: o.percentDecimals ?? DEFAULT_FORMAT.percentDecimals,
  };
  for (const [k, v] of Object.entries(r)) {
    if (!Number.isInteger(v) || v < 0 || v > 10) throw new RangeError(`format option ${k} must be an integer 0..10, got ${String(v)}`);
  }
  return r;
}

/** True when the value can be shown (finite). */
export function isShown(v: number): boolean {
  return Number.isFinite(v);
}

/** A number with fixed decimals; U+2212 for negatives; no "-0.00"; NaN and ±Infinity as "—". */
export function fmtNum(v: number, decimals = 2): string {
  if (!Number.isFinite(v)) return DASH;
  if (Math.abs(v) >= 1e15) return fmtSci(v, 3);
  const s = v.toFixed(decimals);
  // toFixed keeps the sign of values that round to zero ("-0.00") and of -0 itself for decimals 0.
  if (/^-0(\.0*)?$/.test(s)) return s.slice(1);
  return s.startsWith('-') ? MINUS + s.slice(1) : s;
}

const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };

/** Scientific notation with `digits` significant digits: "1.23 × 10⁻⁵". */
export function fmtSci(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return DASH;
  if (v === 0) return fmtNum(0, digits - 1);
  const [mant, exp] = v.toExponential(digits - 1).split('e') as [string, string];
  const e = String(Number(exp));
  const m = mant.startsWith('-') ? MINUS + mant.slice(1) : mant;
  if (e === '0') return m;
  return `${m} × 10${[...e].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/** An odds ratio: `decimals` decimals, or 3 significant digits in scientific notation below 0.01 or from 1000 up. */
export function fmtRatio(v: number, decimals = 2): string {
  if (!Number.isFinite(v)) return DASH;
  if (v !== 0 && (Math.abs(v) < 0.01 || Math.abs(v) >= 1000)) return fmtSci(v, 3);
  return fmtNum(v, decimals);
}

/** A p-value: "< 0.001" below 10^-pDecimals, "> 0.999" when rounding would give 1, else fixed decimals; NaN "—". */
export function fmtP(p: number, pDecimals = 3): string {
  if (!Number.isFinite(p)) return DASH;
  const floor = Math.pow(10, -pDecimals);
  if (p < floor) return `< ${floor.toFixed(pDecimals)}`;
  const s = p.toFixed(pDecimals);
  if (Number(s) >= 1) return `> ${(1 - floor).toFixed(pDecimals)}`;
  return s;
}

/**
 * An estimate with its interval, "0.81 (0.75–0.87)"; with a negative bound the separator is " to "
 * ("−0.12 (−0.30 to 0.05)"). `num` formats each number (default fmtNum with `decimals`). A NaN
 * estimate gives "—"; a NaN bound gives "0.81 (—)".
 */
export function fmtCi(est: number, lower: number, upper: number, decimals = 2, num: (v: number, d: number) => string = fmtNum): string {
  if (!Number.isFinite(est)) return DASH;
  const e = num(est, decimals);
  if (!Number.isFinite(lower) || !Number.isFinite(upper)) return `${e} (${DASH})`;
  const lo = num(lower, decimals);
  const hi = num(upper, decimals);
  const sep = lo.startsWith(MINUS) || hi.startsWith(MINUS) ? ' to ' : EN_DASH;
  return `${e} (${lo}${sep}${hi})`;
}

/** "12.3 ± 4.5". */
export function fmtMeanSd(mean: number, sd: number, decimals = 2): string {
  if (!Number.isFinite(mean)) return DASH;
  return `${fmtNum(mean, decimals)} ± ${fmtNum(sd, decimals)}`;
}

/** "12.3 [10.1, 14.2]": median [first quartile, third quartile]. */
export function fmtMedianIqr(median: number, q1: number, q3: number, decimals = 2): string {
  if (!Number.isFinite(median)) return DASH;
  return `${fmtNum(median, decimals)} [${fmtNum(q1, decimals)}, ${fmtNum(q3, decimals)}]`;
}

/** "12 (34.5)": a count and its percentage. */
export function fmtCountPct(n: number, percent: number, percentDecimals = 1): string {
  return `${n} (${fmtNum(percent, percentDecimals)})`;
}

/**
 * Decimals that show a spread (an SD or IQR) with at least two significant digits, and never
 * fewer than `min` nor more than `max`: e.g. SD 0.014 → 3 decimals ("0.096 ± 0.014").
 */
export function decimalsForSpread(spread: number, min = 2, max = 6): number {
  if (!(Number.isFinite(spread) && spread > 0)) return min;
  const d = 1 - Math.floor(Math.log10(spread));
  return Math.min(max, Math.max(min, d));
}

/** Superscript letters used to mark which test gave a p-value (a, b, c, ...). */
export const MARKS = ['ᵃ', 'ᵇ', 'ᶜ', 'ᵈ', 'ᵉ', 'ᶠ', 'ᵍ', 'ʰ', 'ⁱ', 'ʲ', 'ᵏ', 'ˡ', 'ᵐ', 'ⁿ', 'ᵒ', 'ᵖ'] as const;
