import * as fs from 'node:fs';
import * as path from 'node:path';
import { analysis as coxCli } from '../../src/cli/stats/cox';
import { analysis as kmCli } from '../../src/cli/stats/km';
import { numericColumn, parseCsv, readCsv, stringColumn } from '../../src/io/csv';
import { concordance, coxPH, kaplanMeier, logRankTest, parseEventColumn } from '../../stats/survival';

type Num = number | 'Inf' | '-Inf' | null;
const num = (v: Num): number => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : v === null ? NaN : v);
interface KmGolden {
  stratum?: string; time: number[]; nRisk: number[]; nEvent: number[]; nCensor: number[]; surv: number[];
  stdErr: Num[]; lower: Num[]; upper: Num[]; median: Num; medianLower: Num; medianUpper: Num;
  table: Record<string, number>;
}
interface SdGolden { groups: string[]; n: number[]; observed: number[]; expected: number[]; var: number[][]; chisq: number; df: number; pValue: number }
interface CoxGolden {
  predictors: string[]; n: number; nevent: number; coef: number[]; se: number[]; z: number[]; p: number[];
  hr: number[]; hrLower: number[]; hrUpper: number[]; loglik: number[]; var: number[][];
  logtest: number[]; waldtest: number[]; sctest: number[]; concordance: number[];
}
const G = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/reference/survival.json'), 'utf8')) as {
  km: { lung: KmGolden[]; lung_sex: KmGolden[]; veteran_celltype: KmGolden[]; lung_summary_stderr: number[]; lung_summary_time: number[] };
  survdiff: Record<string, SdGolden>;
  coxph: Record<string, CoxGolden>;
};

const lung = readCsv(path.join(__dirname, '../../fixtures/lung.csv'));
const vet = readCsv(path.join(__dirname, '../../fixtures/veteran.csv'));
const lungTime = numericColumn(lung, 'time');
const lungEvent = parseEventColumn(stringColumn(lung, 'status'), 'status');
const vetTime = numericColumn(vet, 'time');
const vetEvent = parseEventColumn(stringColumn(vet, 'status'), 'status');

/** Relative error; NaN must match R's NA and infinities must match exactly. */
function rel(got: number, want: number): number {
  if (Number.isNaN(want)) return Number.isNaN(got) ? 0 : Infinity;
  if (!Number.isFinite(want)) return got === want ? 0 : Infinity;
  if (want === 0) return Math.abs(got);
  return Math.abs(got - want) / Math.abs(want);
}
function maxRel(got: number[], want: Num[]): number {
  expect(got.length).toBe(want.length);
  return Math.max(0, ...got.map((g, i) => rel(g, num(want[i]!))));
}

function checkKm(time: ArrayLike<number>, event: ArrayLike<number>, g: KmGolden): void {
  const r = kaplanMeier(time, event);
  expect(r.time).toEqual(g.time);
  expect(r.nRisk).toEqual(g.nRisk);
  expect(r.nEvent).toEqual(g.nEvent);
  expect(r.nCensor).toEqual(g.nCensor);
  expect(maxRel(r.surv, g.surv)).toBeLessThan(1e-13);
  expect(maxRel(r.stdErr, g.stdErr)).toBeLessThan(1e-12);
  expect(maxRel(r.lower, g.lower)).toBeLessThan(1e-12);
  expect(maxRel(r.upper, g.upper)).toBeLessThan(1e-12);
  expect(rel(r.median, num(g.median))).toBe(0);
  expect(rel(r.medianLower, num(g.medianLower))).toBe(0);
  expect(rel(r.medianUpper, num(g.medianUpper))).toBe(0);
  expect(r.events).toBe(g.table['events']);
  expect(r.n).toBe(g.table['n.max']);
}

function subset<T>(xs: ArrayLike<T>, keep: boolean[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) out.push(xs[i]!);
  return out;
}

