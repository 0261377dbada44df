/**
 * A self-contained, offline HTML calculator for a nomogram: one file with inline CSS and
 * JavaScript and no external scripts, fonts, images or network requests. A person sets each
 * predictor (a number box for numeric predictors, a list for categorical ones) and reads each
 * predictor's points, the total points, the linear predictor and the predicted risk. All model
 * and label text is HTML-escaped; the model travels as JSON in a `<script type=
 * "application/json">` element with `<`, `>`, `&` and line separators escaped, so no label can
 * close the element.
 */
import type { NomogramModel } from './points';
import { escapeXml, formatNumber } from './svg';

/** Options of the calculator page. */
export interface CalculatorOptions {
  /** Page title and heading. Default "Nomogram calculator". */
  title?: string;
  /** A sentence under the heading (e.g. the model and its population). */
  description?: string;
  /** Decimals of the risk shown as a percentage. Default 1. */
  riskDecimals?: number;
}

/** What the page embeds: the points model with its derived constants (same arithmetic as NomogramModel). */
export interface CalculatorPayload {
  title: string;
  funLabel: string;
  riskDecimals: number;
  scale: number;
  pointsIntercept: number;
  predictors: Array<
    | { type: 'numeric'; name: string; label: string; beta: number; low: number; min: number; max: number }
    | { type: 'categorical'; name: string; label: string; levels: string[]; betas: number[]; low: number }
  >;
}

/** The calculator's constants from a points model. */
export function calculatorPayload(model: NomogramModel, opts: CalculatorOptions = {}): CalculatorPayload {
  return {
    title: opts.title ?? 'Nomogram calculator',
    funLabel: model.funLabel,
    riskDecimals: opts.riskDecimals ?? 1,
    scale: model.scale,
    pointsIntercept: model.pointsIntercept,
    predictors: model.predictors.map((p, i) =>
      p.type === 'numeric'
        ? { type: 'numeric' as const, name: p.name, label: p.label, beta: p.beta, low: model.rangeLow[i]!, min: p.min, max: p.max }
        : { type: 'categorical' as const, name: p.name, label: p.label, levels: [...p.levels], betas: [...p.betas], low: model.rangeLow[i]! },
    ),
  };
}

/**
 * The page's script (plain ES5 so any browser runs it). `radnomoNomogramScore(model, inputs)`
 * is pure: inputs are strings as typed (a number, or a level index for categorical predictors);
 * it returns each predictor's points (null when the input is not usable), the total, lp and
 * risk (null unless every input is usable) and messages. The rest wires it to the form.
 */
export const CALCULATOR_SCRIPT = `(function () {
  'use strict';
  function plogis(x) {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    var e = Math.exp(x);
    return e / (1 + e);
  }
  function score(model, inputs) {
    var points = [], messages = [], total = 0, ok = true;
    for (var i = 0; i < model.predictors.length; i++) {
      var p = model.predictors[i], raw = String(inputs[i] == null ? '' : inputs[i]).trim(), c = NaN;
      messages.push('');
      if (p.type === 'numeric') {
        var x = raw === '' ? NaN : Number(raw);
        if (isFinite(x)) {
          c = p.beta * x;
          if (x < p.min || x > p.max) messages[i] = 'outside the range of the data the model was fitted on (' + p.min + ' to ' + p.max + ')';
        } else messages[i] = 'enter a number';
      } else {
        var k = raw === '' ? -1 : Number(raw);
        if (k >= 0 && k < p.levels.length && Math.floor(k) === k) c = p.betas[k];
        else messages[i] = 'choose a level';
      }
      if (isFinite(c)) {
        var pts = (c - p.low) * model.scale;
        points.push(pts);
        total += pts;
      } else {
        points.push(null);
        ok = false;
      }
    }
    var lp = ok ? model.pointsIntercept + total / model.scale : null;
    return { points: points, total: ok ? total : null, lp: lp, risk: ok ? plogis(lp) : null, messages: messages };
  }
  var root = typeof window !== 'undefined' ? window : typeof globalThis !== 'undefined' ? globalThis : {};
  root.radnomoNomogramScore = score;
  if (typeof document === 'undefined') return;
  var model = JSON.parse(document.getElementById('nomogram-model').textContent);
  var n = model.predictors.length;
  function show(v, d) { return v === null ? '\\u2014' : v.toFixed(d); }
  function update() {
    var inputs = [];
    for (var i = 0; i < n; i++) inputs.push(document.getElementById('in-' + i).value);
    var r = score(model, inputs);
    for (var j = 0; j < n; j++) {
      document.getElementById('pts-' + j).textContent = show(r.points[j], 1);
      document.getElementById('msg-' + j).textContent = r.messages[j];
    }
    document.getElementById('total').textContent = show(r.total, 1);
    document.getElementById('lp').textContent = show(r.lp, 3);
    document.getElementById('risk').textContent = r.risk === null ? '\\u2014' : (100 * r.risk).toFixed(model.riskDecimals) + '%';
  }
  for (var i = 0; i < n; i++) {
    var el = document.getElementById('in-' + i);
    el.addEventListener('input', update);
    el.addEventListener('change', update);
  }
  update();
})();`;

