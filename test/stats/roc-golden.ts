/** Test support for the ROC/DeLong/metrics goldens made by fixtures/reference/{roc,delong,metrics}.R. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { numericColumn, readCsv, stringColumn } from '../../src/io/csv';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

/** Parses a golden JSON, turning the strings "Inf"/"-Inf" back into numbers. */
export function golden<T>(name: string): T {
  const text = fs.readFileSync(path.join(FIXTURES, 'reference', name), 'utf8');
  return JSON.parse(text, (_k, v: unknown) => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : v)) as T;
}

export interface Dataset {
  outcome: Float64Array;
  col(name: string): Float64Array;
  str(name: string): string[];
}

const cache = new Map<string, Dataset>();

/** fixtures/aSAH.csv (outcome) or fixtures/sim_ties.csv (y), as written by roc.R. */
export function dataset(name: string): Dataset {
  const hit = cache.get(name);
  if (hit) return hit;
  if (name === 'near_ties') {
    const y = Float64Array.from([0, 0, 1, 1, 0, 1]);
    const e = Number.EPSILON;
    const x = Float64Array.from([1, 1 + e, 1 + e, 1 + 2 * e, 2, 3]);
    const d: Dataset = { outcome: y, col: () => x, str: () => [] };
    cache.set(name, d);
    return d;
  }
  const t = readCsv(path.join(FIXTURES, `${name}.csv`));
  const d: Dataset = {
    outcome: numericColumn(t, name === 'aSAH' ? 'outcome' : 'y'),
    col: (c) => numericColumn(t, c),
    str: (c) => stringColumn(t, c),
  };
  cache.set(name, d);
  return d;
}

/** Largest relative error |a-b|/max(|b|, tiny) over arrays (Infinity when lengths differ). */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(y), floor));
  }
  return worst;
}

/** Worst errors seen, printed once per file for the report. */
export class Worst {
  private readonly m = new Map<string, number>();
  note(key: string, err: number): void {
    this.m.set(key, Math.max(this.m.get(key) ?? 0, err));
  }
  print(title: string): void {
    const lines = [...this.m.entries()].map(([k, v]) => `  ${k}: ${v.toExponential(2)}`);
    // eslint-disable-next-line no-console
    console.log(`${title} — worst relative error vs R\n${lines.join('\n')}`);
  }
}
