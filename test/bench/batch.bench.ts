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

/** Runs `radnomo extract --batch` as a child process; wall-clock ms, CPU seconds and peak RSS. */
async function runBatch(batch: string, out: string, jobs: number, params?: string): Promise<{ ms: number; peakMb: number; cpuS: number }> {
  fs.rmSync(out, { force: true });
  const t0 = process.hrtime.bigint();
  const args = [BIN, 'extract', '--batch', batch, '-o', out, '--jobs', String(jobs), '-q', ...(params ? ['-p', params] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peakMb = 0;
  let cpuS = 0;
  const timer = setInterval(() => {
    peakMb = Math.max(peakMb, peakRssMb(child.pid!));
    cpuS = Math.max(cpuS, cpuSeconds(child.pid!));
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(timer);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (code !== 0) throw new Error(`extract --jobs ${jobs} exited ${code}: ${stderr}`);
  return { ms, peakMb, cpuS };
}

type Run = { ms: number; peakMb: number; cpuS: number };

/** --jobs 1 and --jobs 2 alternated `runs` times on one batch; two result rows. */
async function scenario(n: number, label: string, batch: string, out: string, params: string | undefined, runs: number): Promise<BenchResult[]> {
  const j1: Run[] = [];
  const j2: Run[] = [];
  for (let r = 0; r < runs; r++) {
    // Alternate so that load changes on the machine hit both settings alike.
    j1.push(await runBatch(batch, out, 1, params));
    j2.push(await runBatch(batch, out, 2, params));
  }
  const ms1 = median(j1.map((x) => x.ms));
  const ms2 = median(j2.map((x) => x.ms));
  const peak1 = Math.max(...j1.map((x) => x.peakMb));
  const peak2 = Math.max(...j2.map((x) => x.peakMb));
  const cpu1 = median(j1.map((x) => x.cpuS));
  const cpu2 = median(j2.map((x) => x.cpuS));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return [
    { name: `batch: ${n} x brain1, ${label}, --jobs 1 (in-process)`, ms: ms1, note: `${((n / ms1) * 1000).toFixed(2)} cases/s; CPU ${cpu1.toFixed(1)} s (${((cpu1 * 1000) / ms1).toFixed(2)} cores busy); peak RSS ${peak1.toFixed(0)} MB` },
    {
      name: `batch: ${n} x brain1, ${label}, --jobs 2 (worker threads)`,
      ms: ms2,
      note: `${((n / ms2) * 1000).toFixed(2)} cases/s; throughput ${(ms1 / ms2).toFixed(2)}x of --jobs 1 (goal >= 1.8x on 2 cores; ${cores} cores here, load avg ${os.loadavg()[0]!.toFixed(1)}); CPU ${cpu2.toFixed(1)} s (${(cpu2 / cpu1).toFixed(2)}x of --jobs 1); peak RSS ${peak2.toFixed(0)} MB, +${(peak2 - peak1).toFixed(0)} MB per extra worker`,
    },
  ];
}

/**
 * A 20-case batch of brain1 copies through the CLI with --jobs 1 (in-process) and --jobs 2
 * (worker threads), with the original-image classes and with the seed study's set (original +
 * LoG x3 + wavelet x8), and a 60-case batch with the seed study's set: wall time, throughput
 * ratio (goal >= 1.8x on 2 cores for 20 cases), CPU, peak RSS.
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
    // 60 cases: the same 20 files listed three times under other ids (each worker's start-up and
    // JIT warm-up weigh less, as in a real cohort)
    const batch60 = path.join(dir, 'cases60.csv');
    const rows60 = [rows[0]!];
    for (let r = 1; r <= 3; r++) for (const row of rows.slice(1)) rows60.push(row.replace(/,case/, `,r${r}case`));
    fs.writeFileSync(batch60, rows60.join('\n') + '\n');
    const study = path.join(dir, 'study.yaml');
    fs.writeFileSync(study, 'imageType:\n  Original: {}\n  LoG:\n    sigma: [1.0, 3.0, 5.0]\n  Wavelet: {}\nsetting:\n  binWidth: 25\n');
    const out = path.join(dir, 'out.csv');
    const seed = 'seed-study set (~1,130 features)';
    return [
      ...(await scenario(20, 'original classes', batch, out, undefined, 3)),
      ...(await scenario(20, seed, batch, out, study, 3)),
      ...(await scenario(60, seed, batch60, out, study, 3)),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
