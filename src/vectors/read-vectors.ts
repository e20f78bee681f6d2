import { promises as fsp } from 'node:fs';
import { parseFile } from 'fast-csv';
import { UserError, openFailure } from '../base/errors.js';
import { MODEL_MAGIC, readModelFile } from './model-file.js';
import { readWord2vecFile, type WordVectors } from './word2vec-format.js';

/** The first bytes of a gzip stream. */
const GZIP_MAGIC = [0x1f, 0x8b];
/** How `w2v export --format csv` starts its header row. */
const CSV_HEADER = /^word,v1\b/;

/**
 * Reads vectors from any file w2v can query: the word2vec binary and text formats (C word2vec,
 * gensim, fastText's .vec), w2v's own CSV export, so that what `w2v export` writes as a file
 * reads back, and w2v's model files (their input vectors). A folder or a gzip file is refused in one line that says what to name instead.
 */
export async function readVectorsFile(file: string, options: { limit?: number } = {}): Promise<WordVectors> {
  let stat;
  try {
    stat = await fsp.stat(file);
  } catch (error) {
    throw openFailure(file, 'vectors file', error);
  }
  if (stat.isDirectory()) {
    throw new UserError(`${file} is a folder, not a vectors file: name the file that w2v train --out wrote (.bin, .txt, .vec or .csv)`);
  }
  const head = await firstBytes(file, 256);
  if (GZIP_MAGIC.every((b, i) => head[i] === b)) {
    throw new UserError(`${file} is a gzip file, not vectors: a corpus goes to w2v train; gzipped vectors need gunzip -k ${file} first`);
  }
  if (CSV_HEADER.test(head.toString('latin1'))) return readCsvRows(file, options.limit);
  if (head.subarray(0, MODEL_MAGIC.length).equals(MODEL_MAGIC)) return modelVectors(file, options.limit);
  return readWord2vecFile(file, options);
}

async function firstBytes(file: string, count: number): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** `word,v1,…,vD` rows after their header, through fast-csv (RFC 4180 quoting, as the export writes). */
async function readCsvRows(file: string, limit: number | undefined): Promise<WordVectors> {
  const words: string[] = [];
  const values: number[] = [];
  let dim = 0;
  let line = 0;
  const parser = parseFile<string[], string[]>(file);
  try {
    for await (const row of parser) {
      line++;
      if (line === 1) {
        dim = row.length - 1;
        continue;
      }
      const numbers = row.slice(1);
      if (numbers.length !== dim) {
        throw new UserError(`${file}: line ${line} has ${numbers.length} values, the header ${dim}; export it again`);
      }
      for (const text of numbers) {
        const value = Number(text);
        if (text.trim() === '' || !Number.isFinite(value)) {
          throw new UserError(`${file}: line ${line}: ${JSON.stringify(text.slice(0, 40))} is not a number; export it again`);
        }
        values.push(value);
      }
      words.push(row[0]);
      if (limit !== undefined && words.length >= limit) break;
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${file}: not a CSV file w2v can read (${reason}); export it again with w2v export --format csv`);
  } finally {
    parser.destroy();
  }
  if (words.length === 0 || dim < 1) throw new UserError(`${file}: no vectors in it; export them again`);
  return { words, dim, vectors: Float32Array.from(values), stride: dim };
}

/** The input vectors of a model file, the most frequent `limit` words first. */
async function modelVectors(file: string, limit: number | undefined): Promise<WordVectors> {
  const model = await readModelFile(file);
  const keep = limit === undefined ? model.words.length : Math.min(limit, model.words.length);
  return { words: model.words.slice(0, keep), dim: model.dim, vectors: model.vectors.subarray(0, keep * model.stride), stride: model.stride };
}
