import * as fs from 'node:fs';
import * as path from 'node:path';
import { Random } from '../../src/random';

test('Random(42) reproduces the reference xoshiro128** C implementation (fixtures/reference/xoshiro128ss.c)', () => {
  const ref = fs
    .readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'reference', 'xoshiro128ss.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' ').map(Number) as [number, number]);
  const r = new Random(42);
  const got = new Map<number, number>();
  for (let i = 0; i < 1000; i++) got.set(i, r.nextUint32());
  for (const [i, v] of ref) expect(got.get(i)).toBe(v);
  expect(ref.length).toBeGreaterThan(10);
});

test('same seed gives the same stream; doubles are uniform in [0, 1)', () => {
  const a = new Random(7);
  const b = new Random(7);
  const bins = new Array(10).fill(0);
  for (let i = 0; i < 100000; i++) {
    const x = a.next();
    expect(x).toBe(b.next());
    expect(x >= 0 && x < 1).toBe(true);
    bins[Math.floor(x * 10)]++;
  }
  // chi-square with 9 df: 99.9% quantile is 27.9
  const chi = bins.reduce((s, o) => s + (o - 10000) ** 2 / 10000, 0);
  expect(chi).toBeLessThan(27.9);
  expect(new Random(8).next()).not.toBe(new Random(7).next());
});
