/**
 * Cohort-scale batch extraction: runs a batch's cases in-process (`--jobs 1`) or on a piscina
 * worker-thread pool, commits each finished case atomically to `<out>.parts/case-NNNNNN.json`
 * (so an interrupted run continues with `--resume`), and assembles the outcomes in batch order
 * from those parts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Piscina } from 'piscina';
import { RadnomoError } from './errors';
import { runCase, caseName, type BatchCase, type CaseOutcome } from './batch';
import { paramsHash, type ExtractionParams } from './params';
import { makeProgress } from './progress';
import { VERSION } from './version';
import type { ExtractTask } from './extract-worker';

/** The parts folder of an output file: `<out>.parts`. */
export function partsDir(out: string): string {
  return `${path.resolve(out)}.parts`;
}

/** The part file of the case at 1-based batch position `index`. */
export function partFile(dir: string, index: number): string {
  return path.join(dir, `case-${String(index).padStart(6, '0')}.json`);
}

const PART_NAME = /^case-(\d+)\.json$/;
const PART_FORMAT = 1;

/** A number as JSON can hold it: non-finite numbers become tagged strings. */
type EncodedNumber = number | 'NaN' | 'Inf' | '-Inf';
/** A diagnostics value as JSON can hold it (strings stay strings; non-finite numbers are tagged). */
type EncodedDiag = string | number | { nonFinite: 'NaN' | 'Inf' | '-Inf' };

/** What a part file holds: the run's identity, the case's identity and its outcome. */
interface PartJson {
  radnomoPart: number;
  radnomoVersion: string;
  settingsHash: string;
  case: { index: number; image: string; mask: string; label: number | null };
  ok: boolean;
  code?: string;
  message?: string;
  diagnostics?: Array<[string, EncodedDiag]>;
  featureNames?: string[];
  featureValues?: EncodedNumber[];
}

function nonFiniteTag(v: number): 'NaN' | 'Inf' | '-Inf' {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf';
}
function encodeNumber(v: number): EncodedNumber {
  return Number.isFinite(v) ? v : nonFiniteTag(v);
}
function decodeNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  throw new Error(`a feature value is ${JSON.stringify(v)}`);
}

/** The JSON text of a case's part (its identity, the run's settings hash, and its outcome). */
export function encodePart(o: CaseOutcome, settingsHash: string): string {
  const c = o.case;
  const part: PartJson = {
    radnomoPart: PART_FORMAT,
    radnomoVersion: VERSION,
    settingsHash,
    case: { index: c.index, image: c.image, mask: c.mask, label: c.label },
    ok: o.ok,
  };
  if (o.ok) {
    part.diagnostics = Object.entries(o.result.diagnostics).map(([k, v]): [string, EncodedDiag] => [k, typeof v === 'number' && !Number.isFinite(v) ? { nonFinite: nonFiniteTag(v) } : v]);
    part.featureNames = Object.keys(o.result.features);
    part.featureValues = part.featureNames.map((k) => encodeNumber(o.result.features[k]!));
  } else {
    part.code = o.code;
    part.message = o.message;
  }
  return JSON.stringify(part) + '\n';
}

/** A part read back: its stored identity and the outcome (attached to the given case). */
interface DecodedPart {
  json: PartJson;
  outcome: (c: BatchCase) => CaseOutcome;
}

/** Parses a part's text; throws a plain Error saying what is wrong when it is truncated or malformed. */
function decodePart(text: string): DecodedPart {
  const j = JSON.parse(text) as PartJson;
  if (!j || typeof j !== 'object' || j.radnomoPart !== PART_FORMAT) throw new Error('not a radnomo part file');
  if (typeof j.settingsHash !== 'string' || typeof j.radnomoVersion !== 'string' || !j.case || typeof j.case.index !== 'number') {
    throw new Error('the run identity is missing');
  }
  if (j.ok === true) {
    const names = j.featureNames;
    const values = j.featureValues;
    if (!Array.isArray(j.diagnostics) || !Array.isArray(names) || !Array.isArray(values) || names.length !== values.length) {
      throw new Error('the features are incomplete');
    }
    const diagnostics: Record<string, string | number> = {};
    for (const [k, v] of j.diagnostics) {
      diagnostics[k] = typeof v === 'object' && v !== null ? decodeNumber(v.nonFinite) : v;
    }
    const features: Record<string, number> = {};
    names.forEach((n, i) => (features[n] = decodeNumber(values[i])));
    return { json: j, outcome: (c) => ({ case: c, ok: true, result: { diagnostics, features } }) };
  }
  if (j.ok === false && typeof j.code === 'string' && typeof j.message === 'string') {
    const { code, message } = j;
    return { json: j, outcome: (c) => ({ case: c, ok: false, code, message }) };
  }
  throw new Error('the outcome is missing');
}

