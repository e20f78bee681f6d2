import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
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
 * Splits the corpus once into training text and its last `heldOutTokens` tokens, cached in
 * `directory` under a name that records the split. Lines of at most 1,000 tokens keep every
 * loss's tasks small enough to spread over the workers on short slices.
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
  const lines = (from: number, to: number) => {
    const out: string[] = [];
    for (let i = from; i < to; i += 1000) out.push(tokens.slice(i, Math.min(to, i + 1000)).join(' '));
    return `${out.join('\n')}\n`;
  };
  if (!existsSync(train)) writeAtomically(train, lines(0, cut));
  if (!existsSync(heldOut)) writeAtomically(heldOut, lines(cut, tokens.length));
  return { train, heldOut, trainTokens: cut, heldOutTokens, trainVocabulary: new Set(tokens.slice(0, cut)).size, digest };
}
