import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { median, type BenchResult } from './timing';

const ROOT = path.join(__dirname, '..', '..', '..');
const FIX = path.join(ROOT, 'fixtures', 'pyradiomics');
const BIN = path.join(ROOT, 'bin', 'radnomo.js');

/** Peak resident memory (VmHWM) of a running process in MB, or 0 when it cannot be read. */
function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a running process has used so far, or 0 when it cannot be read. */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** One batch run: wall-clock ms, CPU seconds, peak RSS, and when (ms after start) each case finished. */
interface Run {
  ms: number;
  peakMb: number;
  cpuS: number;
  finished: number[];
}

/**
 * Runs `radnomo extract --batch` as a child process. Its progress goes to a pipe, where radnomo
 * writes one line per finished case; each line is timed as it arrives.
 */
async function runBatch(batch: string, out: string, jobs: number, params: string | undefined, env: NodeJS.ProcessEnv): Promise<Run> {
  fs.rmSync(out, { force: true });
  const t0 = process.hrtime.bigint();
  const since = (): number => Number(process.hrtime.bigint() - t0) / 1e6;
  const args = [BIN, 'extract', '--batch', batch, '-o', out, '--jobs', String(jobs), ...(params ? ['-p', params] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  let pending = '';
  const finished: number[] = [];
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (/^extract: \d+\/\d+ done/.test(line)) finished.push(since());
  });
  let peakMb = 0;
  let cpuS = 0;
  const timer = setInterval(() => {
    peakMb = Math.max(peakMb, peakRssMb(child.pid!));
    cpuS = Math.max(cpuS, cpuSeconds(child.pid!));
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(timer);
  const ms = since();
  if (code !== 0) throw new Error(`extract --jobs ${jobs} exited ${code}: ${stderr}`);
  return { ms, peakMb, cpuS, finished };
}

/** Median wall-clock ms of each setting, and the runs themselves, for the summary row. */
interface Scenario {
  rows: BenchResult[];
  ms1: number;
  ms2: number;
  j1: Run[];
  j2: Run[];
}

/** --jobs 1 and --jobs 2 alternated `runs` times on one batch; two result rows. */
async function scenario(n: number, label: string, batch: string, out: string, params: string | undefined, runs: number, env: NodeJS.ProcessEnv = process.env): Promise<Scenario> {
  const j1: Run[] = [];
  const j2: Run[] = [];
  for (let r = 0; r < runs; r++) {
    // Alternate so that load changes on the machine hit both settings alike.
    j1.push(await runBatch(batch, out, 1, params, env));
    j2.push(await runBatch(batch, out, 2, params, env));
  }
  const ms1 = median(j1.map((x) => x.ms));
  const ms2 = median(j2.map((x) => x.ms));
  const peak1 = Math.max(...j1.map((x) => x.peakMb));
  const peak2 = Math.max(...j2.map((x) => x.peakMb));
  const cpu1 = median(j1.map((x) => x.cpuS));
  const cpu2 = median(j2.map((x) => x.cpuS));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const rows: BenchResult[] = [
    { name: `batch: ${n} x brain1, ${label}, --jobs 1 (in-process)`, ms: ms1, note: `${((n / ms1) * 1000).toFixed(2)} cases/s; CPU ${cpu1.toFixed(1)} s (${((cpu1 * 1000) / ms1).toFixed(2)} cores busy); peak RSS ${peak1.toFixed(0)} MB` },
    {
      name: `batch: ${n} x brain1, ${label}, --jobs 2 (worker threads)`,
      ms: ms2,
      note: `${((n / ms2) * 1000).toFixed(2)} cases/s; throughput ${(ms1 / ms2).toFixed(2)}x of --jobs 1 (goal >= 1.8x on 2 cores; ${cores} cores here, load avg ${os.loadavg()[0]!.toFixed(1)}); CPU ${cpu2.toFixed(1)} s (${(cpu2 / cpu1).toFixed(2)}x of --jobs 1); peak RSS ${peak2.toFixed(0)} MB, +${(peak2 - peak1).toFixed(0)} MB per extra worker`,
    },
  ];
  return { rows, ms1, ms2, j1, j2 };
}

/** Milliseconds per case once warm: the time from the `from`-th finished case to the last, per case. */
function steadyMsPerCase(r: Run, from: number): number {
  const f = r.finished;
  if (f.length <= from) throw new Error(`only ${f.length} progress lines were seen`);
  return (f[f.length - 1]! - f[from - 1]!) / (f.length - from);
}

/**
 * Steady-state throughput and fixed cost of one batch size. In each run, the cases after the
 * first third finish at a steady rate (every worker is warm); their ms per case, over the
 * alternated runs, gives the steady-state ratio of --jobs 2 to --jobs 1. A run's fixed cost is
 * its wall time less its case count times its steady ms per case: process start, module
 * loading, each isolate's warm-up (ITK reader, JIT) and the final write. The ratio a batch can
 * show is bounded by both: (fixed1 + n × steady1) / (fixed2 + n × steady2).
 */
function steadyState(s: Scenario, n: number, label = 'seed-study set'): BenchResult {
  const from = Math.floor(n / 3);
  const per = (r: Run): number => steadyMsPerCase(r, from);
  const ratios = s.j1.map((r, i) => per(r) / per(s.j2[i]!));
  const fixed1 = median(s.j1.map((r) => r.ms - n * per(r)));
  const fixed2 = median(s.j2.map((r) => r.ms - n * per(r)));
  return {
    name: `batch: ${n} x brain1, ${label}, steady state (cases ${from + 1}-${n}), --jobs 2`,
    ms: median(s.j2.map(per)),
    note:
      `ms per case (--jobs 1: ${median(s.j1.map(per)).toFixed(0)}); steady-state throughput ${median(ratios).toFixed(2)}x of --jobs 1 (median of paired runs); ` +
      `fixed cost ${(fixed1 / 1000).toFixed(1)} s with --jobs 1, ${(fixed2 / 1000).toFixed(1)} s with --jobs 2`,
  };
}

/** Cases in the cohort-scale batch. */
const LONG = 120;

/** glibc allocator settings the README suggests for Linux (see its Speed section). */
const TUNABLES = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=536870912';

/**
 * A 20-case batch of brain1 copies through the CLI with --jobs 1 (in-process) and --jobs 2
 * (worker threads), with the original-image classes and with the seed study's set (original +
 * LoG x3 + wavelet x8), and a 120-case batch with the seed study's set, as is and with the glibc
 * allocator settings the README suggests: wall time, throughput ratio (goal >= 1.8x on 2 cores
 * for 20 cases), CPU, peak RSS; and for each seed-study size, the steady-state throughput ratio
 * and the fixed cost of each setting.
 */
export async function bench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-batch-bench-'));
  try {
    const rows = ['Image,Mask,id'];
    for (let i = 1; i <= 20; i++) {
      const img = `brain1_${i}_image.nrrd`;
      const msk = `brain1_${i}_label.nrrd`;
      fs.copyFileSync(path.join(FIX, 'brain1_image.nrrd'), path.join(dir, img));
      fs.copyFileSync(path.join(FIX, 'brain1_label.nrrd'), path.join(dir, msk));
      rows.push(`${img},${msk},case${i}`);
    }
    const batch = path.join(dir, 'cases.csv');
    fs.writeFileSync(batch, rows.join('\n') + '\n');
    // A cohort: the same 20 files listed six times under other ids (each worker's start-up and
    // JIT warm-up weigh little, as in a study of hundreds of patients)
    const batchLong = path.join(dir, 'cases-long.csv');
    const rowsLong = [rows[0]!];
    for (let r = 1; r <= LONG / 20; r++) for (const row of rows.slice(1)) rowsLong.push(row.replace(/,case/, `,r${r}case`));
    fs.writeFileSync(batchLong, rowsLong.join('\n') + '\n');
    const study = path.join(dir, 'study.yaml');
    fs.writeFileSync(study, 'imageType:\n  Original: {}\n  LoG:\n    sigma: [1.0, 3.0, 5.0]\n  Wavelet: {}\nsetting:\n  binWidth: 25\n');
    const out = path.join(dir, 'out.csv');
    const seed = 'seed-study set (~1,130 features)';
    const original = await scenario(20, 'original classes', batch, out, undefined, 3);
    const seed20 = await scenario(20, seed, batch, out, study, 5);
    const seedLong = await scenario(LONG, seed, batchLong, out, study, 3);
    const tuned = await scenario(LONG, `${seed}, GLIBC_TUNABLES`, batchLong, out, study, 3, { ...process.env, GLIBC_TUNABLES: TUNABLES });
    return [
      ...original.rows,
      ...seed20.rows,
      steadyState(seed20, 20),
      ...seedLong.rows,
      steadyState(seedLong, LONG),
      ...tuned.rows,
      steadyState(tuned, LONG, 'seed-study set, GLIBC_TUNABLES'),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
