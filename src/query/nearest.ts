import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { writeFileAtomically, writeTextFileAtomically } from '../base/atomic-file.js';
import { definedOnly } from '../base/defined-only.js';
import { tuneEf, type EfTuning } from './ef-tuning.js';
import type { Embeddings, Neighbor } from './embeddings.js';
import { UserError, errnoCode } from '../base/errors.js';
import { refuseOverwritingInputs } from '../base/overwrite-guard.js';

/** How the HNSW graph is built and searched. */
export interface IndexParams {
  /** Links per node: more gives better recall and a bigger, slower-to-build index. */
  M: number;
  /** Candidate list size while building: more gives a better graph and a slower build. */
  efConstruction: number;
  /** Candidate list size while searching (at least k): the recall/latency dial. */
  ef: number;
  seed: number;
}

/** How the index compares a query with its rows. */
export type IndexSpace = 'cosine' | 'ip';

/** Told how many of `total` words have been added to the graph. */
export type IndexBuildProgress = (done: number, total: number) => void;

/** Words between two progress reports: often enough for a bar, rarely enough to cost nothing. */
const PROGRESS_EVERY = 2000;

/**
 * M 32 and efConstruction 200 build a graph twice as slowly as 16 and 100 but answer twice as
 * fast at the same recall: on the text8 prefix's 80,982 words, recall@10 ≥ 0.98 needed ef 96
 * (0.23 ms a query) instead of ef 256 (0.43 ms). ef is tuned per index (ef-tuning.ts).
 */
export const DEFAULT_INDEX_PARAMS: Readonly<IndexParams> = Object.freeze({ M: 32, efConstruction: 200, ef: 64, seed: 100 });

/** What is saved next to the index, because hnswlib's own file holds only the graph. */
export interface IndexSidecar {
  format: 'w2v-hnsw';
  version: typeof SIDECAR_VERSION;
  /** cosine: the input vectors, for neighbours; ip (inner product): an output layer's rows, for prediction. */
  space: IndexSpace;
  dim: number;
  count: number;
  M: number;
  efConstruction: number;
  /** hnswlib does not persist ef; it is stored here and set again after loading. */
  ef: number;
  /** How ef was chosen, when `w2v index` measured it (absent when --ef was given). */
  tuning?: EfTuning;
  seed: number;
  /** The vectors file the index was built from; a different checksum means the index is stale. */
  vectors: { file: string; size: number; sha256: string };
  /** Word of each label: label i is row i of the vectors file. */
  words: string[];
  /**
   * The index file as written: hnswlib reads a damaged file without checks (it can crash the
   * process or allocate without bound), so the file is verified against this before it is read.
   */
  index: { size: number; sha256: string };
}

/** Version 2 added `index`, the index file's size and checksum. */
export const SIDECAR_VERSION = 2;

export function defaultIndexPath(vectorsPath: string): string {
  return `${vectorsPath}.hnsw`;
}

export function sidecarPath(indexPath: string): string {
  return `${indexPath}.json`;
}

/** Streams the file through SHA-256, so checking a multi-gigabyte vectors file needs no memory. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function checkParams(params: IndexParams): void {
  const check = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UserError(`--${name} must be an integer between ${min} and ${max}, got ${value}`);
    }
  };
  check('M', params.M, 2, 256);
  check('ef-construction', params.efConstruction, 1, 100_000);
  check('ef', params.ef, 1, 100_000);
  check('seed', params.seed, 0, 0x7fffffff);
}

/**
 * A thin typed wrapper over hnswlib-node's HierarchicalNSW, in cosine space (input vectors) or
 * inner-product space (an output layer's rows); labels are row numbers.
 */
export class NearestIndex {
  /** hnswlib-node takes plain arrays only; one is reused so a query allocates nothing for its input. */
  private readonly scratch: number[];

  private constructor(
    private readonly hnsw: hnswlib.HierarchicalNSW,
    readonly words: readonly string[],
    readonly params: IndexParams,
    readonly space: IndexSpace,
  ) {
    this.scratch = new Array<number>(hnsw.getNumDimensions()).fill(0);
  }

