import * as path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { readCsv, numericColumn, stringColumn } from '../../src/io/csv';
import { fitLogistic, type Predictor } from '../../stats/logistic';
import { NomogramModel } from '../../nomogram/points';
import { nomogramSvg } from '../../nomogram/nomogram-svg';
import { svgToPng, svgWidthInches, fontFiles } from '../../nomogram/png';
import { svgDocument, svgText, textWidth } from '../../nomogram/svg';

const root = path.join(__dirname, '..', '..');
const table = readCsv(path.join(root, 'fixtures/nomogram_sim.csv'));
const y = numericColumn(table, 'y');
const preds: Predictor[] = [
  { name: 'x1', values: numericColumn(table, 'x1') },
  { name: 'grade', values: stringColumn(table, 'grade') },
];
const m = NomogramModel.fromLogistic(fitLogistic(y, preds), preds);

function pngInfo(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const i = png.indexOf('pHYs');
  return { width, height, ppmX: i > 0 ? png.readUInt32BE(i + 4) : 0, unit: i > 0 ? png[i + 12] : -1 };
}

test('300 dpi at the physical width: 174 mm -> 2055 px, 84 mm -> 992 px, pHYs says 300 dpi', () => {
  for (const [w, px] of [['double', 2055], ['single', 992]] as const) {
    const svg = nomogramSvg(m, { width: w });
    const info = pngInfo(svgToPng(svg, { dpi: 300 }));
    expect(info.width).toBe(px);
    const hMm = Number(/height="([\d.]+)mm"/.exec(svg)![1]);
    expect(Math.abs(info.height - (hMm / 25.4) * 300)).toBeLessThanOrEqual(1.5);
    expect(info.ppmX).toBe(Math.round(300 / 0.0254));
    expect(info.unit).toBe(1);
  }
});

test('svgWidthInches reads mm, in, pt and px widths', () => {
  expect(svgWidthInches('<svg width="25.4mm" height="1mm">')).toBeCloseTo(1, 12);
  expect(svgWidthInches('<svg width="2in">')).toBe(2);
  expect(svgWidthInches('<svg width="144pt">')).toBe(2);
  expect(svgWidthInches('<svg viewBox="0 0 192 10">')).toBe(2);
});

test('the same SVG gives the same PNG bytes (embedded font, no system fonts)', () => {
  const svg = nomogramSvg(m, { width: 'single' });
  expect(svgToPng(svg).equals(svgToPng(svg))).toBe(true);
  expect(fontFiles().every((f) => f.endsWith('.ttf'))).toBe(true);
});

test('text is drawn with DejaVu Sans and the width estimate matches resvg within 3%', () => {
  for (const s of ['Linear Predictor', 'Total Points 0 20 40', 'Age (years)', 'Grade IIIb & "other"', 'WWW mmm iii 0.123']) {
    const size = 10;
    const svg = svgDocument([svgText(20, 30, s, { size })], { widthMm: 150, heightMm: 20, background: false });
    const r = new Resvg(svg, { font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } });
    const bb = r.getBBox();
    expect(bb).toBeDefined();
    // ink box is a little narrower than the advance width (side bearings)
    const est = textWidth(s, size);
    expect(Math.abs(bb!.width - est) / est).toBeLessThan(0.03);
  }
});
