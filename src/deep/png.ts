/**
 * A minimal PNG encoder (8-bit RGB, filter type 0, zlib from node:zlib), per the PNG specification
 * (ISO/IEC 15948, W3C PNG 2nd ed.): signature, IHDR, IDAT, IEND, each chunk with its CRC-32.
 */
import * as zlib from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (PNG/zlib polynomial) of bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes width × height RGB pixels (row-major, 3 bytes each) as a PNG file. */
export function encodePngRgb(rgb: Uint8Array, width: number, height: number): Buffer {
  if (rgb.length !== width * height * 3) throw new RangeError(`expected ${width * height * 3} bytes, got ${rgb.length}`);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The 'jet' colour map at t in [0, 1] as RGB in [0, 1]. */
export function jet(t: number): [number, number, number] {
  const c = (x: number): number => Math.min(1, Math.max(0, x));
  return [c(1.5 - Math.abs(4 * t - 3)), c(1.5 - Math.abs(4 * t - 2)), c(1.5 - Math.abs(4 * t - 1))];
}

/** Blends a heatmap in [0, 1] (jet, weight alpha·heat) over a gray image in [0, 255]; both n × n row-major. */
export function overlay(gray: ArrayLike<number>, heat: ArrayLike<number>, width: number, height: number, alpha = 0.5): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const h = Math.min(1, Math.max(0, heat[i]!));
    const [r, g, b] = jet(h);
    const a = alpha * h;
    const v = gray[i]!;
    out[3 * i] = Math.round((1 - a) * v + a * 255 * r);
    out[3 * i + 1] = Math.round((1 - a) * v + a * 255 * g);
    out[3 * i + 2] = Math.round((1 - a) * v + a * 255 * b);
  }
  return out;
}
