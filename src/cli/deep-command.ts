/**
 * `radnomo deep extract` and `radnomo deep gradcam`: the handlers the CLI wires in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RadnomoError } from '../errors';
import { writeFileAtomic } from '../io/atomic-write';
import { readCsv, stringColumn, isMissing } from '../io/csv';
import { readParams, DEFAULT_SETTINGS } from '../params';
import { defaultJobs, removeParts } from '../batch-runner';
import type { CaseOutcome } from '../batch';
import { errorTableCsv } from '../feature-table';
import { errorsPath } from './extract-command';
import { parseBackend, useBackend, type BackendChoice } from '../deep/backend';
import { readDeepBatch, dtlTableCsv, untrainedWarning, loadBackbone, prepareCase, type BackboneSpec, type DeepCase } from '../deep/extract';
import { RESNET50_FEATURES } from '../deep/resnet50';
import type { DeepTask } from '../deep/worker';
import { runDeepCases, deepSettingsHash, type DeepOutcome } from '../deep/batch';
import { deepPreprocessingOf, parseResample, describePreprocessing, type DeepPreprocessing } from '../deep/preprocess';
import { fitHead, applyHead, parseHead, type DtlHead } from '../deep/finetune';
import { finetuneFull, saveFullFinetune } from '../deep/finetune-full';
import { gradcamCase } from '../deep/gradcam';

export interface DeepExtractOptions {
  batch?: string;
  weights?: string;
  seed?: string;
  finetune?: string;
  /** SGD learning rate of fine-tuning (default 0.01, the seed study's). */
  learningRate?: string;
  /** Fine-tuning epochs (default 30); the best by validation AUC is kept. */
  epochs?: string;
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
  /** A PyRadiomics params file whose `setting:` preprocessing (n4, normalize, resampledPixelSpacing, interpolator, label...) applies before the slice. */
  params?: string;
  /** `X,Y,Z` mm: resample before the slice (overrides the params file's resampledPixelSpacing). */
  resample?: string;
  /** N4 bias-field correction before the slice, with `radnomo n4`'s defaults (unless the params file sets N4 options). */
  n4?: boolean;
  /** Continue an interrupted run from `<out>.parts`. */
  resume?: boolean;
  /**
   * Network input size (default 224, what ImageNet weights expect). Library use only (tests run
   * random weights on a smaller input to stay fast); the CLI does not offer it.
   */
  inputSize?: string;
  out?: string;
  quiet?: boolean;
}

function numOpt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RadnomoError('E_USAGE', `${name} must be a positive number, got "${v}".`);
  return n;
}

function intOpt(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new RadnomoError('E_USAGE', `${name} must be a whole number of at least ${min}, got "${v}".`);
  return n;
}

function spec(o: { weights?: string; seed?: string }): BackboneSpec {
  if (!o.weights) throw new RadnomoError('E_USAGE', '--weights DIR is needed (a tfjs layers folder of Keras ResNet50 ImageNet weights), or --weights random --seed S for tests.');
  const seed = intOpt(o.seed, '--seed', 0);
  if (o.weights === 'random' && seed === undefined) throw new RadnomoError('E_USAGE', '--weights random needs --seed S; random weights exist for tests only.');
  return { weights: o.weights === 'random' ? 'random' : path.resolve(o.weights), seed };
}

/** The preprocessing before the slice, and the ROI label: the params file's settings, then --resample and --n4. */
function preprocessingOf(o: Pick<DeepExtractOptions, 'params' | 'resample' | 'n4' | 'label'>): { prep: DeepPreprocessing; label: number } {
  const settings = o.params ? readParams(o.params).settings : DEFAULT_SETTINGS;
  const prep = deepPreprocessingOf(settings);
  if (o.resample !== undefined) {
    prep.resampledPixelSpacing = parseResample(o.resample);
    if (prep.interpolator === null) prep.interpolator = 'sitkBSpline';
  }
  if (o.n4 && prep.n4 === false) prep.n4 = {};
  return { prep, label: intOpt(o.label, '--label', 1) ?? settings.label };
}

/** A failed deep outcome in the extractor's outcome shape, for `errorTableCsv`. */
function asCaseOutcome(r: Extract<DeepOutcome, { ok: false }>): CaseOutcome {
  const c = r.case;
  return { case: { index: c.index, image: c.image, mask: c.mask, label: null, carried: c.carried }, ok: false, code: r.code, message: r.message };
}