  private asArray(query: ArrayLike<number>): number[] {
    if (query.length !== this.scratch.length) {
      throw new UserError(`query vector has ${query.length} values, the index has ${this.scratch.length}`);
    }
    for (let j = 0; j < query.length; j++) this.scratch[j] = query[j];
    return this.scratch;
  }

  /** `onProgress` hears how many of the words are in the graph, every few thousand and at the end. */
  static build(embeddings: Embeddings, params: Partial<IndexParams> = {}, onProgress?: IndexBuildProgress): NearestIndex {
    return NearestIndex.fromRows('cosine', { words: embeddings.words, dim: embeddings.dim, row: (i) => embeddings.unitRow(i) }, params, onProgress);
  }

  /** An index over `rows.words.length` rows in `space`; row i is label i. */
  static fromRows(
    space: IndexSpace,
    rows: { words: readonly string[]; dim: number; row(i: number): ArrayLike<number> },
    params: Partial<IndexParams> = {},
    onProgress?: IndexBuildProgress,
  ): NearestIndex {
    const full = { ...DEFAULT_INDEX_PARAMS, ...definedOnly(params) };
    checkParams(full);
    const size = rows.words.length;
    if (size === 0) throw new UserError('cannot index an empty set of vectors');
    const hnsw = new hnswlib.HierarchicalNSW(space, rows.dim);
    hnsw.initIndex(size, full.M, full.efConstruction, full.seed);
    const point = new Array<number>(rows.dim);
    for (let i = 0; i < size; i++) {
      const row = rows.row(i);
      for (let j = 0; j < point.length; j++) point[j] = row[j];
      hnsw.addPoint(point, i);
      if (onProgress && ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === size)) onProgress(i + 1, size);
    }
    hnsw.setEf(full.ef);
    return new NearestIndex(hnsw, rows.words, full, space);
  }

  /** Loads an index and its sidecar; ef is set from the sidecar unless `ef` overrides it. */
  static async load(indexPath: string, options: { ef?: number } = {}): Promise<{ index: NearestIndex; sidecar: IndexSidecar }> {
    const sidecar = await readSidecar(indexPath);
    await verifyIndexFile(indexPath, sidecar);
    const hnsw = new hnswlib.HierarchicalNSW(sidecar.space, sidecar.dim);
    try {
      await hnsw.readIndex(indexPath);
    } catch (error) {
      throw new UserError(`${indexPath}: cannot read the HNSW index (${error instanceof Error ? error.message : String(error)}); rebuild it with w2v index`);
    }
    if (hnsw.getCurrentCount() !== sidecar.count || hnsw.getNumDimensions() !== sidecar.dim) {
      throw new UserError(`${indexPath}: index holds ${hnsw.getCurrentCount()} vectors of dimension ${hnsw.getNumDimensions()} but its sidecar says ${sidecar.count} of ${sidecar.dim}; rebuild it with w2v index`);
    }
    const params = { M: sidecar.M, efConstruction: sidecar.efConstruction, ef: options.ef ?? sidecar.ef, seed: sidecar.seed };
    checkParams(params);
    hnsw.setEf(params.ef);
    return { index: new NearestIndex(hnsw, sidecar.words, params, sidecar.space), sidecar };
  }

  get size(): number {
    return this.words.length;
  }

  setEf(ef: number): void {
    checkParams({ ...this.params, ef });
    this.params.ef = ef;
    this.hnsw.setEf(ef);
  }

  /**
   * The k nearest labels to `query` by cosine, leaving out `exclude` (the query words). Asks
   * for k + |exclude| results rather than passing a filter callback, which would call back into
   * JavaScript for every candidate.
   */
  search(query: ArrayLike<number>, k: number, exclude: ReadonlySet<number> = new Set()): Neighbor[] {
    const want = Math.min(this.size, k + exclude.size);
    if (this.params.ef < want) this.hnsw.setEf(want);
    const { neighbors, distances } = this.hnsw.searchKnn(this.asArray(query), want);
    if (this.params.ef < want) this.hnsw.setEf(this.params.ef);
    const out: Neighbor[] = [];
    for (let n = 0; n < neighbors.length && out.length < k; n++) {
      if (exclude.has(neighbors[n])) continue;
      out.push({ word: this.words[neighbors[n]], similarity: 1 - distances[n] });
    }
    return out;
  }

  /** Raw labels, for recall measurements. */
  searchLabels(query: ArrayLike<number>, k: number): number[] {
    return this.hnsw.searchKnn(this.asArray(query), Math.min(k, this.size)).neighbors;
  }

  /** Writes the index and then its sidecar, each atomically; the sidecar last, so a present sidecar means a complete pair. */
  async save(indexPath: string, vectorsPath: string, vectorsChecksum?: string, tuning?: EfTuning): Promise<IndexSidecar> {
    const sha256 = vectorsChecksum ?? (await fileSha256(vectorsPath));
    const { size } = await fsp.stat(vectorsPath);
    await writeFileAtomically(indexPath, async (_handle, tempPath) => {
      await this.hnsw.writeIndex(tempPath);
    });
    const indexFile = { size: (await fsp.stat(indexPath)).size, sha256: await fileSha256(indexPath) };
    const sidecar: IndexSidecar = {
      format: 'w2v-hnsw',
      version: SIDECAR_VERSION,
      space: this.space,
      dim: this.hnsw.getNumDimensions(),
      count: this.size,
      M: this.params.M,
      efConstruction: this.params.efConstruction,
      ef: this.params.ef,
      ...(tuning ? { tuning } : {}),
      seed: this.params.seed,
      vectors: { file: path.basename(vectorsPath), size, sha256 },
      words: [...this.words],
      index: indexFile,
    };
    await writeTextFileAtomically(sidecarPath(indexPath), `${JSON.stringify(sidecar)}\n`);
    return sidecar;
  }
}

