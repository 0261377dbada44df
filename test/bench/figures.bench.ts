/**
 * Figures benchmark: every standard figure (ROC with DeLong CIs, calibration with the B = 200
 * bootstrap for each of 4 models, decision curves, LASSO path and CV plots, correlation heatmap,
 * Kaplan–Meier with numbers at risk) on a simulated n = 442 study with 4 models, SVG and 300-dpi
 * PNG. The statistics inputs the figures draw (ROC, calibration, DCA, CV LASSO, correlations, KM)
 * are computed once outside the timing, except the calibration bootstrap, which is timed on its
 * own because it is the expensive part.
 */
import { calibrationFigureSvg } from '../../nomogram/figures/calibration-figure';
import { dcaFigureSvg } from '../../nomogram/figures/dca-figure';
import { heatmapFigureSvg } from '../../nomogram/figures/heatmap-figure';
import { kmFigureSvg } from '../../nomogram/figures/km-figure';
import { lassoCvFigureSvg, lassoPathFigureSvg } from '../../nomogram/figures/lasso-figures';
import { rocFigureSvg } from '../../nomogram/figures/roc-figure';
import { svgToPng } from '../../nomogram/png';
import { Random } from '../../src/random';
import { calibration } from '../../stats/calibration';
import { calibrateBoot } from '../../stats/calibration-bootstrap';
import { correlationMatrix } from '../../stats/correlation';
import { decisionCurves } from '../../stats/dca';
import { ciAucDelong } from '../../stats/delong';
import { cvGlmnetBinomial } from '../../stats/lasso';
import { roc } from '../../stats/roc';
import { kaplanMeier, logRankTest } from '../../stats/survival';
import { simulateStudy } from '../nomogram/figures/sim';
import { timeMedian, type BenchResult } from './timing';

export async function bench(): Promise<BenchResult[]> {
  const s = simulateStudy(442, 2025);
  const rocs = s.models.map((m) => {
    const curve = roc(s.y, m.risk);
    return { name: m.name, curve, ci: ciAucDelong(curve) };
  });
  const cals = s.models.map((m) => ({ name: m.name, calibration: calibration(m.risk, s.y) }));
  const dca = decisionCurves(s.y, s.models.map((m) => ({ name: m.name, risk: m.risk })));
  const names = Object.keys(s.features);
  const rows = Array.from({ length: s.n }, (_, i) => names.map((f) => s.features[f]![i]!));
  const cv = cvGlmnetBinomial(rows, s.y, names, { nfolds: 10, random: new Random(1) });
  const cm = correlationMatrix(Object.fromEntries(names.slice(0, 9).map((f) => [f, s.features[f]!])), 'spearman');
  const groupNames = ['Low risk', 'High risk'];
  const km = groupNames.map((g) => {
    const idx = s.group.map((v, i) => (v === g ? i : -1)).filter((i) => i >= 0);
    return { name: g, km: kaplanMeier(idx.map((i) => s.time[i]!), idx.map((i) => s.event[i]!)) };
  });
  const lr = logRankTest(s.time, s.event, s.group);

  const boots = () => s.models.map((m) => calibrateBoot(m.rows, s.y, { B: 200, seed: 1 }));
  const bootMs = await timeMedian(boots, 5, 1);
  const bootOne = await timeMedian(() => calibrateBoot(s.models[3]!.rows, s.y, { B: 200, seed: 1 }), 5, 1);
  const b = boots();
  const calModels = cals.map((c, i) => ({ ...c, bootstrap: b[i]! }));
  const svgs = (): string[] => [
    rocFigureSvg(rocs),
    calibrationFigureSvg(calModels),
    calibrationFigureSvg([calModels[3]!], { groups: true }),
    dcaFigureSvg(dca),
    lassoPathFigureSvg(cv.fit, { lambdaMin: cv.lambdaMin, lambda1se: cv.lambda1se }),
    lassoCvFigureSvg(cv),
    heatmapFigureSvg(cm),
    kmFigureSvg(km, { logRank: lr, timeLabel: 'Time (months)' }),
  ];
  const svgMs = await timeMedian(svgs, 9, 2);
  const all = svgs();
  const pngMs = await timeMedian(() => all.map((x) => svgToPng(x, { dpi: 300 })), 3, 1);
  return [
    { name: 'figures: calibrateBoot B = 200 for 4 models, n = 442 (rms::calibrate)', ms: bootMs, note: `one model ${bootOne.toFixed(0)} ms` },
    { name: 'figures: 8 SVGs (ROC, 2 calibration, DCA, LASSO path + CV, heatmap, KM), n = 442', ms: svgMs },
    { name: 'figures: the 8 SVGs to 300-dpi PNG', ms: pngMs, note: 'resvg' },
    { name: 'figures: total (bootstrap + SVG; PNG optional)', ms: bootMs + svgMs, note: `with PNG ${(bootMs + svgMs + pngMs).toFixed(0)} ms` },
  ];
}
