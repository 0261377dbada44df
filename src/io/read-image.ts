import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { RadnomoError } from '../errors';
import type { Image, LabelMap, Vec3 } from '../image';
import { readImageCached, type ItkImage } from './itk-read-pipeline';

/** File endings radnomo reads, and the format each names. */
const FORMATS: Array<[string, string]> = [
  ['.nii.gz', 'NIfTI'],
  ['.nii', 'NIfTI'],
  ['.nrrd', 'NRRD'],
  ['.nhdr', 'NRRD'],
  ['.mha', 'MetaImage'],
  ['.mhd', 'MetaImage'],
  ['.dcm', 'DICOM'],
];

/** The format name of a path by its ending, or undefined. */
export function imageFormatOf(file: string): string | undefined {
  const lower = file.toLowerCase();
  for (const [ext, name] of FORMATS) if (lower.endsWith(ext)) return name;
  return undefined;
}

interface RawVolume {
  size: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: Float64Array;
  data: ArrayLike<number>;
  componentType: string;
}

let silenced = 0;
let savedConsole: { log: typeof console.log; error: typeof console.error } | null = null;

/**
 * Runs an ITK-Wasm call with console.log/console.error silenced: on a file it cannot parse,
 * ITK-Wasm prints "Exception while running pipeline" to stdout before throwing, which would
 * corrupt radnomo's own output (e.g. JSON on stdout).
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  // Reads may overlap (image and mask read together): silence on the first, restore on the last.
  if (silenced++ === 0) {
    savedConsole = { log: console.log, error: console.error };
    console.log = () => undefined;
    console.error = () => undefined;
  }
  try {
    return await fn();
  } finally {
    if (--silenced === 0 && savedConsole) {
      console.log = savedConsole.log;
      console.error = savedConsole.error;
      savedConsole = null;
    }
  }
}

async function readRaw(file: string): Promise<RawVolume> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new RadnomoError('E_IO', `${file}: no such file or folder.`);
  }
  if (stat.isDirectory()) return readDicomFolder(file);
  const format = imageFormatOf(file);
  if (!format) {
    throw new RadnomoError(
      'E_FORMAT',
      `${file}: unknown image format (radnomo reads .nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd, .dcm and DICOM folders).`,
    );
  }
  let img: ItkImage;
  try {
    img = await quietly(() => readImageCached(file));
  } catch (e) {
    // ITK-Wasm throws a bare number (a C++ exception pointer) for a file ITK cannot parse.
    const why = e instanceof Error ? e.message.split('\n')[0] : 'the file is corrupt, truncated or not in that format';
    throw new RadnomoError('E_FORMAT', `${file}: cannot be read as ${format} (${why}).`);
  }
  return fromItk(img, file);
}

type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/**
 * ITK-Wasm returns voxels in a SharedArrayBuffer; converting those element by element is ~5×
 * slower than from an ordinary buffer, so copy them once (a plain byte copy) into one.
 */
function unshared(data: ArrayLike<number>): ArrayLike<number> {
  if (!ArrayBuffer.isView(data) || !(data.buffer instanceof SharedArrayBuffer)) return data;
  const src = data as unknown as TypedArray;
  const Ctor = src.constructor as new (n: number) => TypedArray;
  const copy = new Ctor(src.length);
  copy.set(src);
  return copy;
}

function fromItk(img: ItkImage, file: string): RawVolume {
  const dim = img.imageType.dimension;
  if (img.imageType.components !== 1) {
    throw new RadnomoError('E_FORMAT', `${file}: has ${img.imageType.components} components per voxel; radnomo needs a scalar image.`);
  }
  if (!img.data || (dim !== 2 && dim !== 3)) {
    throw new RadnomoError('E_FORMAT', `${file}: is a ${dim}-D image with no readable voxel data; radnomo needs 2-D or 3-D.`);
  }
  const size: Vec3 = [img.size[0]!, img.size[1]!, dim === 3 ? img.size[2]! : 1];
  const spacing: Vec3 = [img.spacing[0]!, img.spacing[1]!, dim === 3 ? img.spacing[2]! : 1];
  const origin: Vec3 = [img.origin[0]!, img.origin[1]!, dim === 3 ? img.origin[2]! : 0];
  const direction = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      direction[r * 3 + c] = r < dim && c < dim ? Number(img.direction[r * dim + c]) : r === c ? 1 : 0;
    }
  }
  if (img.data.length !== size[0] * size[1] * size[2]) {
    throw new RadnomoError('E_FORMAT', `${file}: voxel data length ${img.data.length} does not match its size ${size.join(' × ')}.`);
  }
  return { size, spacing, origin, direction, data: unshared(img.data), componentType: img.imageType.componentType };
}

