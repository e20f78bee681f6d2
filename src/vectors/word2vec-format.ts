import os from 'node:os';
import { open, type FileHandle } from 'node:fs/promises';
import { writeFileAtomically } from '../base/atomic-file.js';
import { UserError, openFailure } from '../base/errors.js';

/** Words and their vectors, row i belonging to words[i]. */
export interface WordVectors {
  words: string[];
  dim: number;
  vectors: Float32Array;
  /** floats between row starts; defaults to dim (rows may be padded) */
  stride?: number;
}

export type Word2vecFormat = 'bin' | 'text';

const LITTLE_ENDIAN = os.endianness() === 'LE';
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
/** Output is handed to the file in pieces of about this size, so memory stays flat for any vocabulary. */
const WRITE_CHUNK = 1 << 20;
/** A "word" longer than this is not a word: the file is not what its header says. */
const MAX_WORD_BYTES = 1 << 16;

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Formats a float32 value exactly as glibc's `printf("%lf")` does, which is what C word2vec
 * writes. `toFixed(6)` agrees except in three corners: exact ties (glibc rounds half to even,
 * `toFixed` away from zero), negative zero (glibc keeps the sign), and values of 1e21 or more
 * (`toFixed` switches to exponent notation).
 */
export function formatLikeC(value: number, signBit: boolean): string {
  if (Number.isNaN(value)) return signBit ? '-nan' : 'nan';
  if (!Number.isFinite(value)) return value < 0 ? '-inf' : 'inf';
  if (value === 0) return signBit ? '-0.000000' : '0.000000';
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (abs >= 1e21) return `${sign}${BigInt(abs).toString()}.000000`;
  // A float32 times 2e6 is exact in float64 (24 + 14 mantissa bits), so this detects ties exactly.
  const twice = abs * 2e6;
  if (Number.isInteger(twice) && twice % 2 === 1) {
    const down = (twice - 1) / 2;
    const millionths = down % 2 === 0 ? down : down + 1;
    const digits = millionths.toString().padStart(7, '0');
    return `${sign}${digits.slice(0, -6)}.${digits.slice(-6)}`;
  }
  return value.toFixed(6);
}

function checkShape(path: string, data: WordVectors): number {
  const stride = data.stride ?? data.dim;
  if (!Number.isInteger(data.dim) || data.dim < 1 || stride < data.dim) {
    throw new UserError(`${path}: cannot write vectors of dimension ${data.dim} with row stride ${stride}`);
  }
  const needed = data.words.length === 0 ? 0 : (data.words.length - 1) * stride + data.dim;
  if (data.vectors.length < needed) {
    throw new UserError(`${path}: ${data.words.length} words need ${needed} floats but only ${data.vectors.length} were given`);
  }
  return stride;
}

function checkWord(path: string, word: string, index: number): void {
  // A word with whitespace (or an empty one) would shift every later row when read back.
  if (word.length === 0 || /[\s]/.test(word)) {
    throw new UserError(`${path}: word ${index} (${JSON.stringify(word)}) is empty or contains whitespace; the word2vec format cannot hold it`);
  }
}

/**
 * Writes vectors in the word2vec format byte for byte as C word2vec does (the end of TrainModel
 * in word2vec.c): a header "V D\n", then per word the word and a space, followed either by D
 * little-endian float32 values (binary) or by each value as "%lf " (text), and a "\n".
 * The file is streamed in chunks and appears at `path` only once complete.
 */
export async function writeWord2vecFile(path: string, data: WordVectors, format: Word2vecFormat): Promise<void> {
  const stride = checkShape(path, data);
  const { words, dim, vectors } = data;
  await writeFileAtomically(path, async (handle) => {
    const out = new ChunkWriter(handle);
    await out.writeString(`${words.length} ${dim}\n`);
    if (format === 'bin') {
      const rowBytes = Buffer.alloc(dim * 4);
      for (let i = 0; i < words.length; i++) {
        checkWord(path, words[i], i);
        await out.writeString(`${words[i]} `);
        const row = vectors.subarray(i * stride, i * stride + dim);
        if (LITTLE_ENDIAN) {
          await out.writeBytes(new Uint8Array(row.buffer, row.byteOffset, dim * 4));
        } else {
          for (let j = 0; j < dim; j++) rowBytes.writeFloatLE(row[j], j * 4);
          await out.writeBytes(rowBytes);
        }
        await out.writeString('\n');
      }
    } else {
      // The sign bit tells "-0.000000" from "0.000000" and "-nan" from "nan", as printf does.
      const bits = new Uint32Array(vectors.buffer, vectors.byteOffset, vectors.length);
      for (let i = 0; i < words.length; i++) {
        checkWord(path, words[i], i);
        let line = `${words[i]} `;
        const base = i * stride;
        for (let j = 0; j < dim; j++) line += `${formatLikeC(vectors[base + j], (bits[base + j] & 0x80000000) !== 0)} `;
        await out.writeString(`${line}\n`);
      }
    }
    await out.flush();
  });
}

