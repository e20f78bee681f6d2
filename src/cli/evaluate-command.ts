import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { Embeddings } from '../query/embeddings.js';
import { UserError } from '../base/errors.js';
import { evaluateAnalogies, evaluateWordPairs, type AnalogyReport, type PairsReport, type SectionScore } from '../query/evaluate.js';
import { positiveInteger, VECTORS_POSITIONAL } from './query-arguments.js';

interface EvaluateArgs {
  vectors: string;
  analogies?: string;
  pairs: string[];
  restrict: number;
  json: boolean;
}

function builder(yargs: Argv): Argv<EvaluateArgs> {
  return yargs
    .positional('vectors', VECTORS_POSITIONAL)
    .options({
      analogies: { type: 'string', describe: 'Analogy questions (": section" lines, then "a b c d"), e.g. Google\'s questions-words.txt' },
      pairs: { type: 'string', array: true, default: [], describe: 'Word-pair similarity files ("w1 w2 score", TAB or space separated, # comments); repeatable' },
      restrict: { type: 'number', default: 30_000, describe: 'Analogies use only this many most frequent words (gensim\'s restrict_vocab); word pairs use gensim\'s default of 300,000' },
      json: { type: 'boolean', default: false, describe: 'Print one JSON object {"analogy": {...}, "pairs": {"<file>": {...}}} with fractions, not percents' },
    }) as unknown as Argv<EvaluateArgs>;
}

const percent = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(2)}%`);
const score = (s: SectionScore) => `${percent(s.accuracy)} (${s.correct}/${s.answered})`;

function printAnalogies(file: string, report: AnalogyReport): void {
  const lines = [
    `analogies ${path.basename(file)}: ${percent(report.accuracy)} (${report.correct}/${report.answered}); semantic ${score(report.semantic)}, syntactic ${score(report.syntactic)}; ${percent(report.oov)} of ${report.questions} questions skipped for unknown words`,
  ];
  const width = Math.max(...Object.keys(report.sections).map((n) => n.length));
  for (const [name, s] of Object.entries(report.sections)) lines.push(`  ${name.padEnd(width)}  ${score(s)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export const evaluateCommand: CommandModule<object, EvaluateArgs> = {
  command: 'evaluate <vectors>',
  describe: 'Analogy accuracy and word-pair correlations, scored as gensim scores them',
  builder,
  handler: async (args) => {
    if (!args.analogies && args.pairs.length === 0) throw new UserError('name --analogies FILE and/or --pairs FILE to evaluate against');
    const restrict = positiveInteger('restrict', args.restrict) ?? 30_000;
    const embeddings = await Embeddings.load(args.vectors);
    const analogy = args.analogies ? await evaluateAnalogies(embeddings, args.analogies, restrict) : undefined;
    const pairs: Record<string, PairsReport> = {};
    for (const file of args.pairs) {
      // Files are keyed by name; a second file of the same name keeps its full path to stay apart.
      const key = path.basename(file) in pairs ? file : path.basename(file);
      pairs[key] = await evaluateWordPairs(embeddings, file);
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ...(analogy ? { analogy } : {}), pairs })}\n`);
      return;
    }
    if (analogy && args.analogies) printAnalogies(args.analogies, analogy);
    for (const [name, p] of Object.entries(pairs)) {
      const r = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));
      process.stdout.write(`pairs ${name}: Spearman ${r(p.spearman)}, Pearson ${r(p.pearson)}; ${percent(p.oov)} of ${p.pairs} pairs skipped for unknown words\n`);
    }
  },
};