/** Why a part does not belong to this run (different case, parameters or radnomo version), or null. */
function partMismatch(j: PartJson, c: BatchCase, settingsHash: string): string | null {
  const label = (l: number | null): string => (l === null ? 'none' : String(l));
  if (j.case.image !== c.image || j.case.mask !== c.mask || j.case.label !== c.label) {
    return `it was written for image ${j.case.image}, mask ${j.case.mask}, label ${label(j.case.label)}, but this batch has image ${c.image}, mask ${c.mask}, label ${label(c.label)} at position ${c.index}`;
  }
  if (j.settingsHash !== settingsHash) {
    return `it was extracted with other parameters (settings hash ${j.settingsHash}; this run's is ${settingsHash})`;
  }
  if (j.radnomoVersion !== VERSION) return `it was extracted by radnomo ${j.radnomoVersion}; this is radnomo ${VERSION}`;
  return null;
}

/** Writes a part file under a temporary name, flushes it to disk and renames it into place. */
export function commitFile(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new RadnomoError('E_IO', `${file}: cannot write the case's part (${(e as Error).message}).`);
  }
}

/** A part file found in a parts folder: the 1-based case position its name gives, and its path. */
export interface PartEntry {
  index: number;
  file: string;
}

/**
 * Opens the parts folder of `out` (`<out>.parts`) for a run. Without `resume`, an existing folder
 * is an error (it holds an earlier, interrupted run's cases). With `resume`, its uncommitted
 * temporary files (of a killed run) are removed, files that are not parts are noted through `log`
 * and ignored, and the part files are listed in name order; a missing folder is created. The
 * caller decodes each part and decides whether it can be kept.
 */
export function openPartsDir(out: string, resume: boolean, log: (s: string) => void): { dir: string; existed: boolean; parts: PartEntry[] } {
  const dir = partsDir(out);
  const existed = fs.existsSync(dir);
  if (existed && !resume) {
    throw new RadnomoError(
      'E_USAGE',
      `${dir} holds the finished cases of an earlier, interrupted run for ${out}; pass --resume to continue it, or delete that folder to start over.`,
    );
  }
  const parts: PartEntry[] = [];
  if (existed) {
    for (const f of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, f);
      if (f.startsWith('.') && f.endsWith('.tmp')) {
        fs.rmSync(file, { force: true }); // an uncommitted write of a killed run
        continue;
      }
      const m = PART_NAME.exec(f);
      if (!m) {
        log(`note: ${file} is not a part file; ignored.`);
        continue;
      }
      parts.push({ index: Number(m[1]), file });
    }
  } else {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new RadnomoError('E_IO', `${dir}: cannot create the parts folder (${(e as Error).message}).`);
    }
  }
  return { dir, existed, parts };
}

/** Options of a batch run. */
export interface BatchRunOptions {
  /** The output file; the parts folder is `<out>.parts`. */
  out: string;
  /** Worker threads; 1 runs in this thread. */
  jobs: number;
  /** Continue from an existing parts folder. */
  resume: boolean;
  quiet?: boolean;
  log: (s: string) => void;
}

/** The default number of jobs: the cores Node may use. */
export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** The compiled worker module piscina loads (from dist/, also when this module runs from source under ts-jest). */
export function workerFile(): string {
  const dir = __filename.endsWith('.ts') ? path.resolve(__dirname, '..', 'dist', 'src') : __dirname;
  const f = path.join(dir, 'extract-worker.js');
  if (!fs.existsSync(f)) {
    throw new RadnomoError('E_IO', `${f}: the compiled extraction worker is missing; run "npm run build", or use --jobs 1.`);
  }
  return f;
}

/**
 * Runs a batch's cases and returns their outcomes in batch order. Each finished case, success or
 * failure, is committed atomically to `<out>.parts/` as it finishes; with `resume`, cases whose
 * part exists and parses are not run again (a corrupt part is reported and recomputed; a part of
 * another batch, parameter set or radnomo version is an error naming the case). The outcomes are
 * read back from the parts, so a resumed run gives the same table as an uninterrupted one. The
 * caller removes the parts folder with `removeParts` once the output is written.
 */