/** Collects small writes into one buffer so the file sees few, large writes. */
class ChunkWriter {
  private readonly chunk = Buffer.alloc(WRITE_CHUNK);
  private used = 0;
  constructor(private readonly handle: FileHandle) {}

  async writeString(text: string): Promise<void> {
    if (this.used + text.length * 3 > this.chunk.length) await this.flush();
    if (text.length * 3 > this.chunk.length) {
      await this.writeAll(Buffer.from(text, 'utf8'));
      return;
    }
    this.used += this.chunk.write(text, this.used, 'utf8');
  }

  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.used + bytes.length > this.chunk.length) await this.flush();
    if (bytes.length > this.chunk.length) {
      await this.writeAll(bytes);
      return;
    }
    this.chunk.set(bytes, this.used);
    this.used += bytes.length;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.writeAll(this.chunk.subarray(0, this.used));
    this.used = 0;
  }

  private async writeAll(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * A forward-only window over a file. Rows are parsed straight from the window, so files far
 * larger than memory's comfortable Buffer sizes (multi-gigabyte fastText .vec files) stream.
 */
class ByteWindow {
  buf = Buffer.alloc(1 << 20);
  /** Next unread byte in buf. */
  pos = 0;
  /** End of valid data in buf. */
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  eof = false;

  constructor(private readonly handle: FileHandle) {}

  get offset(): number {
    return this.base + this.pos;
  }

  /** Makes at least `n` unread bytes available if the file has them; returns how many are. */
  async ensure(n: number): Promise<number> {
    while (this.end - this.pos < n && !this.eof) {
      if (this.pos > 0) {
        this.buf.copy(this.buf, 0, this.pos, this.end);
        this.base += this.pos;
        this.end -= this.pos;
        this.pos = 0;
      }
      if (this.end === this.buf.length || n > this.buf.length) {
        const bigger = Buffer.alloc(Math.max(this.buf.length * 2, n));
        this.buf.copy(bigger, 0, 0, this.end);
        this.buf = bigger;
      }
      const { bytesRead } = await this.handle.read(this.buf, this.end, this.buf.length - this.end, this.base + this.end);
      if (bytesRead === 0) this.eof = true;
      this.end += bytesRead;
    }
    return this.end - this.pos;
  }

  /**
   * Finds the next `byte` at or after pos, reading more of the file as needed; returns its index
   * in buf, or -1 if the file ends first (or `limit` bytes pass without one).
   */
  async find(byte: number, limit: number): Promise<number> {
    let from = this.pos;
    for (;;) {
      const at = this.buf.indexOf(byte, from);
      if (at !== -1 && at < this.end) return at;
      if (this.eof || this.end - this.pos > limit) return -1;
      const scanned = this.end - this.pos;
      await this.ensure(scanned + 1);
      from = this.pos + scanned;
    }
  }
}

function fail(path: string, where: string, message: string): never {
  throw new UserError(`${path}: ${where}: ${message}`);
}

const NUMBER_TOKEN = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|nan|inf|infinity)$/i;

