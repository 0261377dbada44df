/**
 * Cohort-scale batch extraction, run as real processes of the built CLI (bin/radnomo.js):
 * --jobs N on worker threads equals --jobs 1, a worker that dies fails only its case, an
 * interrupted run (SIGKILL) continues with --resume to the same table, and --shard K/N outputs
 * joined by `radnomo merge` equal a single run byte for byte.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { parseCsv } from '../../src/io/csv';
import { buildDist, writeBatch, cli, BIN } from './batch-fixtures';

jest.setTimeout(600000);

let tmp: string;
let small: string; // 9 cases: 8 good (2 of them NIfTI, 2 with Label 2), case 5 with an empty mask
let smallRef: string; // its --jobs 1 output
const read = (f: string): string => fs.readFileSync(f, 'utf8');

beforeAll(() => {
  buildDist();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-batch-'));
  small = writeBatch(path.join(tmp, 'small'), 9, [20, 20, 8], { broken: 5, nifti: [3, 7] });
  smallRef = path.join(tmp, 'small-j1.csv');
  const r = cli(['extract', '--batch', small, '-o', smallRef, '--jobs', '1', '-q']);
  if (r.code !== 3) throw new Error(`reference run exited ${r.code}: ${r.stderr}`);
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('--jobs', () => {
  test('--jobs 1 output: batch columns carried first, the broken case in the errors file, parts removed', () => {
    const t = parseCsv(read(smallRef), smallRef);
    expect(t.names.slice(0, 5)).toEqual(['id', 'Image', 'Mask', 'Label', 'site']);
    expect(t.names[5]).toBe('diagnostics_Versions_radnomo');
    expect(t.nrows).toBe(8);
    expect(t.columns.get('id')).toEqual(['P1', 'P2', 'P3', 'P4', 'P6', 'P7', 'P8', 'P9']);
    expect(t.columns.get('Image')![0]).toBe(path.join(tmp, 'small', 'img001.nrrd'));
    expect(t.columns.get('Label')).toEqual(['1', '1', '1', '2', '1', '1', '2', '1']);
    expect(t.columns.get('site')![0]).toBe('site, 1');
    const err = parseCsv(read(smallRef.replace(/\.csv$/, '.errors.csv')), 'errors');
    expect(err.nrows).toBe(1);
    expect(err.columns.get('case')).toEqual(['5']);
    expect(err.columns.get('id')).toEqual(['P5']);
    expect(err.columns.get('error')![0]).toMatch(/^case 5 \(img005\.nrrd\): /);
    expect(err.columns.get('error_code')).toEqual(['E_MASK']);
    expect(fs.existsSync(`${smallRef}.parts`)).toBe(false);
  });

  test('--jobs 2 (worker threads) writes the same bytes as --jobs 1, errors file included', () => {
    const out = path.join(tmp, 'small-j2.csv');
    const r = cli(['extract', '--batch', small, '-o', out, '--jobs', '2']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/extract: 9\/9 done \([\d.]+\/s, ETA 0 s\)/); // plain progress lines in a pipe
    expect(read(out)).toBe(read(smallRef));
    expect(read(out.replace(/\.csv$/, '.errors.csv'))).toBe(read(smallRef.replace(/\.csv$/, '.errors.csv')));
    expect(fs.existsSync(`${out}.parts`)).toBe(false);
  });

  test('--quiet prints no progress', () => {
    const out = path.join(tmp, 'small-q.csv');
    const r = cli(['extract', '--batch', small, '-o', out, '--jobs', '2', '--quiet']);
    expect(r.stderr).not.toMatch(/done \(/);
    expect(read(out)).toBe(read(smallRef));
  });

  test('a worker thread that dies fails only its case, naming it; the batch goes on', () => {
    const out = path.join(tmp, 'small-crash.csv');
    const r = cli(['extract', '--batch', small, '-o', out, '--jobs', '2', '-q'], { RADNOMO_TEST_WORKER_CRASH: 'img006.nrrd' });
    expect(r.code).toBe(3);
    const err = parseCsv(read(out.replace(/\.csv$/, '.errors.csv')), 'errors');
    expect(err.columns.get('case')).toEqual(['5', '6']);
    expect(err.columns.get('error')![1]).toMatch(/^case 6 \(img006\.nrrd\): the worker thread extracting it failed \(worker exited with code: 70\)/);
    // Every other case is exactly as in the reference run.
    const refLines = read(smallRef).split('\n');
    expect(read(out).split('\n')).toEqual(refLines.filter((l) => !l.startsWith('P6,')));
  });

  test('bad --jobs and --shard values are usage errors', () => {
    for (const args of [['--jobs', '0'], ['--jobs', 'two'], ['--shard', '0/3'], ['--shard', '4/3'], ['--shard', '1/0'], ['--shard', 'a/b']]) {
      const r = cli(['extract', '--batch', small, '-o', path.join(tmp, 'bad.csv'), ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(args[0] === '--jobs' ? /--jobs must be/ : /--shard must be K\/N/);
    }
  });
});

describe('--shard K/N and merge', () => {
  const shardOut = (k: number): string => path.join(tmp, `shard${k}.csv`);

  beforeAll(() => {
    for (const k of [1, 2, 3]) {
      const r = cli(['extract', '--batch', small, '-o', shardOut(k), '--shard', `${k}/3`, '--jobs', k === 2 ? '2' : '1', '-q']);
      expect(r.stderr).toMatch(new RegExp(`shard ${k}/3: 3 of the batch's 9 cases`));
    }
  });

  test('each shard holds the cases at positions p with p % 3 == K - 1', () => {
    const ids = (k: number): string[] => parseCsv(read(shardOut(k)), 's').columns.get('id')!;
    expect(ids(1)).toEqual(['P1', 'P4', 'P7']);
    expect(ids(2)).toEqual(['P2', 'P8']); // P5 failed: it is in shard2.errors.csv
    expect(ids(3)).toEqual(['P3', 'P6', 'P9']);
    expect(parseCsv(read(path.join(tmp, 'shard2.errors.csv')), 'e').columns.get('case')).toEqual(['5']);
  });

  test('merged shards equal the single run byte for byte (output and errors file)', () => {
    const out = path.join(tmp, 'merged.csv');
    const r = cli(['merge', '--batch', small, '-o', out, shardOut(3), shardOut(1), shardOut(2)]);
    expect(r.code).toBe(3); // one case failed in the batch, as in the single run
    expect(r.stderr).toMatch(/8 of 9 cases merged from 3 shards/);
    expect(read(out)).toBe(read(smallRef));
    expect(read(path.join(tmp, 'merged.errors.csv'))).toBe(read(smallRef.replace(/\.csv$/, '.errors.csv')));
  });

  test('a missing shard: the cases missing from all shards are listed, exit 3', () => {
    const out = path.join(tmp, 'merged-partial.csv');
    const r = cli(['merge', '--batch', small, '-o', out, shardOut(1), shardOut(2)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/3 cases are missing from all shards: case 3 \(img003\.nii\), case 6 \(img006\.nrrd\), case 9 \(img009\.nrrd\)/);
    expect(parseCsv(read(out), 'm').columns.get('id')).toEqual(['P1', 'P2', 'P4', 'P7', 'P8']);
  });

  test('a case present twice is an error naming the case and both places', () => {
    const dup = path.join(tmp, 'dup.csv');
    fs.copyFileSync(shardOut(1), dup);
    const r = cli(['merge', '--batch', small, '-o', path.join(tmp, 'merged-dup.csv'), shardOut(1), shardOut(2), shardOut(3), dup]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/case 1 \(img001\.nrrd\) is present twice: in .*shard1\.csv row 2 and in .*dup\.csv row 2/);
    expect(fs.existsSync(path.join(tmp, 'merged-dup.csv'))).toBe(false);
  });

  test('shards with different headers are an error', () => {
    const other = path.join(tmp, 'shard3-other.csv');
    const text = read(shardOut(3)).replace('original_glcm_Autocorrelation', 'original_glcm_Renamed');
    fs.writeFileSync(other, text);
    const r = cli(['merge', '--batch', small, '-o', path.join(tmp, 'merged-hdr.csv'), shardOut(1), shardOut(2), other]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/shard3-other\.csv: its header differs from .*shard1\.csv at column \d+ \("original_glcm_Renamed" vs "original_glcm_Autocorrelation"\)/);
  });
});

/** Counts the committed parts in a parts folder. */
function countParts(dir: string): number {
  try {
    return fs.readdirSync(dir).filter((f) => /^case-\d+\.json$/.test(f)).length;
  } catch {
    return 0;
  }
}

