import * as path from 'node:path';
import { readImage, readLabelMap } from '../../src/io/read-image';
import { extractFeatures } from '../../src/extract';
import { defaultParams, parseParams } from '../../src/params';
import { timeMedian, rssMb, type BenchResult } from './timing';

const FIX = path.join(__dirname, '..', '..', '..', 'fixtures', 'pyradiomics');

/** Reading brain1's NRRD, and all original-image classes on brain1 at binWidth 25 (one thread). */
export async function bench(): Promise<BenchResult[]> {
  const imgFile = path.join(FIX, 'brain1_image.nrrd');
  const readMs = await timeMedian(() => readImage(imgFile), 9, 2);
  const image = await readImage(imgFile);
  const label = await readLabelMap(path.join(FIX, 'brain1_label.nrrd'));
  const p = defaultParams();
  let roiVoxels = 0;
  for (const v of label.data) roiVoxels += v === 1 ? 1 : 0;
  const before = rssMb();
  const ms = await timeMedian(() => extractFeatures(image, label, p), 15, 3);
  const peak = Math.max(before, rssMb());
  // The seed study's set: original + LoG (3 sigmas) + 8 wavelet decompositions, all classes.
  const full = parseParams(
    'imageType:\n  Original: {}\n  LoG:\n    sigma: [1.0, 3.0, 5.0]\n  Wavelet: {}\nsetting:\n  binWidth: 25\n',
    'full.yaml',
  );
  let nFull = 0;
  const fullMs = await timeMedian(() => {
    nFull = Object.keys(extractFeatures(image, label, full).features).length;
  }, 3, 1);
  return [
    { name: 'read brain1 NRRD (256x256x25 int16, gzip)', ms: readMs },
    { name: `extract brain1: original + LoG x3 + wavelet x8 (${nFull} features)`, ms: fullMs },
    {
      name: 'extract brain1: all original-image classes, binWidth 25',
      ms,
      note: `${((roiVoxels / ms) * 1000).toFixed(0)} ROI voxels/s; RSS ${peak.toFixed(0)} MB`,
    },
  ];
}