async function readDicomFolder(dir: string): Promise<RawVolume> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile());
  if (files.length === 0) throw new RadnomoError('E_IO', `${dir}: the folder holds no files (expected one DICOM series).`);
  let dicom: {
    readImageDicomFileSeriesNode: (o: { inputImages: string[]; singleSortedSeries?: boolean }) => Promise<{ outputImage: ItkImage }>;
  };
  try {
    dicom = (await import('@itk-wasm/dicom')) as unknown as typeof dicom;
  } catch (e) {
    throw new RadnomoError('E_FORMAT', `${dir}: reading a DICOM folder needs @itk-wasm/dicom (${(e as Error).message}).`);
  }
  try {
    const { outputImage } = await quietly(() => dicom.readImageDicomFileSeriesNode({ inputImages: files }));
    return fromItk(outputImage, dir);
  } catch (e) {
    if (e instanceof RadnomoError) throw e;
    throw new RadnomoError('E_FORMAT', `${dir}: cannot be read as one DICOM series (${(e as Error).message.split('\n')[0]}).`);
  }
}

/**
 * SHA-1 (hex) of a voxel buffer in its stored type, as PyRadiomics' diagnostics hash
 * (`hashlib.sha1(sitk.GetArrayViewFromImage(image))`).
 */
export function pixelHash(data: ArrayLike<number>): string {
  const view = data as unknown as ArrayBufferView;
  const bytes = ArrayBuffer.isView(view) ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : Float64Array.from(data);
  return crypto.createHash('sha1').update(bytes).digest('hex');
}

/** Reads an intensity image (NIfTI, NRRD, MetaImage, DICOM file or series folder) in double precision, with its pixel hash. */
export async function readImageFile(file: string): Promise<{ image: Image; hash: string }> {
  const raw = await readRaw(file);
  const image = toImage(raw, file);
  return { image, hash: pixelHash(raw.data) };
}

/** Reads an intensity image (NIfTI, NRRD, MetaImage, DICOM file or series folder) in double precision. */
export async function readImage(file: string): Promise<Image> {
  return toImage(await readRaw(file), file);
}

const INTEGER_ARRAYS = [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array];

function toImage(raw: RawVolume, file: string): Image {
  const data = new Float64Array(raw.data.length);
  if (ArrayBuffer.isView(raw.data)) data.set(raw.data as unknown as ArrayLike<number>);
  else for (let i = 0; i < data.length; i++) data[i] = raw.data[i]!;
  if (INTEGER_ARRAYS.some((T) => raw.data instanceof T) || raw.data instanceof Uint32Array) {
    return { size: raw.size, spacing: raw.spacing, origin: raw.origin, direction: raw.direction, data, pixelType: raw.componentType };
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new RadnomoError('E_VALUE', `${file}: voxel ${i} is ${data[i]}; images must hold finite numbers (no NaN or Inf).`);
    }
  }
  return { size: raw.size, spacing: raw.spacing, origin: raw.origin, direction: raw.direction, data, pixelType: raw.componentType };
}

/** Reads a label map (mask) with its pixel hash. */
export async function readLabelMapFile(file: string): Promise<{ image: LabelMap; hash: string }> {
  const raw = await readRaw(file);
  return { image: toLabelMap(raw, file), hash: pixelHash(raw.data) };
}

/** Reads a label map (mask). Every voxel must be a whole number. */
export async function readLabelMap(file: string): Promise<LabelMap> {
  return toLabelMap(await readRaw(file), file);
}

function toLabelMap(raw: RawVolume, file: string): LabelMap {
  const data = new Int32Array(raw.data.length);
  if (INTEGER_ARRAYS.some((T) => raw.data instanceof T)) {
    data.set(raw.data); // whole numbers that fit Int32 by type
    return { size: raw.size, spacing: raw.spacing, origin: raw.origin, direction: raw.direction, data };
  }
  for (let i = 0; i < data.length; i++) {
    const v = raw.data[i]!;
    if (!Number.isInteger(v)) {
      throw new RadnomoError('E_MASK', `${file}: voxel ${i} holds ${v}; a mask must be a label map of whole numbers.`);
    }
    data[i] = v;
  }
  return { size: raw.size, spacing: raw.spacing, origin: raw.origin, direction: raw.direction, data };
}

/** SHA-1 of a file's bytes (hex), for the diagnostics columns; for a folder, of its sorted file names and bytes. */
export function fileHash(file: string): string {
  const h = crypto.createHash('sha1');
  const st = fs.statSync(file);
  if (st.isDirectory()) {
    for (const f of fs.readdirSync(file).sort()) {
      const p = path.join(file, f);
      if (fs.statSync(p).isFile()) {
        h.update(f);
        h.update(fs.readFileSync(p));
      }
    }
  } else {
    h.update(fs.readFileSync(file));
  }
  return h.digest('hex');
}
