import { promises as fsp } from 'node:fs';
import { crc32 } from 'node:zlib';
import { writeAllBytes, writeFileAtomically } from './atomic-file.js';
import { openFailure } from './errors.js';

/**
 * The container of w2v's own binary files (checkpoints, model files): a JSON header and a
 * binary payload, each with its CRC-32, so a truncated, mutated or foreign file is refused.
 *
 * Layout (little-endian):
 *   bytes 0..7    magic (8 bytes, one per kind of file)
 *   u32           format version
 *   u32           header length in bytes (UTF-8 JSON)
 *   u32           CRC-32 of the header
 *   u32           CRC-32 of the payload
 *   header        JSON
 *   padding       zeros up to a multiple of 4 bytes, so float32 payloads are aligned
 *   payload       the parts, one after the other, and nothing after them
 */
const PREFIX_BYTES = 24;
/** JSON headers beyond this are not ours; refusing them early avoids reading a huge bogus length. */
const MAX_HEADER_BYTES = 1 << 30;

export interface FramedFileKind {
  magic: Buffer;
  version: number;
  /** What the file is, for "no such …" messages. */
  what: string;
}

export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

const paddingAfter = (headerBytes: number) => (4 - ((PREFIX_BYTES + headerBytes) % 4)) % 4;

/** Writes header and payload atomically: a failure leaves the previous file as it was. */
export async function writeFramedFile(file: string, kind: FramedFileKind, header: unknown, parts: readonly ArrayBufferView[]): Promise<void> {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padding = Buffer.alloc(paddingAfter(json.length));
  const payload = parts.map(bytesOf);
  const prefix = Buffer.alloc(PREFIX_BYTES);
  kind.magic.copy(prefix, 0);
  prefix.writeUInt32LE(kind.version, 8);
  prefix.writeUInt32LE(json.length, 12);
  prefix.writeUInt32LE(crc32(json), 16);
  prefix.writeUInt32LE(payload.reduce((crc, part) => crc32(part, crc), 0), 20);
  await writeFileAtomically(file, async (handle) => {
    for (const part of [prefix, json, padding, ...payload]) await writeAllBytes(handle, part);
  });
}

/**
 * Reads a framed file and checks its magic, version and header checksum; `payloadBytes` says,
 * from the parsed header, how long the payload must be, and the payload's checksum is checked
 * against it. Every problem is `refuse(why)`, a one-line error naming the file.
 */
export async function readFramedFile(
  file: string,
  kind: FramedFileKind,
  refuse: (why: string) => Error,
  payloadBytes: (header: unknown) => number,
): Promise<{ header: unknown; payload: Buffer }> {
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(file);
  } catch (error) {
    throw openFailure(file, kind.what, error);
  }
  if (bytes.length < PREFIX_BYTES || !bytes.subarray(0, 8).equals(kind.magic)) throw refuse(`not a w2v ${kind.what.replace(/ file$/, '')}`);
  const version = bytes.readUInt32LE(8);
  if (version !== kind.version) throw refuse(`${kind.what.replace(/ file$/, '')} format version ${version}, this w2v reads version ${kind.version}`);
  const headerBytes = bytes.readUInt32LE(12);
  if (headerBytes > MAX_HEADER_BYTES || PREFIX_BYTES + headerBytes > bytes.length) throw refuse('the file is truncated (header)');
  const json = bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes);
  if (crc32(json) !== bytes.readUInt32LE(16)) throw refuse('the header is corrupt (checksum mismatch)');
  let header: unknown;
  try {
    header = JSON.parse(json.toString('utf8'));
  } catch {
    throw refuse('the header is not valid JSON');
  }
  const start = PREFIX_BYTES + headerBytes + paddingAfter(headerBytes);
  const expected = start + payloadBytes(header);
  if (bytes.length < expected) throw refuse(`the file is truncated (${bytes.length} bytes, the header describes ${expected})`);
  if (bytes.length > expected) throw refuse(`${bytes.length - expected} unexpected bytes after the weights`);
  const payload = bytes.subarray(start);
  if (crc32(payload) !== bytes.readUInt32LE(20)) throw refuse('the weights are corrupt (checksum mismatch)');
  return { header, payload };
}

/** Copies `bytes` floats from `payload` at `offset` into an aligned Float32Array. */
export function float32At(payload: Buffer, offset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  new Uint8Array(out.buffer).set(payload.subarray(offset, offset + count * 4));
  return out;
}
