import { RadnomoError } from '../../errors';
import { correlationMatrix, CorrelationPruner, type CorrelationMethod, type PruneCriterion } from '../../../stats/correlation';
import type { StatsAnalysis } from './analysis';
import { completeRows, fmt, listOption, numberOption, numericColumnsReport, numericRows, outcomeRows, textTable } from './common';

export const analysis: StatsAnalysis = {
  name: 'correlation',
  summary: 'Pearson/Spearman correlation matrix (as cor()) and redundancy pruning of pairs with |r| > threshold',
  options: [
    { flags: '--columns <columns>', description: 'comma-separated numeric columns' },
    { flags: '--all-numeric', description: 'use every column whose non-missing cells are all numbers (except --outcome)' },
    { flags: '--method <method>', description: 'pearson or spearman', defaultValue: 'pearson' },
    { flags: '--prune <threshold>', description: 'drop one column of each pair with |r| > threshold' },
    { flags: '--outcome <column>', description: 'binary outcome (0/1) for the pruning criterion' },
    { flags: '--criterion <name>', description: 'auc (max(AUC, 1 - AUC)) or p (univariable logistic Wald p)', defaultValue: 'auc' },
  ],
  run(table, opts) {
    const methodOpt = typeof opts.method === 'string' ? opts.method : 'pearson';
    if (methodOpt !== 'pearson' && methodOpt !== 'spearman') throw new RadnomoError('E_USAGE', `--method must be pearson or spearman, got "${methodOpt}".`);
    const method: CorrelationMethod = methodOpt;
    const outcome = typeof opts.outcome === 'string' ? opts.outcome.trim() : undefined;
    let columns = listOption(opts.columns, '--columns');
    const autoNotes: string[] = [];
    if (opts.allNumeric === true) {
      if (columns.length > 0) throw new RadnomoError('E_USAGE', 'give either --columns or --all-numeric, not both.');
      const rep = numericColumnsReport(table, outcome ? [outcome] : []);
      columns = rep.names;
      autoNotes.push(...rep.skipped);
    }
    if (columns.length < 2) throw new RadnomoError('E_USAGE', 'correlation needs at least two columns (--columns A,B,... or --all-numeric).');
    const prune = opts.prune !== undefined && opts.prune !== false;
    if (prune && !outcome) throw new RadnomoError('E_USAGE', '--prune needs --outcome for the criterion that decides which column of a pair to keep.');
    const rows = completeRows(table, prune ? [...columns, outcome!] : columns);
    const dropped = table.nrows - rows.length;
    const data: Record<string, Float64Array> = {};
    for (const c of columns) data[c] = numericRows(table, c, rows);
    const cm = correlationMatrix(data, method);
    const warnings = [...autoNotes, ...(dropped > 0 ? [`${dropped} row(s) with missing values dropped; n = ${rows.length}.`] : [])];
    const json: Record<string, unknown> = { analysis: 'correlation', method, n: rows.length, dropped_missing: dropped, columns: cm.columns, matrix: cm.r.map((r) => Array.from(r)) };
    const text: string[] = [];
    if (cm.columns.length <= 12) {
      text.push(textTable(['', ...cm.columns], cm.columns.map((c, i) => [c, ...Array.from(cm.r[i]!, (v) => fmt(v, 3))])));
    } else text.push(`${cm.columns.length} x ${cm.columns.length} ${method} correlation matrix (see --json for values).`);
    if (prune) {
      const threshold = numberOption(opts.prune, '--prune', 0.9);
      const crit = typeof opts.criterion === 'string' ? opts.criterion : 'auc';
      if (crit !== 'auc' && crit !== 'p') throw new RadnomoError('E_USAGE', `--criterion must be auc or p, got "${crit}".`);
      const pruner = new CorrelationPruner().fit(data, outcomeRows(table, outcome!, rows), { threshold, method, criterion: crit as PruneCriterion });
      json.prune = {
        threshold, criterion: crit, kept: pruner.kept,
        dropped: pruner.dropped.map((d) => ({ feature: d.feature, correlated_with: d.correlatedWith, r: d.r, score: d.score, kept_score: d.keptScore })),
      };
      text.push('', `Pruning |r| > ${threshold} by ${crit}: kept ${pruner.kept.length} of ${cm.columns.length}.`);
      if (pruner.dropped.length > 0) {
        text.push(textTable(['dropped', 'correlated with', 'r', crit, `kept ${crit}`], pruner.dropped.map((d) => [d.feature, d.correlatedWith, fmt(d.r, 4), fmt(d.score), fmt(d.keptScore)])));
      }
    }
    json.warnings = warnings;
    text.push(...warnings.map((w) => `Warning: ${w}`));
    return { json, text: text.join('\n') };
  },
};
