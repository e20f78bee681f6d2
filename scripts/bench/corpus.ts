import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isAsciiSpace } from '../../src/corpus/token-scanner.js';

/** The corpus as the benchmark hands it to every tool: plain text on disk, tokens counted once. */
export interface PreparedCorpus {
  /** What the user named (maybe .gz). */
  source: string;
  /** Plain-text file every tool reads (C word2vec, gensim's corpus_file and fastText need plain text). */
  text: string;
  /** Same tokens, one line per at most MAX_SENTENCE tokens (gensim's corpus_file reader needs lines). */
  lines: string;
  bytes: number;
  /** Whitespace tokens in the text, the numerator of words/s. */
  tokens: number;
}

/** Sentence cap shared by w2v and gensim (and the spec): longer lines are cut into pieces. */
export const MAX_SENTENCE = 10_000;


/**
 * Counts whitespace tokens and rewrites the text so no line holds more than MAX_SENTENCE tokens.
 * The rewrite only turns some spaces into newlines, so each tool still sees the same sentences
 * under the shared rule; it exists because gensim's corpus_file mode trains on a tiny fraction of
 * a one-line file such as text8.
 */
class LineCutter extends Transform {
  tokens = 0;
  private inToken = false;
  private onLine = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    const out = Buffer.from(chunk);
    for (let i = 0; i < out.length; i++) {
      const c = out[i];
      if (isAsciiSpace(c)) {
        if (c === 10) this.onLine = 0;
        else if (this.inToken && this.onLine >= MAX_SENTENCE) { out[i] = 10; this.onLine = 0; }
        this.inToken = false;
      } else if (!this.inToken) {
        this.inToken = true;
        this.tokens++;
        this.onLine++;
      }
    }
    this.push(out);
    done();
  }
}

/**
 * Decompresses (if needed) and counts once, caching under cacheDir keyed by name, size and
 * mtime, so the work is done before and outside any timing.
 */
export async function prepareCorpus(source: string, cacheDir: string): Promise<PreparedCorpus> {
  const abs = resolve(source);
  const st = statSync(abs);
  mkdirSync(cacheDir, { recursive: true });
  const key = `${basename(abs).replace(/\.gz$/, '')}-${st.size}-${Math.floor(st.mtimeMs)}`;
  const gz = abs.endsWith('.gz');
  const text = gz ? join(cacheDir, `${key}.txt`) : abs;
  const lines = join(cacheDir, `${key}.lines.txt`);
  const meta = join(cacheDir, `${key}.json`);
  if (existsSync(meta) && existsSync(text) && existsSync(lines)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { tokens: number };
    return { source: abs, text, lines, bytes: statSync(text).size, tokens: m.tokens };
  }
  if (gz) await pipeline(createReadStream(abs), createGunzip(), createWriteStream(text));
  const cutter = new LineCutter();
  await pipeline(createReadStream(text), cutter, createWriteStream(lines));
  writeFileSync(meta, JSON.stringify({ source: abs, tokens: cutter.tokens }));
  return { source: abs, text, lines, bytes: statSync(text).size, tokens: cutter.tokens };
}

/** The text repeated `copies` times, separated by a space, so a one-line corpus stays one line. */
export async function repeated(text: string, copies: number, cacheDir: string): Promise<string> {
  if (copies === 1) return text;
  const file = join(cacheDir, `${text.split('/').pop()}-x${copies}.txt`);
  if (existsSync(file)) return file;
  async function* copiesOfText(): AsyncGenerator<Buffer> {
    for (let k = 0; k < copies; k++) {
      if (k > 0) yield Buffer.from(' ');
      for await (const chunk of createReadStream(text)) yield chunk as Buffer;
    }
  }
  await pipeline(copiesOfText, createWriteStream(`${file}.tmp`));
  renameSync(`${file}.tmp`, file);
  return file;
}
