import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readImage } from '../../src/io/read-image';
import { n4BiasFieldCorrection } from '../../src/preprocess/n4';
import { median, timeMedian, type BenchResult } from './timing';

const ROOT = path.join(__dirname, '..', '..', '..');
const IMAGE = path.join(ROOT, 'fixtures', 'pyradiomics', 'brain1_image.nrrd');

/** The ITK reference program (fixtures/reference/n4): $RADNOMO_N4_ITK, n4_itk on PATH, or the documented build folder. */
function findItkProgram(): string | undefined {
  const candidates = [process.env['RADNOMO_N4_ITK'], ...(process.env['PATH'] ?? '').split(path.delimiter).map((d) => path.join(d, 'n4_itk')), '/tmp/n4-itk-build/n4_itk'];
  for (const c of candidates) {
    if (!c) continue;
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return c;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/**
 * N4 on brain1 (256×256×25): Otsu mask, shrink 4, 4 levels × 50 iterations, convergence 0.0001,
 * one thread; and ITK's N4 (Slicer pipeline, single thread) on the same input when its program
 * is built (median of 3 runs of its Otsu + shrink + N4 + full-resolution field time).
 */
export async function bench(): Promise<BenchResult[]> {
  const image = await readImage(IMAGE);
  const opts = { iterations: [50, 50, 50, 50] };
  let levels = '';
  const ms = await timeMedian(() => {
    const r = n4BiasFieldCorrection(image, opts);
    levels = r.levels.map((l) => l.iterations).join('+');
  }, 5, 1);
  let refMs: number | undefined;
  let note = `iterations ${levels}`;
  const prog = findItkProgram();
  if (prog) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-n4-itk-'));
    try {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        execFileSync(prog, [IMAGE, out, '50,50,50,50', '4', '0.0001'], { stdio: 'ignore' });
        const j = JSON.parse(fs.readFileSync(path.join(out, 'n4_itk.json'), 'utf8')) as { ms: { total: number }; levels: Array<{ iterations: number }> };
        times.push(j.ms.total);
        note = `iterations ${levels} (ITK ${j.levels.map((l) => l.iterations).join('+')}); ITK = ${prog}, 1 thread`;
      }
      refMs = median(times);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  } else {
    note += '; ITK reference program not found (build fixtures/reference/n4, see its CMakeLists.txt)';
  }
  return [{ name: 'N4 brain1 (Otsu mask, shrink 4, 4x50 iterations)', ms, refMs, note }];
}