function parseValue(token: string): number {
  const value = Number(token);
  if (!Number.isNaN(value) && token.length > 0) return value;
  if (/^[+-]?nan$/i.test(token)) return NaN;
  if (/^[+-]?inf(?:inity)?$/i.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
  return NaN;
}

/** Splits the text after a word into value tokens; C and fastText leave a trailing space, gensim does not. */
function valueTokens(rest: string): string[] {
  const trimmed = rest.replace(/^[ \t]+|[ \t\r]+$/g, '');
  return trimmed.length === 0 ? [] : trimmed.split(/[ \t]+/);
}

const utf8 = new TextDecoder('utf-8');

/**
 * Reads a word2vec file in either layout, deciding by the first row: a text file's first row is
 * a word followed by exactly D numbers on one line, which raw float bytes practically never are.
 * Accepts C word2vec, gensim (binary rows without a closing "\n", text rows without a trailing
 * space) and fastText .vec files, CRLF line ends and UTF-8 words. `limit` keeps only the first
 * (most frequent) words, as gensim's `limit` does.
 */
export async function readWord2vecFile(path: string, options: { limit?: number } = {}): Promise<WordVectors> {
  const limit = options.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new UserError(`limit must be a positive integer, got ${limit}`);
  }
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw openFailure(path, 'vectors file', error);
  }
  try {
    const size = (await handle.stat()).size;
    const window = new ByteWindow(handle);
    const { count, dim } = await readHeader(path, window);
    const keep = limit === undefined ? count : Math.min(count, limit);
    const binary = await looksBinary(window, dim);
    // A corrupt header could ask for terabytes; compare it with what the file can hold first.
    const minRowBytes = binary ? 4 * dim + 2 : 2 * dim + 1;
    if (keep > 0 && window.offset + keep * minRowBytes - 1 > size) {
      fail(path, 'line 1', `header promises ${count} vectors of dimension ${dim} but the file is only ${size} bytes (truncated, or a wrong header)`);
    }
    const vectors = new Float32Array(keep * dim);
    const words: string[] = new Array(keep);
    if (binary) await readBinaryRows(path, window, words, vectors, dim, count, keep);
    else await readTextRows(path, window, words, vectors, dim, count, keep);
    return { words, dim, vectors, stride: dim };
  } finally {
    await handle.close();
  }
}

async function readHeader(path: string, window: ByteWindow): Promise<{ count: number; dim: number }> {
  await window.ensure(1);
  if (window.end === 0) fail(path, 'line 1', 'the file is empty; expected a header "<word count> <dimension>"');
  const nl = await window.find(LF, 4096);
  const lineEnd = nl === -1 ? Math.min(window.end, window.pos + 200) : nl;
  const line = window.buf.toString('latin1', window.pos, lineEnd).replace(/\r$/, '');
  const match = /^\s*(\d+)[ \t]+(\d+)[ \t]*$/.exec(line);
  if (nl === -1 || !match) {
    fail(path, 'line 1', `expected a header "<word count> <dimension>", found ${JSON.stringify(line.slice(0, 60))}`);
  }
  const count = Number(match[1]);
  const dim = Number(match[2]);
  if (dim < 1 || dim > 1 << 20) fail(path, 'line 1', `dimension ${dim} in the header is out of range`);
  if (!Number.isSafeInteger(count)) fail(path, 'line 1', `word count ${match[1]} in the header is out of range`);
  window.pos = nl + 1;
  return { count, dim };
}

async function looksBinary(window: ByteWindow, dim: number): Promise<boolean> {
  await window.ensure(Math.max(1 << 16, dim * 40 + 1024));
  const nl = window.buf.indexOf(LF, window.pos);
  if (nl === -1 || nl >= window.end) {
    // One row and no newline at all: a text row can still end the file without one.
    if (!window.eof) return true;
  }
  const lineEnd = nl === -1 || nl >= window.end ? window.end : nl;
  const line = window.buf.toString('latin1', window.pos, lineEnd);
  const firstGap = line.search(/[ \t]/);
  if (firstGap <= 0) return window.end > window.pos;
  const tokens = valueTokens(line.slice(firstGap));
  return !(tokens.length === dim && tokens.every((t) => NUMBER_TOKEN.test(t)));
}

