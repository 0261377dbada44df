/** `radnomo extract` on bad input: a clear error naming the file and the problem, non-zero exit, no output file. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { writeNrrd } from '../support/nrrd';

let dir: string;
const N = 6 * 6 * 4;
const ramp = Array.from({ length: N }, (_, i) => (i * 37) % 101);
/** A 2×2×2 block of label 1 (and a label-2 voxel) in a 6×6×4 volume. */
const block = Array.from({ length: N }, (_, i) => {
  const x = i % 6, y = Math.floor(i / 6) % 6, z = Math.floor(i / 36);
  if (x >= 2 && x <= 3 && y >= 2 && y <= 3 && z >= 1 && z <= 2) return 1;
  return i === 0 ? 2 : 0;
});

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-cli-'));
  writeNrrd(path.join(dir, 'img.nrrd'), { size: [6, 6, 4], type: 'short', data: ramp });
  writeNrrd(path.join(dir, 'mask.nrrd'), { size: [6, 6, 4], type: 'short', data: block });
  writeNrrd(path.join(dir, 'mask_shifted.nrrd'), { size: [6, 6, 4], type: 'short', data: block, origin: [0, 0, 5] });
  writeNrrd(path.join(dir, 'mask_empty.nrrd'), { size: [6, 6, 4], type: 'short', data: new Array(N).fill(0) });
  writeNrrd(path.join(dir, 'mask_one.nrrd'), { size: [6, 6, 4], type: 'short', data: block.map((_, i) => (i === 50 ? 1 : 0)) });
  writeNrrd(path.join(dir, 'img_nan.nrrd'), { size: [6, 6, 4], type: 'double', data: ramp.map((v, i) => (i === 7 ? NaN : v)) });
  fs.writeFileSync(path.join(dir, 'corrupt.nrrd'), 'NRRD0004\ntype: short\nsizes: 6 6\n\ngarbage');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'setting:\n  binwidth: 25\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await main(['node', 'radnomo', ...args], () => undefined, (s) => err.push(s));
  return { code, err: err.join('\n') };
}

const p = (f: string): string => path.join(dir, f);

test('a good case extracts and writes one row', async () => {
  const out = p('good.csv');
  const r = await run(['extract', p('img.nrrd'), p('mask.nrrd'), '-o', out]);
  expect(r.code).toBe(0);
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain('original_firstorder_Mean');
  const header = lines[0]!.split(',');
  const row = lines[1]!.split(',');
  expect(Number(row[header.indexOf('diagnostics_Mask-original_VoxelNum')])).toBe(8);
});

test.each([
  ['corrupt file', ['corrupt.nrrd', 'mask.nrrd'], /corrupt\.nrrd: cannot be read as NRRD/],
  ['unknown format', ['notes.txt', 'mask.nrrd'], /notes\.txt: unknown image format/],
  ['missing file', ['nothere.nrrd', 'mask.nrrd'], /nothere\.nrrd: no such file/],
  ['geometry mismatch', ['img.nrrd', 'mask_shifted.nrrd'], /geometry do not match: origin differs/],
  ['empty mask', ['img.nrrd', 'mask_empty.nrrd'], /the mask is empty/],
  ['label not in mask', ['img.nrrd', 'mask.nrrd', '--label', '7'], /label 7 is not in the mask \(labels present: 1, 2\)/],
  ['one-voxel ROI', ['img.nrrd', 'mask_one.nrrd'], /single voxel/],
  ['NaN voxels', ['img_nan.nrrd', 'mask.nrrd'], /img_nan\.nrrd: voxel 7 is NaN/],
])('%s: clear error naming the file, exit 1, no output', async (_name, args, re) => {
  const out = p(`out-${_name.replace(/\W/g, '')}.csv`);
  const files = args.map((a, i) => (i < 2 ? p(a) : a));
  const r = await run(['extract', ...files, '-o', out]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(re);
  expect(fs.existsSync(out)).toBe(false);
});

test('a params file with an unknown key: error naming the file and key, exit 1, no output', async () => {
  const out = p('params-bad.csv');
  const r = await run(['extract', p('img.nrrd'), p('mask.nrrd'), '-p', p('bad.yaml'), '-o', out]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/bad\.yaml \(setting\): unknown setting "binwidth"/);
  expect(fs.existsSync(out)).toBe(false);
});

test('usage errors exit 2', async () => {
  expect((await run(['extract', p('img.nrrd')])).code).toBe(2);
  expect((await run(['extract', p('img.nrrd'), p('mask.nrrd')])).code).toBe(2);
  expect((await run(['nosuchcommand'])).code).toBe(2);
});
