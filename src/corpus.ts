import { constants, createReadStream } from 'node:fs';
import { access, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { UserError, errnoCode } from './errors.js';

/**
 * Large reads keep the per-chunk overhead (a syscall, a decode call, a batch of yields)
 * negligible next to the per-character scan, while memory stays a few MiB whatever the corpus.
 */
const DEFAULT_CHUNK_BYTES = 1 << 20;

/** Characters scanned between two hand-outs of finished sentences (see readSentences). */
const SCAN_STEP = 1 << 16;

/**
 * Longer "tokens" are cut to this many UTF-16 units. No real word comes near it; the cap exists
 * so that a file with no whitespace (binary data, a mangled export) cannot grow one string
 * without bound, which would break the promise that memory does not grow with the corpus.
 */
export const MAX_TOKEN_LENGTH = 1000;

/**
 * V8 makes substrings of 13 or more characters as "sliced strings" that point into their parent.
 * A token sliced from a 1 MiB chunk and kept as a vocabulary key would keep the whole chunk
 * alive, and over a large corpus those chunks add up to the corpus size; such tokens are copied.
 */
const SLICED_STRING_MIN_LENGTH = 13;

/** Options that exist for tests and tuning; the trainer uses the defaults. */
export interface ReadSentencesOptions {
  /** Bytes per read (and per gzip output chunk). Tiny values exercise chunk boundaries. */
  chunkBytes?: number;
}

/** Expands inputs: files as given, directories to their regular files (recursive, sorted by path). Missing/unreadable path or an empty result -> UserError with one line saying which path and what to do. */
export async function resolveCorpusFiles(inputs: string[]): Promise<string[]> {
  if (inputs.length === 0) {
    throw new UserError('No corpus given; pass one or more text files (.txt or .gz) or directories of them');
  }
  const files: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw pathError(input, error);
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      await collectFiles(input, found);
      // Code-unit order, not locale order, so the same tree gives the same corpus everywhere.
      found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (found.length === 0) {
        throw new UserError(`Corpus directory ${input} contains no files; add text files (.txt or .gz) to it or pass files directly`);
      }
      for (const file of found) await requireReadable(file);
      files.push(...found);
    } else {
      await requireReadable(input);
      files.push(input);
    }
  }
  return files;
}

/**
 * Regular files under dir, recursively. Symbolic links to files are followed; links to
 * directories are not, since they can form cycles and a corpus tree rarely needs them.
 */
async function collectFiles(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw pathError(dir, error);
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      await collectFiles(full, out);
    } else if (entry.isFile()) {
      out.push(full);
    } else if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined);
      if (target?.isFile()) out.push(full);
    }
  }
}

async function requireReadable(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw pathError(file, error);
  }
}

