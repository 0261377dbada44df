import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Random } from '../../src/random';
import { ciAucDelong, delongPaired } from '../../stats/delong';
import { classificationMetrics } from '../../stats/metrics';
import { ciAucBootstrap, roc } from '../../stats/roc';
import { timeMedian, type BenchResult } from './timing';

/** Simulated outcome (prevalence 0.4) and two correlated, tied (rounded) predictors. */
function simulate(n: number, seed: number): { y: Float64Array; a: Float64Array; b: Float64Array } {
  const rng = new Random(seed);
  const y = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.next() < 0.4 ? 1 : 0;
    const shared = rng.normal();
    a[i] = Math.round((0.9 * y[i]! + shared + 0.5 * rng.normal()) * 1000) / 1000;
    b[i] = Math.round((0.6 * y[i]! + shared + 0.8 * rng.normal()) * 1000) / 1000;
  }
  return { y, a, b };
}

function writeCsv(file: string, d: { y: Float64Array; a: Float64Array; b: Float64Array }): void {
  const lines = ['y,a,b'];
  for (let i = 0; i < d.y.length; i++) lines.push(`${d.y[i]},${d.a[i]},${d.b[i]}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Times pROC on the same CSVs inside R (system.time, median of runs); undefined when Rscript or pROC is absent. */
function timePROC(big: string, small: string): number[] | undefined {
  const probe = spawnSync('Rscript', ['-e', 'cat(requireNamespace("pROC", quietly = TRUE))'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0 || !probe.stdout.includes('TRUE')) return undefined;
  const script = `
suppressMessages(library(pROC))
big <- read.csv(${JSON.stringify(big)})
small <- read.csv(${JSON.stringify(small)})
med <- function(f, k) { f(); median(replicate(k, system.time(f())[["elapsed"]])) * 1000 }
r <- roc(small$y, small$a, quiet = TRUE)
t1 <- med(function() roc.test(big$y, big$a, big$b, method = "delong", quiet = TRUE), 5)
t2 <- med(function() ci.auc(r, method = "bootstrap", boot.n = 2000, boot.stratified = TRUE, progress = "none"), 3)
t3 <- med(function() ci.auc(roc(big$y, big$a, quiet = TRUE), method = "delong"), 5)
cat(t1, t2, t3, "\\n")
`;
  const res = spawnSync('Rscript', ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.status !== 0) return undefined;
  const v = res.stdout.trim().split(/\s+/).map(Number);
  return v.length === 3 && v.every(Number.isFinite) ? v : undefined;
}

/**
 * DeLong paired test at n = 50,000 (both curves built from raw columns, as roc.test(y, a, b)),
 * the 2000-replicate stratified bootstrap AUC CI at n = 1,000, the DeLong AUC CI at n = 50,000,
 * and the metrics command's work at n = 1,000 — each beside pROC on the same data where R is present.
 */
export async function bench(): Promise<BenchResult[]> {
  const big = simulate(50000, 1);
  const small = simulate(1000, 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-roc-bench-'));
  const bigCsv = path.join(dir, 'big.csv');
  const smallCsv = path.join(dir, 'small.csv');
  writeCsv(bigCsv, big);
  writeCsv(smallCsv, small);
  try {
    const paired = await timeMedian(() => delongPaired(big.y, big.a, big.b), 7, 2);
    const smallCurve = roc(small.y, small.a);
    let seed = 0;
    const boot = await timeMedian(() => ciAucBootstrap(smallCurve, new Random(++seed), { bootN: 2000 }), 9, 2);
    const ciBig = await timeMedian(() => ciAucDelong(roc(big.y, big.a)), 7, 2);
    const metrics = await timeMedian(() => classificationMetrics(small.y, small.a, 0.5, { bootN: 2000, seed: 1 }), 7, 2);
    const ref = timePROC(bigCsv, smallCsv);
    return [
      { name: 'DeLong paired test, n = 50,000 (roc.test(y, a, b, method = "delong"))', ms: paired, refMs: ref?.[0] },
      { name: 'AUC CI, stratified bootstrap 2000 replicates, n = 1,000 (ci.auc)', ms: boot, refMs: ref?.[1], note: 'target <= 200 ms' },
      { name: 'ROC + DeLong AUC CI, n = 50,000 (roc, ci.auc(method = "delong"))', ms: ciBig, refMs: ref?.[2] },
      { name: 'metrics at a cut-off with 2000 bootstrap replicates, n = 1,000', ms: metrics },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