/** Starts an extraction, waits until `minParts` parts are committed, then SIGKILLs it. Returns the parts left. */
async function killMidway(batch: string, out: string, minParts: number): Promise<number> {
  const child = spawn(process.execPath, [BIN, 'extract', '--batch', batch, '-o', out, '--jobs', '1', '-q'], { stdio: 'ignore' });
  let exited = false;
  const done = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const parts = `${out}.parts`;
  const t0 = Date.now();
  while (!exited && countParts(parts) < minParts && Date.now() - t0 < 300000) await new Promise((r) => setTimeout(r, 25));
  expect(exited).toBe(false); // the run must still be going when it is killed
  expect(child.kill('SIGKILL')).toBe(true);
  await done;
  expect(child.signalCode).toBe('SIGKILL');
  expect(fs.existsSync(out)).toBe(false); // no output: the run never finished
  return countParts(parts);
}

describe('--resume after SIGKILL', () => {
  const N = 20;
  let big: string;
  let ref: string;

  beforeAll(() => {
    big = writeBatch(path.join(tmp, 'big'), N, [64, 64, 24]);
    ref = path.join(tmp, 'big-ref.csv');
    const r = cli(['extract', '--batch', big, '-o', ref, '--jobs', '1', '-q']);
    expect(r.code).toBe(0);
    expect(parseCsv(read(ref), 'ref').nrows).toBe(N);
  });

  test('killed run, then --resume: same bytes as an uninterrupted run, no case missing or doubled', async () => {
    const out = path.join(tmp, 'big-killed.csv');
    const left = await killMidway(big, out, 4);
    expect(left).toBeGreaterThanOrEqual(4);
    expect(left).toBeLessThan(N);

    // Without --resume, the existing parts folder is refused with a clear message.
    const refused = cli(['extract', '--batch', big, '-o', out, '--jobs', '1', '-q']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/big-killed\.csv\.parts holds the finished cases of an earlier, interrupted run .* pass --resume to continue it, or delete that folder/);

    // With other parameters, a saved part is an error naming the case; nothing is lost.
    const params = path.join(tmp, 'bw10.yaml');
    fs.writeFileSync(params, 'setting:\n  binWidth: 10\n');
    const other = cli(['extract', '--batch', big, '-o', out, '-p', params, '--jobs', '1', '-q', '--resume']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/case 1 \(img001\.nrrd\): its saved part .*case-000001\.json belongs to a different run: it was extracted with other parameters/);
    expect(countParts(`${out}.parts`)).toBe(left);

    const r = cli(['extract', '--batch', big, '-o', out, '--jobs', '2', '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`resuming: ${left} of ${N} cases are already done`);
    expect(r.stderr).toMatch(new RegExp(`extract: ${N - left}/${N - left} done`)); // only the rest was extracted
    expect(read(out)).toBe(read(ref));
    const ids = parseCsv(read(out), 'o').columns.get('id')!;
    expect(ids).toEqual(Array.from({ length: N }, (_x, i) => `P${i + 1}`));
    expect(fs.existsSync(`${out}.parts`)).toBe(false);
  });

  test('a corrupt (truncated) part is reported naming the case and recomputed', async () => {
    const out = path.join(tmp, 'big-corrupt.csv');
    const left = await killMidway(big, out, 3);
    expect(left).toBeLessThan(N);
    const part = path.join(`${out}.parts`, 'case-000002.json');
    const text = read(part);
    fs.writeFileSync(part, text.slice(0, Math.floor(text.length / 2)));
    const r = cli(['extract', '--batch', big, '-o', out, '--jobs', '1', '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/case 2 \(img002\.nrrd\): its saved part .*case-000002\.json is corrupt \(.*\); extracting the case again\./);
    expect(r.stderr).toContain(`resuming: ${left - 1} of ${N} cases are already done`);
    expect(read(out)).toBe(read(ref));
  });
});
