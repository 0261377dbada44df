/**
 * Test support: the PyRadiomics brain1 case and its baseline values (fixtures/pyradiomics, from
 * PyRadiomics' own regression baselines, BSD-3). Builds the DiscretisedRoi of a baseline config
 * for the texture classes, without resampling.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readImage, readLabelMap } from '../../src/io/read-image';
import { discretise } from '../../src/preprocess/discretise';
import { normalizeImage } from '../../src/preprocess/normalize';
import { resegmentMask, type ResegmentMode } from '../../src/preprocess/resegment';
import type { Image } from '../../src/image';
import type { DiscretisedRoi, TextureSettings } from '../../features/roi';

export const FIX = path.join(__dirname, '..', '..', 'fixtures', 'pyradiomics');

/** Expected values: config → feature name (e.g. 'original_glcm_JointEntropy') → value. */
export function expectedValues(): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const f of ['expected_brain1.csv', 'expected_brain1_extra.csv']) {
    const lines = fs.readFileSync(path.join(FIX, f), 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const [, config, feature, value] = line.split(',');
      if (!out.has(config!)) out.set(config!, new Map());
      out.get(config!)!.set(feature!, Number(value));
    }
  }
  return out;
}

export type Settings = Record<string, unknown>;

/** Settings dict of a config (PyRadiomics diagnostics_Configuration_Settings). */
export function configSettings(config: string): Settings {
  for (const f of ['settings_brain1.json', 'settings_brain1_extra.json']) {
    const s = JSON.parse(fs.readFileSync(path.join(FIX, f), 'utf8')) as Record<string, Settings>;
    if (s[config]) return s[config]!;
  }
  throw new Error(`no config ${config}`);
}

let cached: Promise<{ image: Image; mask: Uint8Array }> | undefined;

/** brain1's image and its label-1 mask (read once per test file; callers must not modify them). */
export function loadBrain1(): Promise<{ image: Image; mask: Uint8Array }> {
  cached ??= readBrain1();
  return cached;
}

async function readBrain1(): Promise<{ image: Image; mask: Uint8Array }> {
  const image = await readImage(path.join(FIX, 'brain1_image.nrrd'));
  const label = await readLabelMap(path.join(FIX, 'brain1_label.nrrd'));
  const mask = new Uint8Array(label.data.length);
  for (let i = 0; i < mask.length; i++) mask[i] = label.data[i] === 1 ? 1 : 0;
  return { image, mask };
}

/**
 * The ROI of a config other than 'resampling': optional normalisation of the whole image,
 * resegmentation, then PyRadiomics binning. (Whole-volume block; texture values do not depend
 * on cropping.)
 */
export async function brain1Roi(config: string): Promise<DiscretisedRoi> {
  const s = configSettings(config);
  const { image, mask } = await loadBrain1();
  let data = image.data;
  if (s.normalize) data = normalizeImage(data, (s.normalizeScale as number) ?? 1, (s.removeOutliers as number | null) ?? null);
  let roiMask = mask;
  if (s.resegmentRange) {
    roiMask = resegmentMask(data, mask, s.resegmentRange as number[], ((s.resegmentMode as string) ?? 'absolute') as ResegmentMode);
  }
  const { levels } = discretise(data, roiMask, {
    binWidth: (s.binWidth as number | undefined) ?? 25,
    binCount: (s.binCount as number | undefined) ?? null,
  });
  return { size: image.size, spacing: image.spacing, mask: roiMask, levels };
}

/** |1 − value/expected| (absolute difference when expected is 0). */
export function relErr(value: number, expected: number): number {
  return expected === 0 ? Math.abs(value) : Math.abs(1 - value / expected);
}

/** The texture settings of a baseline config (PyRadiomics' defaults where the config has none). */
export function textureSettingsOf(config: string): Partial<TextureSettings> {
  const s = configSettings(config);
  return {
    distances: (s.distances as number[] | undefined) ?? [1],
    symmetricalGLCM: (s.symmetricalGLCM as boolean | undefined) ?? true,
    weightingNorm: (s.weightingNorm as TextureSettings['weightingNorm'] | undefined) ?? null,
    force2D: Boolean(s.force2D),
    force2Ddimension: ((s.force2Ddimension as number | undefined) ?? 0) as 0 | 1 | 2,
    gldm_a: (s.gldm_a as number | undefined) ?? 0,
  };
}
