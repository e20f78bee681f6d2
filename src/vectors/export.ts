import { once } from 'node:events';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { format as csvFormat, type FormatterOptionsArgs } from 'fast-csv';
import { writeFileAtomically } from '../base/atomic-file.js';
import { UserError } from '../base/errors.js';
import { writeWord2vecFile, type WordVectors } from './word2vec-format.js';

export type ExportFormat = 'text' | 'bin' | 'tsv' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['text', 'bin', 'tsv', 'csv'];

/**
 * The shortest decimal that reads back as the same float32: "0.1" rather than float64's
 * "0.10000000149011612", so CSV/TSV files stay small and still lose nothing.
 */
export function float32String(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 6; digits < 9; digits++) {
    const text = Number(value.toPrecision(digits)).toString();
    if (Math.fround(Number(text)) === value) return text;
  }
  return Number(value.toPrecision(9)).toString();
}

/** Keeps the first `limit` rows: word2vec files list the most frequent words first. */
export function firstRows(data: WordVectors, limit?: number): WordVectors {
  if (limit === undefined || limit >= data.words.length) return data;
  if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit must be a positive integer, got ${limit}`);
  const stride = data.stride ?? data.dim;
  return { words: data.words.slice(0, limit), dim: data.dim, stride, vectors: data.vectors.subarray(0, limit * stride) };
}

/** Streams rows through fast-csv into `target`, atomically. */
async function writeRows(target: string, rows: Iterable<string[]>, options: FormatterOptionsArgs<string[], string[]>): Promise<void> {
  await writeFileAtomically(target, (handle) => writeRowsTo(handle, rows, options));
}

/** Streams rows through fast-csv into an open file, honouring back-pressure. */
async function writeRowsTo(handle: FileHandle, rows: Iterable<string[]>, options: FormatterOptionsArgs<string[], string[]>): Promise<void> {
  const formatter = csvFormat<string[], string[]>(options);
  // A plain Writable over handle.write: a stream from handle.createWriteStream would keep the
  // handle referenced, and the close in writeFileAtomically would then never finish.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      handle.write(chunk).then(() => callback(), callback);
    },
  });
  const done = pipeline(formatter, sink);
  for (const row of rows) {
    if (!formatter.write(row)) await Promise.race([once(formatter, 'drain'), done]);
  }
  formatter.end();
  await done;
}

function* vectorRows(data: WordVectors, withWord: boolean): Generator<string[]> {
  const stride = data.stride ?? data.dim;
  for (let i = 0; i < data.words.length; i++) {
    const row: string[] = withWord ? [data.words[i]] : [];
    const base = i * stride;
    for (let j = 0; j < data.dim; j++) row.push(float32String(data.vectors[base + j]));
    yield row;
  }
}

/** The files an export in `format` to `out` writes: `out` itself, or the Projector pair inside it. */
export function exportPaths(format: ExportFormat, out: string): string[] {
  return format === 'tsv' ? [path.join(out, 'vectors.tsv'), path.join(out, 'metadata.tsv')] : [out];
}

/**
 * Writes vectors in one of four forms and returns the files written:
 *  - text / bin: the word2vec formats, exactly as C word2vec writes them;
 *  - csv: a header "word,v1..vD" and one row per word (RFC 4180 quoting, via fast-csv);
 *  - tsv: the TensorFlow Embedding Projector pair, `out` being a directory that receives
 *    vectors.tsv (D tab-separated values per line, no header) and metadata.tsv (one word per line,
 *    no header, as the Projector expects for a single column). Neither is quoted: the Projector
 *    splits on tabs and would keep quote characters.
 */
export async function exportVectors(data: WordVectors, format: ExportFormat, out: string, options: { limit?: number } = {}): Promise<string[]> {
  const rows = firstRows(data, options.limit);
  switch (format) {
    case 'text':
    case 'bin':
      await writeWord2vecFile(out, rows, format);
      return [out];
    case 'csv': {
      const header = ['word', ...Array.from({ length: rows.dim }, (_, j) => `v${j + 1}`)];
      await writeRows(out, [header, ...vectorRows(rows, true)], { includeEndRowDelimiter: true });
      return [out];
    }
    case 'tsv': {
      const existing = await fsp.stat(out).catch(() => undefined);
      if (existing && !existing.isDirectory()) {
        throw new UserError(`${out} is a file, and the tsv export writes a folder (vectors.tsv and metadata.tsv): name a folder for --out`);
      }
      await fsp.mkdir(out, { recursive: true }).catch((error: unknown) => {
        throw new UserError(`${out}: cannot create the output directory (${error instanceof Error ? error.message : String(error)})`);
      });
      const [vectorsFile, metadataFile] = exportPaths(format, out);
      for (const word of rows.words) {
        if (/[\t\r\n]/.test(word)) throw new UserError(`word ${JSON.stringify(word)} contains a tab or line break and cannot go into metadata.tsv`);
      }
      const tsv = { delimiter: '\t', quote: false, includeEndRowDelimiter: true } as const;
      // The pair is replaced together or not at all: metadata.tsv is written (atomically) only
      // once vectors.tsv is complete in its temporary file, which is renamed last, so a failure
      // of either leaves the previous pair as it was.
      await writeFileAtomically(vectorsFile, async (handle) => {
        await writeRowsTo(handle, vectorRows(rows, false), tsv);
        await writeRows(metadataFile, rows.words.map((w) => [w]), tsv);
      });
      return [vectorsFile, metadataFile];
    }
    default:
      throw new UserError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
}
