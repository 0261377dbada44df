import * as fs from 'node:fs';
import * as path from 'node:path';
import { RadnomoError } from '../errors';
import type { Volume } from '../image';

/** Pixel component types radnomo writes. */
export type WriteComponentType = 'float64' | 'float32' | 'int32' | 'int16' | 'uint16' | 'uint8';

export interface WriteImageOptions {
  /** Stored component type; default from the data (Float64Array → float64, Int32Array → int32, Uint8Array → uint8). */
  componentType?: WriteComponentType;
  /** Compress the voxel data (NRRD gzip encoding, MetaImage zlib); default true. `.nii.gz` is always compressed, `.nii` never. */
  compress?: boolean;
}

/** File endings radnomo writes. */
const WRITE_FORMATS: Array<[string, string]> = [
  ['.nii.gz', 'NIfTI'],
  ['.nii', 'NIfTI'],
  ['.nrrd', 'NRRD'],
  ['.mha', 'MetaImage'],
];

interface ItkImageOut {
  imageType: { dimension: number; componentType: string; pixelType: string; components: number };
  name: string;
  origin: number[];
  spacing: number[];
  direction: Float64Array;
  size: number[];
  metadata: Map<string, string>;
  data: ArrayBufferView;
}

type ImageIoWriteModule = {
  writeImageNode: (image: ItkImageOut, file: string, options?: { useCompression?: boolean }) => Promise<void>;
};

let imageIo: Promise<ImageIoWriteModule> | undefined;
function loadImageIo(): Promise<ImageIoWriteModule> {
  // @itk-wasm/image-io is an ES module; load it with a real dynamic import from CommonJS.
  imageIo ??= import('@itk-wasm/image-io') as unknown as Promise<ImageIoWriteModule>;
  return imageIo;
}

function convert(data: ArrayLike<number>, type: WriteComponentType): ArrayBufferView {
  switch (type) {
    case 'float64':
      return Float64Array.from(data);
    case 'float32':
      return Float32Array.from(data);
    case 'int32':
      return Int32Array.from(data);
    case 'int16':
      return Int16Array.from(data);
    case 'uint16':
      return Uint16Array.from(data);
    case 'uint8':
      return Uint8Array.from(data);
  }
}

const RANGES: Partial<Record<WriteComponentType, [number, number]>> = {
  int32: [-2147483648, 2147483647],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  uint8: [0, 255],
};

/**
 * Writes a 3-D volume with its geometry (size, spacing, origin, direction) as NIfTI (.nii,
 * .nii.gz), NRRD (.nrrd) or MetaImage (.mha) through ITK's image IO (@itk-wasm/image-io
 * writeImageNode). The file is written under a temporary name in the same folder and renamed
 * into place, so a failure never leaves half a file.
 */
export async function writeImage(
  file: string,
  image: Volume<Float64Array | Int32Array | Uint8Array>,
  options: WriteImageOptions = {},
): Promise<void> {
  const lower = file.toLowerCase();
  const fmt = WRITE_FORMATS.find(([ext]) => lower.endsWith(ext));
  if (!fmt) {
    throw new RadnomoError('E_FORMAT', `${file}: unknown output image format (radnomo writes .nii, .nii.gz, .nrrd and .mha).`);
  }
  const [ext] = fmt;
  const n = image.size[0] * image.size[1] * image.size[2];
  if (image.data.length !== n) {
    throw new RadnomoError('E_VALUE', `${file}: voxel data length ${image.data.length} does not match the size ${image.size.join(' × ')}.`);
  }
  const componentType: WriteComponentType =
    options.componentType ?? (image.data instanceof Float64Array ? 'float64' : image.data instanceof Int32Array ? 'int32' : 'uint8');
  const range = RANGES[componentType];
  for (let i = 0; i < n; i++) {
    const v = image.data[i]!;
    if (!Number.isFinite(v)) throw new RadnomoError('E_VALUE', `${file}: voxel ${i} is ${v}; only finite values can be written.`);
    if (range && (v < range[0] || v > range[1] || !Number.isInteger(v))) {
      throw new RadnomoError('E_VALUE', `${file}: voxel ${i} holds ${v}, which ${componentType} cannot store.`);
    }
  }
  const itkImage: ItkImageOut = {
    imageType: { dimension: 3, componentType, pixelType: 'Scalar', components: 1 },
    name: 'image',
    origin: [...image.origin],
    spacing: [...image.spacing],
    direction: Float64Array.from(image.direction),
    size: [...image.size],
    metadata: new Map(),
    data: convert(image.data, componentType),
  };
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new RadnomoError('E_IO', `${dir}: cannot create the output folder (${(e as Error).message}).`);
  }
  const stem = path.basename(file).slice(0, path.basename(file).length - ext.length);
  const tmp = path.join(dir, `.${stem}.${process.pid}.${Date.now()}.tmp${ext}`);
  try {
    const io = await loadImageIo();
    await io.writeImageNode(itkImage, tmp, { useCompression: ext === '.nii' ? false : options.compress ?? true });
    fs.renameSync(tmp, path.resolve(file));
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing left to clean */
    }
    const why = e instanceof Error ? e.message : String(e);
    throw new RadnomoError('E_IO', `${file}: cannot write (${why.split('\n')[0]}).`);
  }
}
