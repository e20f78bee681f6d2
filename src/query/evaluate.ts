import { promises as fsp } from 'node:fs';
import type { Embeddings } from './embeddings.js';
import { UserError, errnoCode } from '../base/errors.js';

/** Accuracy of one group of analogy questions; null when none of them could be answered. */
export interface SectionScore {
  accuracy: number | null;
  correct: number;
  answered: number;
}

export interface AnalogyReport {
  /** Fraction of answered questions whose top answer was right ("Total accuracy" in gensim). */
  accuracy: number | null;
  correct: number;
  answered: number;
  /** Sections not named gram*: the "semantic" half of Mikolov et al.'s question set. */
  semantic: SectionScore;
  /** Sections named gram*: the "syntactic" half. */
  syntactic: SectionScore;
  sections: Record<string, SectionScore>;
  questions: number;
  /** Share of questions skipped because a word is outside the restricted vocabulary. */
  oov: number;
}

export interface PairsReport {
  spearman: number | null;
  pearson: number | null;
  pairs: number;
  /** Share of the pairs skipped because a word is outside the vocabulary. */
  oov: number;
}

/** gensim's default vocabulary cut for evaluate_word_pairs. */
export const PAIRS_RESTRICT = 300_000;

/**
 * gensim's case-insensitive vocabulary: the uppercased form of each of the first `restrict`
 * words, mapped to the row of its first (most frequent) spelling.
 */
function caseInsensitiveVocabulary(embeddings: Embeddings, restrict: number): Map<string, number> {
  const vocabulary = new Map<string, number>();
  const rows = Math.min(restrict, embeddings.size);
  for (let i = 0; i < rows; i++) {
    const key = embeddings.words[i].toUpperCase();
    if (!vocabulary.has(key)) vocabulary.set(key, i);
  }
  return vocabulary;
}

async function readLines(file: string, what: string): Promise<string[]> {
  try {
    return (await fsp.readFile(file, 'utf8')).split('\n');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw new UserError(`${file}: no such ${what} file`);
    if (errnoCode(error) === 'EISDIR') throw new UserError(`${file}: is a directory, not a ${what} file`);
    throw error;
  }
}

const TOP_N = 5;

/**
 * Scores analogy questions (": section" headers, then "a b c expected" lines) exactly as gensim's
 * KeyedVectors.evaluate_word_analogies(restrict_vocab, case_insensitive=True, dummy4unknown=False)
 * does: words are uppercased and looked up among the `restrict` most frequent words; a question
 * with any word outside them is skipped and counted; otherwise the 3CosAdd search runs over those
 * words, the five best answers other than the input rows are taken, and the first of them whose
 * uppercased form is not one of the question's input words is the prediction.
 */
