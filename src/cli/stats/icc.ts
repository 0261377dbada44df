import { iccArrayFromLong, iccMany, type IccMethod } from '../../../stats/icc';
import { RadnomoError } from '../../errors';
import { numericColumn, stringColumn } from '../../io/csv';
import type { StatsAnalysis } from './analysis';
import { fmt, listOption, numberOption, numericColumnsReport, requireOption, textTable } from './common';

export const analysis: StatsAnalysis = {
  name: 'icc',
  summary: 'Intraclass correlation as psych::ICC: ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k with F, df, p and 95% CI, per feature (long format)',
  options: [
    { flags: '--subject <column>', description: 'subject (case) identifier column', required: true },
    { flags: '--rater <column>', description: 'rater (reader) column; one row per subject and rater', required: true },
    { flags: '--features <columns>', description: 'comma-separated feature columns (default: every numeric column)' },
    { flags: '--method <m>', description: 'lmer (psych default, REML) or aov (psych lmer = FALSE)', defaultValue: 'lmer' },
    { flags: '--alpha <a>', description: '1 - confidence level of the intervals', defaultValue: '0.05' },
  ],
  run(table, opts) {
    const subject = requireOption(opts, 'subject', '--subject');
    const rater = requireOption(opts, 'rater', '--rater');
    let features = listOption(opts.features, '--features');
    const autoNotes: string[] = [];
    if (features.length === 0) {
      const rep = numericColumnsReport(table, [subject, rater]);
      features = rep.names;
      autoNotes.push(...rep.skipped);
    }
    if (features.length === 0) throw new RadnomoError('E_USAGE', 'no numeric feature columns; name them with --features.');
    const method = (typeof opts.method === 'string' ? opts.method.trim() : 'lmer') as IccMethod;
    if (method !== 'lmer' && method !== 'aov') throw new RadnomoError('E_USAGE', `--method must be lmer or aov, got "${String(method)}".`);
    const alpha = numberOption(opts.alpha, '--alpha', 0.05);
    const subj = stringColumn(table, subject);
    const rat = stringColumn(table, rater);
    for (let i = 0; i < table.nrows; i++) {
      if (subj[i]!.trim() === '' || rat[i]!.trim() === '') throw new RadnomoError('E_COLUMN', `${table.source}: row ${i + 2} has an empty ${subj[i]!.trim() === '' ? subject : rater}.`);
    }
    const { data, names, raters, subjects } = iccArrayFromLong({
      subject: subj.map((s) => s.trim()),
      rater: rat.map((s) => s.trim()),
      features: features.map((name) => ({ name, values: numericColumn(table, name) })),
    });
    const res = iccMany(data, { alpha, method, names });
    const json: Record<string, unknown> = {
      analysis: 'icc', method, alpha, n_subjects: subjects.length, raters,
      warnings: autoNotes,
      features: names.map((name, f) => ({
        feature: name,
        n_subjects: res[f]!.nSubjects,
        forms: res[f]!.forms.map((r) => ({ type: r.type, icc: r.icc, f: r.f, df1: r.df1, df2: r.df2, p: r.p, lower: r.lower, upper: r.upper })),
        warnings: res[f]!.warnings,
      })),
    };
    const lines: string[] = [`psych::ICC (${method === 'lmer' ? 'lmer = TRUE' : 'lmer = FALSE'}), ${subjects.length} subjects, raters: ${raters.join(', ')}, ${Math.round((1 - alpha) * 100)}% CI`];
    names.forEach((name, f) => {
      lines.push('', `${name} (${res[f]!.nSubjects} complete subjects)`);
      lines.push(textTable(['type', 'ICC', 'F', 'df1', 'df2', 'p', 'lower', 'upper'], res[f]!.forms.map((r) => [r.type, fmt(r.icc), fmt(r.f), fmt(r.df1), fmt(r.df2), fmt(r.p), fmt(r.lower), fmt(r.upper)])));
      for (const w of res[f]!.warnings) lines.push(`Warning: ${w}`);
    });
    lines.push(...autoNotes.map((w) => `Warning: ${w}`));
    return { json, text: lines.join('\n') };
  },
};
