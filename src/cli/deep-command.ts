/**
 * `radnomo deep extract` and `radnomo deep gradcam`: the handlers the CLI wires in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { RadnomoError } from '../errors';
import { writeFileAtomic } from '../io/atomic-write';
import { readCsv, stringColumn, isMissing } from '../io/csv';
import { makeProgress } from '../progress';
import { parseBackend, useBackend, type BackendChoice } from '../deep/backend';
import { readDeepBatch, dtlTableCsv, untrainedWarning, loadBackbone, type BackboneSpec, type DeepCase } from '../deep/extract';
import { runDeepTask, type DeepTask, type DeepTaskResult } from '../deep/worker';
import { fitHead, applyHead, parseHead, type DtlHead } from '../deep/finetune';
import { gradcamCase } from '../deep/gradcam';

export interface DeepExtractOptions {
  batch?: string;
  weights?: string;
  seed?: string;
  finetune?: string;
  outcome?: string;
  /** Column marking training rows ("train" or 1); default: every row with an outcome trains. */
  trainColumn?: string;
  /** Mask column (default Mask; e.g. Mask2 for a second reader). */
  maskColumn?: string;
  label?: string;
  margin?: string;
  backend?: string;
  jobs?: string;
  /** Where the trained head goes (default `<out>.head.json`). */
  headOut?: string;
  out?: string;
  quiet?: boolean;
}

function intOpt(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new RadnomoError('E_USAGE', `${name} must be a whole number of at least ${min}, got "${v}".`);
  return n;
}

function spec(o: { weights?: string; seed?: string }): BackboneSpec {
  if (!o.weights) throw new RadnomoError('E_USAGE', '--weights DIR is needed (a tfjs layers folder of Keras ResNet50 ImageNet weights), or --weights random --seed S for tests.');
  const seed = intOpt(o.seed, '--seed', 0);
  if (o.weights === 'random' && seed === undefined) throw new RadnomoError('E_USAGE', '--weights random needs --seed S; random weights exist for tests only.');
  return { weights: o.weights === 'random' ? 'random' : path.resolve(o.weights), seed };
}

/** Runs tasks in this thread (jobs 1) or on piscina workers, one model per worker. */
async function runTasks(tasks: DeepTask[], jobs: number, tick: () => void): Promise<DeepTaskResult[]> {
  if (jobs <= 1) {
    const out: DeepTaskResult[] = [];
    for (const t of tasks) {
      out.push(await runDeepTask(t));
      tick();
    }
    return out;
  }
  const dir = __filename.endsWith('.ts') ? path.resolve(__dirname, '..', '..', 'dist', 'src', 'deep') : path.resolve(__dirname, '..', 'deep');
  const file = path.join(dir, 'worker.js');
  if (!fs.existsSync(file)) throw new RadnomoError('E_IO', `${file}: the compiled deep worker is missing; run "npm run build", or use --jobs 1.`);
  const { Piscina } = await import('piscina');
  const pool = new Piscina({ filename: file, minThreads: jobs, maxThreads: jobs, idleTimeout: 1000 });
  try {
    return await Promise.all(
      tasks.map(async (t) => {
        const r = (await pool.run(t)) as DeepTaskResult;
        tick();
        return r;
      }),
    );
  } finally {
    await pool.destroy();
  }
}

/**
 * `radnomo deep extract --batch cases.csv --weights DIR|random [--seed S] [--finetune head
 * --outcome Y] [--backend B] [--jobs N] -o dtl.csv`. Returns the exit code.
 */