export async function readSidecar(indexPath: string): Promise<IndexSidecar> {
  const file = sidecarPath(indexPath);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw new UserError(`${file}: index sidecar is missing; rebuild the index with w2v index`);
    throw error;
  }
  let sidecar: IndexSidecar;
  try {
    sidecar = JSON.parse(text) as IndexSidecar;
  } catch {
    throw new UserError(`${file}: not valid JSON; rebuild the index with w2v index`);
  }
  if (sidecar?.format !== 'w2v-hnsw' || sidecar.version !== SIDECAR_VERSION) {
    throw new UserError(`${file}: not a w2v index sidecar (or from another version); rebuild the index with w2v index`);
  }
  if (!wellFormed(sidecar)) throw new UserError(`${file}: the index sidecar is damaged; rebuild the index with w2v index`);
  return sidecar;
}

const isCount = (value: unknown, min = 0): boolean => Number.isSafeInteger(value) && (value as number) >= min;
const isHex = (value: unknown): boolean => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

function wellFormed(s: IndexSidecar): boolean {
  return (
    (s.space === 'cosine' || s.space === 'ip') &&
    isCount(s.dim, 1) && isCount(s.count, 1) && isCount(s.M, 2) && isCount(s.efConstruction, 1) && isCount(s.ef, 1) && isCount(s.seed) &&
    Array.isArray(s.words) && s.words.length === s.count && s.words.every((w) => typeof w === 'string') &&
    typeof s.vectors === 'object' && s.vectors !== null && typeof s.vectors.file === 'string' && isCount(s.vectors.size) && isHex(s.vectors.sha256) &&
    typeof s.index === 'object' && s.index !== null && isCount(s.index.size) && isHex(s.index.sha256)
  );
}

/** hnswlib's file header: the fields before the graph, as hnswalg.h's saveIndex writes them. */
const HNSW_HEADER_BYTES = 96;

/**
 * Checks the index file against its sidecar before hnswlib sees it: the size and checksum it
 * was written with, and a header that describes the sidecar's count and dimension (so a sidecar
 * edited by hand cannot make hnswlib read vectors of the wrong size).
 */
