/**
 * SVG to PNG with resvg, sized for print: the PNG is `dpi` pixels per inch at the SVG's physical
 * width (its `width` attribute in mm, cm, in, pt or px at 96 px/in), with DejaVu Sans loaded from
 * the dejavu-fonts-ttf package (TrueType files; system fonts are not consulted), so the same SVG
 * gives the same PNG on every machine.
 */
import * as path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { RadnomoError } from '../src/errors';
import { FONT_FAMILY } from './svg';

/** Options of svgToPng. */
export interface PngOptions {
  /** Pixels per inch at the SVG's physical width. Default 300. */
  dpi?: number;
  /** Background colour (default white; journals want opaque figures). */
  background?: string;
}

/** The TrueType files of the figure font (DejaVu Sans regular, bold, oblique, bold oblique). */
export function fontFiles(): string[] {
  const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((f) => path.join(dir, f));
}

const UNIT_INCHES: Record<string, number> = { mm: 1 / 25.4, cm: 1 / 2.54, in: 1, pt: 1 / 72, pc: 1 / 6, px: 1 / 96, '': 1 / 96 };

/** Physical width of an SVG in inches, from the root element's width attribute (or viewBox, as px). */
export function svgWidthInches(svg: string): number {
  const root = /<svg\b[^>]*>/i.exec(svg);
  if (!root) throw new RadnomoError('E_FORMAT', 'svgToPng: the input has no <svg> root element.');
  const w = /\swidth\s*=\s*"\s*([0-9.]+(?:e[+-]?\d+)?)\s*(mm|cm|in|pt|pc|px)?\s*"/i.exec(root[0]);
  if (w) return Number(w[1]) * UNIT_INCHES[(w[2] ?? '').toLowerCase()]!;
  const vb = /viewBox\s*=\s*"\s*[-0-9.e]+[\s,]+[-0-9.e]+[\s,]+([0-9.e]+)/i.exec(root[0]);
  if (vb) return Number(vb[1]) / 96;
  throw new RadnomoError('E_FORMAT', 'svgToPng: the <svg> element has neither a width nor a viewBox.');
}

/** Renders an SVG document to PNG bytes at `dpi` (default 300) pixels per inch of its width. */
export function svgToPng(svg: string, opts: PngOptions = {}): Buffer {
  const dpi = opts.dpi ?? 300;
  if (!(dpi > 0 && Number.isFinite(dpi))) throw new RadnomoError('E_PARAMS', `svgToPng: dpi must be a positive number, not ${dpi}.`);
  const px = Math.round(svgWidthInches(svg) * dpi);
  if (!(px >= 1 && px <= 40000)) throw new RadnomoError('E_PARAMS', `svgToPng: ${px} px wide is outside 1..40000; check the SVG width and dpi.`);
  const r = new Resvg(svg, {
    fitTo: { mode: 'width', value: px },
    background: opts.background ?? '#ffffff',
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  const png = r.render().asPng();
  return setPngDpi(Buffer.from(png), dpi);
}

/** CRC-32 (PNG chunk checksum). */
function crc32(buf: Uint8Array): number {
  let c = ~0;
  for (let i = 0; i < buf.length; i++) {
    c ^= buf[i]!;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** Adds (or replaces) the pHYs chunk so viewers and journals read the resolution as `dpi`. */
export function setPngDpi(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const chunks: Buffer[] = [png.subarray(0, 8)];
  let off = 8;
  let inserted = false;
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const whole = png.subarray(off, off + 12 + len);
    off += 12 + len;
    if (type === 'pHYs') continue;
    chunks.push(whole);
    if (type === 'IHDR' && !inserted) {
      const data = Buffer.alloc(13);
      data.write('pHYs', 0, 'latin1');
      data.writeUInt32BE(ppm, 4);
      data.writeUInt32BE(ppm, 8);
      data[12] = 1;
      const chunk = Buffer.alloc(21);
      chunk.writeUInt32BE(9, 0);
      data.copy(chunk, 4);
      chunk.writeUInt32BE(crc32(data), 17);
      chunks.push(chunk);
      inserted = true;
    }
  }
  return Buffer.concat(chunks);
}