export async function runDeepExtract(o: DeepExtractOptions, log: (s: string) => void): Promise<number> {
  if (!o.batch) throw new RadnomoError('E_USAGE', 'give --batch cases.csv (columns Image, Mask, ids...).');
  if (!o.out) throw new RadnomoError('E_USAGE', 'an output file is needed: -o dtl.csv');
  const s = spec(o);
  const backend: BackendChoice = parseBackend(o.backend);
  const jobs = intOpt(o.jobs, '--jobs', 1) ?? Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 8));
  const label = intOpt(o.label, '--label', 1) ?? 1;
  const margin = intOpt(o.margin, '--margin', 0) ?? 10;
  const mode = o.finetune;
  if (mode !== undefined && mode !== 'head' && mode !== 'full') throw new RadnomoError('E_USAGE', `--finetune must be head or full, got "${mode}".`);
  if (mode && !o.outcome) throw new RadnomoError('E_USAGE', '--finetune needs --outcome COLUMN (0/1) in the batch file.');
  if (mode === 'full') {
    throw new RadnomoError(
      'E_USAGE',
      '--finetune full trains all 23.5 million weights and needs @tensorflow/tfjs-node-gpu; it is available from the library (finetuneFull) only in this version. Use --finetune head.',
    );
  }
  const { cases, names } = readDeepBatch(o.batch, o.maskColumn ?? 'Mask');
  // outcome and training rows
  let y: number[] | null = null;
  let train: boolean[] = [];
  if (mode) {
    const t = readCsv(o.batch);
    const col = stringColumn(t, o.outcome!);
    y = col.map((v) => (isMissing(v) ? NaN : Number(v)));
    const tc = o.trainColumn ? stringColumn(t, o.trainColumn) : null;
    train = y.map((v, i) => !Number.isNaN(v) && (!tc || /^(train|training|1|true)$/i.test(tc[i]!.trim())));
    if (!train.some(Boolean)) throw new RadnomoError('E_DATA', `${o.batch}: no training rows with an outcome in "${o.outcome}".`);
  }
  const seed = s.seed ?? 0;
  const untrained = s.weights === 'random';
  const used = await useBackend(backend);
  if (untrained) log(untrainedWarning(seed));
  log(`deep extract: ${cases.length} cases, backend ${used}, ${jobs} job(s), weights ${s.weights}.`);
  if (s.weights !== 'random') loadBackbone({ ...s }).model.dispose(); // fail fast on a mismatching folder, naming it
  const tasks: DeepTask[] = cases.map((c: DeepCase, i) => ({ c, spec: s, backend, slice: { label, margin }, flip: !!mode && train[i] === true }));
  const progress = makeProgress(tasks.length, 'deep extract', { quiet: o.quiet });
  const results = await runTasks(tasks, jobs, () => progress.tick());
  progress.stop();
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) throw new RadnomoError(failed.code as never, failed.message);
  const feats = results.map((r) => (r as Extract<DeepTaskResult, { ok: true }>).features);
  const tag = untrained ? `UNTRAINED-random-seed-${seed}` : `pretrained:${path.basename(s.weights)}`;
  let scores: Float64Array | undefined;
  if (mode === 'head' && y) {
    const idx = train.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
    const head = fitHead(
      idx.map((i) => feats[i]!),
      idx.map((i) => y![i]!),
      {
        seed,
        augmented: idx.map((i) => {
          const f = (results[i] as Extract<DeepTaskResult, { ok: true }>).flipped;
          return f ? [f] : [];
        }),
        untrained,
        outcomeName: `${o.batch}: column "${o.outcome}"`,
        log: o.quiet ? undefined : log,
      },
    );
    const headFile = o.headOut ?? o.out.replace(/(\.csv)?$/i, '.head.json');
    writeFileAtomic(headFile, JSON.stringify(head) + '\n');
    log(`head fine-tuned on ${idx.length} training rows: best epoch ${head.bestEpoch}, validation AUC ${head.validationAuc.toFixed(3)}; written to ${headFile}.`);
    scores = applyHead(head, feats);
  }
  writeFileAtomic(o.out, dtlTableCsv(cases, names, feats, tag, scores));
  log(`wrote ${cases.length} rows × ${feats[0]!.length} DTL features to ${o.out}${untrained ? ' (UNTRAINED: random weights)' : ''}.`);
  return 0;
}

export interface DeepGradcamOptions {
  image?: string;
  mask?: string;
  weights?: string;
  seed?: string;
  head?: string;
  label?: string;
  margin?: string;
  backend?: string;
  out?: string;
}

/** Reads a head JSON. */
export function readHead(file: string): DtlHead {
  let j: unknown;
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RadnomoError('E_IO', `${file}: cannot read the head (${(e as Error).message}).`);
  }
  return parseHead(j, file);
}

/**
 * `radnomo deep gradcam --image I --mask M --weights DIR|random [--head head.json] -o heatmap.png`:
 * Grad-CAM on conv5_block3_out, overlaid on the prepared slice. Returns the exit code.
 */
export async function runDeepGradcam(o: DeepGradcamOptions, log: (s: string) => void): Promise<number> {
  if (!o.image || !o.mask) throw new RadnomoError('E_USAGE', 'give --image IMAGE and --mask MASK.');
  if (!o.out) throw new RadnomoError('E_USAGE', 'an output file is needed: -o heatmap.png');
  const s = spec(o);
  await useBackend(parseBackend(o.backend));
  const head = o.head ? readHead(o.head) : null;
  const label = intOpt(o.label, '--label', 1) ?? 1;
  const margin = intOpt(o.margin, '--margin', 0) ?? 10;
  if (s.weights === 'random') log(untrainedWarning(s.seed ?? 0));
  const r = await gradcamCase(path.resolve(o.image), path.resolve(o.mask), s, head, { label, margin });
  writeFileAtomic(o.out, r.png);
  log(`Grad-CAM (${r.target}) of slice ${r.slice} written to ${o.out}${s.weights === 'random' ? ' (UNTRAINED: random weights)' : ''}.`);
  return 0;
}