async function verifyIndexFile(indexPath: string, sidecar: IndexSidecar): Promise<void> {
  const damaged = (why: string) => new UserError(`${indexPath}: ${why}; rebuild it with w2v index`);
  const info = await fsp.stat(indexPath).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') throw new UserError(`${indexPath}: no such index file; build it with w2v index`);
    throw error;
  });
  if (!info.isFile()) throw damaged('not an index file');
  if (info.size !== sidecar.index.size) throw damaged(`${info.size} bytes, but its sidecar says ${sidecar.index.size}`);
  if ((await fileSha256(indexPath)) !== sidecar.index.sha256) throw damaged('the index file is damaged (checksum mismatch)');
  const header = Buffer.alloc(HNSW_HEADER_BYTES);
  const handle = await fsp.open(indexPath, 'r');
  try {
    await handle.read(header, 0, HNSW_HEADER_BYTES, 0);
  } finally {
    await handle.close();
  }
  const count = Number(header.readBigUInt64LE(16));
  const bytesPerElement = Number(header.readBigUInt64LE(24));
  const linksBytes = Number(header.readBigUInt64LE(40));
  const maxM0 = Number(header.readBigUInt64LE(64));
  const M = Number(header.readBigUInt64LE(72));
  const consistent =
    count === sidecar.count && M === sidecar.M && maxM0 === 2 * M && linksBytes === maxM0 * 4 + 4 && bytesPerElement === linksBytes + sidecar.dim * 4 + 8;
  if (!consistent) throw damaged(`it does not hold ${sidecar.count} vectors of dimension ${sidecar.dim} as its sidecar says`);
}

/** An index (or its sidecar) written where the vectors it is built from are would destroy them. */
export async function refuseIndexOverVectors(vectorsPath: string, indexPath: string): Promise<void> {
  await refuseOverwritingInputs([{ name: 'the vectors file', path: vectorsPath }], [{ name: 'the index', path: indexPath }, { name: 'its sidecar', path: sidecarPath(indexPath) }]);
}

/**
 * Builds an index for a vectors file and saves it with its sidecar; the entry point for `w2v
 * index` and `w2v train --index`. Without an explicit ef, the smallest ef that reaches
 * `targetRecall` on a sample of the words is measured and saved (see ef-tuning.ts).
 */
export async function buildIndexFile(
  vectorsPath: string,
  embeddings: Embeddings,
  options: Partial<IndexParams> & { out?: string; targetRecall?: number; onProgress?: IndexBuildProgress } = {},
): Promise<{ indexPath: string; sidecar: IndexSidecar; buildSeconds: number; tuneSeconds: number; index: NearestIndex }> {
  const indexPath = options.out ?? defaultIndexPath(vectorsPath);
  await refuseIndexOverVectors(vectorsPath, indexPath);
  const checksum = fileSha256(vectorsPath);
  const started = performance.now();
  const { targetRecall, out: _out, onProgress, ...params } = options;
  const index = NearestIndex.build(embeddings, params, onProgress);
  const buildSeconds = (performance.now() - started) / 1000;
  const tuning = options.ef === undefined ? tuneEf(index, embeddings, { targetRecall }) : undefined;
  const tuneSeconds = (performance.now() - started) / 1000 - buildSeconds;
  const sidecar = await index.save(indexPath, vectorsPath, await checksum, tuning);
  return { indexPath, sidecar, buildSeconds, tuneSeconds, index };
}

/** Why a saved index cannot serve a vectors file, or null when it can. */
export async function staleReason(
  indexPath: string,
  vectorsPath: string,
  embeddings: Pick<Embeddings, 'dim' | 'size'>,
  space: IndexSpace = 'cosine',
): Promise<string | null> {
  let sidecar: IndexSidecar;
  try {
    await fsp.access(indexPath);
    sidecar = await readSidecar(indexPath);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return 'no index yet';
    if (error instanceof UserError) return error.message;
    throw error;
  }
  if (sidecar.space !== space) return `the index is in ${sidecar.space} space, not ${space}`;
  if (sidecar.dim !== embeddings.dim || sidecar.count !== embeddings.size) return 'the vectors changed shape since the index was built';
  if ((await fileSha256(vectorsPath)) !== sidecar.vectors.sha256) return 'the vectors file changed since the index was built';
  return null;
}
