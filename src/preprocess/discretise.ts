import { RadnomoError } from '../errors';

/** Discretisation settings under PyRadiomics' names: `binCount` wins over `binWidth` when set. */
export interface BinSettings {
  binWidth?: number;
  binCount?: number | null;
}

/** Python's float modulo (result has the sign of the divisor), as `minimum % binWidth` in PyRadiomics. */
export function pyMod(a: number, b: number): number {
  let m = a % b;
  if (m !== 0 && m < 0 !== b < 0) m += b;
  return m;
}

/**
 * Bin edges exactly as PyRadiomics' `imageoperations.getBinEdges`:
 * - fixed bin count: `numpy.histogram(values, binCount)` edges (numpy.linspace from min to max,
 *   ±0.5 for a flat region), with 1 added to the last edge so the maximum falls in the top bin;
 * - fixed bin width (default 25): `numpy.arange(min - min % w, max + 2w, w)`, numpy's fill rule
 *   (start + i·(second − first)); a single edge e becomes [e − 0.5, e + 0.5].
 */
export function binEdges(values: ArrayLike<number>, settings: BinSettings = {}): Float64Array {
  if (values.length === 0) throw new RadnomoError('E_MASK', 'cannot discretise an empty ROI.');
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const binCount = settings.binCount ?? null;
  if (binCount !== null) {
    if (!(Number.isInteger(binCount) && binCount >= 1)) {
      throw new RadnomoError('E_PARAMS', `binCount must be a positive whole number, got ${binCount}.`);
    }
    let first = min;
    let last = max;
    if (first === last) {
      first -= 0.5;
      last += 0.5;
    }
    const num = binCount + 1;
    const step = (last - first) / binCount;
    const edges = new Float64Array(num);
    for (let i = 0; i < num; i++) edges[i] = i * step + first;
    edges[num - 1] = last;
    edges[num - 1]! += 1;
    return edges;
  }
  const w = settings.binWidth ?? 25;
  if (!(w > 0) || !Number.isFinite(w)) throw new RadnomoError('E_PARAMS', `binWidth must be a positive number, got ${w}.`);
  const low = min - pyMod(min, w);
  const high = max + 2 * w;
  const n = Math.ceil((high - low) / w);
  if (n > 1e7) {
    throw new RadnomoError('E_PARAMS', `binWidth ${w} gives ${n} bins over the range [${min}, ${max}]; choose a larger binWidth.`);
  }
  if (n <= 1) return Float64Array.from([low - 0.5, low + 0.5]);
  const edges = new Float64Array(n);
  edges[0] = low;
  const delta = low + w - low;
  for (let i = 1; i < n; i++) edges[i] = low + i * delta;
  return edges;
}

/** numpy.digitize(x, edges) for increasing edges (right=False): the number of edges ≤ x. */
export function digitize(x: number, edges: Float64Array): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * PyRadiomics' `binImage` over the ROI: gray level (1-based bin index) of each ROI voxel, 0
 * outside. Returns the levels and the edges used.
 */
export function discretise(
  data: Float64Array,
  mask: Uint8Array,
  settings: BinSettings = {},
): { levels: Int32Array; edges: Float64Array } {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  const roi = new Float64Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) roi[k++] = data[i]!;
  const edges = binEdges(roi, settings);
  const levels = new Int32Array(data.length);
  for (let i = 0; i < mask.length; i++) if (mask[i]) levels[i] = digitize(data[i]!, edges);
  return { levels, edges };
}
