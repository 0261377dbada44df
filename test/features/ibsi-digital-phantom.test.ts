import * as path from 'node:path';
import { readImage, readLabelMap } from '../../src/io/read-image';
import { extractIbsiFeatures, IBSI_FEATURE_TABLE } from '../../src/extract-ibsi';
import { IBSI_CONFIGS, allowedDeviation, compareWithReference, radnomoName, readReferenceValues } from '../../src/validate-ibsi';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'ibsi');

describe('IBSI digital phantom (IBSI-1 reference values, CC BY 4.0)', () => {
  const rows = readReferenceValues(path.join(FIX, 'reference_values.csv'));
  let features: Record<string, number> = {};

  beforeAll(async () => {
    const image = await readImage(path.join(FIX, 'digital_phantom', 'image.nii.gz'));
    const mask = await readLabelMap(path.join(FIX, 'digital_phantom', 'mask.nii.gz'));
    features = extractIbsiFeatures(image, mask, IBSI_CONFIGS.dig_phantom!);
  });

  test('the fixture holds the 482 digital-phantom rows', () => {
    expect(rows).toHaveLength(482);
    expect(rows.every((r) => r.dataset === 'dig_phantom')).toBe(true);
  });

  test('every reference row maps to one radnomo output, and every output to one row', () => {
    const names = rows.map(radnomoName);
    expect(names.filter((n) => n === null)).toHaveLength(0);
    expect(new Set(names).size).toBe(482);
    expect(IBSI_FEATURE_TABLE).toHaveLength(482);
    expect(Object.keys(features)).toHaveLength(482);
  });

  test('the acceptance rule: tolerance, else rounding to 3 significant digits', () => {
    const base = { family: 'x', aggregation: '', feature: 'x', code: 'x', dataset: 'dig_phantom' };
    expect(allowedDeviation({ ...base, value: 556, tolerance: 4 })).toBe(4);
    expect(allowedDeviation({ ...base, value: 2.15, tolerance: NaN })).toBeCloseTo(0.005, 15);
    expect(allowedDeviation({ ...base, value: -0.0121, tolerance: NaN })).toBeCloseTo(0.00005, 15);
    expect(allowedDeviation({ ...base, value: 113, tolerance: NaN })).toBeCloseTo(0.5, 15);
  });

  const families = [
    ['morphology', 25],
    ['local intensity', 2],
    ['intensity-based statistics', 18],
    ['intensity histogram', 23],
    ['intensity-volume histogram', 6],
    ['GLCM', 150],
    ['GLRLM', 96],
    ['GLSZM', 48],
    ['GLDZM', 48],
    ['NGTDM', 15],
    ['NGLDM', 51],
  ] as const;
  test.each(families)('%s: every variant within its tolerance (%i variants)', (family, count) => {
    const cmp = compareWithReference(features, rows.filter((r) => r.family === family));
    expect(cmp).toHaveLength(count);
    const failures = cmp
      .filter((c) => !c.pass)
      .map((c) => `${c.row.feature} [${c.row.aggregation}] ${c.name}: ${c.computed} vs ${c.row.value} ± ${c.allowed}`);
    expect(failures).toEqual([]);
  });
});
