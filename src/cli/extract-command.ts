import * as fs from 'node:fs';
import * as path from 'node:path';
import { RadnomoError } from '../errors';
import { readParams, defaultParams, type ExtractionParams } from '../params';
import { readBatch, runCase, type BatchCase, type CaseOutcome } from '../batch';
import { featureTableCsv, featureTableJson, errorTableCsv } from '../feature-table';
import { writeFileAtomic } from '../io/atomic-write';
import { makeProgress } from '../progress';

export interface ExtractOptions {
  params?: string;
  out?: string;
  batch?: string;
  format?: string;
  label?: string;
  quiet?: boolean;
}

/** Where the errors of a batch go: beside the output, `<out>.errors.csv`. */
export function errorsPath(out: string): string {
  return out.replace(/(\.csv|\.json)?$/i, '.errors.csv');
}

/**
 * `radnomo extract IMAGE MASK` or `radnomo extract --batch cases.csv`: extracts features and
 * writes one row per case. A failing case in a batch is written to `<out>.errors.csv` and the
 * other cases complete; the exit code is then 3. Returns the exit code.
 */
export async function runExtract(image: string | undefined, mask: string | undefined, o: ExtractOptions, log: (s: string) => void): Promise<number> {
  const format = (o.format ?? 'csv').toLowerCase();
  if (format !== 'csv' && format !== 'json') throw new RadnomoError('E_USAGE', `--format must be csv or json, got "${o.format}".`);
  if (!o.out) throw new RadnomoError('E_USAGE', 'an output file is needed: -o features.csv');
  const params: ExtractionParams = o.params ? readParams(o.params) : defaultParams();
  if (o.label !== undefined) {
    const l = Number(o.label);
    if (!Number.isInteger(l)) throw new RadnomoError('E_USAGE', `--label must be a whole number, got "${o.label}".`);
    params.settings.label = l;
  }
  let cases: BatchCase[];
  let carried: string[] = [];
  if (o.batch) {
    if (image || mask) throw new RadnomoError('E_USAGE', 'give either IMAGE MASK or --batch cases.csv, not both.');
    const b = readBatch(o.batch);
    cases = b.cases;
    carried = b.carriedNames;
  } else {
    if (!image || !mask) throw new RadnomoError('E_USAGE', 'give IMAGE and MASK, or --batch cases.csv.');
    cases = [{ index: 1, image: path.resolve(image), mask: path.resolve(mask), label: null, carried: {} }];
  }
  const progress = makeProgress(cases.length, 'extract', { quiet: o.quiet || cases.length === 1 });
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    const r = await runCase(c, params);
    outcomes.push(r);
    progress.tick();
  }
  progress.stop();
  const failed = outcomes.filter((x) => !x.ok);
  if (!o.batch && failed.length === 1) {
    const f = failed[0] as Extract<CaseOutcome, { ok: false }>;
    throw new RadnomoError(f.code as never, f.message.replace(/^case 1 \(([^)]*)\): /, `${image}: `));
  }
  const text = format === 'json' ? featureTableJson(outcomes, carried) : featureTableCsv(outcomes, carried);
  const errFile = errorsPath(o.out);
  if (failed.length < outcomes.length) writeFileAtomic(o.out, text);
  if (failed.length > 0) {
    writeFileAtomic(errFile, errorTableCsv(outcomes, carried));
    for (const f of failed) if (!f.ok) log(`failed: ${f.message}`);
    log(`${outcomes.length - failed.length} of ${outcomes.length} cases extracted${failed.length < outcomes.length ? ` to ${o.out}` : ''}; ${failed.length} failed, listed in ${errFile}.`);
    return 3;
  }
  if (fs.existsSync(errFile)) fs.rmSync(errFile);
  log(`${outcomes.length} case${outcomes.length === 1 ? '' : 's'} extracted to ${o.out}`);
  return 0;
}
