/**
 * radnomo/features: radiomics features as PyRadiomics computes them (names, defaults and
 * definitions), one function per feature class, and the whole extractor.
 */
export { extractFeatures, enabledFeatureNames, type ExtractionResult, type CaseInfo } from '../src/extract';
export { parseParams, readParams, defaultParams, DEFAULT_SETTINGS, type ExtractionParams, type ExtractionSettings } from '../src/params';
export type { DiscretisedRoi, TextureSettings } from './roi';
export { DEFAULT_TEXTURE_SETTINGS } from './roi';
export { firstorderFeatures, FIRSTORDER_FEATURE_NAMES } from './firstorder';
export { shapeFeatures, SHAPE_FEATURE_NAMES } from './shape';
export { shape2DFeatures, SHAPE2D_FEATURE_NAMES } from './shape2d';
export { glcmFeatures, GLCM_FEATURE_NAMES } from './glcm';
export { glrlmFeatures, GLRLM_FEATURE_NAMES } from './glrlm';
export { glszmFeatures, glszmMatrix, GLSZM_FEATURE_NAMES } from './glszm';
export { gldmFeatures, gldmMatrix, GLDM_FEATURE_NAMES } from './gldm';
export { ngtdmFeatures, ngtdmMatrix, NGTDM_FEATURE_NAMES } from './ngtdm';
export { discretise, binEdges } from '../src/preprocess/discretise';
