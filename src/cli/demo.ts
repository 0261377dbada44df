import * as fs from 'node:fs';
import * as path from 'node:path';
import { runExtract } from './extract-command';
import { runExampleStudy } from './example-study';

/** The bundled sample case: PyRadiomics' brain1 MR volume and tumour mask (BSD-3, fixtures/pyradiomics). */
export function sampleCase(): { image: string; mask: string; params: string } {
  const root = path.resolve(__dirname, '..', '..', '..');
  return {
    image: path.join(root, 'fixtures', 'pyradiomics', 'brain1_image.nrrd'),
    mask: path.join(root, 'fixtures', 'pyradiomics', 'brain1_label.nrrd'),
    params: path.join(root, 'fixtures', 'params', 'default.yaml'),
  };
}

/**
 * `npm start`: extracts the sample case's features into `outDir/features.csv`, then runs the
 * bundled example study (nomogram, figures, tables) into `outDir/study/`, and says where all is.
 */
export async function runDemo(outDir: string, log: (s: string) => void): Promise<void> {
  const s = sampleCase();
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'features.csv');
  await runExtract(s.image, s.mask, { params: s.params, out, quiet: true }, () => undefined);
  const nFeatures = fs.readFileSync(out, 'utf8').split('\n')[0]!.split(',').filter((c) => c.startsWith('original_')).length;
  log(`radnomo: extracted ${nFeatures} features of the sample case (PyRadiomics' brain1 MR, label 1)`);
  log(`  image:    ${path.relative(process.cwd(), s.image)}`);
  log(`  params:   ${path.relative(process.cwd(), s.params)}`);
  log(`  features: ${path.relative(process.cwd(), out)}`);
  log('');
  await runExampleStudy(outDir, log);
}