export async function runBatchCases(cases: BatchCase[], params: ExtractionParams, o: BatchRunOptions): Promise<CaseOutcome[]> {
  const hash = paramsHash(params);
  const byIndex = new Map(cases.map((c) => [c.index, c]));
  const done = new Set<number>();
  const { dir, existed: exists, parts } = openPartsDir(o.out, o.resume, o.log);
  for (const { index, file } of parts) {
    const c = byIndex.get(index);
    let part: DecodedPart;
    try {
      part = decodePart(fs.readFileSync(file, 'utf8'));
      if (part.json.case.index !== index) throw new Error(`it holds case ${part.json.case.index}`);
    } catch (e) {
      o.log(`${c ? caseName(c) : `case ${index}`}: its saved part ${file} is corrupt (${(e as Error).message}); extracting the case again.`);
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!c) {
      throw new RadnomoError(
        'E_CASE',
        `${file}: the parts folder holds case ${index}, which is not among the cases of this run (a different batch file or --shard wrote it); run the original command with --resume, or delete ${dir} to start over.`,
      );
    }
    const why = partMismatch(part.json, c, hash);
    if (why) {
      throw new RadnomoError('E_CASE', `${caseName(c)}: its saved part ${file} belongs to a different run: ${why}. Run the original command with --resume, or delete ${dir} to start over.`);
    }
    done.add(index);
  }

  const todo = cases.filter((c) => !done.has(c.index));
  if (exists) o.log(`resuming: ${done.size} of ${cases.length} cases are already done in ${dir}; extracting the other ${todo.length}.`);

  const progress = makeProgress(todo.length, 'extract', { quiet: o.quiet });
  const commit = (r: CaseOutcome): void => {
    commitFile(partFile(dir, r.case.index), encodePart(r, hash));
    progress.tick(r.ok ? undefined : `(${caseName(r.case)} failed)`);
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    progress.stop();
    o.log(`radnomo: interrupted by ${sig}; the finished cases are saved in ${dir}. Run the same command with --resume to continue.`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (o.jobs <= 1) {
      for (const c of todo) {
        commit(await runCase(c, params));
        await new Promise<void>((resolve) => setImmediate(resolve)); // let SIGINT/SIGTERM in between cases
      }
    } else if (todo.length > 0) {
      await runOnPool(todo, params, Math.min(o.jobs, todo.length), commit);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    progress.stop();
  }

  // Assemble in batch order from the committed parts.
  return cases.map((c) => {
    const file = partFile(dir, c.index);
    let part: DecodedPart;
    try {
      part = decodePart(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new RadnomoError('E_IO', `${caseName(c)}: its part ${file} cannot be read back (${(e as Error).message}); run again with --resume.`);
    }
    return part.outcome(c);
  });
}

/** Runs cases on `threads` worker threads; a worker that throws or dies fails only its case. */
async function runOnPool(todo: BatchCase[], params: ExtractionParams, threads: number, commit: (r: CaseOutcome) => void): Promise<void> {
  const pool = new Piscina<ExtractTask, CaseOutcome>({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 30000 });
  let next = 0;
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && next < todo.length) {
      const c = todo[next++]!;
      let r: CaseOutcome;
      try {
        r = { ...(await pool.run({ c, params })), case: c };
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        r = { case: c, ok: false, code: 'E_CASE', message: `${caseName(c)}: the worker thread extracting it failed (${why}).` };
      }
      if (stopped) return;
      try {
        commit(r);
      } catch (e) {
        stopped = true;
        throw e;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    stopped = true;
    await pool.destroy();
  }
}

/** Removes a parts folder once the output it feeds has been written. */
export function removeParts(out: string): void {
  fs.rmSync(partsDir(out), { recursive: true, force: true });
}

/** Parses `--shard K/N` (K in 1..N). */
export function parseShard(spec: string): { k: number; n: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || k < 1 || k > n) {
    throw new RadnomoError('E_USAGE', `--shard must be K/N with 1 <= K <= N (e.g. --shard 2/8), got "${spec}".`);
  }
  return { k, n };
}

/** The cases of shard K/N: those whose 0-based position p has p % N == K - 1. */
export function shardCases<T>(cases: T[], shard: { k: number; n: number }): T[] {
  return cases.filter((_c, p) => p % shard.n === shard.k - 1);
}
