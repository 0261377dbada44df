/**
 * The worker-thread side of `radnomo extract --batch --jobs N`: piscina loads the compiled
 * `dist/src/extract-worker.js` in each worker and calls its default export once per case.
 */
import * as path from 'node:path';
import { runCase, type BatchCase, type CaseOutcome } from './batch';
import type { ExtractionParams } from './params';

/** One task: a case and the extraction parameters. */
export interface ExtractTask {
  c: BatchCase;
  params: ExtractionParams;
}

/**
 * Test hook: when RADNOMO_TEST_WORKER_CRASH names a case's image file (base name), the worker
 * extracting that case exits abruptly, as a worker killed by a native crash would. Used by the
 * batch tests to show that a dead worker fails only its own case.
 */
const CRASH_ON = process.env.RADNOMO_TEST_WORKER_CRASH;

/** Extracts one case in a worker thread; failures come back as failed outcomes naming the case. */
export default async function extractCase(task: ExtractTask): Promise<CaseOutcome> {
  if (CRASH_ON && path.basename(task.c.image) === CRASH_ON) process.exit(70);
  return runCase(task.c, task.params);
}
