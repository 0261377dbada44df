/**
 * Cohort-scale `radnomo deep extract`, with the conventions of `radnomo extract --batch`
 * (src/batch-runner.ts): each case runs in this thread (`--jobs 1`) or on a piscina worker pool
 * (one model per worker); each finished case, success or failure, is committed atomically to
 * `<out>.parts/case-NNNNNN.json` as it finishes, so an interrupted run continues with `--resume`
 * without recomputing finished cases; the outcomes are read back from the parts in batch order, so
 * a resumed run writes the same table as an uninterrupted one. A case that fails (unreadable image,
 * no ROI on the label, geometry mismatch...) fails alone.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RadnomoError } from '../errors';
import { commitFile, openPartsDir, partFile } from '../batch-runner';
import { makeProgress } from '../progress';
import { VERSION } from '../version';
import { deepCaseName, type DeepCase } from './extract';
import { runDeepTask, type DeepTask, type DeepTaskResult } from './worker';

/** A deep case's outcome: its pooled features (and those of its flipped slice when asked), or its error. */
export type DeepOutcome =
  | { case: DeepCase; ok: true; features: Float32Array; flipped: Float32Array | null }
  | { case: DeepCase; ok: false; code: string; message: string };

/** Options of a deep batch run. */
export interface DeepRunOptions {
  /** The output file; the parts folder is `<out>.parts`. */
  out: string;
  /** Worker threads, one model each; 1 runs in this thread. */
  jobs: number;
  /** Continue from an existing parts folder. */
  resume: boolean;
  /** The run's identity (`deepSettingsHash`): a part written under another one is refused. */
  settingsHash: string;
  quiet?: boolean;
  log: (s: string) => void;
}

const DEEP_PART_FORMAT = 1;

/** What a deep part file holds. Features are float32 bytes in base64 (exact and compact). */
interface DeepPartJson {
  radnomoDeepPart: number;
  radnomoVersion: string;
  settingsHash: string;
  case: { index: number; image: string; mask: string };
  ok: boolean;
  code?: string;
  message?: string;
  features?: string;
  flipped?: string | null;
}

/**
 * A short hash of everything that decides a case's features (weights, seed, input size, backend,
 * slice options, preprocessing), with object keys sorted so the order they were written in does
 * not matter.
 */