describe('Kaplan–Meier matches survival::survfit (fixtures/reference/survival.R)', () => {
  test('lung, overall: times, counts, surv, Greenwood std.err, log CI, median and CI', () => {
    checkKm(lungTime, lungEvent, G.km.lung[0]!);
  });
  test('lung by sex, each stratum', () => {
    const sex = stringColumn(lung, 'sex');
    for (const g of G.km.lung_sex) {
      const lvl = g.stratum!.replace('sex=', '');
      const keep = sex.map((s) => s === lvl);
      checkKm(subset(lungTime, keep), subset(lungEvent, keep), g);
    }
  });
  test('veteran by cell type: curves reaching 0 (std.err Inf, CI NA)', () => {
    const ct = stringColumn(vet, 'celltype');
    for (const g of G.km.veteran_celltype) {
      const keep = ct.map((s) => s === g.stratum!.replace('celltype=', ''));
      checkKm(subset(vetTime, keep), subset(vetEvent, keep), g);
    }
  });
  test('summary.survfit std.err (of S) at event times', () => {
    const r = kaplanMeier(lungTime, lungEvent);
    const at = G.km.lung_summary_time.map((t) => r.time.indexOf(t));
    expect(maxRel(at.map((i) => r.stdErrSurv[i]!), G.km.lung_summary_stderr)).toBeLessThan(1e-12);
  });
  test('bad input is an error naming the problem', () => {
    expect(() => kaplanMeier([1, 2], [1])).toThrow(/different lengths/);
    expect(() => kaplanMeier([1, -2], [1, 0])).toThrow(/negative/);
    expect(() => kaplanMeier([1, 2], [1, 3])).toThrow(/0 \(censored\) or 1/);
  });
});

describe('log-rank test matches survival::survdiff', () => {
  const cases: [string, ArrayLike<number>, ArrayLike<number>, string[]][] = [
    ['lung_sex', lungTime, lungEvent, stringColumn(lung, 'sex')],
    ['veteran_celltype', vetTime, vetEvent, stringColumn(vet, 'celltype')],
    ['veteran_trt', vetTime, vetEvent, stringColumn(vet, 'trt')],
  ];
  for (const [name, t, e, g] of cases) {
    test(name, () => {
      const r = logRankTest(t, e, g);
      const w = G.survdiff[name]!;
      expect(r.groups.map((s, i) => `${s}:${r.n[i]}`)).toEqual(w.groups.map((s, i) => `${s.split('=')[1]}:${w.n[i]}`));
      expect(r.observed).toEqual(w.observed);
      expect(maxRel(r.expected, w.expected)).toBeLessThan(1e-13);
      r.variance.forEach((row, i) => expect(maxRel(row, w.var[i]!)).toBeLessThan(1e-12));
      expect(rel(r.chisq, w.chisq)).toBeLessThan(1e-12);
      expect(r.df).toBe(w.df);
      expect(rel(r.pValue, w.pValue)).toBeLessThan(1e-11);
    });
  }
});

describe('Cox model (Efron) matches survival::coxph and summary(coxph)', () => {
  const cases: [string, ReturnType<typeof readCsv>, string[]][] = [
    ['lung_age_sex', lung, ['age', 'sex']],
    ['lung_age_sex_ecog', lung, ['age', 'sex', 'ph.ecog']],
    ['veteran_karno_age_trt', vet, ['karno', 'age', 'trt']],
    ['lung_sex', lung, ['sex']],
  ];
  for (const [name, data, preds] of cases) {
    test(name, () => {
      const t = numericColumn(data, 'time');
      const e = parseEventColumn(stringColumn(data, 'status'), 'status');
      const cols = preds.map((p) => numericColumn(data, p));
      const keep = Array.from(t, (_, i) => cols.every((c) => !Number.isNaN(c[i]!)));
      const X = subset(Array.from(t, (_, i) => cols.map((c) => c[i]!)), keep);
      const r = coxPH(subset(t, keep), subset(e, keep), X, preds);
      const w = G.coxph[name]!;
      expect(r.n).toBe(w.n);
      expect(r.nevent).toBe(w.nevent);
      // R stops Newton–Raphson when the log-likelihood changes by < 1e-9 relative; we replay
      // its iterations (coxfit6's rule and step halving), so coefficients agree to rounding
      expect(maxRel(r.coef, w.coef)).toBeLessThan(1e-12);
      expect(maxRel(r.se, w.se)).toBeLessThan(1e-12);
      expect(maxRel(r.z, w.z)).toBeLessThan(1e-12);
      expect(maxRel(r.p, w.p)).toBeLessThan(1e-12);
      expect(maxRel(r.hr, w.hr)).toBeLessThan(1e-12);
      expect(maxRel(r.hrLower, w.hrLower)).toBeLessThan(1e-12);
      expect(maxRel(r.hrUpper, w.hrUpper)).toBeLessThan(1e-12);
      expect(maxRel(r.loglik, w.loglik)).toBeLessThan(1e-13);
      r.variance.forEach((row, i) => expect(maxRel(row, w.var[i]!)).toBeLessThan(1e-12));
      expect(maxRel(r.logtest, w.logtest)).toBeLessThan(1e-12);
      expect(maxRel(r.waldtest, w.waldtest)).toBeLessThan(1e-12);
      expect(maxRel(r.sctest, w.sctest)).toBeLessThan(1e-12);
      expect(rel(r.concordance.concordance, w.concordance[0]!)).toBeLessThan(1e-14);
      expect(rel(r.concordance.se, w.concordance[1]!)).toBeLessThan(1e-12);
    });
  }
  test('a constant predictor is an error naming it', () => {
    expect(() => coxPH([1, 2, 3], [1, 0, 1], [[1], [1], [1]], ['k'])).toThrow(/"k" is constant/);
  });
});

