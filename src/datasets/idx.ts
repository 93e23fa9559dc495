/**
 * The IDX format of the MNIST files (LeCun et al.): a 4-byte magic number (two zero bytes, a
 * type code, the number of dimensions), one big-endian uint32 per dimension, then the values in
 * row-major order, big-endian.
 */
import { gunzipSync } from 'node:zlib';
import { TensileError } from '../errors.js';

export interface IdxArray {
  /** The IDX element type: 'uint8', 'int8', 'int16', 'int32', 'float32' or 'float64'. */
  type: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
  shape: number[];
  /** The values in row-major order, converted to the host's byte order. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES = {
  0x08: ['uint8', 1],
  0x09: ['int8', 1],
  0x0b: ['int16', 2],
  0x0c: ['int32', 4],
  0x0d: ['float32', 4],
  0x0e: ['float64', 8],
} as const;

/** Parses an IDX file's bytes; gzip-compressed bytes (starting 1f 8b) are unpacked first. */
export function readIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const fail = (why: string): never => {
    throw new TensileError('io_error', `${source} is not a valid IDX file: ${why}.`);
  };
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) fail('it does not start with two zero bytes');
  const code = buf[2]! as keyof typeof TYPES;
  const spec = TYPES[code] ?? fail(`unknown type code 0x${buf[2]!.toString(16)}`);
  const [type, width] = spec;
  const rank = buf[3]!;
  if (buf.length < 4 + 4 * rank)
    fail(`the header is cut short (${buf.length} bytes for ${rank} dimensions)`);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(buf.readUInt32BE(4 + 4 * d));
  const count = shape.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (buf.length !== start + count * width) {
    fail(
      `shape [${shape.join(',')}] needs ${start + count * width} bytes, the file has ${buf.length}`,
    );
  }
  const body = buf.subarray(start);
  let data: IdxArray['data'];
  switch (type) {
    case 'uint8':
      data = new Uint8Array(body);
      break;
    case 'int8':
      data = new Int8Array(body.buffer.slice(body.byteOffset, body.byteOffset + count));
      break;
    case 'int16':
      data = Int16Array.from({ length: count }, (_, i) => body.readInt16BE(2 * i));
      break;
    case 'int32':
      data = Int32Array.from({ length: count }, (_, i) => body.readInt32BE(4 * i));
      break;
    case 'float32':
      data = Float32Array.from({ length: count }, (_, i) => body.readFloatBE(4 * i));
      break;
    case 'float64':
      data = Float64Array.from({ length: count }, (_, i) => body.readDoubleBE(8 * i));
      break;
  }
  return { type, shape, data };
}

/** The bytes of an IDX file holding `data` with `shape` (uint8 or int32), for tests and tools. */
export function writeIdx(data: Uint8Array | Int32Array, shape: readonly number[]): Buffer {
  const width = data instanceof Uint8Array ? 1 : 4;
  const out = Buffer.alloc(4 + 4 * shape.length + data.length * width);
  out[2] = width === 1 ? 0x08 : 0x0c;
  out[3] = shape.length;
  shape.forEach((n, d) => out.writeUInt32BE(n, 4 + 4 * d));
  const start = 4 + 4 * shape.length;
  if (width === 1) out.set(data, start);
  else data.forEach((v, i) => out.writeInt32BE(v, start + 4 * i));
  return out;
}