async function readBinaryRows(
  path: string,
  window: ByteWindow,
  words: string[],
  vectors: Float32Array,
  dim: number,
  count: number,
  keep: number,
): Promise<void> {
  const rowBytes = dim * 4;
  const target = new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  for (let i = 0; i < keep; i++) {
    // gensim writes no "\n" after a binary vector and C does; skip it (and a CR) when present.
    for (;;) {
      if ((await window.ensure(1)) === 0) {
        fail(path, `byte ${window.offset}`, `file ends after ${i} of ${count} vectors (truncated?)`);
      }
      const c = window.buf[window.pos];
      if (c !== LF && c !== CR) break;
      window.pos++;
    }
    const wordStart = window.offset;
    const space = await window.find(SPACE, MAX_WORD_BYTES);
    if (space === -1) {
      if (window.eof && window.end - window.pos <= MAX_WORD_BYTES) {
        fail(path, `byte ${wordStart}`, `file ends inside word ${i + 1} of ${count} (truncated?)`);
      }
      fail(path, `byte ${wordStart}`, `no word found for vector ${i + 1} of ${count} (corrupt file, or the header's dimension ${dim} is wrong)`);
    }
    words[i] = utf8.decode(window.buf.subarray(window.pos, space));
    window.pos = space + 1;
    if ((await window.ensure(rowBytes)) < rowBytes) {
      fail(path, `byte ${window.offset}`, `file ends inside the vector of ${JSON.stringify(words[i])} (${i + 1} of ${count}; truncated?)`);
    }
    if (LITTLE_ENDIAN) {
      target.set(window.buf.subarray(window.pos, window.pos + rowBytes), i * rowBytes);
    } else {
      for (let j = 0; j < dim; j++) vectors[i * dim + j] = window.buf.readFloatLE(window.pos + j * 4);
    }
    window.pos += rowBytes;
  }
  if (keep < count) return;
  // Anything but line ends after the last promised vector means the header undercounts.
  for (;;) {
    if ((await window.ensure(1)) === 0) return;
    const c = window.buf[window.pos];
    if (c !== LF && c !== CR && c !== SPACE && c !== TAB) {
      fail(path, `byte ${window.offset}`, `data continues after the ${count} vectors the header promises (the header disagrees with the body)`);
    }
    window.pos++;
  }
}

async function readTextRows(
  path: string,
  window: ByteWindow,
  words: string[],
  vectors: Float32Array,
  dim: number,
  count: number,
  keep: number,
): Promise<void> {
  let lineNumber = 1;
  let row = 0;
  const maxLine = Math.max(1 << 20, dim * 64 + MAX_WORD_BYTES);
  while (row < count) {
    if ((await window.ensure(1)) === 0) {
      fail(path, `line ${lineNumber + 1}`, `file ends after ${row} of ${count} vectors (truncated?)`);
    }
    lineNumber++;
    const nl = await window.find(LF, maxLine);
    if (nl === -1 && !window.eof) fail(path, `line ${lineNumber}`, `line longer than ${maxLine} bytes; not a vectors file?`);
    const lineEnd = nl === -1 ? window.end : nl;
    const { buf } = window;
    if (buf.toString('latin1', window.pos, lineEnd).trim() === '') {
      // A blank line between rows carries nothing; only its number matters for messages.
      window.pos = nl === -1 ? window.end : nl + 1;
      continue;
    }
    let gap = window.pos;
    while (gap < lineEnd && buf[gap] !== SPACE && buf[gap] !== TAB) gap++;
    if (gap === window.pos) fail(path, `line ${lineNumber}`, 'row starts with whitespace instead of a word');
    const tokens = valueTokens(buf.toString('latin1', gap, lineEnd));
    if (tokens.length !== dim) {
      fail(path, `line ${lineNumber}`, `expected ${dim} values after the word (the header's dimension), found ${tokens.length}`);
    }
    if (row < keep) {
      words[row] = utf8.decode(buf.subarray(window.pos, gap));
      const base = row * dim;
      for (let j = 0; j < dim; j++) {
        const value = parseValue(tokens[j]);
        if (Number.isNaN(value) && !/^[+-]?nan$/i.test(tokens[j])) {
          fail(path, `line ${lineNumber}`, `value ${j + 1} (${JSON.stringify(tokens[j].slice(0, 30))}) is not a number`);
        }
        vectors[base + j] = value;
      }
    }
    row++;
    window.pos = nl === -1 ? window.end : nl + 1;
    if (row === keep && keep < count) return;
  }
  // Blank lines may follow; another row means the header undercounts.
  for (;;) {
    if ((await window.ensure(1)) === 0) return;
    lineNumber++;
    const nl = await window.find(LF, maxLine);
    const lineEnd = nl === -1 ? window.end : nl;
    if (window.buf.toString('latin1', window.pos, lineEnd).trim() !== '') {
      fail(path, `line ${lineNumber}`, `another row after the ${count} vectors the header promises (the header disagrees with the body)`);
    }
    window.pos = nl === -1 ? window.end : nl + 1;
  }
}
