/**
 * radnomo's standard publication figures besides the nomogram: ROC, calibration (apparent and
 * bootstrap bias-corrected), decision curves, LASSO path and cross-validation, correlation
 * heatmap, Kaplan–Meier with numbers at risk. Each is a pure function of the statistics
 * functions' outputs returning an SVG string sized for journals (84 or 174 mm, text >= 7 pt);
 * render to PNG with svgToPng(svg, { dpi: 300 }).
 */
export { rocFigureSvg, rocLegendLabel, rocPoints, type RocFigureModel, type RocFigureOptions } from './roc-figure';
export { calibrationFigureSvg, calibrationCurves, type CalibrationFigureModel, type CalibrationFigureOptions } from './calibration-figure';
export { dcaFigureSvg, dcaPoints, type DcaFigureOptions } from './dca-figure';
export { lassoPathFigureSvg, lassoCvFigureSvg, lassoPathPoints, type LassoFigureOptions } from './lasso-figures';
export { heatmapFigureSvg, correlationColor, type HeatmapFigureOptions } from './heatmap-figure';
export { kmFigureSvg, kmSteps, numberAtRisk, formatLogRankP, type KmFigureGroup, type KmFigureOptions } from './km-figure';
export { seriesStyle, type FigureOptions, type FigureWidth, type LegendEntry } from './layout';
