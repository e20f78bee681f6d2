import type { Mode, ToolName } from './tools.js';

export interface Quality {
  analogy?: { accuracy: number; correct: number; answered: number };
  ws353?: { spearman: number; oov_percent: number };
  mturk?: { spearman: number; oov_percent: number };
  vocab?: number;
}

export interface Row {
  tool: ToolName;
  mode: Mode;
  status: 'ok' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  message?: string;
  command?: string;
  /** Every run of this tool and mode (several with --repeat). */
  runs?: Run[];
  /** Median wall time over the runs. */
  wallSeconds?: number;
  wallRange?: [number, number];
  wordsPerSecond?: number;
  peakRssMB?: number;
  cpuSeconds?: number;
  /** The median of each score over the runs that were scored (see medianQuality). */
  quality?: Quality;
  /** Lowest and highest analogy accuracy over the scored runs. */
  analogyRange?: [number, number];
  qualityError?: string;
  /** w2v's --json training report, when it printed one. */
  w2vReport?: unknown;
}

export interface Run {
  wallSeconds: number;
  peakRssMB: number;
  cpuSeconds: number;
  /** 1-minute load average just before the run (includes the previous run's tail). */
  loadBefore: number;
  /** The scores of this run's vectors. */
  quality?: Quality;
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Each score's median over the scored runs. On the text8 prefix one run's analogy accuracy moves
 * by about a point from the next (random initialisation, thread timing), as much as the gap
 * between tools, so one run per tool cannot say which is better.
 */
export function medianQuality(scored: Quality[]): Quality | undefined {
  if (scored.length === 0) return undefined;
  const pick = <T>(get: (q: Quality) => T | undefined) => scored.map(get).filter((x): x is T => x !== undefined);
  const analogies = pick((q) => q.analogy);
  const pairs = (get: (q: Quality) => { spearman: number; oov_percent: number } | undefined) => {
    const found = pick(get);
    return found.length > 0 ? { spearman: median(found.map((p) => p.spearman)), oov_percent: found[0].oov_percent } : undefined;
  };
  const vocab = pick((q) => q.vocab);
  return {
    analogy: analogies.length > 0
      ? { accuracy: median(analogies.map((a) => a.accuracy)), correct: median(analogies.map((a) => a.correct)), answered: analogies[0].answered }
      : undefined,
    ws353: pairs((q) => q.ws353),
    mturk: pairs((q) => q.mturk),
    vocab: vocab.length > 0 ? vocab[0] : undefined,
  };
}

/** Fills the row's summary from its runs: median wall and CPU time, the highest peak RSS, median scores. */
export function summarizeRuns(row: Row, wordsTrained: number): void {
  const runs = row.runs ?? [];
  if (row.status !== 'ok' || runs.length === 0) return;
  const walls = runs.map((r) => r.wallSeconds);
  row.wallSeconds = median(walls);
  row.wallRange = [Math.min(...walls), Math.max(...walls)];
  row.cpuSeconds = median(runs.map((r) => r.cpuSeconds));
  row.peakRssMB = Math.max(...runs.map((r) => r.peakRssMB));
  row.wordsPerSecond = wordsTrained / row.wallSeconds;
  const scored = runs.flatMap((r) => (r.quality ? [r.quality] : []));
  row.quality = medianQuality(scored);
  const accuracies = scored.flatMap((q) => (q.analogy ? [q.analogy.accuracy] : []));
  if (accuracies.length > 0) row.analogyRange = [Math.min(...accuracies), Math.max(...accuracies)];
}

/** words/s of this row divided by w2v's in the same mode (how many times faster than w2v). */
export function ratioToW2v(rows: Row[], row: Row): number | undefined {
  const base = rows.find((r) => r.tool === 'w2v' && r.mode === row.mode && r.status === 'ok');
  return base?.wordsPerSecond && row.wordsPerSecond ? row.wordsPerSecond / base.wordsPerSecond : undefined;
}

const HEADER = ['tool', 'mode', 'wall s', 'words/s', 'peak RSS MB', 'CPU s', 'analogy acc', 'WS353 ρ', 'MTurk ρ', 'words/s ÷ w2v'];

function cells(rows: Row[], r: Row): string[] {
  const f = (x: number | undefined, d: number): string => (x === undefined ? '–' : x.toFixed(d));
  if (r.status !== 'ok') return [r.tool, r.mode, r.status, r.message ?? '', '', '', '', '', '', ''];
  const ratio = ratioToW2v(rows, r);
  const wall = r.wallRange && r.runs!.length > 1
    ? `${f(r.wallSeconds, 2)} (${f(r.wallRange[0], 1)}–${f(r.wallRange[1], 1)})` : f(r.wallSeconds, 2);
  const analogy = r.analogyRange && r.analogyRange[0] !== r.analogyRange[1]
    ? `${f(r.quality?.analogy?.accuracy, 4)} (${f(r.analogyRange[0], 3)}–${f(r.analogyRange[1], 3)})` : f(r.quality?.analogy?.accuracy, 4);
  return [r.tool, r.mode, wall, r.wordsPerSecond ? Math.round(r.wordsPerSecond).toLocaleString('en-US') : '–',
    f(r.peakRssMB, 0), f(r.cpuSeconds, 1), analogy, f(r.quality?.ws353?.spearman, 4),
    f(r.quality?.mturk?.spearman, 4), ratio === undefined ? '–' : `${ratio.toFixed(2)}×`];
}

export function textTable(rows: Row[]): string {
  const body = rows.map((r) => cells(rows, r));
  // Failed and skipped rows are printed as free text, so they do not widen the columns.
  const measured = body.filter((c) => c[4] !== '');
  const widths = HEADER.map((h, i) => Math.max(h.length, ...measured.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i])))
    .join('  ').trimEnd();
  const out = [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const c of body) out.push(c[4] === '' ? `${c[0].padEnd(widths[0])}  ${c[1].padEnd(widths[1])}  ${c[2]}: ${c[3]}` : line(c));
  return out.join('\n');
}

export function markdown(rows: Row[], meta: Record<string, unknown>): string {
  const md = (c: string[]): string => `| ${c.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  const out = ['# w2v benchmark', '', `Date: ${String(meta.date)}`, '', '## Results', '',
    md(HEADER), md(HEADER.map((_, i) => (i < 2 ? '---' : '---:')))];
  for (const r of rows) out.push(md(cells(rows, r)));
  out.push('', '## Settings and machine', '', '```json', JSON.stringify(meta, null, 2), '```', '',
    '## Commands', '');
  for (const r of rows.filter((x) => x.command)) out.push(`- ${r.tool} ${r.mode}: \`${r.command}\``);
  return out.join('\n') + '\n';
}