export function deepSettingsHash(settings: unknown): string {
  const canon = JSON.stringify(settings, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
  return crypto.createHash('sha1').update(canon).digest('hex').slice(0, 16);
}

function toBase64(f: Float32Array): string {
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
}

function fromBase64(s: unknown, what: string): Float32Array {
  if (typeof s !== 'string') throw new Error(`the ${what} are missing`);
  const b = Buffer.from(s, 'base64');
  if (b.length === 0 || b.length % 4 !== 0) throw new Error(`the ${what} are truncated`);
  const out = new Float32Array(b.length / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** The JSON text of a deep case's part. */
export function encodeDeepPart(o: DeepOutcome, settingsHash: string): string {
  const part: DeepPartJson = {
    radnomoDeepPart: DEEP_PART_FORMAT,
    radnomoVersion: VERSION,
    settingsHash,
    case: { index: o.case.index, image: o.case.image, mask: o.case.mask },
    ok: o.ok,
  };
  if (o.ok) {
    part.features = toBase64(o.features);
    part.flipped = o.flipped ? toBase64(o.flipped) : null;
  } else {
    part.code = o.code;
    part.message = o.message;
  }
  return JSON.stringify(part) + '\n';
}

/** A part read back: its stored identity and the outcome (attached to the given case). */
interface DecodedDeepPart {
  json: DeepPartJson;
  hasFlipped: boolean;
  outcome: (c: DeepCase) => DeepOutcome;
}

/** Parses a deep part's text; throws a plain Error saying what is wrong when it is truncated or malformed. */
function decodeDeepPart(text: string): DecodedDeepPart {
  const j = JSON.parse(text) as DeepPartJson;
  if (!j || typeof j !== 'object' || j.radnomoDeepPart !== DEEP_PART_FORMAT) throw new Error('not a radnomo deep part file');
  if (typeof j.settingsHash !== 'string' || typeof j.radnomoVersion !== 'string' || !j.case || typeof j.case.index !== 'number') {
    throw new Error('the run identity is missing');
  }
  if (j.ok === true) {
    const features = fromBase64(j.features, 'features');
    const flipped = j.flipped === null || j.flipped === undefined ? null : fromBase64(j.flipped, 'flipped-slice features');
    if (flipped && flipped.length !== features.length) throw new Error('the flipped-slice features are incomplete');
    return { json: j, hasFlipped: flipped !== null, outcome: (c) => ({ case: c, ok: true, features, flipped }) };
  }
  if (j.ok === false && typeof j.code === 'string' && typeof j.message === 'string') {
    const { code, message } = j;
    return { json: j, hasFlipped: false, outcome: (c) => ({ case: c, ok: false, code, message }) };
  }
  throw new Error('the outcome is missing');
}

/** Why a part does not belong to this run (different case, settings or radnomo version), or null. */
function partMismatch(j: DeepPartJson, c: DeepCase, settingsHash: string): string | null {
  if (j.case.image !== c.image || j.case.mask !== c.mask) {
    return `it was written for image ${j.case.image}, mask ${j.case.mask}, but this batch has image ${c.image}, mask ${c.mask} at position ${c.index}`;
  }
  if (j.settingsHash !== settingsHash) return `it was extracted with other settings (settings hash ${j.settingsHash}; this run's is ${settingsHash})`;
  if (j.radnomoVersion !== VERSION) return `it was extracted by radnomo ${j.radnomoVersion}; this is radnomo ${VERSION}`;
  return null;
}

/** The compiled deep worker piscina loads (from dist/, also when this module runs from source under ts-jest). */
export function deepWorkerFile(): string {
  const dir = __filename.endsWith('.ts') ? path.resolve(__dirname, '..', '..', 'dist', 'src', 'deep') : __dirname;
  const file = path.join(dir, 'worker.js');
  if (!fs.existsSync(file)) throw new RadnomoError('E_IO', `${file}: the compiled deep worker is missing; run "npm run build", or use --jobs 1.`);
  return file;
}

function outcomeOf(t: DeepTask, r: DeepTaskResult): DeepOutcome {
  return r.ok ? { case: t.c, ok: true, features: r.features, flipped: r.flipped } : { case: t.c, ok: false, code: r.code, message: r.message };
}

/**
 * Runs the deep tasks (one per case) and returns their outcomes in batch order. Each finished
 * case is committed to `<out>.parts/` as it finishes; with `resume`, cases whose part exists,
 * parses and belongs to this run are not run again, except a successful case whose part lacks
 * the flipped-slice features its task now asks for (`--finetune head` after a plain run). A
 * corrupt part is reported and recomputed; a part of another batch, settings or radnomo version
 * is an error naming the case. The caller removes the parts folder (`removeParts`) once the
 * output is written.
 */
export async function runDeepCases(tasks: DeepTask[], o: DeepRunOptions): Promise<DeepOutcome[]> {
  const byIndex = new Map(tasks.map((t) => [t.c.index, t]));
  const done = new Set<number>();
  const { dir, existed, parts } = openPartsDir(o.out, o.resume, o.log);
  for (const { index, file } of parts) {
    const t = byIndex.get(index);
    const name = t ? deepCaseName(t.c) : `case ${index}`;
    let part: DecodedDeepPart;
    try {
      part = decodeDeepPart(fs.readFileSync(file, 'utf8'));
      if (part.json.case.index !== index) throw new Error(`it holds case ${part.json.case.index}`);
    } catch (e) {
      o.log(`${name}: its saved part ${file} is corrupt (${(e as Error).message}); extracting the case again.`);
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!t) {
      throw new RadnomoError(
        'E_CASE',
        `${file}: the parts folder holds case ${index}, which is not among the cases of this run (a different batch file wrote it); run the original command with --resume, or delete ${dir} to start over.`,
      );
    }
    const why = partMismatch(part.json, t.c, o.settingsHash);
    if (why) throw new RadnomoError('E_CASE', `${name}: its saved part ${file} belongs to a different run: ${why}. Run the original command with --resume, or delete ${dir} to start over.`);
    if (part.json.ok && t.flip && !part.hasFlipped) {
      o.log(`${name}: its saved part has no flipped-slice features, which --finetune head trains on; extracting the case again.`);
      continue;
    }
    done.add(index);
  }
  const todo = tasks.filter((t) => !done.has(t.c.index));
  if (existed) o.log(`resuming: ${done.size} of ${tasks.length} cases are already done in ${dir}; extracting the other ${todo.length}.`);

  const progress = makeProgress(todo.length, 'deep extract', { quiet: o.quiet });
  const commit = (r: DeepOutcome): void => {
    commitFile(partFile(dir, r.case.index), encodeDeepPart(r, o.settingsHash));
    progress.tick(r.ok ? undefined : `(${deepCaseName(r.case)} failed)`);
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
      for (const t of todo) {
        commit(outcomeOf(t, await runDeepTask(t)));
        // A case is synchronous work chained by already-settled promises: yield to the event loop so a
        // SIGINT/SIGTERM between cases is handled (saving the parts message) instead of waiting for the end.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } else if (todo.length > 0) {
      await runOnPool(todo, Math.min(o.jobs, todo.length), commit);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    progress.stop();
  }

  // Assemble in batch order from the committed parts.
  return tasks.map((t) => {
    const file = partFile(dir, t.c.index);
    let part: DecodedDeepPart;
    try {
      part = decodeDeepPart(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new RadnomoError('E_IO', `${deepCaseName(t.c)}: its part ${file} cannot be read back (${(e as Error).message}); run again with --resume.`);
    }
    return part.outcome(t.c);
  });
}

/** Runs tasks on `threads` worker threads (one model each); a worker that throws or dies fails only its case. */
async function runOnPool(todo: DeepTask[], threads: number, commit: (r: DeepOutcome) => void): Promise<void> {
  const { Piscina } = await import('piscina');
  const pool = new Piscina<DeepTask, DeepTaskResult>({ filename: deepWorkerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  let next = 0;
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && next < todo.length) {
      const t = todo[next++]!;
      let r: DeepOutcome;
      try {
        r = outcomeOf(t, await pool.run(t));
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        r = { case: t.c, ok: false, code: 'E_CASE', message: `${deepCaseName(t.c)}: the worker thread extracting it failed (${why}).` };
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
