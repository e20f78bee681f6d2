import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { pathError } from './corpus-files.js';
import { UserError, errnoCode } from '../base/errors.js';
import { completeCharactersEnd, firstInvalidByte, replaceInvalidSequences } from './utf8.js';

/** What to do with bytes that are not UTF-8 text: stop with an error, or replace them with U+FFFD. */
export type EncodingErrors = 'strict' | 'replace';
export const ENCODING_ERRORS: readonly EncodingErrors[] = ['strict', 'replace'];

/** A stretch of one corpus file that one reader tokenizes. */
export interface TextRange {
  file: string;
  /** Byte offsets in the file; a gzip file is always read whole. */
  start: number;
  end: number;
  gzip: boolean;
  /** The range reaches the end of its file: the last token and line end there. */
  endsFile: boolean;
}

/**
 * Large reads keep the per-chunk costs (a syscall, the native UTF-8 check) negligible next to
 * the byte scan, while memory stays a few MiB whatever the corpus.
 */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

export interface TextChunkOptions {
  /** Bytes per read (and per gzip output chunk). Tiny values exercise chunk boundaries. */
  chunkBytes: number;
  encodingErrors: EncodingErrors;
  /** Bytes of the file itself (compressed ones for .gz) read since the last call. */
  onFileBytes?: (bytes: number) => void;
}

/** Counts kept across files of one corpus. */
export interface TextStats {
  /** NUL bytes and ill-formed UTF-8 sequences replaced by U+FFFD (with encodingErrors 'replace'). */
  replaced: number;
}

/**
 * A range of a file's text as chunks of well-formed UTF-8 that end on character boundaries,
 * which is what the byte tokenizer needs. A byte order mark at the start of a file is dropped.
 * NUL bytes (binary data) and ill-formed sequences are an error naming the file and the byte
 * offset, or are replaced by U+FFFD and counted. Each chunk is valid until the next.
 */
export async function* textChunks(range: TextRange, options: TextChunkOptions, stats: TextStats): AsyncGenerator<Uint8Array> {
  const { file } = range;
  const checker = new Utf8Chunker(file, range.gzip ? 0 : range.start, range.gzip, options, stats);
  try {
    if (range.gzip) {
      const source = createReadStream(file, { highWaterMark: options.chunkBytes });
      source.on('data', (bytes) => options.onFileBytes?.(bytes.length));
      const gunzip = createGunzip({ chunkSize: options.chunkBytes });
      // pipeline destroys the gunzip stream with any read error, so the loop below sees it, and
      // an early exit of the consumer closes the file.
      pipeline(source, gunzip, () => {});
      for await (const bytes of gunzip as AsyncIterable<Buffer>) yield* checker.push(bytes);
    } else {
      const handle = await open(file, 'r');
      try {
        const raw = Buffer.allocUnsafe(options.chunkBytes);
        for (let at = range.start; at < range.end; ) {
          const { bytesRead } = await handle.read(raw, 0, Math.min(raw.length, range.end - at), at);
          if (bytesRead === 0) break;
          at += bytesRead;
          options.onFileBytes?.(bytesRead);
          yield* checker.push(raw.subarray(0, bytesRead));
        }
      } finally {
        await handle.close();
      }
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = errnoCode(error);
    if (range.gzip && code?.startsWith('Z_')) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError(`Cannot decompress ${file}: ${reason}; the gzip file is corrupt or truncated, re-create or re-download it`, { cause: error });
    }
    throw pathError(file, error);
  }
  yield* checker.end();
}

/**
 * Turns raw chunks of any size into checked text chunks: the bytes of a character split by a
 * read are carried to the front of the next chunk. The check itself is Node's native isUtf8
 * (and a NUL search) over the whole chunk; the byte-by-byte validator runs only on a failure.
 */
class Utf8Chunker {
  private carried = 0;
  /** Only a file's first bytes can be a byte order mark. */
  private atStart: boolean;
  private buffer: Buffer;
  private replacement: Uint8Array | undefined;

  constructor(
    private readonly file: string,
    /** Offset of buffer[0] in the file's (decompressed) text. */
    private offset: number,
    private readonly decompressed: boolean,
    private readonly options: TextChunkOptions,
    private readonly stats: TextStats,
  ) {
    this.atStart = offset === 0;
    this.buffer = Buffer.allocUnsafe(options.chunkBytes + 4);
  }

  *push(raw: Uint8Array): Generator<Uint8Array> {
    for (let from = 0; from < raw.length; ) {
      const room = this.buffer.length - this.carried;
      const take = Math.min(room, raw.length - from);
      this.buffer.set(raw.subarray(from, from + take), this.carried);
      from += take;
      yield* this.release(this.carried + take, false);
    }
  }

  *end(): Generator<Uint8Array> {
    yield* this.release(this.carried, true);
  }

  private *release(length: number, final: boolean): Generator<Uint8Array> {
    let start = 0;
    if (this.atStart) {
      // Wait for three bytes before deciding whether the text starts with a byte order mark.
      if (length < 3 && !final) {
        this.carried = length;
        return;
      }
      this.atStart = false;
      const b = this.buffer;
      if (length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3;
    }
    const boundary = final ? length : Math.max(start, completeCharactersEnd(this.buffer, length));
    if (boundary > start) {
      const text = this.buffer.subarray(start, boundary);
      if (text.indexOf(0) < 0 && isUtf8(text)) yield text;
      else yield this.repaired(text, start);
    }
    this.buffer.copyWithin(0, boundary, length);
    this.offset += boundary;
    this.carried = length - boundary;
  }

  /** The text with bad bytes replaced, or the error that names the first one. */
  private repaired(text: Buffer, start: number): Uint8Array {
    if (this.options.encodingErrors === 'replace') {
      if (!this.replacement || this.replacement.length < 3 * text.length) this.replacement = new Uint8Array(3 * this.buffer.length);
      const { length, replaced } = replaceInvalidSequences(text, text.length, this.replacement);
      this.stats.replaced += replaced;
      return this.replacement.subarray(0, length);
    }
    const nul = text.indexOf(0);
    const invalid = firstInvalidByte(text, 0, nul < 0 ? text.length : nul);
    const at = this.offset + start + (invalid >= 0 ? invalid : nul);
    const where = `at byte offset ${at}${this.decompressed ? ' of its decompressed text' : ''}`;
    if (invalid < 0) {
      throw new UserError(
        `${this.file} holds binary data (a NUL byte ${where}), not text: pass UTF-8 text files, or --encoding-errors replace to train on it anyway`,
      );
    }
    const byte = text[invalid].toString(16).padStart(2, '0');
    throw new UserError(
      `${this.file} is not valid UTF-8 (byte 0x${byte} ${where}): convert it (for example iconv -f latin1 -t utf-8), ` +
        'or pass --encoding-errors replace to replace bad bytes with U+FFFD',
    );
  }
}
