import { isRadnomoError, RadnomoError } from '../../errors';
import { stringColumn } from '../../io/csv';
import { kaplanMeier, logRankTest, parseEventColumn, type KaplanMeierResult } from '../../../stats/survival';
import { sortLevels } from '../../../stats/tests';
import type { StatsAnalysis } from './analysis';
import { completeRows, fmt, requireOption, survivalTimes, textTable } from './common';

/** A value survfit prints as NA when it is undefined (a median not reached, a CI limit that does not exist). */
const na = (v: number): string => (Number.isNaN(v) ? 'NA' : fmt(v));

function kmJson(r: KaplanMeierResult): Record<string, unknown> {
  return {
    n: r.n,
    events: r.events,
    median: r.median,
    median_lower: r.medianLower,
    median_upper: r.medianUpper,
    conf_level: r.confLevel,
    table: r.time.map((t, i) => ({
      time: t,
      n_risk: r.nRisk[i],
      n_event: r.nEvent[i],
      n_censor: r.nCensor[i],
      surv: r.surv[i],
      std_err: r.stdErr[i],
      std_err_surv: r.stdErrSurv[i],
      lower: r.lower[i],
      upper: r.upper[i],
    })),
  };
}

function kmText(label: string, r: KaplanMeierResult): string {
  const rows = r.time
    .map((t, i) => ({ t, i }))
    .filter(({ i }) => r.nEvent[i]! > 0)
    .map(({ t, i }) => [String(t), String(r.nRisk[i]), String(r.nEvent[i]), fmt(r.surv[i]!), fmt(r.stdErrSurv[i]!), na(r.lower[i]!), na(r.upper[i]!)]);
  const med = `median ${na(r.median)} (95% CI ${na(r.medianLower)}-${na(r.medianUpper)}), n = ${r.n}, events = ${r.events}`;
  return [`${label}: ${med}`, textTable(['time', 'n.risk', 'n.event', 'survival', 'std.err', 'lower 95%', 'upper 95%'], rows)].join('\n');
}

/**
 * Kaplan–Meier table(s) as survival::survfit (Greenwood SE, log CI, median with CI as
 * print.survfit) and, with --group, the log-rank test as survival::survdiff.
 */
export const analysis: StatsAnalysis = {
  name: 'km',
  summary: 'Kaplan–Meier survival as survival::survfit (median with CI) and log-rank test as survdiff',
  options: [
    { flags: '--time <column>', description: 'follow-up time column', required: true },
    { flags: '--event <column>', description: 'event column: 0/1, TRUE/FALSE, or 1/2 (2 = event, as survival::lung)', required: true },
    { flags: '--group <column>', description: 'grouping column: one curve per group and a log-rank test' },
  ],
  run(table, opts) {
    const timeCol = requireOption(opts, 'time', '--time');
    const eventCol = requireOption(opts, 'event', '--event');
    const groupCol = typeof opts.group === 'string' && opts.group.trim() !== '' ? opts.group.trim() : undefined;
    const rows = completeRows(table, groupCol ? [timeCol, eventCol, groupCol] : [timeCol, eventCol]);
    const dropped = table.nrows - rows.length;
    const time = survivalTimes(table, timeCol, rows);
    const ev = parseEventColumn(stringColumn(table, eventCol), eventCol, 2);
    const event = Float64Array.from(rows, (i) => ev[i]!);
    const notes = dropped > 0 ? [`${dropped} row(s) with missing values dropped; n = ${rows.length}.`] : [];
    const json: Record<string, unknown> = { analysis: 'km', time: timeCol, event: eventCol, n: rows.length, dropped_missing: dropped };
    if (!groupCol) {
      const r = kaplanMeier(time, event);
      Object.assign(json, kmJson(r), { warnings: notes });
      return { json, text: [kmText('All', r), ...notes.map((w) => `Note: ${w}`)].join('\n') };
    }
    const gAll = stringColumn(table, groupCol);
    const g = rows.map((i) => gAll[i]!.trim());
    const levels = sortLevels(g);
    const curves: Record<string, unknown>[] = [];
    const texts: string[] = [];
    for (const l of levels) {
      const idx = g.map((v, k) => (v === l ? k : -1)).filter((k) => k >= 0);
      const r = kaplanMeier(Float64Array.from(idx, (k) => time[k]!), Float64Array.from(idx, (k) => event[k]!));
      curves.push({ group: l, ...kmJson(r) });
      texts.push(kmText(`${groupCol} = ${l}`, r));
    }
    json['group'] = groupCol;
    json['curves'] = curves;
    json['warnings'] = notes;
    // The log-rank test needs two groups and at least one event; without them the curves are still
    // reported and the note says why there is no test (survdiff would stop with an error).
    const events = event.reduce((a, b) => a + b, 0);
    const skip = levels.length < 2 ? `column "${groupCol}" has a single group ("${levels[0]}")` : events === 0 ? 'there are no events in any group' : '';
    if (skip !== '') {
      notes.push(`no log-rank test: ${skip}.`);
      json['logrank'] = null;
      return { json, text: [...texts.flatMap((t) => [t, '']), ...notes.map((w) => `Note: ${w}`)].join('\n') };
    }
    let lr: ReturnType<typeof logRankTest>;
    try {
      lr = logRankTest(time, event, g);
    } catch (e) {
      if (!isRadnomoError(e)) throw e;
      throw new RadnomoError(e.code, `${table.source}: the log-rank test by "${groupCol}" cannot be computed: ${e.message}`);
    }
    json['logrank'] = {
      groups: lr.groups,
      n: lr.n,
      observed: lr.observed,
      expected: lr.expected,
      chisq: lr.chisq,
      df: lr.df,
      p: lr.pValue,
    };
    const lrText = textTable(
      ['group', 'N', 'observed', 'expected', '(O-E)^2/E'],
      lr.groups.map((l, k) => [l, String(lr.n[k]), String(lr.observed[k]), fmt(lr.expected[k]!), fmt((lr.observed[k]! - lr.expected[k]!) ** 2 / lr.expected[k]!)]),
    );
    const text = [
      ...texts.flatMap((t) => [t, '']),
      'Log-rank test (survdiff, rho = 0):',
      lrText,
      `Chisq = ${fmt(lr.chisq)} on ${lr.df} degrees of freedom, p = ${fmt(lr.pValue)}`,
      ...notes.map((w) => `Note: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
