/**
 * `npm run bench`: runs every test/bench/*.bench.ts module's `bench()` and prints medians, the
 * reference's time on the same input where one ran, and the ratio.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchResult } from './timing';

async function run(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  const rows: BenchResult[] = [];
  for (const f of files) {
    const mod = (await import(path.join(__dirname, f))) as { bench: () => Promise<BenchResult[]> };
    process.stderr.write(`running ${f}...\n`);
    try {
      rows.push(...(await mod.bench()));
    } catch (e) {
      rows.push({ name: `${f}: FAILED (${(e as Error).message})`, ms: NaN });
    }
  }
  const w = Math.max(...rows.map((r) => r.name.length), 10);
  console.log(`${'benchmark'.padEnd(w)}  ${'radnomo ms'.padStart(11)}  ${'ref ms'.padStart(9)}  ${'ratio'.padStart(6)}  note`);
  for (const r of rows) {
    const ratio = r.refMs ? (r.ms / r.refMs).toFixed(2) : '';
    console.log(`${r.name.padEnd(w)}  ${r.ms.toFixed(1).padStart(11)}  ${(r.refMs ? r.refMs.toFixed(1) : '').padStart(9)}  ${ratio.padStart(6)}  ${r.note ?? ''}`);
  }
  console.log('(medians of several runs; ratio = radnomo / reference on the same input in this run)');
}

run().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