/**
 * `radnomo deep extract --batch cases.csv --weights DIR|random [--seed S] [-p params.yaml]
 * [--resample X,Y,Z] [--n4] [--finetune head --outcome Y] [--backend B] [--jobs N] [--resume]
 * -o dtl.csv`. As `radnomo extract --batch`: a failing case is listed in `<out>.errors.csv` and the
 * others complete (exit code 3); finished cases are saved in `<out>.parts/` so `--resume`
 * continues an interrupted run. Returns the exit code.
 */
export async function runDeepExtract(o: DeepExtractOptions, log: (s: string) => void): Promise<number> {
  if (!o.batch) throw new RadnomoError('E_USAGE', 'give --batch cases.csv (columns Image, Mask, ids...).');
  if (!o.out) throw new RadnomoError('E_USAGE', 'an output file is needed: -o dtl.csv');
  const s = spec(o);
  const inputSize = intOpt(o.inputSize, 'inputSize', 32);
  if (inputSize !== undefined) s.inputSize = inputSize;
  const backend: BackendChoice = parseBackend(o.backend);
  const jobs = intOpt(o.jobs, '--jobs', 1) ?? Math.max(1, Math.min(defaultJobs(), 8));
  const margin = intOpt(o.margin, '--margin', 0) ?? 10;
  const { prep, label } = preprocessingOf(o);
  const mode = o.finetune;
  if (mode !== undefined && mode !== 'head' && mode !== 'full') throw new RadnomoError('E_USAGE', `--finetune must be head or full, got "${mode}".`);
  if (mode && !o.outcome) throw new RadnomoError('E_USAGE', '--finetune needs --outcome COLUMN (0/1) in the batch file.');
  const learningRate = numOpt(o.learningRate, '--learning-rate');
  const epochs = intOpt(o.epochs, '--epochs', 1);
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
  log(`deep extract: ${cases.length} cases, backend ${used}, ${jobs} job(s), weights ${s.weights}; preprocessing: ${describePreprocessing(prep)}.`);
  if (s.weights !== 'random') loadBackbone({ ...s }).model.dispose(); // fail fast on a mismatching folder, naming it
  const slice = { label, margin };
  const tasks: DeepTask[] = cases.map((c: DeepCase, i) => ({ c, spec: s, backend, slice, prep, flip: mode === 'head' && train[i] === true }));
  const settingsHash = deepSettingsHash({ weights: s.weights, seed: s.seed ?? null, inputSize: s.inputSize ?? 224, backend: used, slice, prep });
  const outcomes = await runDeepCases(tasks, { out: o.out, jobs, resume: !!o.resume, settingsHash, quiet: o.quiet, log });

  const okRows = outcomes.map((r, i) => (r.ok ? i : -1)).filter((i) => i >= 0);
  const ok = okRows.map((i) => outcomes[i] as Extract<DeepOutcome, { ok: true }>);
  const failed = outcomes.filter((r): r is Extract<DeepOutcome, { ok: false }> => !r.ok);
  const errFile = errorsPath(o.out);
  if (failed.length > 0) {
    writeFileAtomic(errFile, errorTableCsv(failed.map(asCaseOutcome), names));
    for (const f of failed) log(`failed: ${f.message}`);
  }
  const feats = ok.map((r) => r.features);
  const tag = untrained ? `UNTRAINED-random-seed-${seed}` : `pretrained:${path.basename(s.weights)}`;
  let scores: Float64Array | undefined;
  let outFeats = feats;
  let outTag = tag;
  if (mode && y) {
    // Training rows among the successful cases only (k indexes `ok`).
    const idx = okRows.map((row, k) => (train[row] ? k : -1)).filter((k) => k >= 0);
    const dropped = train.filter(Boolean).length - idx.length;
    if (idx.length === 0) {
      throw new RadnomoError('E_DATA', `${o.batch}: every training row failed (listed in ${errFile}); there is nothing to fine-tune on.`);
    }
    if (dropped > 0) log(`fine-tuning: ${dropped} training row${dropped === 1 ? '' : 's'} dropped because ${dropped === 1 ? 'its' : 'their'} extraction failed (listed in ${errFile}); ${idx.length} remain.`);
    const headFile = o.headOut ?? o.out.replace(/(\.csv)?$/i, '.head.json');
    const outcomeName = `${o.batch}: column "${o.outcome}"`;
    if (mode === 'head') {
      const head = fitHead(
        idx.map((k) => feats[k]!),
        idx.map((k) => y![okRows[k]!]!),
        {
          seed,
          learningRate,
          epochs,
          augmented: idx.map((k) => {
            const f = ok[k]!.flipped;
            return f ? [f] : [];
          }),
          untrained,
          outcomeName,
          log: o.quiet ? undefined : log,
        },
      );
      writeFileAtomic(headFile, JSON.stringify(head) + '\n');
      log(`head fine-tuned on ${idx.length} training rows: best epoch ${head.bestEpoch}, validation AUC ${head.validationAuc.toFixed(3)}; written to ${headFile}.`);
      scores = applyHead(head, feats);
    } else {
      // Full mode: every weight trains, in this thread, on the prepared slices with augmentation;
      // the features written are those of the fine-tuned backbone.
      const size = s.inputSize ?? 224;
      const inputs: Float32Array[] = [];
      for (const r of ok) inputs.push((await prepareCase(r.case, { ...slice, size }, prep)).input);
      const backbone = loadBackbone({ ...s, inputSize: size });
      log(`full fine-tuning of all ${backbone.model.countParams().toLocaleString('en-US')} weights on ${idx.length} training rows (backend ${used}; slow without a GPU: about 6 s per image per epoch on the wasm backend).`);
      const r = await finetuneFull(
        idx.map((k) => inputs[k]!),
        idx.map((k) => y![okRows[k]!]!),
        backbone.model,
        { seed, inputSize: size, learningRate, epochs, untrained, outcomeName, log: o.quiet ? undefined : log },
      );
      const saved = await saveFullFinetune(r.head, r.model, headFile);
      outFeats = r.features(inputs);
      scores = applyHead(r.head, outFeats);
      outTag = `${tag}+finetuned-full`;
      log(
        `full fine-tuning (${r.backend}): best epoch ${r.head.bestEpoch}, validation AUC ${r.head.validationAuc.toFixed(3)}; head ${saved.headFile}, fine-tuned backbone ${saved.backboneDir} (use it as --weights with --head for Grad-CAM).`,
      );
      backbone.model.dispose();
    }
  }
  writeFileAtomic(
    o.out,
    dtlTableCsv(
      ok.map((r) => r.case),
      names,
      outFeats,
      outTag,
      scores,
    ),
  );
  removeParts(o.out);
  const what = `${ok.length} row${ok.length === 1 ? '' : 's'} × ${feats[0]?.length ?? RESNET50_FEATURES} DTL features to ${o.out}${untrained ? ' (UNTRAINED: random weights)' : ''}`;
  if (failed.length > 0) {
    log(`wrote ${what}; ${failed.length} of ${outcomes.length} cases failed, listed in ${errFile}.`);
    return 3;
  }
  if (fs.existsSync(errFile)) fs.rmSync(errFile);
  log(`wrote ${what}.`);
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
  /** Preprocessing before the slice, as deep extract's (-p params.yaml, --resample, --n4). */
  params?: string;
  resample?: string;
  n4?: boolean;
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
  const { prep, label } = preprocessingOf(o);
  const margin = intOpt(o.margin, '--margin', 0) ?? 10;
  if (s.weights === 'random') log(untrainedWarning(s.seed ?? 0));
  const backbone = head?.mode === 'full' ? (head as DtlHead & { backbone?: string }).backbone : undefined;
  if (backbone && path.basename(s.weights) !== backbone) {
    log(`warning: ${o.head} was trained with its fine-tuned backbone ${backbone} (beside it); --weights ${o.weights} is another network, so the heatmap is not the fine-tuned model's.`);
  }
  const r = await gradcamCase(path.resolve(o.image), path.resolve(o.mask), s, head, { label, margin }, prep);
  writeFileAtomic(o.out, r.png);
  log(`Grad-CAM (${r.target}) of slice ${r.slice} written to ${o.out}${s.weights === 'random' ? ' (UNTRAINED: random weights)' : ''}.`);
  return 0;
}
