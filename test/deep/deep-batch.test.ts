/**
 * `radnomo deep extract` at cohort scale, as `radnomo extract --batch`: failing cases go to
 * `<out>.errors.csv` (exit 3) while the rest complete; finished cases are parts in `<out>.parts/`
 * so `--resume` continues an interrupted run without recomputing them; fine-tuning uses the
 * successful cases only. Random weights on a 64 × 64 input keep ResNet50 affordable.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDeepExtract, type DeepExtractOptions } from '../../src/cli/deep-command';
import { runDeepCases, deepSettingsHash } from '../../src/deep/batch';
import * as worker from '../../src/deep/worker';
import { readCsv } from '../../src/io/csv';
import { writeNrrd } from '../src/batch-fixtures';

const N = 24;
const size: [number, number, number] = [N, N, 3];

function image(seed: number): Int16Array {
  return new Int16Array(N * N * 3).map((_, i) => ((i * 37 + seed * 11) % 97) - 40 + ((i * seed) % 13));
}
function mask(x0: number): Uint8Array {
  const m = new Uint8Array(N * N * 3);
  for (let y = 8; y < 14; y++) for (let x = x0; x < x0 + 8; x++) m[x + N * (y + N)] = 1;
  return m;
}

describe('deep extract batches: failures, resume, fine-tuning on the successful cases', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-deep-batch-'));
  const base = (o: Partial<DeepExtractOptions>): DeepExtractOptions => ({
    weights: 'random',
    seed: '5',
    jobs: '1',
    backend: 'wasm',
    margin: '1',
    inputSize: '64',
    quiet: true,
    ...o,
  });
  beforeAll(() => {
    for (let c = 0; c < 7; c++) {
      writeNrrd(path.join(dir, `img${c}.nrrd`), { size, spacing: [1, 1, 1], data: image(c + 1) });
      writeNrrd(path.join(dir, `mask${c}.nrrd`), { size, spacing: [1, 1, 1], data: mask(3 + c) });
    }
    writeNrrd(path.join(dir, 'empty.nrrd'), { size, spacing: [1, 1, 1], data: new Uint8Array(N * N * 3) });
    writeNrrd(path.join(dir, 'mask-2mm.nrrd'), { size, spacing: [2, 2, 2], data: mask(4) });
    fs.writeFileSync(path.join(dir, 'broken.nrrd'), 'NRRD0004\ntype: short\ndimension: 3\nsizes: 24 24\n\n');
    fs.writeFileSync(
      path.join(dir, 'bad.csv'),
      [
        'ID,Image,Mask',
        'P1,img0.nrrd,mask0.nrrd',
        'P2,img1.nrrd,empty.nrrd', // no ROI on label 1
        'P3,broken.nrrd,mask2.nrrd', // unreadable image
        'P4,img3.nrrd,mask-2mm.nrrd', // geometry mismatch
        'P5,img4.nrrd,mask4.nrrd',
      ].join('\n') + '\n',
    );
    fs.writeFileSync(path.join(dir, 'three.csv'), 'ID,Image,Mask\nA,img0.nrrd,mask0.nrrd\nB,img1.nrrd,mask1.nrrd\nC,img2.nrrd,mask2.nrrd\n');
    const y = [0, 1, 0, 1, 0, 1, 0];
    const rows = ['ID,Image,Mask,Grade'];
    for (let c = 0; c < 7; c++) rows.push(`F${c},img${c}.nrrd,${c === 3 ? 'empty' : `mask${c}`}.nrrd,${y[c]}`);
    fs.writeFileSync(path.join(dir, 'ft.csv'), rows.join('\n') + '\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  test('failing cases (no ROI, unreadable image, geometry mismatch) go to <out>.errors.csv, the others are written, exit 3', async () => {
    const out = path.join(dir, 'bad-out.csv');
    const logs: string[] = [];
    const consoleLog = console.log;
    const code = await runDeepExtract(base({ batch: path.join(dir, 'bad.csv'), out }), (s) => logs.push(s));
    expect(code).toBe(3);
    // The in-process run leaves console.log as it found it (overlapping image reads once left it silenced).
    expect(console.log).toBe(consoleLog);
    const t = readCsv(out);
    expect(t.columns.get('ID')).toEqual(['P1', 'P5']);
    expect(t.names.length).toBe(3 + 1 + 2048);
    expect(t.columns.get('dtl_0000')!.every((v) => Number.isFinite(Number(v)))).toBe(true);
    const e = readCsv(path.join(dir, 'bad-out.errors.csv'));
    expect(e.columns.get('ID')).toEqual(['P2', 'P3', 'P4']);
    expect(e.columns.get('case')).toEqual(['2', '3', '4']);
    const msg = e.columns.get('error')!;
    expect(msg[0]).toBe('case 2 (img1.nrrd): the mask has no axial slice containing label 1.');
    expect(msg[1]).toMatch(/^case 3 \(broken\.nrrd\): /);
    expect(msg[2]).toMatch(/^case 4 \(img3\.nrrd\): image and mask geometry do not match: spacing differs/);
    expect(e.columns.get('error_code')).toEqual(['E_MASK', expect.any(String), 'E_GEOMETRY']);
    expect(logs.some((l) => /2 rows × 2048 DTL features .*; 3 of 5 cases failed, listed in .*bad-out\.errors\.csv/.test(l))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'bad-out.csv.parts'))).toBe(false);
    // The good cases' features do not depend on the bad ones: a batch of P1 alone gives P1's row.
    fs.writeFileSync(path.join(dir, 'p1.csv'), 'ID,Image,Mask\nP1,img0.nrrd,mask0.nrrd\n');
    expect(await runDeepExtract(base({ batch: path.join(dir, 'p1.csv'), out: path.join(dir, 'p1-out.csv') }), () => undefined)).toBe(0);
    expect(fs.existsSync(path.join(dir, 'p1-out.errors.csv'))).toBe(false);
    const one = readCsv(path.join(dir, 'p1-out.csv'));
    expect(one.columns.get('dtl_0100')![0]).toBe(t.columns.get('dtl_0100')![0]);
  });

  test('an interrupted run resumes: finished cases are not recomputed, a corrupt part is, and the CSV equals an uninterrupted run', async () => {
    const batch = path.join(dir, 'three.csv');
    const full = path.join(dir, 'full.csv');
    expect(await runDeepExtract(base({ batch, out: full }), () => undefined)).toBe(0);
    const expected = fs.readFileSync(full, 'utf8');

    // A run killed while extracting its third case: cases 1 and 2 are committed parts.
    const out = path.join(dir, 'resumed.csv');
    const real = worker.runDeepTask;
    let calls = 0;
    const spy = jest.spyOn(worker, 'runDeepTask').mockImplementation(async (t) => {
      calls++;
      if (calls === 3) throw new Error('killed');
      return real(t);
    });
    await expect(runDeepExtract(base({ batch, out }), () => undefined)).rejects.toThrow('killed');
    const parts = path.join(dir, 'resumed.csv.parts');
    expect(fs.readdirSync(parts).sort()).toEqual(['case-000001.json', 'case-000002.json']);
    expect(fs.existsSync(out)).toBe(false);

    // Without --resume the parts folder is refused, naming the option.
    await expect(runDeepExtract(base({ batch, out }), () => undefined)).rejects.toThrow(/resumed\.csv\.parts holds the finished cases of an earlier, interrupted run .*pass --resume/);

    const done: number[] = [];
    spy.mockImplementation(async (t) => {
      done.push(t.c.index);
      return real(t);
    });
    const logs: string[] = [];
    expect(await runDeepExtract(base({ batch, out, resume: true }), (s) => logs.push(s))).toBe(0);
    expect(done).toEqual([3]);
    expect(logs.some((l) => /resuming: 2 of 3 cases are already done/.test(l))).toBe(true);
    expect(fs.readFileSync(out, 'utf8')).toBe(expected);
    expect(fs.existsSync(parts)).toBe(false);

    // Again, with case 1's part truncated: it is recomputed, and the CSV is still the same.
    const out2 = path.join(dir, 'resumed2.csv');
    calls = 0;
    spy.mockImplementation(async (t) => {
      calls++;
      if (calls === 3) throw new Error('killed');
      return real(t);
    });
    await expect(runDeepExtract(base({ batch, out: out2 }), () => undefined)).rejects.toThrow('killed');
    const p1 = path.join(dir, 'resumed2.csv.parts', 'case-000001.json');
    fs.writeFileSync(p1, fs.readFileSync(p1, 'utf8').slice(0, 200));
    done.length = 0;
    spy.mockImplementation(async (t) => {
      done.push(t.c.index);
      return real(t);
    });
    const logs2: string[] = [];
    expect(await runDeepExtract(base({ batch, out: out2, resume: true }), (s) => logs2.push(s))).toBe(0);
    expect(done).toEqual([1, 3]);
    expect(logs2.some((l) => /case 1 \(img0\.nrrd\): its saved part .* is corrupt/.test(l))).toBe(true);
    expect(fs.readFileSync(out2, 'utf8')).toBe(expected);

    // Parts of other settings are refused, naming the case.
    const out3 = path.join(dir, 'other.csv');
    calls = 0;
    spy.mockImplementation(async (t) => {
      calls++;
      if (calls === 2) throw new Error('killed');
      return real(t);
    });
    await expect(runDeepExtract(base({ batch, out: out3 }), () => undefined)).rejects.toThrow('killed');
    spy.mockImplementation(real);
    await expect(runDeepExtract(base({ batch, out: out3, resume: true, margin: '2' }), () => undefined)).rejects.toThrow(
      /case 1 \(img0\.nrrd\): its saved part .* belongs to a different run: it was extracted with other settings/,
    );
  });

  test('--finetune head trains on the successful training rows only, says how many were dropped; parts keep the flipped-slice features', async () => {
    const out = path.join(dir, 'ft-out.csv');
    const logs: string[] = [];
    const code = await runDeepExtract(base({ batch: path.join(dir, 'ft.csv'), out, finetune: 'head', outcome: 'Grade' }), (s) => logs.push(s));
    expect(code).toBe(3);
    expect(logs.some((l) => l.includes('fine-tuning: 1 training row dropped because its extraction failed') && l.includes('6 remain'))).toBe(true);
    expect(logs.some((l) => /head fine-tuned on 6 training rows/.test(l))).toBe(true);
    const t = readCsv(out);
    expect(t.columns.get('ID')).toEqual(['F0', 'F1', 'F2', 'F4', 'F5', 'F6']);
    expect(t.columns.get('dtl_score')!.every((v) => Number(v) > 0 && Number(v) < 1)).toBe(true);
    expect(readCsv(path.join(dir, 'ft-out.errors.csv')).columns.get('ID')).toEqual(['F3']);
    const head = JSON.parse(fs.readFileSync(path.join(dir, 'ft-out.head.json'), 'utf8')) as { untrained: boolean };
    expect(head.untrained).toBe(true);

    // What a --finetune head run commits for a training case: the features and the flipped slice's.
    const c = { index: 1, image: path.join(dir, 'img0.nrrd'), mask: path.join(dir, 'mask0.nrrd'), carried: {} };
    const partOut = path.join(dir, 'flip.csv');
    const task = { c, spec: { weights: 'random', seed: 5, inputSize: 64 }, backend: 'wasm' as const, slice: { label: 1, margin: 1 }, flip: true };
    const [r] = await runDeepCases([task], { out: partOut, jobs: 1, resume: false, settingsHash: deepSettingsHash('flip'), quiet: true, log: () => undefined });
    const part = JSON.parse(fs.readFileSync(path.join(dir, 'flip.csv.parts', 'case-000001.json'), 'utf8')) as { features: string; flipped: string };
    expect(Buffer.from(part.flipped, 'base64').length).toBe(2048 * 4);
    expect(part.flipped).not.toBe(part.features);
    expect(r!.ok && r!.flipped && Array.from(r!.flipped.slice(0, 4))).toEqual(Array.from(new Float32Array(Buffer.from(part.flipped, 'base64').buffer.slice(0, 16))));
    // A resumed --finetune head run recomputes a case whose part lacks them (written by a plain run).
    const plain = path.join(dir, 'plain.csv');
    await runDeepCases([{ ...task, flip: false }], { out: plain, jobs: 1, resume: false, settingsHash: deepSettingsHash('flip'), quiet: true, log: () => undefined });
    const logs2: string[] = [];
    const [r2] = await runDeepCases([task], { out: plain, jobs: 1, resume: true, settingsHash: deepSettingsHash('flip'), quiet: true, log: (s) => logs2.push(s) });
    expect(logs2.some((l) => /has no flipped-slice features, which --finetune head trains on; extracting the case again/.test(l))).toBe(true);
    expect(r2!.ok && r2!.flipped !== null).toBe(true);
  });

  test('--finetune full trains every layer on the successful training rows, writes the fine-tuned backbone beside the head and its features', async () => {
    const opts = base({ batch: path.join(dir, 'ft.csv'), inputSize: '32', seed: '7' });
    const plainOut = path.join(dir, 'full-plain.csv');
    expect(await runDeepExtract({ ...opts, out: plainOut }, () => undefined)).toBe(3);
    const out = path.join(dir, 'full-out.csv');
    const logs: string[] = [];
    const code = await runDeepExtract({ ...opts, out, finetune: 'full', outcome: 'Grade', epochs: '2', learningRate: '0.0001' }, (s) => logs.push(s));
    expect(code).toBe(3);
    expect(logs.some((l) => l.includes('fine-tuning: 1 training row dropped') && l.includes('6 remain'))).toBe(true);
    expect(logs.some((l) => /full fine-tuning \(wasm\): best epoch [12], validation AUC/.test(l))).toBe(true);
    const head = JSON.parse(fs.readFileSync(path.join(dir, 'full-out.head.json'), 'utf8')) as { mode: string; epochsRun: number; backbone: string };
    expect(head.mode).toBe('full');
    expect(head.epochsRun).toBe(2);
    expect(fs.existsSync(path.join(dir, head.backbone, 'model.json'))).toBe(true);
    const t = readCsv(out);
    const plain = readCsv(plainOut);
    expect(t.columns.get('ID')).toEqual(['F0', 'F1', 'F2', 'F4', 'F5', 'F6']);
    expect(t.columns.get('dtl_weights')!.every((v) => v === 'UNTRAINED-random-seed-7+finetuned-full')).toBe(true);
    expect(t.columns.get('dtl_score')!.every((v) => Number(v) > 0 && Number(v) < 1)).toBe(true);
    // The features come from the fine-tuned backbone, not the frozen one.
    const changed = t.columns.get('dtl_0000')!.some((v, i) => Number(v) !== Number(plain.columns.get('dtl_0000')![i]));
    expect(changed).toBe(true);
    await expect(runDeepExtract({ ...opts, out: path.join(dir, 'never-full.csv'), finetune: 'full', outcome: 'Grade', learningRate: '0' }, () => undefined)).rejects.toThrow(
      /--learning-rate must be a positive number, got "0"/,
    );
  });

  test('bad option values are RadnomoErrors naming the option', async () => {
    const batch = path.join(dir, 'three.csv');
    const out = path.join(dir, 'never.csv');
    const cases: Array<[Partial<DeepExtractOptions>, RegExp]> = [
      [{ resample: '1,1' }, /--resample must be three spacings in mm, X,Y,Z .*got "1,1"/],
      [{ resample: '1,-1,1' }, /--resample must be three spacings/],
      [{ resample: 'a,b,c' }, /--resample must be three spacings/],
      [{ jobs: '0' }, /--jobs must be a whole number of at least 1, got "0"/],
      [{ margin: '-2' }, /--margin must be a whole number of at least 0, got "-2"/],
      [{ label: 'x' }, /--label must be a whole number of at least 1, got "x"/],
      [{ params: path.join(dir, 'missing.yaml') }, /missing\.yaml: cannot read the params file/],
      [{ finetune: 'all' }, /--finetune must be head or full, got "all"/],
    ];
    for (const [o, re] of cases) {
      await expect(runDeepExtract(base({ batch, out, ...o }), () => undefined)).rejects.toMatchObject({ name: 'RadnomoError', message: expect.stringMatching(re) });
    }
    expect(fs.existsSync(out)).toBe(false);
  });
});