describe('concordance by its definition', () => {
  test('hand-worked 4 observations', () => {
    // times 1(event) 2(event) 3(censored) 4(event); risk 4 3 1 2
    // comparable pairs: (1,2) (1,3) (1,4) (2,3) (2,4) -> all concordant except none; (4 vs none)
    const r = concordance([1, 2, 3, 4], [1, 1, 0, 1], [4, 3, 1, 2]);
    expect(r.concordant).toBe(5);
    expect(r.discordant).toBe(0);
    expect(r.concordance).toBe(1);
    const r2 = concordance([1, 2, 3, 4], [1, 1, 0, 1], [1, 1, 1, 1]);
    expect(r2.tiedX).toBe(5);
    expect(r2.concordance).toBe(0.5);
  });
  test('status coded 1/2 (R lung) is read as censored/event', () => {
    expect(Array.from(parseEventColumn(['1', '2', '2', 'NA'], 's'))).toEqual([0, 1, 1, NaN]);
    expect(Array.from(parseEventColumn(['0', '1', 'TRUE'], 's'))).toEqual([0, 1, 1]);
    expect(() => parseEventColumn(['0', '3'], 's')).toThrow(/"s"/);
    // R's Surv: 1/2 coding only when the largest value is 2, never for logicals; so a study
    // without censoring (all 1, or all TRUE) is all events
    expect(Array.from(parseEventColumn(['1', '1', '1'], 's'))).toEqual([1, 1, 1]);
    expect(Array.from(parseEventColumn(['TRUE', 'T', 'TRUE'], 's'))).toEqual([1, 1, 1]);
    expect(Array.from(parseEventColumn(['2', '2'], 's'))).toEqual([1, 1]);
    expect(() => parseEventColumn(['0', '1', '2'], 's', 2)).toThrow(/row 2: event value 0 in a column coded 1\/2/);
  });
});

