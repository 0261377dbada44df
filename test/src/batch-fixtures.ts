/**
 * Test support for the batch tests: tiny synthetic volumes written as NRRD (text header + raw
 * little-endian data) and NIfTI-1 (.nii), a batch CSV over them, and helpers to run the built CLI
 * as a real child process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'radnomo.js');

/** Compiles the project into dist/ (the CLI and the worker threads run the compiled code). */
export function buildDist(): void {
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    // Type errors elsewhere in the tree still emit JavaScript; only our own files must be there.
    const out = String((e as { stdout?: Buffer }).stdout ?? '');
    const mine = out.split('\n').filter((l) => /src\/(batch|batch-runner|extract-worker|feature-table|progress|cli\/(extract|merge)-command|cli\/main)\.ts/.test(l));
    if (mine.length > 0) throw new Error(`tsc reports errors in the batch files:\n${mine.join('\n')}`);
  }
  for (const f of ['dist/src/extract-worker.js', 'dist/src/batch-runner.js', 'dist/src/cli/merge-command.js']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} was not built`);
  }
}

/** A small deterministic generator (LCG), so every run writes the same volumes. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface Vol {
  size: [number, number, number];
  spacing: [number, number, number];
  data: Int16Array | Uint8Array;
}

/** A textured int16 image (gradient + blobs + noise, different per seed). */
export function makeImage(size: [number, number, number], seed: number): Vol {
  const r = lcg(seed);
  const [nx, ny, nz] = size;
  const data = new Int16Array(nx * ny * nz);
  const fx = 0.2 + r() * 0.5;
  const fy = 0.2 + r() * 0.5;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const v = 150 + 8 * x + 5 * y + 20 * z + 90 * Math.sin(fx * x) * Math.cos(fy * y) + 60 * r();
        data[x + nx * (y + ny * z)] = Math.round(v);
      }
  return { size, spacing: [0.8, 0.8, 2], data };
}

/** A label map with an ellipsoid of `label` in the middle (empty when `label` is 0). */
export function makeMask(size: [number, number, number], label = 1): Vol {
  const [nx, ny, nz] = size;
  const data = new Uint8Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const d = ((x - nx / 2) / (nx / 3)) ** 2 + ((y - ny / 2) / (ny / 3)) ** 2 + ((z - nz / 2) / (nz / 3)) ** 2;
        if (d <= 1) data[x + nx * (y + ny * z)] = label;
      }
  return { size, spacing: [0.8, 0.8, 2], data };
}

/** Writes a volume as a raw NRRD (identity direction, origin 0). */
export function writeNrrd(file: string, v: Vol): void {
  const type = v.data instanceof Int16Array ? 'short' : 'unsigned char';
  const [sx, sy, sz] = v.spacing;
  const header = [
    'NRRD0004',
    `type: ${type}`,
    'dimension: 3',
    'space: left-posterior-superior',
    `sizes: ${v.size.join(' ')}`,
    `space directions: (${sx},0,0) (0,${sy},0) (0,0,${sz})`,
    'kinds: domain domain domain',
    'endian: little',
    'encoding: raw',
    'space origin: (0,0,0)',
    '',
    '',
  ].join('\n');
  fs.writeFileSync(file, Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength)]));
}

/** Writes a volume as a single-file NIfTI-1 (.nii) with a scaling-only sform and qform. */
export function writeNifti(file: string, v: Vol): void {
  const h = Buffer.alloc(352);
  h.writeInt32LE(348, 0);
  const dims = [3, v.size[0], v.size[1], v.size[2], 1, 1, 1, 1];
  dims.forEach((d, i) => h.writeInt16LE(d, 40 + 2 * i));
  const int16 = v.data instanceof Int16Array;
  h.writeInt16LE(int16 ? 4 : 2, 70); // datatype: DT_INT16 or DT_UINT8
  h.writeInt16LE(int16 ? 16 : 8, 72); // bitpix
  const pix = [1, v.spacing[0], v.spacing[1], v.spacing[2], 1, 1, 1, 1];
  pix.forEach((p, i) => h.writeFloatLE(p, 76 + 4 * i));
  h.writeFloatLE(352, 108); // vox_offset
  h.writeFloatLE(1, 112); // scl_slope
  h.writeInt16LE(1, 252); // qform_code
  h.writeInt16LE(1, 254); // sform_code
  h.writeFloatLE(v.spacing[0], 280);
  h.writeFloatLE(v.spacing[1], 280 + 16 + 4);
  h.writeFloatLE(v.spacing[2], 280 + 32 + 8);
  h.write('n+1\0', 344, 'latin1');
  fs.writeFileSync(file, Buffer.concat([h, Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength)]));
}

/** The cases of a synthetic batch. `broken` makes that case's mask empty, so it fails. */
export function writeBatch(dir: string, n: number, size: [number, number, number], opts: { broken?: number; nifti?: number[] } = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  const rows = ['id,Image,Mask,Label,site'];
  for (let i = 1; i <= n; i++) {
    const ext = opts.nifti?.includes(i) ? 'nii' : 'nrrd';
    const img = `img${String(i).padStart(3, '0')}.${ext}`;
    const msk = `msk${String(i).padStart(3, '0')}.${ext}`;
    const label = i % 4 === 0 ? 2 : 1;
    const write = ext === 'nii' ? writeNifti : writeNrrd;
    write(path.join(dir, img), makeImage(size, 1000 + i));
    write(path.join(dir, msk), makeMask(size, label));
    if (i === opts.broken) write(path.join(dir, msk), makeMask(size, 0)); // an empty mask: the case fails
    rows.push(`P${i},${img},${msk},${label},"site, ${i % 3}"`);
  }
  const csv = path.join(dir, 'cases.csv');
  fs.writeFileSync(csv, rows.join('\n') + '\n');
  return csv;
}

/** Runs the built CLI as a child process; returns its exit code and output. */
export function cli(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 600000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
