import { parseParams, DEFAULT_SETTINGS, paramsHash } from '../../src/params';
import { RadnomoError } from '../../src/errors';

const PYRADIOMICS_EXAMPLE = `
# as in PyRadiomics' examples/exampleSettings/Params.yaml
imageType:
  Original: {}
featureClass:
  shape:
  firstorder: []
  glcm:
    - Autocorrelation
    - JointEntropy
setting:
  binWidth: 25
  label: 1
  interpolator: 'sitkBSpline'
  resampledPixelSpacing: [1, 1, 1]
  weightingNorm:
  voxelArrayShift: 1000
`;

describe('PyRadiomics params files', () => {
  test('a PyRadiomics example file is accepted unchanged', () => {
    const p = parseParams(PYRADIOMICS_EXAMPLE, 'Params.yaml');
    expect(Object.keys(p.imageTypes)).toEqual(['Original']);
    expect(p.featureClasses.shape).toBeNull();
    expect(p.featureClasses.firstorder).toBeNull();
    expect(p.featureClasses.glcm).toEqual(['Autocorrelation', 'JointEntropy']);
    expect(p.settings.resampledPixelSpacing).toEqual([1, 1, 1]);
    expect(p.settings.voxelArrayShift).toBe(1000);
    expect(p.settings.weightingNorm).toBeNull();
    expect(p.settings.padDistance).toBe(DEFAULT_SETTINGS.padDistance);
  });

  test('an empty file means PyRadiomics defaults: Original image, all classes but shape2D', () => {
    const p = parseParams('', 'empty.yaml');
    expect(Object.keys(p.imageTypes)).toEqual(['Original']);
    expect(Object.keys(p.featureClasses).sort()).toEqual(['firstorder', 'glcm', 'gldm', 'glrlm', 'glszm', 'ngtdm', 'shape']);
    expect(p.settings.binWidth).toBe(25);
    expect(p.settings.symmetricalGLCM).toBe(true);
  });

  test.each([
    ['setting:\n  binwidth: 25\n', /unknown setting "binwidth"/],
    ['setting:\n  binWidth: "25"\n', /"binWidth" must be a number/],
    ['setting:\n  force2D: 1\n', /"force2D" must be true or false/],
    ['setting:\n  distances: [0]\n', /"distances" must be a list of whole numbers/],
    ['setting:\n  resegmentMode: sd\n', /"resegmentMode" must be one of/],
    ['imageType:\n  Laplacian: {}\n', /unknown image type "Laplacian"/],
    ['featureClass:\n  glcmx:\n', /unknown feature class "glcmx"/],
    ['settings:\n  binWidth: 25\n', /unknown section "settings"/],
    ['setting: [1, 2\n', /not valid YAML/],
  ])('bad params %j give a clear error naming the file', (text, re) => {
    let err: unknown;
    try {
      parseParams(text, 'bad.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RadnomoError);
    expect((err as RadnomoError).message).toMatch(/^bad\.yaml/);
    expect((err as RadnomoError).message).toMatch(re);
    expect((err as RadnomoError).code).toBe('E_PARAMS');
  });

  test('interpolator codes map to names, and the settings hash changes with the settings', () => {
    const a = parseParams('setting:\n  interpolator: 3\n', 'a');
    expect(a.settings.interpolator).toBe('sitkBSpline');
    const b = parseParams('setting:\n  binWidth: 10\n', 'b');
    expect(paramsHash(a)).toBe(paramsHash(parseParams('setting:\n  interpolator: sitkBSpline\n', 'c')));
    expect(paramsHash(a)).not.toBe(paramsHash(b));
  });
});

describe('LoG sigma names follow the YAML type, as PyRadiomics names them', () => {
  test('integers stay integer text, floats stay numbers', () => {
    const p = parseParams('imageType:\n  LoG:\n    sigma: [1, 3.0, 5.5]\n', 'p.yaml');
    expect(p.imageTypes.LoG!.sigma).toEqual(['1', 3, 5.5]);
  });
  test('a sigma that is not a number is an error', () => {
    expect(() => parseParams('imageType:\n  LoG:\n    sigma: [one]\n', 'p.yaml')).toThrow(/"sigma" must be a list of numbers/);
  });
});