describe('radnomo stats km / cox (CLI analyses) reproduce the R goldens', () => {
  test('km --group without a possible log-rank test (one group, no events) reports the curves and says why', () => {
    const one = parseCsv('time,event,grp\n1,1,A\n2,0,A\n3,1,A\n', 'one.csv');
    const a = kmCli.run(one, { time: 'time', event: 'event', group: 'grp' });
    expect(a.json['logrank']).toBeNull();
    expect((a.json['curves'] as unknown[]).length).toBe(1);
    expect(a.text).toMatch(/no log-rank test: column "grp" has a single group \("A"\)/);
    const none = parseCsv('time,event,grp\n1,0,A\n2,0,B\n3,0,A\n4,0,B\n', 'none.csv');
    const b = kmCli.run(none, { time: 'time', event: 'event', group: 'grp' });
    expect(b.json['logrank']).toBeNull();
    expect(b.text).toMatch(/no events in any group/);
    expect(b.text).not.toMatch(/NaN/);
  });
  test('a coefficient heading to infinity is flagged as coxph flags it (cox_monotone.R)', () => {
    const g = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/reference/cox_monotone.json'), 'utf8')) as { time: number[]; status: number[]; x: number[]; z: number[]; coef: number[]; iter: number; warning: string };
    expect(g.warning).toMatch(/converged before variable\s+1\s*;/);
    const r = coxPH(g.time, g.status, g.time.map((_, i) => [g.x[i]!, g.z[i]!]), ['x', 'z']);
    expect(r.iterations).toBe(g.iter);
    expect(rel(r.coef[0]!, g.coef[0]!)).toBeLessThan(1e-6);
    expect(rel(r.coef[1]!, g.coef[1]!)).toBeLessThan(1e-6);
    expect(r.warnings.join(' ')).toMatch(/converged before "x": the coefficient may be infinite/);
    expect(r.warnings.join(' ')).not.toMatch(/"z"/);
    // an ordinary fit has no such warning
    expect(coxPH(lungTime, lungEvent, Array.from(numericColumn(lung, 'age'), (v) => [v]), ['age']).warnings).toEqual([]);
  });
  test('median and CI as print.survfit, also for a curve at exactly 0.5 (km_median.R)', () => {
    const g = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/reference/km_median.json'), 'utf8')) as Record<string, { time: number[]; status: number[]; median: number | null; lower: number | null; upper: number | null; quantile_median: number }>;
    for (const name of ['flat_to_end', 'flat_then_drop', 'seeded']) {
      const c = g[name]!;
      const r = kaplanMeier(c.time, c.status);
      expect([r.median, r.medianLower, r.medianUpper]).toEqual([c.median, c.lower, c.upper].map((v) => (v === null ? NaN : v)));
    }
    // print.survfit's 2 where quantile.survfit gives 3: the rule is the printed table's
    expect(g['flat_to_end']!.quantile_median).toBe(3);
  });
  test('a study without censoring (status all 1) is all events, as R reads it (survival_uncensored.R)', () => {
    const g = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/reference/survival_uncensored.json'), 'utf8')) as Record<string, number>;
    const deaths = readCsv(path.join(__dirname, '../../fixtures/lung_deaths.csv'));
    const km = kmCli.run(deaths, { time: 'time', event: 'status' });
    expect(km.json['events']).toBe(g['events']);
    expect(km.json['median']).toBe(g['median']);
    expect(km.json['median_lower']).toBe(g['median_lower']);
    expect(km.json['median_upper']).toBe(g['median_upper']);
    const cox = coxCli.run(deaths, { time: 'time', event: 'status', predictors: 'age' });
    const term = (cox.json['terms'] as { coef: number; se: number; p: number }[])[0]!;
    expect(rel(term.coef, g['coef']!)).toBeLessThan(1e-9);
    expect(rel(term.se, g['se']!)).toBeLessThan(1e-9);
    expect(rel(term.p, g['p']!)).toBeLessThan(1e-9);
    expect(rel((cox.json['concordance'] as { c: number }).c, g['concordance']!)).toBeLessThan(1e-12);
  });
  test('km --group sex on lung: per-group medians with CI and the log-rank test', () => {
    const out = kmCli.run(lung, { time: 'time', event: 'status', group: 'sex' });
    const curves = out.json['curves'] as { group: string; median: number; median_lower: number; median_upper: number; table: { surv: number }[] }[];
    G.km.lung_sex.forEach((g, k) => {
      expect(`sex=${curves[k]!.group}`).toBe(g.stratum);
      expect(curves[k]!.median).toBe(num(g.median));
      expect(curves[k]!.median_lower).toBe(num(g.medianLower));
      expect(curves[k]!.median_upper).toBe(num(g.medianUpper));
      expect(maxRel(curves[k]!.table.map((r) => r.surv), g.surv)).toBeLessThan(1e-13);
    });
    const lr = out.json['logrank'] as { chisq: number; df: number; p: number };
    expect(rel(lr.chisq, G.survdiff['lung_sex']!.chisq)).toBeLessThan(1e-12);
    expect(lr.df).toBe(1);
    expect(out.text).toContain('Log-rank');
  });
  test('km without --group: one curve', () => {
    const out = kmCli.run(lung, { time: 'time', event: 'status' });
    expect(out.json['median']).toBe(num(G.km.lung[0]!.median));
    expect((out.json['table'] as unknown[]).length).toBe(G.km.lung[0]!.time.length);
  });
  test('cox --predictors age,sex,ph.ecog on lung: one row with missing ph.ecog dropped and reported', () => {
    const out = coxCli.run(lung, { time: 'time', event: 'status', predictors: 'age,sex,ph.ecog' });
    const w = G.coxph['lung_age_sex_ecog']!;
    expect(out.json['n']).toBe(w.n);
    expect(out.json['dropped_missing']).toBe(228 - w.n);
    const terms = out.json['terms'] as { hr: number; hr_lower: number; hr_upper: number; p: number }[];
    expect(maxRel(terms.map((t) => t.hr), w.hr)).toBeLessThan(1e-10);
    expect(maxRel(terms.map((t) => t.hr_lower), w.hrLower)).toBeLessThan(1e-10);
    expect(maxRel(terms.map((t) => t.p), w.p)).toBeLessThan(1e-9);
    expect(rel((out.json['concordance'] as { c: number }).c, w.concordance[0]!)).toBeLessThan(1e-14);
    expect(out.text).toMatch(/Concordance/);
    expect(() => coxCli.run(lung, { time: 'time', event: 'status' })).toThrow(/--predictors/);
    expect(() => coxCli.run(lung, { time: 'time', event: 'age', predictors: 'sex' })).toThrow(/"age"/);
  });
  test('cox --categorical: factors treatment-coded as model.matrix, equal to coxph (cox_categorical.R)', () => {
    type Fit = { terms: string[]; coef: number[]; se: number[]; p: number[]; loglik: number[]; n: number; nevent: number; lr: number; wald: number; score: number; concordance: number };
    const g = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/reference/cox_categorical.json'), 'utf8')) as { lung: Fit; sim: Fit };
    const sim = readCsv(path.join(__dirname, '../../fixtures/cox_categorical.csv'));
    const runs: Array<[Fit, ReturnType<typeof coxCli.run>, string[]]> = [
      [g.lung, coxCli.run(lung, { time: 'time', event: 'status', predictors: 'age,sex,ph.ecog', categorical: 'sex,ph.ecog' }), ['age', 'sex2', 'ph.ecog1', 'ph.ecog2', 'ph.ecog3']],
      [g.sim, coxCli.run(sim, { time: 'time', event: 'event', predictors: 'x,grade', categorical: 'grade' }), ['x', 'gradelow', 'grademid']],
    ];
    for (const [w, out, names] of runs) {
      const terms = out.json['terms'] as { term: string; coef: number; se: number; p: number }[];
      expect(terms.map((t) => t.term)).toEqual(names);
      expect(out.json['n']).toBe(w.n);
      expect(maxRel(terms.map((t) => t.coef), w.coef)).toBeLessThan(1e-9);
      expect(maxRel(terms.map((t) => t.se), w.se)).toBeLessThan(1e-9);
      expect(maxRel(terms.map((t) => t.p), w.p)).toBeLessThan(1e-8);
      expect(maxRel(out.json['loglik'] as number[], w.loglik)).toBeLessThan(1e-12);
      const tests = [out.json['likelihood_ratio'], out.json['wald'], out.json['score']] as { statistic: number }[];
      expect(maxRel(tests.map((t) => t.statistic), [w.lr, w.wald, w.score])).toBeLessThan(1e-9);
      expect(rel((out.json['concordance'] as { c: number }).c, w.concordance)).toBeLessThan(1e-14);
    }
    expect(runs[1]![1].json['levels']).toEqual({ grade: ['High', 'low', 'mid'] });
    expect(() => coxCli.run(sim, { time: 'time', event: 'event', predictors: 'x', categorical: 'grade' })).toThrow(/--categorical column "grade" is not among --predictors/);
  });
});