/** JSON safe inside a <script> element: <, >, & and U+2028/2029 as \\u escapes. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 46rem; padding: 0 1rem; color: #111; }
h1 { font-size: 1.4rem; margin-bottom: .25rem; }
p.note { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; width: 6rem; }
input, select { font: inherit; padding: .2rem .3rem; width: 12rem; max-width: 100%; }
.msg { display: block; color: #a33; font-size: .85rem; min-height: 1em; }
tfoot td, tfoot th { border-bottom: none; font-weight: bold; }
#risk { font-size: 1.3rem; color: #0072B2; }
footer { margin-top: 2rem; color: #666; font-size: .8rem; }
`;

/** The calculator page (a complete HTML document) for a points model. */
export function calculatorHtml(model: NomogramModel, opts: CalculatorOptions = {}): string {
  const payload = calculatorPayload(model, opts);
  const e = escapeXml;
  const rows = payload.predictors.map((p, i) => {
    let control: string;
    if (p.type === 'numeric') {
      const mid = model.predictors[i]!.type === 'numeric' ? (p.min + p.max) / 2 : 0;
      const dflt = formatNumber(Number(mid.toPrecision(3)));
      control = `<input id="in-${i}" type="number" step="any" inputmode="decimal" value="${e(dflt)}" aria-describedby="msg-${i}">`;
    } else {
      const options = p.levels.map((l, k) => `<option value="${k}">${e(l)}</option>`).join('');
      control = `<select id="in-${i}" aria-describedby="msg-${i}">${options}</select>`;
    }
    const hint = p.type === 'numeric' ? ` <small>(data: ${e(formatNumber(p.min))} to ${e(formatNumber(p.max))})</small>` : '';
    return `<tr><th scope="row"><label for="in-${i}">${e(p.label)}</label>${hint}</th><td>${control}<span class="msg" id="msg-${i}"></span></td><td class="num"><output id="pts-${i}"></output></td></tr>`;
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    `<title>${e(payload.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${e(payload.title)}</h1>`,
    opts.description ? `<p class="note">${e(opts.description)}</p>` : '',
    '<form id="calc" onsubmit="return false">',
    '<table>',
    '<thead><tr><th>Predictor</th><th>Value</th><th class="num">Points</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '<tfoot>',
    '<tr><th colspan="2">Total points</th><td class="num"><output id="total"></output></td></tr>',
    '<tr><th colspan="2">Linear predictor</th><td class="num"><output id="lp"></output></td></tr>',
    `<tr><th colspan="2">${e(payload.funLabel)}</th><td class="num"><output id="risk"></output></td></tr>`,
    '</tfoot>',
    '</table>',
    '</form>',
    '<footer>Points, total points and risk follow the nomogram (rms::nomogram conventions). Works offline; nothing you enter leaves this page.</footer>',
    '</main>',
    `<script type="application/json" id="nomogram-model">${jsonForScript(payload)}</script>`,
    `<script>${CALCULATOR_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}
