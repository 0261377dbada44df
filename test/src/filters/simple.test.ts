/**
 * Square, SquareRoot, Logarithm, Exponential image types: PyRadiomics' formulas
 * (imageoperations.get<Type>Image), checked in closed form on a small volume with known max |x|.
 */
import { squareImage, squareRootImage, logarithmImage, exponentialImage } from '../../../src/preprocess/filters/simple';
import { identityDirection, type Image } from '../../../src/image';

const vals = [-16, -4, -1, 0, 1, 4, 9, 25, -100, 100, 2, 3];
const img: Image = { size: [3, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: identityDirection(), data: Float64Array.from(vals) };
const M = 100;
const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a / b - 1));

test('Square: (x / sqrt(M))² = x² / M', () => {
  const out = squareImage(img).data;
  vals.forEach((x, i) => expect(rel(out[i]!, (x * x) / M)).toBeLessThan(1e-15));
});
test('SquareRoot: sign(x)·sqrt(|x|·M)', () => {
  const out = squareRootImage(img).data;
  vals.forEach((x, i) => expect(rel(out[i]!, Math.sign(x) * Math.sqrt(Math.abs(x) * M))).toBeLessThan(1e-15));
  expect(out[9]).toBe(100); // max maps to itself
});
test('Logarithm: sign(x)·log(|x|+1)·M/log(M+1)', () => {
  const out = logarithmImage(img).data;
  vals.forEach((x, i) => expect(rel(out[i]!, (Math.sign(x) * Math.log(Math.abs(x) + 1) * M) / Math.log(M + 1))).toBeLessThan(1e-14));
  expect(out[8]).toBeCloseTo(-100, 12);
});
test('Exponential: exp(x·log(M)/M), so the max maps to M and −M to 1/M', () => {
  const out = exponentialImage(img).data;
  vals.forEach((x, i) => expect(rel(out[i]!, Math.exp((x * Math.log(M)) / M))).toBeLessThan(1e-15));
  expect(out[9]).toBeCloseTo(100, 12);
  expect(out[8]).toBeCloseTo(0.01, 14);
});
test('an all-zero image is a RadnomoError for Square, Logarithm, Exponential', () => {
  const z: Image = { ...img, data: new Float64Array(12) };
  expect(() => squareImage(z)).toThrow(/not all zeros/);
  expect(() => logarithmImage(z)).toThrow(/not all zeros/);
  expect(() => exponentialImage(z)).toThrow(/not all zeros/);
  expect(Array.from(squareRootImage(z).data)).toEqual(new Array(12).fill(0));
});
