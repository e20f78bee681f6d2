import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';

/** The study's corpus: a training part and the held-out tail the log-likelihood is measured on. */
export interface StudyCorpus {
  train: string;
  heldOut: string;
  trainTokens: number;
  heldOutTokens: number;
  /** Distinct words of the training part: the vocabulary at --min-count 1. */
  trainVocabulary: number;
  /** sha256 of the corpus text, so results of another text are never mixed in. */
  digest: string;
}

async function readText(file: string): Promise<Buffer> {
  const stream = createReadStream(file);
  const source = file.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes a file whole or not at all. */
function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/**
 * Tokens as lines of at most 1,000: short enough lines keep every loss's tasks small enough to
 * spread over the workers on short slices.
 */
function asLines(tokens: string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < tokens.length; i += 1000) lines.push(tokens.slice(i, i + 1000).join(' '));
  return `${lines.join('\n')}\n`;
}

/**
 * The first `tokens` tokens of the training text, cached beside it: the slice a run trains for
 * many epochs (0 or more than the text: the whole text).
 */
export function trainingSlice(corpus: StudyCorpus, tokens: number): string {
  if (tokens <= 0 || tokens >= corpus.trainTokens) return corpus.train;
  const file = corpus.train.replace(/\.txt$/, `-first${tokens}.txt`);
  if (!existsSync(file)) {
    const words = readFileSync(corpus.train, 'utf8').split(/\s+/).filter((t) => t.length > 0).slice(0, tokens);
    writeAtomically(file, asLines(words));
  }
  return file;
}

/**
 * Splits the corpus once into training text and its last `heldOutTokens` tokens, cached in
 * `directory` under a name that records the split.
 */
export async function splitCorpus(source: string, directory: string, heldOutTokens: number): Promise<StudyCorpus> {
  mkdirSync(directory, { recursive: true });
  const text = await readText(source);
  const tokens = text.toString('utf8').split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length < 4 * heldOutTokens) throw new Error(`${source} has ${tokens.length} tokens: too few to hold out ${heldOutTokens}`);
  // Named by content, so a changed corpus never meets a stale split.
  const digest = createHash('sha256').update(text).digest('hex');
  const name = `${digest.slice(0, 16)}-${heldOutTokens}`;
  const train = join(directory, `train-${name}.txt`);
  const heldOut = join(directory, `heldout-${name}.txt`);
  const cut = tokens.length - heldOutTokens;
  if (!existsSync(train)) writeAtomically(train, asLines(tokens.slice(0, cut)));
  if (!existsSync(heldOut)) writeAtomically(heldOut, asLines(tokens.slice(cut)));
  return { train, heldOut, trainTokens: cut, heldOutTokens, trainVocabulary: new Set(tokens.slice(0, cut)).size, digest };
}
