/**
 * LBP2D against scikit-image local_binary_pattern inside PyRadiomics' slice wrapper
 * (fixtures/reference/lbp2d.py → lbp2d.json): every method, radii 0.7–2, P 6–9, all three
 * force2Ddimension values. (LBP3D is tested in lbp3d.test.ts.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lbp2DImage, localBinaryPattern2D } from '../../../src/preprocess/filters/lbp';
import { identityDirection, type Vec3 } from '../../../src/image';

const G = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'reference', 'lbp2d.json'), 'utf8')) as {
  cases: { size: Vec3; input: number[]; settings: Record<string, number | string>; output: (number | null)[] }[];
};

describe('LBP2D against scikit-image', () => {
  for (const c of G.cases) {
    test(`${c.settings.lbp2DMethod} R=${c.settings.lbp2DRadius} P=${c.settings.lbp2DSamples} axis ${c.settings.force2Ddimension}`, () => {
      const out = lbp2DImage({ size: c.size, spacing: [1, 1, 1], origin: [0, 0, 0], direction: identityDirection(), data: Float64Array.from(c.input) }, c.settings);
      let worst = 0;
      c.output.forEach((r, i) => {
        const v = out.data[i]!;
        if (r === null) expect(v).toBeNaN();
        else worst = Math.max(worst, Math.abs(v - r) / Math.max(1, Math.abs(r)));
      });
      expect(worst).toBeLessThan(1e-12);
    });
  }
});

test('closed form: uniform P=8 R=1 on a single bright pixel and on a flat image', () => {
  const img = new Float64Array(25);
  img[12] = 5;
  const out = localBinaryPattern2D(img, 5, 5, 8, 1, 'uniform');
  expect(out[12]).toBe(0); // every neighbour darker than the centre
  expect(localBinaryPattern2D(new Float64Array(25).fill(3), 5, 5, 8, 1, 'uniform')[12]).toBe(8); // all ≥ centre
});