function pathError(file: string, error: unknown): UserError {
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UserError(`Corpus path ${file} does not exist; check the path`, { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError(`Cannot read corpus path ${file}: permission denied; fix its permissions or pass another path`, { cause: error });
  }
  if (code === 'EISDIR') {
    return new UserError(`Corpus path ${file} is a directory where a file was expected; pass the directory itself as an input`, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new UserError(`Cannot read corpus path ${file}: ${reason}; check that it is a readable text or .gz file`, { cause: error });
}

/** Streams sentences (arrays of tokens) from the files in order. UTF-8; `.gz` files (detect by gzip magic bytes 1f 8b, not only extension) go through zlib streaming. Tokens are split on ASCII whitespace (space, \t, \n, \v, \f, \r); each line is a sentence (a CR before LF is ignored; empty lines yield nothing); a sentence longer than maxSentenceLength tokens is cut into pieces of at most maxSentenceLength (text8 is one 100 MB line with no newline at all: memory must stay bounded — never hold a whole line, stream it). A file not ending in newline still yields its last sentence. A token never spans two files. Multi-byte UTF-8 characters split across read chunks must decode correctly. */
export async function* readSentences(
  files: string[],
  maxSentenceLength: number,
  options: ReadSentencesOptions = {},
): AsyncGenerator<string[]> {
  if (!(Number.isInteger(maxSentenceLength) && maxSentenceLength >= 1)) {
    throw new RangeError(`maxSentenceLength must be a positive integer, got ${maxSentenceLength}`);
  }
  const chunkBytes = Math.max(64, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const tokenizer = new Tokenizer(maxSentenceLength);
  for (const file of files) {
    for await (const text of decodedChunks(file, chunkBytes)) {
      // Reads are large, but sentences are handed out every SCAN_STEP characters: tokens then
      // die young (cheap scavenges) instead of a whole chunk's worth being promoted by the GC.
      // The character scan itself never crosses an await.
      for (let from = 0; from < text.length; from += SCAN_STEP) {
        tokenizer.push(text, from, Math.min(text.length, from + SCAN_STEP));
        if (tokenizer.ready.length > 0) yield* tokenizer.take();
      }
    }
    tokenizer.endFile();
    if (tokenizer.ready.length > 0) yield* tokenizer.take();
  }
}

/** A file's text, chunk by chunk; gzip detected from the content; errors name the file. */
async function* decodedChunks(file: string, chunkBytes: number): AsyncGenerator<string> {
  // StringDecoder keeps the bytes of a character split across chunks for the next write.
  const decoder = new StringDecoder('utf8');
  let first = true;
  const decode = (bytes: Buffer): string => {
    let text = decoder.write(bytes);
    if (first && text.length > 0) {
      first = false;
      // A UTF-8 byte order mark is an encoding marker, not part of the first word.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };

  let gzip = false;
  try {
    const handle = await open(file, 'r');
    try {
      // One buffer per file is enough: decoding copies the bytes into a string.
      const buffer = Buffer.allocUnsafe(chunkBytes);
      let { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      gzip = bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
      while (!gzip && bytesRead > 0) {
        yield decode(buffer.subarray(0, bytesRead));
        ({ bytesRead } = await handle.read(buffer, 0, chunkBytes, null));
      }
    } finally {
      await handle.close();
    }
    if (gzip) {
      const gunzip = createGunzip({ chunkSize: chunkBytes });
      // pipeline destroys the gunzip stream with any read error, so the loop below sees it, and
      // an early exit of the consumer closes the file.
      pipeline(createReadStream(file, { highWaterMark: chunkBytes }), gunzip, () => {});
      for await (const bytes of gunzip as AsyncIterable<Buffer>) yield decode(bytes);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = errnoCode(error);
    if (gzip && code?.startsWith('Z_')) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError(`Cannot decompress ${file}: ${reason}; the gzip file is corrupt or truncated, re-create or re-download it`, { cause: error });
    }
    throw pathError(file, error);
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

/** True for the six ASCII whitespace characters: \t \n \v \f \r and space. */
function isSpace(c: number): boolean {
  return c <= 32 && (c === 32 || (c >= 9 && c <= 13));
}

/** Cuts an overlong token without leaving half of a surrogate pair at its end. */
function truncateToken(token: string): string {
  let end = MAX_TOKEN_LENGTH;
  const last = token.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return token.slice(0, end);
}

/**
 * Splits decoded text into sentences. State carried between chunks is the sentence being built
 * and the unfinished last token of the previous chunk, so chunk boundaries are invisible.
 */
class Tokenizer {
  ready: string[][] = [];
  private sentence: string[] = [];
  private pending = '';

  constructor(private readonly maxSentenceLength: number) {}

  take(): string[][] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  /** Tokenizes text[from, to); a token reaching `to` is held until the next call or file end. */
  push(text: string, from: number, to: number): void {
    const n = to;
    let i = from;
    if (this.pending.length > 0) {
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      if (i === n) {
        // The token continues past this range too; grow it only up to the cap.
        if (this.pending.length < MAX_TOKEN_LENGTH) this.pending += text.slice(from, Math.min(n, from + MAX_TOKEN_LENGTH));
        return;
      }
      this.emit(this.pending + text.slice(from, i));
      this.pending = '';
    }
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        if (c === 10) this.endSentence();
        i++;
        continue;
      }
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d <= 32 && isSpace(d)) break;
        i++;
      }
      if (i === n) {
        // Possibly cut by the range boundary: finish it with the next range or at end of file.
        this.pending = text.slice(start, Math.min(n, start + MAX_TOKEN_LENGTH));
        return;
      }
      this.emit(text.slice(start, i));
    }
  }

  /** Ends the current token and sentence: neither may continue into the next file. */
  endFile(): void {
    if (this.pending.length > 0) {
      this.emit(this.pending);
      this.pending = '';
    }
    this.endSentence();
  }

  private emit(token: string): void {
    if (token.length >= SLICED_STRING_MIN_LENGTH) {
      if (token.length > MAX_TOKEN_LENGTH) token = truncateToken(token);
      // Concatenating then slicing forces a fresh flat string that no longer refers to the chunk.
      token = (' ' + token).slice(1);
    }
    const sentence = this.sentence;
    sentence.push(token);
    if (sentence.length === this.maxSentenceLength) {
      this.ready.push(sentence);
      this.sentence = [];
    }
  }

  private endSentence(): void {
    if (this.sentence.length > 0) {
      this.ready.push(this.sentence);
      this.sentence = [];
    }
  }
}
