import { DASH, MINUS, decimalsForSpread, fmtCi, fmtCountPct, fmtMeanSd, fmtMedianIqr, fmtNum, fmtP, fmtRatio, fmtSci, formatOptions } from '../../../nomogram/tables/format';

describe('number formatting rules of the paper tables', () => {
  test('fixed decimals, typographic minus, no negative zero', () => {
    expect(fmtNum(0.8149, 2)).toBe('0.81');
    expect(fmtNum(0.815, 3)).toBe('0.815');
    expect(fmtNum(12, 2)).toBe('12.00');
    expect(fmtNum(-1.234, 2)).toBe(`${MINUS}1.23`);
    expect(fmtNum(-0.001, 2)).toBe('0.00');
    expect(fmtNum(-0.004999, 2)).toBe('0.00');
    expect(fmtNum(-0, 2)).toBe('0.00');
    expect(fmtNum(-0.4, 0)).toBe('0');
    expect(fmtNum(-0.006, 2)).toBe(`${MINUS}0.01`);
  });

  test('NaN and infinities are shown as an em dash', () => {
    expect(DASH).toBe('—');
    expect(fmtNum(NaN)).toBe(DASH);
    expect(fmtNum(Infinity)).toBe(DASH);
    expect(fmtNum(-Infinity)).toBe(DASH);
    expect(fmtP(NaN)).toBe(DASH);
    expect(fmtCi(NaN, 0.1, 0.2)).toBe(DASH);
    expect(fmtCi(0.5, NaN, 0.7)).toBe(`0.50 (${DASH})`);
    expect(fmtMeanSd(NaN, NaN)).toBe(DASH);
    expect(fmtRatio(Infinity)).toBe(DASH);
  });

  test('p-values: 3 decimals, "< 0.001", "> 0.999"', () => {
    expect(fmtP(0.0312)).toBe('0.031');
    expect(fmtP(0.04996)).toBe('0.050');
    expect(fmtP(0.001)).toBe('0.001');
    expect(fmtP(0.00099)).toBe('< 0.001');
    expect(fmtP(1e-300)).toBe('< 0.001');
    expect(fmtP(0)).toBe('< 0.001');
    expect(fmtP(0.9994)).toBe('0.999');
    expect(fmtP(0.9996)).toBe('> 0.999');
    expect(fmtP(1)).toBe('> 0.999');
    expect(fmtP(0.0312, 2)).toBe('0.03');
    expect(fmtP(0.004, 2)).toBe('< 0.01');
  });

  test('estimate with CI: "0.81 (0.75–0.87)"; " to " when a bound is negative', () => {
    expect(fmtCi(0.8149, 0.7512, 0.8733)).toBe('0.81 (0.75–0.87)');
    expect(fmtCi(-0.12, -0.3, 0.05)).toBe(`${MINUS}0.12 (${MINUS}0.30 to 0.05)`);
    expect(fmtCi(1, 1, 1, 3)).toBe('1.000 (1.000–1.000)');
  });

  test('odds ratios: scientific notation outside [0.01, 1000)', () => {
    expect(fmtRatio(2.8123)).toBe('2.81');
    expect(fmtRatio(0.0123)).toBe('0.01');
    expect(fmtRatio(0.00123)).toBe('1.23 × 10⁻³');
    expect(fmtRatio(123456)).toBe('1.23 × 10⁵');
    expect(fmtSci(-4.56e-12)).toBe(`${MINUS}4.56 × 10⁻¹²`);
    expect(fmtSci(5)).toBe('5.00');
    expect(fmtCi(1e5, 1e3, 1e7, 2, fmtRatio)).toBe('1.00 × 10⁵ (1.00 × 10³–1.00 × 10⁷)');
  });

  test('summaries: mean ± SD, median [IQR], n (%)', () => {
    expect(fmtMeanSd(12.345, 4.567, 1)).toBe('12.3 ± 4.6');
    expect(fmtMedianIqr(12.3, 10.1, 14.25, 2)).toBe('12.30 [10.10, 14.25]');
    expect(fmtCountPct(12, (100 * 12) / 35)).toBe('12 (34.3)');
    expect(fmtCountPct(0, NaN)).toBe(`0 (${DASH})`);
  });

  test('decimals for a spread show two significant digits', () => {
    expect(decimalsForSpread(3.2)).toBe(2);
    expect(decimalsForSpread(0.014)).toBe(3);
    expect(decimalsForSpread(0.0014)).toBe(4);
    expect(decimalsForSpread(0.0014, 2, 3)).toBe(3);
    expect(decimalsForSpread(NaN)).toBe(2);
    expect(decimalsForSpread(0)).toBe(2);
    expect(decimalsForSpread(250, 1)).toBe(1);
  });

  test('format options are validated', () => {
    expect(formatOptions({})).toEqual({ decimals: 2, pDecimals: 3, percentDecimals: 1 });
    expect(formatOptions({ decimals: 3 }).decimals).toBe(3);
    expect(() => formatOptions({ decimals: 1.5 })).toThrow(/decimals/);
    expect(() => formatOptions({ pDecimals: -1 })).toThrow(/pDecimals/);
  });
});
