/**
 * 10-fold cross-validated LASSO path (cv.glmnet, family binomial, deviance) on a simulated
 * 340 x 1,143 radiomics-like matrix, and the same call in R (system.time inside Rscript) when
 * Rscript and glmnet are present.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cvGlmnetBinomial } from '../../stats/lasso';
import { Random } from '../../src/random';
import { timeMedian, type BenchResult } from './timing';

/** Correlated features (blocks sharing a latent factor), outcome from 6 of them. */
export function simulateRadiomics(n: number, p: number, seed: number): { rows: number[][]; y: number[]; foldid: number[] } {
  const rnd = new Random(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(p);
    let latent = rnd.normal();
    for (let j = 0; j < p; j++) {
      if (j % 20 === 0) latent = rnd.normal();
      row[j] = 0.7 * latent + rnd.normal();
    }
    const eta = -0.3 + 0.8 * row[0]! - 0.6 * row[25]! + 0.5 * row[60]! + 0.4 * row[300]! - 0.5 * row[700]! + 0.3 * row[1000]!;
    y.push(rnd.next() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
    rows.push(row);
  }
  const foldid = rnd.shuffle(Array.from({ length: n }, (_, i) => (i % 10) + 1));
  return { rows, y, foldid };
}

function rTiming(csv: string, runs: number): number | undefined {
  const which = spawnSync('Rscript', ['-e', 'cat(requireNamespace("glmnet", quietly = TRUE))'], { encoding: 'utf8' });
  if (which.status !== 0 || !which.stdout.includes('TRUE')) return undefined;
  const script = `suppressMessages(library(glmnet)); d <- read.csv("${csv}"); y <- d$y; f <- d$foldid;
x <- as.matrix(d[, -(1:2)]); invisible(cv.glmnet(x, y, family = "binomial", foldid = f));
t <- sapply(1:${runs}, function(i) system.time(cv.glmnet(x, y, family = "binomial", foldid = f))[["elapsed"]]);
cat(median(t) * 1000)`;
  const res = spawnSync('Rscript', ['-e', script], { encoding: 'utf8' });
  if (res.status !== 0) return undefined;
  const ms = Number(res.stdout.trim().split(/\s+/).pop());
  return Number.isFinite(ms) ? ms : undefined;
}

export async function bench(): Promise<BenchResult[]> {
  const n = 340;
  const p = 1143;
  const { rows, y, foldid } = simulateRadiomics(n, p, 2025);
  let info = '';
  const ms = await timeMedian(() => {
    const cv = cvGlmnetBinomial(rows, y, undefined, { foldid });
    info = `${cv.lambda.length} lambdas, ${cv.fit.df[cv.indexMin]} features at lambda.min`;
  }, 5, 1);
  let refMs: number | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-lasso-'));
  try {
    const csv = path.join(dir, 'x.csv');
    const lines = ['y,foldid,' + Array.from({ length: p }, (_, j) => `f${j + 1}`).join(',')];
    for (let i = 0; i < n; i++) lines.push(`${y[i]},${foldid[i]},${rows[i]!.map((v) => v.toPrecision(17)).join(',')}`);
    fs.writeFileSync(csv, lines.join('\n') + '\n');
    refMs = rTiming(csv, 5);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return [
    {
      name: `cv.glmnet binomial, 10 folds, ${n} x ${p}`,
      ms,
      ...(refMs === undefined ? {} : { refMs }),
      note: `${info}${refMs === undefined ? '; R/glmnet not found, no reference time' : '; ref = R glmnet 4.1 cv.glmnet (system.time, median of 5)'}`,
    },
  ];
}

