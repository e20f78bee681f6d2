import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../base/errors.js';
import { ENCODING_ERRORS, type EncodingErrors } from '../corpus/corpus-text.js';
import { PHRASE_SCORINGS, type PhraseScoring } from '../corpus/phrase-table.js';
import { DEFAULT_PHRASE_OPTIONS, DEFAULT_THRESHOLDS, formPhrases, passThresholds, type PhraseObserver, type PhrasesReport } from '../corpus/phrases.js';
import { MAX_TOKEN_BYTES } from '../corpus/token-scanner.js';
import { createCountProgress, createProgressObserver } from './progress.js';
import { checkWritableOutput } from './writable-output.js';

interface PhrasesArgs {
  corpus: string[];
  out: string;
  threshold?: string;
  minCount?: number;
  scoring: PhraseScoring;
  passes?: number;
  maxPairs?: number;
  workers?: number;
  encodingErrors?: EncodingErrors;
  json: boolean;
  progress: boolean;
}

function builder(yargs: Argv): Argv<PhrasesArgs> {
  const d = DEFAULT_PHRASE_OPTIONS;
  return yargs
    .positional('corpus', { describe: 'UTF-8 text files, directories or .gz files, as w2v train reads them', type: 'string', array: true, demandOption: true })
    .options({
      out: { alias: 'o', type: 'string', demandOption: true, describe: 'Where to write the text with phrases joined by "_" (one line per input line, words separated by one space)' },
      threshold: {
        type: 'string',
        describe:
          'Join a pair whose score is above this; one number for every pass, or one per pass separated by commas (200,100) ' +
          `[default: ${DEFAULT_THRESHOLDS.default} for the last pass and twice the next pass's for each earlier one; with --scoring npmi ${DEFAULT_THRESHOLDS.npmi} for every pass]`,
      },
      'min-count': { type: 'number', defaultDescription: String(d.minCount), describe: 'Never join a pair seen fewer times (nor, with the default scoring, words seen fewer times)' },
      scoring: {
        choices: PHRASE_SCORINGS,
        default: d.scoring,
        describe: 'default: C word2phrase\'s (count(ab) - min-count) / (count(a) count(b)) x total words; npmi: normalised pointwise mutual information in [-1, 1] (gensim)',
      },
      passes: { type: 'number', describe: 'Passes over the text; pass k + 1 can join the phrases of pass k into longer ones [default: 1, or one per --threshold given]' },
      'max-pairs': {
        type: 'number',
        defaultDescription: String(d.maxPairs),
        describe: 'Distinct pairs counted at most (memory: up to about 50 bytes a pair); when full, the rarest are dropped as C word2phrase does',
      },
      workers: { alias: 'threads', type: 'number', defaultDescription: 'all cores', describe: 'Reader threads' },
      'encoding-errors': { choices: ENCODING_ERRORS, defaultDescription: 'strict', describe: 'strict: stop at bytes that are not UTF-8 text; replace: replace them with U+FFFD' },
      json: { type: 'boolean', default: false, describe: 'Print the report as JSON on stdout' },
      progress: { type: 'boolean', default: true, describe: 'Show progress on stderr (--no-progress to silence)' },
    }) as unknown as Argv<PhrasesArgs>;
}

/** `200,100` → [200, 100]; one line naming what is not a number. */
function parseThresholds(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((part) => {
    const value = Number(part);
    if (part.trim() === '' || !Number.isFinite(value)) {
      throw new UserError(`--threshold takes a number, or one per pass separated by commas (200,100); got ${JSON.stringify(text)}`);
    }
    return value;
  });
}

/** Reading progress as w2v train shows it, then a bar for counting the pairs and one for writing. */
function progressObserver(enabled: boolean): PhraseObserver & { stop(): void } {
  const reading = createProgressObserver(enabled);
  let pass = 0;
  let label = '';
  let counting: ReturnType<typeof createCountProgress> | undefined;
  return {
    onPass(number, passes, threshold) {
      pass = number;
      reading.onPhase?.('read', `pass ${number} of ${passes} (threshold ${threshold}): reading the text`);
    },
    onReadProgress: reading.onReadProgress,
    onProgress(step, done, total) {
      if (!enabled) return;
      reading.stop();
      const wanted = `pass ${pass}: ${step === 'count' ? 'pairs counted' : 'words written'}`;
      if (wanted !== label) {
        counting?.stop();
        counting = createCountProgress(wanted);
        label = wanted;
      }
      counting!.update(done, total);
    },
    stop() {
      reading.stop();
      counting?.stop();
    },
  };
}

function summary(report: PhrasesReport): string {
  const [first] = report.passes;
  const lines = [`wrote ${report.output}: ${first.tokens} tokens in, ${report.passes.length} pass${report.passes.length === 1 ? '' : 'es'} (${report.options.scoring} scoring, min-count ${report.options.minCount}) in ${report.seconds.toFixed(2)} s`];
  report.passes.forEach((p, k) => {
    const s = p.seconds;
    lines.push(
      `pass ${k + 1} (threshold ${p.threshold}): ${p.phrases} distinct phrases, joined ${p.joins} times, from ${p.pairs} distinct pairs of ${p.words} words; ` +
        `read ${s.read.toFixed(2)} s, count ${s.count.toFixed(2)} s, write ${s.write.toFixed(2)} s`,
    );
    if (p.prunedAtOrBelow > 0) {
      lines.push(`pass ${k + 1}: the pair table reached --max-pairs ${report.options.maxPairs}: pairs seen ${p.prunedAtOrBelow} times or fewer were dropped, so their counts are low; a larger --max-pairs counts them all`);
    }
  });
  if (first.cutTokens > 0) lines.push(`input: ${first.cutTokens} tokens longer than ${MAX_TOKEN_BYTES} bytes were cut to that length`);
  if (first.replacedSequences > 0) lines.push(`input: ${first.replacedSequences} NUL bytes or invalid UTF-8 sequences were replaced by U+FFFD`);
  return `${lines.join('\n')}\n`;
}

export const phrasesCommand: CommandModule<object, PhrasesArgs> = {
  command: 'phrases <corpus..>',
  describe: 'Join frequent collocations ("new york" -> "new_york") before training, as C word2phrase and gensim\'s Phrases do',
  builder,
  handler: async (args) => {
    const scoring = args.scoring;
    const thresholds = passThresholds(scoring, args.passes, parseThresholds(args.threshold));
    await checkWritableOutput('--out', args.out);
    const progress = progressObserver(args.progress);
    let report: PhrasesReport;
    try {
      report = await formPhrases(args.corpus, args.out, {
        scoring,
        thresholds,
        minCount: args.minCount,
        maxPairs: args.maxPairs,
        workers: args.workers,
        encodingErrors: args.encodingErrors,
      }, progress);
    } finally {
      progress.stop();
    }
    process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : summary(report));
  },
};
