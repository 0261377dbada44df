import * as path from 'node:path';
import { RadnomoError, isRadnomoError } from './errors';
import { readCsv, stringColumn, isMissing } from './io/csv';
import { readImageFile, readLabelMapFile, pixelHash } from './io/read-image';
import { extractFeatures, type ExtractionResult } from './extract';
import type { ExtractionParams } from './params';

/** One case of a PyRadiomics batch CSV: image, mask, optional label, and the other columns carried through. */
export interface BatchCase {
  /** 1-based position in the batch file. */
  index: number;
  image: string;
  mask: string;
  label: number | null;
  carried: Record<string, string>;
}

/** A case's outcome: its features, or the error that stopped it. */
export type CaseOutcome =
  | { case: BatchCase; ok: true; result: ExtractionResult }
  | { case: BatchCase; ok: false; code: string; message: string };

/**
 * Reads a PyRadiomics batch CSV (`Image`, `Mask`, optional `Label` columns; any other columns
 * are ids carried into the output). Relative paths resolve against the CSV's folder.
 *
 * As PyRadiomics' batch mode writes them, every input column is carried into the output in the
 * input's order, with `Image` and `Mask` as absolute paths (PyRadiomics' default
 * `--format-path absolute`) and `Label` as written. The carried `Image`, `Mask` and `Label` values
 * are also how `radnomo merge` matches shard rows back to their cases.
 */
export function readBatch(file: string): { cases: BatchCase[]; carriedNames: string[] } {
  const t = readCsv(file);
  const images = stringColumn(t, 'Image');
  const masks = stringColumn(t, 'Mask');
  const labels = t.columns.get('Label');
  const dir = path.dirname(path.resolve(file));
  const carriedNames = [...t.names];
  const cases: BatchCase[] = [];
  for (let i = 0; i < t.nrows; i++) {
    let label: number | null = null;
    if (labels && !isMissing(labels[i]!)) {
      label = Number(labels[i]);
      if (!Number.isInteger(label)) {
        throw new RadnomoError('E_COLUMN', `${file}: column "Label" row ${i + 2} holds "${labels[i]}", which is not a whole number.`);
      }
    }
    if (isMissing(images[i]!) || isMissing(masks[i]!)) {
      throw new RadnomoError('E_COLUMN', `${file}: row ${i + 2} has an empty Image or Mask path.`);
    }
    const image = path.resolve(dir, images[i]!.trim());
    const mask = path.resolve(dir, masks[i]!.trim());
    const carried: Record<string, string> = Object.fromEntries(carriedNames.map((n) => [n, t.columns.get(n)![i]!]));
    carried.Image = image;
    carried.Mask = mask;
    cases.push({ index: i + 1, image, mask, label, carried });
  }
  if (cases.length === 0) throw new RadnomoError('E_COLUMN', `${file}: the batch file has no cases.`);
  return { cases, carriedNames };
}

/** Names a case for messages: its position and image file name. */
export function caseName(c: BatchCase): string {
  return `case ${c.index} (${path.basename(c.image)})`;
}

/** Reads one case's files and extracts its features; errors become a failed outcome naming the case. */
export async function runCase(c: BatchCase, params: ExtractionParams): Promise<CaseOutcome> {
  try {
    const [image, mask] = await Promise.all([readImageFile(c.image), readLabelMapFile(c.mask)]);
    const p: ExtractionParams = c.label === null ? params : { ...params, settings: { ...params.settings, label: c.label } };
    const result = extractFeatures(image.image, mask.image, p, { where: caseName(c), imageHash: image.hash, maskHash: mask.hash });
    return { case: c, ok: true, result };
  } catch (e) {
    if (isRadnomoError(e)) {
      const name = caseName(c);
      return { case: c, ok: false, code: e.code, message: e.message.startsWith(name) ? e.message : `${name}: ${e.message}` };
    }
    return { case: c, ok: false, code: 'E_CASE', message: `${caseName(c)}: unexpected failure (${(e as Error).message}).` };
  }
}

export { pixelHash };
