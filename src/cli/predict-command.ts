/**
 * `radnomo predict --model DIR/model.json --data new.csv -o scored.csv`: scores new rows with a
 * model written by `radnomo nomogram`. The output is the input table with three more columns:
 * `linear_predictor` (intercept + sum(beta * x), R's predict(fit, type = "link")), `probability`
 * (plogis of it, type = "response") and `total_points` (on the nomogram's points scale). A missing
 * predictor column, a value that is not a number or a categorical level the model was not fitted
 * on is an error naming the column; a row with a missing predictor value gets empty scores (the
 * count is reported). The output is written atomically; on error nothing is written.
 */
import * as path from 'node:path';
import { formatNumber, readCsv, toCsv, type CsvTable } from '../io/csv';
import { readModelFile, scoreRows, writeOutputs, type ModelFile } from '../study';
import { required } from './nomogram-command';

/** Options of `radnomo predict`. */
export interface PredictCommandOptions {
  model?: string;
  data?: string;
  out?: string;
}

/** The scored table as CSV text, and how many rows could not be scored. */
export function predictCsv(model: ModelFile, table: CsvTable): { csv: string; unscored: number } {
  const scores = scoreRows(model, table);
  const extra = ['linear_predictor', 'probability', 'total_points'].map((n) => {
    let c = n;
    for (let k = 2; table.columns.has(c); k++) c = `${n}_${k}`;
    return c;
  });
  let unscored = 0;
  const num = (v: number): string => (Number.isNaN(v) ? '' : formatNumber(v));
  const rows = scores.map((s, i) => {
    if (Number.isNaN(s.probability)) unscored++;
    return [...table.names.map((n) => table.columns.get(n)![i]!), num(s.lp), num(s.probability), num(s.points)];
  });
  return { csv: toCsv([...table.names, ...extra], rows), unscored };
}

/** `radnomo predict`: returns the exit code (0). */
export async function runPredict(opts: PredictCommandOptions, log: (s: string) => void): Promise<number> {
  const modelPath = required(opts.model, '--model');
  const data = required(opts.data, '--data');
  const out = path.resolve(required(opts.out, '-o/--out'));
  const model = readModelFile(modelPath);
  const table = readCsv(data);
  const { csv, unscored } = predictCsv(model, table);
  writeOutputs([{ path: out, data: csv }]);
  log(`radnomo: scored ${table.nrows - unscored} of ${table.nrows} rows of ${data} with ${modelPath} (outcome "${model.outcome}")`);
  if (unscored > 0) log(`  note: ${unscored} row(s) with a missing predictor value were not scored (empty cells).`);
  log(`  ${path.relative(process.cwd(), out) || out}`);
  return 0;
}
