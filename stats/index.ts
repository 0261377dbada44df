/**
 * radnomo/stats: the statistics of a radiomics nomogram paper, each function matching the R
 * function named in its doc comment (pROC, glm/rms, glmnet, psych, e1071, survival, base R).
 */
export { pnorm, qnorm, pt, qt, pchisq, qchisq, pf, qf, pbeta, pgamma, lgamma, dhyper, phyper } from './distributions';
export { roc, autoDirection, youdenBest, coordsAt, ciAucBootstrap, type RocCurve, type RocOptions, type Direction } from './roc';
export { delongPlacements, delongVariance, ciAucDelong, delongPaired, delongUnpaired, delongPairwise, type DelongPairedResult, type DelongMatrix } from './delong';
export { classificationMetrics, confusionAt, clopperPearson, wilson, proportionCi, averagePrecision, type ClassificationMetrics } from './metrics';
export { bootstrapIndices, bootstrapReplicates, percentileCi, quantile7 } from './bootstrap';
export { fitLogistic, univariableLogistic, LogisticModel, TreatmentEncoder, type LogisticFit, type LogisticTerm } from './logistic';
export { hosmerLemeshow, type HosmerLemeshowResult } from './hosmer-lemeshow';
export { calibration, lowess, type CalibrationResult } from './calibration';
export { decisionCurves, parseThresholds, defaultThresholds, type DcaResult } from './dca';
export { ZScore } from './standardise';
export { correlationMatrix, averageRanks, CorrelationPruner, univariableScore } from './correlation';
export { glmnetBinomial, cvGlmnetBinomial, LassoLogistic, coefAt, linkScores, randomFolds, type GlmnetPath, type CvGlmnetResult } from './lasso';
export { SvmModel, plattProbability, type SvmOptions } from './svm';
export { icc, iccMany, iccArrayFromLong, IccFilter, ICC_FORMS, type IccForm, type IccResult } from './icc';
export { tTest, wilcoxonTest, chiSquareTest, fisherTest, onewayAnova, kruskalWallis, contingencyTable } from './tests';
export { kaplanMeier, logRankTest, coxPH, parseEventColumn, concordance as survivalConcordance } from './survival';
export { calibrateBoot } from './calibration-bootstrap';
