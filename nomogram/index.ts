/**
 * radnomo/nomogram: the points model of a logistic nomogram (rms::nomogram conventions), its SVG
 * drawing, the self-contained HTML calculator, and the SVG/PNG helpers shared by the figures.
 */
export {
  NomogramModel,
  plogis,
  type AxisSpec,
  type NumericAxisSpec,
  type CategoricalAxisSpec,
  type NomogramJson,
  type NomogramOptions,
  type NomogramRanges,
  type NomogramTable,
  type PointsTick,
  type RowValue,
} from './points';
export { nomogramSvg, type NomogramSvgOptions } from './nomogram-svg';
export { calculatorHtml, calculatorPayload, CALCULATOR_SCRIPT, type CalculatorOptions, type CalculatorPayload } from './calculator-html';
export { svgToPng, svgWidthInches, fontFiles, type PngOptions } from './png';
export {
  OKABE_ITO,
  JOURNAL_WIDTH_MM,
  MIN_FONT_PT,
  PT_PER_MM,
  FONT_FAMILY,
  escapeXml,
  pretty,
  formatNumber,
  textWidth,
  textBox,
  boxesOverlap,
  svgDocument,
  svgText,
  svgLine,
  svgPolyline,
  horizontalAxis,
  axisX,
  type Box,
  type AxisTick,
  type HorizontalAxisOptions,
  type SvgDocumentOptions,
  type TextOptions,
} from './svg';
export {
  rocFigureSvg,
  calibrationFigureSvg,
  dcaFigureSvg,
  lassoPathFigureSvg,
  lassoCvFigureSvg,
  heatmapFigureSvg,
  kmFigureSvg,
  type RocFigureModel,
  type CalibrationFigureModel,
  type FigureOptions,
  type FigureWidth,
} from './figures/index';
export { studyTables, tableFiles } from './tables/index';
