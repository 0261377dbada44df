/**
 * radnomo's paper tables: Table 1, univariable/multivariable regression, model performance,
 * DeLong matrix and Hosmer–Lemeshow, each as a format-free TableModel rendered to CSV, Markdown
 * and HTML. `studyTables` builds all of them for a study (training and test rows of one CSV).
 */
import type { CsvTable } from '../../src/io/csv';
import { predictorColumns, type Study } from '../../src/study';
import { delongTable, type DelongTableResult } from './delong-table';
import type { FormatOptions } from './format';
import { hlTable, type HlTableResult } from './hl-table';
import { performanceTable, type EvaluationSet, type ModelColumn, type PerformanceResult } from './performance-table';
import { regressionTable, type RegressionTableResult } from './regression-table';
import { tablesHtmlDocument, tablesMarkdownDocument, tableToCsv, tableToHtml, tableToMarkdown, type TableModel } from './render';
import { table1, type Table1Result } from './table1';

export * from './format';
export * from './render';
export { table1, compareGroups, sampleSkewness, summarise, quantile7, SKEWNESS_LIMIT, type Table1Result, type Table1Options, type GroupComparison, type VariableComparison } from './table1';
export { regressionTable, type RegressionTableResult, type RegressionTableOptions } from './regression-table';
export { performanceTable, trainingRules, type ModelColumn, type EvaluationSet, type PerformanceResult, type ModelSetPerformance, type TrainingRule } from './performance-table';
export { delongTable, type DelongTableResult } from './delong-table';
export { hlTable, isProbability, type HlTableResult } from './hl-table';

/** What to put in the tables of a study. */
export interface StudyTablesOptions extends FormatOptions {
  /** Table 1 variables (none: no Table 1). */
  vars?: readonly string[];
  /** Categorical variables among vars and predictors. */
  categorical?: readonly string[];
  /** Table 1 summary rule: 'auto' (skewness), 'mean' or 'median'. */
  summary?: 'auto' | 'mean' | 'median';
  /** Regression table predictors (none: no regression table). */
  predictors?: readonly string[];
  /** Predictors of the multivariable model (default: all predictors). */
  multivariable?: readonly string[];
  /** Models (columns of probabilities or scores) for performance, DeLong and HL tables. */
  models?: readonly ModelColumn[];
  /** Labels of outcome levels ("0", "1") for Table 1. */
  groupLabels?: Readonly<Record<string, string>>;
  labels?: Readonly<Record<string, string>>;
}

/** All tables of a study, with the numbers behind them. */
export interface StudyTables {
  tables: TableModel[];
  table1: Table1Result | null;
  regression: RegressionTableResult | null;
  performance: PerformanceResult | null;
  delong: DelongTableResult | null;
  hl: HlTableResult | null;
}

/** The evaluation sets of a study: training, then test when there is one. */
export function studySets(study: Study): EvaluationSet[] {
  return study.test.length > 0 || study.split !== null
    ? [
        { label: 'Training set', rows: study.train },
        { label: 'Test set', rows: study.test },
      ]
    : [{ label: 'All rows', rows: study.train }];
}

/** Builds every table the options ask for. Regression models are fitted on the training rows only. */
export function studyTables(study: Study, o: StudyTablesOptions): StudyTables {
  const sets = studySets(study);
  const table: CsvTable = study.table;
  const categorical = o.categorical ?? [];
  const out: StudyTables = { tables: [], table1: null, regression: null, performance: null, delong: null, hl: null };
  if (o.vars && o.vars.length > 0) {
    out.table1 = table1(table, study.outcome, sets, { ...o, vars: o.vars, categorical, summary: o.summary, groupLabels: o.groupLabels, varLabels: o.labels });
    out.tables.push(out.table1.table);
  }
  if (o.predictors && o.predictors.length > 0) {
    const rows = study.train;
    const y = Float64Array.from(rows, (i) => study.y[i]!);
    const events = y.reduce((a, b) => a + b, 0);
    out.regression = regressionTable(y, predictorColumns(table, rows, o.predictors, categorical), {
      ...o,
      multivariable: o.multivariable,
      labels: o.labels,
      population: `${sets[0]!.label.toLowerCase()} (n = ${rows.length}, ${events} events)`,
    });
    out.tables.push(out.regression.table);
  }
  if (o.models && o.models.length > 0) {
    out.performance = performanceTable(study.y, o.models, sets, o);
    out.tables.push(out.performance.table);
    if (o.models.length >= 2) {
      out.delong = delongTable(study.y, o.models, sets, { ...o, rules: out.performance.rules });
      out.tables.push(out.delong.table);
    }
    out.hl = hlTable(study.y, o.models, sets, o);
    out.tables.push(out.hl.table);
  }
  return out;
}

/** The files of a set of tables: <id>.csv, <id>.md, <id>.html each, plus tables.md and tables.html with all of them. */
export function tableFiles(tables: readonly TableModel[], title = 'Tables'): Array<{ name: string; data: string }> {
  const files: Array<{ name: string; data: string }> = [];
  for (const t of tables) {
    files.push({ name: `${t.id}.csv`, data: tableToCsv(t) });
    files.push({ name: `${t.id}.md`, data: tableToMarkdown(t) });
    files.push({ name: `${t.id}.html`, data: tablesHtmlDocument([t], t.title) });
  }
  files.push({ name: 'tables.md', data: tablesMarkdownDocument(tables, title) });
  files.push({ name: 'tables.html', data: tablesHtmlDocument(tables, title) });
  return files;
}
