/**
 * Deep features: images/s of ResNet50 (2,048 pooled features, 224×224) on wasm (batch 1 and 8)
 * and cpu; `runDeepExtract` on 2 workers for 4 and 12 cases, whose difference gives the per-case
 * rate and so the projected time for the seed study's 442 slices; seconds per epoch of head
 * fine-tuning on 442 cached feature rows (+ their flipped copies); the process's peak RSS.
 * Random weights: speed does not depend on the weights' values. About a minute on 2 cores.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../src/deep/backend';
import { buildResNet50 } from '../../src/deep/resnet50';
import { featuresOf } from '../../src/deep/extract';
import { fitHead } from '../../src/deep/finetune';
import { runDeepExtract } from '../../src/cli/deep-command';
import { Random } from '../../src/random';
import { timeMedian, rssMb, type BenchResult } from './timing';

function writeNrrd(file: string, size: number[], data: Int16Array): void {
  const h = `NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-superior\nsizes: ${size.join(' ')}\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nkinds: domain domain domain\nendian: little\nencoding: raw\nspace origin: (0,0,0)\n\n`;
  fs.writeFileSync(file, Buffer.concat([Buffer.from(h, 'latin1'), Buffer.from(data.buffer)]));
}

export async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  let peak = rssMb();
  const rng = new Random(1);
  const img = (n: number): Float32Array => Float32Array.from({ length: n * 224 * 224 * 3 }, () => rng.next() * 255 - 110);
  for (const backend of ['wasm', 'cpu'] as const) {
    await useBackend(backend);
    const m = buildResNet50({ seed: 1 });
    for (const bs of backend === 'wasm' ? [1, 8] : [1]) {
      const x = img(bs);
      const inputs = Array.from({ length: bs }, (_, k) => x.subarray(k * 224 * 224 * 3, (k + 1) * 224 * 224 * 3));
      const ms = await timeMedian(() => featuresOf(m, inputs, 224, bs), backend === 'cpu' ? 1 : 3, 1);
      peak = Math.max(peak, rssMb());
      out.push({ name: `ResNet50 features 224x224, ${backend}, batch ${bs}`, ms, note: `${((bs * 1000) / ms).toFixed(2)} images/s per core; RSS ${peak.toFixed(0)} MB` });
    }
    m.dispose();
  }
  // Batch through the CLI handler on 2 workers (workers need the compiled dist/). Two batch sizes,
  // so the projection for 442 slices separates the per-case rate from the workers' model build.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-deep-bench-'));
  try {
    const rows = ['ID,Image,Mask'];
    for (let c = 0; c < 12; c++) {
      const im = new Int16Array(64 * 64 * 5).map(() => Math.round(rng.normal() * 100));
      const mk = new Int16Array(64 * 64 * 5);
      for (let y = 20; y < 40; y++) for (let x = 18 + (c % 8); x < 44; x++) mk[x + 64 * (y + 64 * 2)] = 1;
      writeNrrd(path.join(dir, `i${c}.nrrd`), [64, 64, 5], im);
      writeNrrd(path.join(dir, `m${c}.nrrd`), [64, 64, 5], mk);
      rows.push(`C${c},i${c}.nrrd,m${c}.nrrd`);
    }
    const timeBatch = async (n: number): Promise<number> => {
      const batch = path.join(dir, `cases${n}.csv`);
      fs.writeFileSync(batch, rows.slice(0, n + 1).join('\n') + '\n');
      const t0 = Date.now();
      const code = await runDeepExtract({ batch, weights: 'random', seed: '1', backend: 'wasm', jobs: '2', out: path.join(dir, `o${n}.csv`), quiet: true }, () => undefined);
      if (code !== 0) throw new Error(`deep extract of ${n} cases exited ${code}`);
      peak = Math.max(peak, rssMb());
      return Date.now() - t0;
    };
    const t4 = await timeBatch(4);
    const t12 = await timeBatch(12);
    const perCase = Math.max(t12 - t4, 1) / 8;
    const projected = (t4 + (442 - 4) * perCase) / 1000;
    out.push({ name: 'deep extract 4 cases, wasm, --jobs 2 (incl. model build)', ms: t4 });
    out.push({
      name: 'deep extract 12 cases, wasm, --jobs 2 (incl. model build)',
      ms: t12,
      note: `${(1000 / perCase).toFixed(2)} cases/s after the build; 442 slices on 2 workers ≈ ${projected.toFixed(0)} s (${(projected / 60).toFixed(1)} min)`,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // head fine-tuning: 442 rows of 2,048 cached features + flipped copies, 30 epochs
  const X = Array.from({ length: 442 }, () => Float32Array.from({ length: 2048 }, () => rng.normal()));
  const y = X.map((_, i) => i % 2);
  const aug = X.map((x) => [x.map((v) => v + 0.1 * rng.normal())]);
  const t0 = Date.now();
  fitHead(X, y, { seed: 1, augmented: aug });
  const ms = Date.now() - t0;
  // Peak resident memory of the whole process (worker threads included), as the kernel counted it.
  const maxRss = Math.max(peak, process.resourceUsage().maxRSS / 1024);
  out.push({ name: 'head fine-tuning, 442 cached rows (+442 flipped), 30 epochs', ms, note: `${(ms / 30 / 1000).toFixed(3)} s/epoch; peak RSS of the deep bench ${maxRss.toFixed(0)} MB` });
  void tf;
  return out;
}
