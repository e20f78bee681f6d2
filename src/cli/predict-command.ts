import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../base/errors.js';
import { resolveCorpusFiles } from '../corpus/corpus-files.js';
import { readSentences } from '../corpus/sentences.js';
import { Model, distributionOf } from '../query/model.js';
import { answerPrediction, type PredictAnswer } from '../query/query-answers.js';
import { scorePredictions } from '../query/prediction-eval.js';
import { suggestSpellings } from '../query/similar-words.js';
import { OutputIndex, outputIndexPath } from '../query/output-index.js';
import { createCountProgress } from './progress.js';
import { formatScores, positiveInteger, readQueries } from './query-arguments.js';

interface PredictArgs {
  model: string;
  context: string[];
  k: number;
  given?: string;
  eval?: string[];
  index: boolean;
  json: boolean;
}

function builder(yargs: Argv): Argv<PredictArgs> {
  return yargs
    .positional('model', { type: 'string', demandOption: true, describe: 'a model file, as w2v train --save-model writes it' })
    .positional('context', { type: 'string', array: true, default: [], describe: 'Context words; none: one context per line of standard input' })
    .options({
      k: { alias: 'n', type: 'number', default: 10, describe: 'How many words to predict' },
      given: { type: 'string', describe: 'Skip-gram: predict the context words of this word' },
      eval: { type: 'string', array: true, describe: 'Held-out text: predict each of its words from its window; report perplexity, top-1/top-10 accuracy' },
      index: { type: 'boolean', default: false, describe: 'Approximate top-k by an inner-product index over the output rows (hnswlib), its ef tuned to recall@k 0.98 first; answers scores, not probabilities' },
      json: { type: 'boolean', default: false, describe: 'Print {"context", "predictions": [{"word", "probability"}], "distribution"} per context (with --eval: the scores)' },
    }) as unknown as Argv<PredictArgs>;
}

function formatAnswer(answer: PredictAnswer): string {
  const searched = answer.nodesVisited === undefined ? '' : ` (tree search: ${answer.nodesVisited} nodes)`;
  return `${answer.context.join(' ')}${searched}\n${formatScores(answer.predictions.map((p) => ({ word: p.word, value: p.probability.toPrecision(4) })))}\n`;
}

export const predictCommand: CommandModule<object, PredictArgs> = {
  command: 'predict <model> [context..]',
  describe: 'The words a trained model predicts from context words, with their probabilities under its own output layer',
  builder,
  handler: async (args) => {
    const k = positiveInteger('k', args.k) ?? 10;
    const model = await Model.load(args.model);
    const distribution = distributionOf(model.options);
    if (args.eval !== undefined) {
      if (args.context.length > 0 || args.given !== undefined) throw new UserError('--eval scores a text on its own: drop the context words and --given');
      const files = await resolveCorpusFiles(args.eval);
      const score = await scorePredictions(model, readSentences(files, model.options.maxSentenceLength));
      if (args.json) {
        process.stdout.write(`${JSON.stringify({ ...score, distribution })}\n`);
        return;
      }
      process.stdout.write(
        `perplexity ${score.perplexity.toFixed(2)} (unigram model: ${score.unigram.perplexity.toFixed(2)}); ` +
          `top-1 ${(100 * score.top1).toFixed(2)}%, top-10 ${(100 * score.top10).toFixed(2)}% (unigram: ${(100 * score.unigram.top10).toFixed(2)}%)\n` +
          `${score.predictions} predictions of ${score.tokens} tokens (${(100 * score.oovShare).toFixed(2)}% out of the vocabulary), ` +
          `${Math.round(score.predictionsPerSecond)} predictions/s\nprobabilities: ${distribution}\n`,
      );
      return;
    }
    if (args.given !== undefined) {
      if (model.options.model !== 'sg') throw new UserError('--given predicts a word\'s context, which skip-gram models learn; this model is CBOW: give its context words instead');
      if (args.context.length > 0) throw new UserError(`--given ${args.given} predicts the words around it: drop the other words (${args.context.join(' ')})`);
    }
    const indexed = args.index ? await openOutputIndex(args.model, model, k) : undefined;
    let failures = 0;
    const answer = (words: string[]) => {
      if (indexed) {
        answerFromIndex(model, indexed, words, k, args.json);
        return;
      }
      let result: PredictAnswer;
      try {
        result = answerPrediction(model, words, k);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        failures++;
        if (args.json) process.stdout.write(`${JSON.stringify({ context: words, error: error.message })}\n`);
        else process.stderr.write(`w2v: ${error.message}\n`);
        return;
      }
      for (const word of result.unknown ?? []) {
        const suggestions = suggestSpellings(word, model.words);
        const hint = suggestions.length > 0 ? ` (did you mean ${suggestions.map((s) => JSON.stringify(s)).join(', ')}?)` : '';
        process.stderr.write(`w2v: ${JSON.stringify(word)} is not in the vocabulary${hint}; skipped\n`);
      }
      process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : formatAnswer(result));
    };
    // What the figures are, once, above the plain answers (stderr keeps to warnings and failures).
    if (!args.json && !indexed) process.stdout.write(`probabilities: ${distribution}\n`);
    if (args.given !== undefined) answer([args.given]);
    else if (args.context.length > 0) answer(args.context);
    else await readQueries('Enter context words (EXIT or Ctrl-D to quit): ', answer);
    if (failures > 0) process.exitCode = 1;
  },
};

/** The inner-product index over the model's output rows: read from beside the model, or built, tuned and saved there. */
async function openOutputIndex(modelPath: string, model: Model, k: number): Promise<OutputIndex> {
  const progress = createCountProgress('indexing output rows');
  let opened;
  try {
    opened = await OutputIndex.open(modelPath, model, k, (done, total) => progress.update(done, total));
  } catch (error) {
    if (error instanceof RangeError) throw new UserError(`--index: ${error.message}; drop --index`);
    throw error;
  } finally {
    progress.stop();
  }
  const { index, tuning, built } = opened;
  const measured = tuning ? `: ef ${tuning.ef} reaches recall@${tuning.k} ${tuning.recall.toFixed(3)} against the exact top-${tuning.k} on ${tuning.sample} contexts` : `: ef ${index.ef}`;
  process.stderr.write(`w2v: ${built ? 'built' : 'read'} ${outputIndexPath(modelPath)} over ${model.words.length} output rows${measured}\n`);
  return index;
}

function answerFromIndex(model: Model, index: OutputIndex, words: string[], k: number, json: boolean): void {
  const rows = words.map((w) => model.indexOf(w)).filter((r): r is number => r !== undefined);
  const unknown = words.filter((w) => model.indexOf(w) === undefined);
  for (const word of unknown) process.stderr.write(`w2v: ${JSON.stringify(word)} is not in the vocabulary; skipped\n`);
  if (rows.length === 0) throw new UserError(`none of the context words is in the vocabulary (${unknown.map((w) => JSON.stringify(w)).join(', ')})`);
  const found = index.topK(model.inputOf(rows), k).map((t) => ({ word: model.words[t.word], score: t.score }));
  const context = words.filter((w) => model.indexOf(w) !== undefined);
  if (json) process.stdout.write(`${JSON.stringify({ context, predictions: found, search: 'index', ef: index.ef })}\n`);
  else process.stdout.write(`${context.join(' ')}\n${formatScores(found.map((f) => ({ word: f.word, value: f.score.toFixed(4) })))}\n`);
}
