/** Test support: writes small raw NRRD files (the format's text header plus little-endian voxels). */
import * as fs from 'node:fs';

export interface NrrdSpec {
  size: [number, number, number];
  spacing?: [number, number, number];
  origin?: [number, number, number];
  type: 'short' | 'int' | 'double' | 'float' | 'uchar';
  data: ArrayLike<number>;
}

export function writeNrrd(file: string, spec: NrrdSpec): void {
  const sp = spec.spacing ?? [1, 1, 1];
  const o = spec.origin ?? [0, 0, 0];
  const header =
    'NRRD0004\n' +
    `type: ${spec.type}\ndimension: 3\nspace: left-posterior-superior\nsizes: ${spec.size.join(' ')}\n` +
    `space directions: (${sp[0]},0,0) (0,${sp[1]},0) (0,0,${sp[2]})\nkinds: domain domain domain\n` +
    `endian: little\nencoding: raw\nspace origin: (${o.join(',')})\n\n`;
  const Ctor = { short: Int16Array, int: Int32Array, double: Float64Array, float: Float32Array, uchar: Uint8Array }[spec.type];
  const arr = Ctor.from(Array.from(spec.data));
  fs.writeFileSync(file, Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(arr.buffer)]));
}