export async function evaluateAnalogies(embeddings: Embeddings, file: string, restrict = 30_000): Promise<AnalogyReport> {
  if (!Number.isInteger(restrict) || restrict < 1) throw new UserError(`--restrict must be a positive integer, got ${restrict}`);
  const vocabulary = caseInsensitiveVocabulary(embeddings, restrict);
  const rows = Math.min(restrict, embeddings.size);
  const lines = await readLines(file, 'analogy questions');
  const sections: Record<string, SectionScore> = {};
  let section: SectionScore | undefined;
  let questions = 0;
  let oov = 0;
  const dim = embeddings.dim;
  const target = new Float32Array(dim);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.startsWith(': ')) {
      const name = line.replace(/^[: ]+/, '').trim();
      section = sections[name] ?? { accuracy: null, correct: 0, answered: 0 };
      sections[name] = section;
      continue;
    }
    const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length === 0) continue;
    if (!section) throw new UserError(`${file}: line ${n + 1}: a question before the first ": section" header`);
    // gensim skips lines that are not four words without counting them.
    if (tokens.length !== 4) continue;
    questions++;
    const [a, b, c, expected] = tokens.map((t) => t.toUpperCase());
    const ia = vocabulary.get(a);
    const ib = vocabulary.get(b);
    const ic = vocabulary.get(c);
    if (ia === undefined || ib === undefined || ic === undefined || !vocabulary.has(expected)) {
      oov++;
      continue;
    }
    const ua = embeddings.unitRow(ia);
    const ub = embeddings.unitRow(ib);
    const uc = embeddings.unitRow(ic);
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      target[j] = ub[j] + uc[j] - ua[j];
      norm += target[j] * target[j];
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) target[j] *= scale;
    const best = embeddings.topOf(embeddings.cosines(target, rows), TOP_N, new Set([ia, ib, ic]));
    const ignore = new Set([a, b, c]);
    let predicted: string | undefined;
    for (const candidate of best) {
      predicted = candidate.word.toUpperCase();
      if (!ignore.has(predicted)) break;
    }
    section.answered++;
    if (predicted === expected) section.correct++;
  }
  const semantic = { accuracy: null, correct: 0, answered: 0 };
  const syntactic = { accuracy: null, correct: 0, answered: 0 };
  for (const [name, score] of Object.entries(sections)) {
    score.accuracy = ratio(score.correct, score.answered);
    const half = name.startsWith('gram') ? syntactic : semantic;
    half.correct += score.correct;
    half.answered += score.answered;
  }
  const total = { correct: semantic.correct + syntactic.correct, answered: semantic.answered + syntactic.answered };
  if (questions === 0) throw new UserError(`${file}: no analogy questions found (expected ": section" lines followed by "a b c d" lines)`);
  return {
    accuracy: ratio(total.correct, total.answered),
    correct: total.correct,
    answered: total.answered,
    semantic: { ...semantic, accuracy: ratio(semantic.correct, semantic.answered) },
    syntactic: { ...syntactic, accuracy: ratio(syntactic.correct, syntactic.answered) },
    sections,
    questions,
    oov: oov / questions,
  };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/**
 * Correlation of the model's cosine similarities with human scores, as gensim's
 * evaluate_word_pairs(case_insensitive=True, dummy4unknown=False): pairs with a word outside the
 * vocabulary are skipped and counted. Lines are "word1 word2 score", separated by TABs or
 * (where a line has no TAB) spaces; "#" lines are comments; CRLF is accepted.
 */
export async function evaluateWordPairs(embeddings: Embeddings, file: string, restrict = PAIRS_RESTRICT): Promise<PairsReport> {
  const vocabulary = caseInsensitiveVocabulary(embeddings, restrict);
  const lines = await readLines(file, 'word pairs');
  const gold: number[] = [];
  const model: number[] = [];
  let oov = 0;
  let valid = 0;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = (line.includes('\t') ? line.split('\t') : line.trim().split(/ +/)).map((f) => f.trim());
    if (fields.length !== 3) continue;
    const score = Number(fields[2]);
    if (fields[2] === '' || !Number.isFinite(score)) continue;
    valid++;
    const ia = vocabulary.get(fields[0].toUpperCase());
    const ib = vocabulary.get(fields[1].toUpperCase());
    if (ia === undefined || ib === undefined) {
      oov++;
      continue;
    }
    gold.push(score);
    model.push(embeddings.rowDot(ia, embeddings.unitRow(ib)));
  }
  if (valid === 0) throw new UserError(`${file}: no word pairs found (expected lines "word1<TAB>word2<TAB>score")`);
  return {
    spearman: gold.length > 1 ? finiteOrNull(spearman(gold, model)) : null,
    pearson: gold.length > 1 ? finiteOrNull(pearson(gold, model)) : null,
    pairs: valid,
    oov: oov / valid,
  };
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Ranks 1..n with tied values sharing their average rank (scipy's rankdata "average"). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman's rho: Pearson's r of the average ranks, as scipy.stats.spearmanr computes it. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(averageRanks(x), averageRanks(y));
}
