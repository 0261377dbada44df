/**
 * radnomo: the spine. Image IO with geometry, preprocessing, the extractor and batch runner.
 * Feature classes are in `radnomo/features`, statistics in `radnomo/stats`.
 */
export { RadnomoError, isRadnomoError, type RadnomoErrorCode } from './errors';
export { Random } from './random';
export type { Image, LabelMap, Volume, Vec3 } from './image';
export { readImage, readLabelMap, readImageFile, readLabelMapFile, imageFormatOf } from './io/read-image';
export { readCsv, parseCsv, numericColumn, stringColumn, toCsv, type CsvTable } from './io/csv';
export { extractFeatures, type ExtractionResult } from './extract';
export { parseParams, readParams, defaultParams, type ExtractionParams, type ExtractionSettings } from './params';
export { readBatch, runCase, type BatchCase, type CaseOutcome } from './batch';
export { normalizeImage } from './preprocess/normalize';
export { resegmentMask } from './preprocess/resegment';
export { discretise, binEdges } from './preprocess/discretise';
export { VERSION } from './version';
