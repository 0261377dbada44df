import * as fs from 'node:fs';
import * as path from 'node:path';
import { RadnomoError } from '../errors';
import { readParams, defaultParams, type ExtractionParams } from '../params';
import { readBatch, runCase, type BatchCase, type CaseOutcome } from '../batch';
import { featureTableCsv, featureTableJson, errorTableCsv } from '../feature-table';
import { writeFileAtomic } from '../io/atomic-write';
import { runBatchCases, removeParts, defaultJobs, parseShard, shardCases } from '../batch-runner';

export interface ExtractOptions {
  params?: string;
  out?: string;
  batch?: string;
  format?: string;
  label?: string;
  quiet?: boolean;
  /** Worker threads for a batch (default: the number of cores); 1 runs in-process. */
  jobs?: string;
  /** Continue an interrupted batch from `<out>.parts`. */
  resume?: boolean;
  /** `K/N`: extract only the cases at 0-based positions p with p % N == K - 1. */
  shard?: string;
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
  let outcomes: CaseOutcome[];
  if (o.batch) {
    if (image || mask) throw new RadnomoError('E_USAGE', 'give either IMAGE MASK or --batch cases.csv, not both.');
    let jobs = defaultJobs();
    if (o.jobs !== undefined) {
      jobs = Number(o.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new RadnomoError('E_USAGE', `--jobs must be a whole number of at least 1, got "${o.jobs}".`);
    }
    const shard = o.shard !== undefined ? parseShard(o.shard) : null;
    const b = readBatch(o.batch);
    cases = shard ? shardCases(b.cases, shard) : b.cases;
    carried = b.carriedNames;
    if (shard) log(`shard ${shard.k}/${shard.n}: ${cases.length} of the batch's ${b.cases.length} cases.`);
    if (cases.length === 0) {
      // An empty shard still writes its (header-only) table, so a job array's merge finds every shard file.
      writeFileAtomic(o.out, format === 'json' ? '[]\n' : featureTableCsv([], carried));
      log(`no cases in this shard; wrote an empty table to ${o.out}.`);
      return 0;
    }
    outcomes = await runBatchCases(cases, params, { out: o.out, jobs, resume: !!o.resume, quiet: o.quiet, log });
  } else {
    if (!image || !mask) throw new RadnomoError('E_USAGE', 'give IMAGE and MASK, or --batch cases.csv.');
    if (o.resume || o.shard !== undefined) throw new RadnomoError('E_USAGE', '--resume and --shard apply to --batch runs only.');
    cases = [{ index: 1, image: path.resolve(image), mask: path.resolve(mask), label: null, carried: {} }];
    outcomes = [await runCase(cases[0]!, params)];
  }
  const failed = outcomes.filter((x) => !x.ok);
  if (!o.batch && failed.length === 1) {
    const f = failed[0] as Extract<CaseOutcome, { ok: false }>;
    const rest = f.message.replace(/^case 1 \(([^)]*)\): /, '');
    const c = cases[0]!;
    throw new RadnomoError(f.code as never, rest.includes(c.image) || rest.includes(c.mask) ? rest : `${image}: ${rest}`);
  }
  const text = format === 'json' ? featureTableJson(outcomes, carried) : featureTableCsv(outcomes, carried);
  const errFile = errorsPath(o.out);
  if (o.batch || failed.length < outcomes.length) writeFileAtomic(o.out, text);
  if (failed.length > 0) {
    writeFileAtomic(errFile, errorTableCsv(outcomes, carried));
    for (const f of failed) if (!f.ok) log(`failed: ${f.message}`);
    log(`${outcomes.length - failed.length} of ${outcomes.length} cases extracted${failed.length < outcomes.length ? ` to ${o.out}` : ''}; ${failed.length} failed, listed in ${errFile}.`);
    if (o.batch) removeParts(o.out);
    return 3;
  }
  if (fs.existsSync(errFile)) fs.rmSync(errFile);
  if (o.batch) removeParts(o.out);
  log(`${outcomes.length} case${outcomes.length === 1 ? '' : 's'} extracted to ${o.out}`);
  return 0;
}
