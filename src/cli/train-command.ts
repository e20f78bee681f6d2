import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { writeTextFileAtomically } from '../atomic-file.js';
import { ENCODING_ERRORS } from '../corpus-text.js';
import { MAX_TOKEN_BYTES } from '../token-scanner.js';
import { Embeddings } from '../embeddings.js';
import { UserError } from '../errors.js';
import { buildIndexFile } from '../nearest.js';
import { ACTIVATIONS, DEFAULT_TRAIN_OPTIONS, LOSS_TYPES, parseBands, type TrainOptions } from '../options.js';
import { trainEmbeddings } from '../trainer.js';
import { reportPathFor, type SavedTrainingReport } from '../training-report.js';
import { writeWord2vecFile } from '../word2vec-format.js';
import { createProgressObserver } from './progress.js';

/** Options the CLI sets directly; chunk size stays internal. */
/**
 * Options the CLI sets directly; chunk size stays internal. Those that only some losses read
 * have no yargs default, so that giving one with another loss can be refused.
 */
type LossSpecific = 'negative' | 'hsTree' | 'activation' | 'margin';
type CliTrainOptions = Omit<TrainOptions, 'alpha' | 'minAlpha' | 'chunkTokens' | 'bands' | LossSpecific> &
  Partial<Pick<TrainOptions, 'alpha' | 'minAlpha' | LossSpecific>>;

const TRAIN_OPTION_KEYS = [
  'model', 'loss', 'hsTree', 'activation', 'margin', 'dim', 'window', 'negative', 'sharedNegatives', 'minCount',
  'maxVocab', 'sample', 'epochs', 'maxWords', 'maxSeconds', 'alpha', 'minAlpha', 'workers', 'seed', 'kernel', 'maxSentenceLength',
  'encodingErrors',
] as const satisfies readonly (keyof CliTrainOptions)[];

interface TrainArgs extends CliTrainOptions {
  /** dsoftmax bands as text, parsed in the handler */
  bands?: string;
  corpus: string[];
  out: string;
  format: 'bin' | 'text';
  json: boolean;
  progress: boolean;
  index: boolean;
}

function builder(yargs: Argv): Argv<TrainArgs> {
  const d = DEFAULT_TRAIN_OPTIONS;
  return yargs
    .positional('corpus', {
      describe: 'UTF-8 text files, directories or .gz files; whitespace-separated tokens, one sentence per line',
      type: 'string',
      array: true,
      demandOption: true,
    })
    .options({
      out: { alias: 'o', type: 'string', demandOption: true, describe: 'Where to write the vectors (a report goes beside it as <out>.report.json)' },
      model: { choices: ['sg', 'cbow'] as const, default: d.model, describe: 'sg: skip-gram; cbow: continuous bag of words (mean of context vectors)' },
      loss: {
        choices: LOSS_TYPES,
        default: d.loss,
        describe:
          'ns: negative sampling; hs: hierarchical softmax; nce: noise-contrastive estimation; sampled: sampled softmax; ' +
          'softmax: the exact softmax over every word; dsoftmax: differentiated softmax (frequency bands)',
      },
      'hs-tree': { choices: ['huffman', 'balanced'] as const, describe: 'hs: Huffman tree (C word2vec) or a balanced tree of depth ⌈log2 V⌉ [default: huffman]' },
      activation: {
        choices: ACTIVATIONS,
        describe: 'softmax, dsoftmax: exp (softmax), sig (sigsoftmax), taylor (second-order Taylor softmax) [default: exp]',
      },
      margin: { type: 'number', describe: 'softmax, dsoftmax: lower the target\'s score by this before normalising (soft-margin) [default: 0]' },
      bands: {
        type: 'string',
        describe: 'dsoftmax: frequency bands as vocabulary share:dimension share, most frequent first [default: 0.1:0.5,0.3:0.3,0.6:0.2]',
      },
      dim: { type: 'number', default: d.dim, describe: 'Dimension of the word vectors' },
      window: { type: 'number', default: d.window, describe: 'Maximum distance between a word and its context (reduced at random per word, as C word2vec)' },
      negative: { type: 'number', describe: `Noise words per prediction (ns, nce, sampled) [default: ${d.negative}]` },
      'shared-negatives': {
        type: 'boolean',
        default: d.sharedNegatives,
        describe: 'sg with ns, nce or sampled: draw noise words once per centre word and share them across its window (--no-shared-negatives: fresh ones per context word, as C word2vec)',
      },
      'min-count': { type: 'number', default: d.minCount, describe: 'Ignore words seen fewer times than this' },
      'max-vocab': { type: 'number', default: d.maxVocab, describe: 'Keep only this many most frequent words (0: no limit)' },
      sample: { type: 'number', default: d.sample, describe: 'Subsampling threshold for frequent words (0 disables)' },
      epochs: { alias: 'iter', type: 'number', default: d.epochs, describe: 'Passes over the corpus' },
      'max-words': {
        type: 'number',
        default: d.maxWords,
        describe: 'Stop after this many corpus words in all (0: no limit); the learning rate decays over them',
      },
      'max-seconds': {
        type: 'number',
        default: d.maxSeconds,
        describe: 'Stop training after this many seconds (0: no limit); the learning rate decays over them. Runs so cut are not repeatable',
      },
      alpha: { type: 'number', describe: 'Starting learning rate [default: 0.025 for sg, 0.05 for cbow]' },
      'min-alpha': { type: 'number', describe: 'Final learning rate, reached linearly [default: alpha * 1e-4]' },
      workers: { alias: 'threads', type: 'number', default: d.workers, describe: 'Worker threads (default: all cores)' },
      seed: { type: 'number', default: d.seed, describe: 'Random seed; with --workers 1 the output is byte-identical across runs' },
      kernel: { choices: ['auto', 'wasm', 'ts'] as const, default: d.kernel, describe: 'wasm: WebAssembly SIMD; ts: plain TypeScript reference; auto: wasm where available' },
      format: { choices: ['bin', 'text'] as const, default: 'bin' as const, describe: 'word2vec binary or text format, as C word2vec writes them' },
      'max-sentence-length': { type: 'number', default: d.maxSentenceLength, describe: 'Cut longer sentences (and lines) into pieces of this many tokens' },
      'encoding-errors': {
        choices: ENCODING_ERRORS,
        default: d.encodingErrors,
        describe: 'strict: stop at a NUL byte or invalid UTF-8, naming the file and byte offset; replace: replace them with U+FFFD, count them in the report and go on',
      },
      index: { type: 'boolean', default: false, describe: 'Build the HNSW nearest-neighbour index (as w2v index does) right after training' },
      json: { type: 'boolean', default: false, describe: 'Print the training report as JSON on stdout' },
      progress: { type: 'boolean', default: true, describe: 'Show progress on stderr (--no-progress to silence)' },
    }) as unknown as Argv<TrainArgs>;
}

/** Refuses an --out that cannot be written before hours of training, not after. */
async function checkOutputPath(out: string): Promise<void> {
  const stats = await stat(out).catch(() => undefined);
  if (stats?.isDirectory()) throw new UserError(`--out ${out} is a directory: name a file, for example ${path.join(out, 'vectors.bin')}`);
}

async function handler(args: TrainArgs): Promise<void> {
  const started = performance.now();
  await checkOutputPath(args.out);
  const observer = createProgressObserver(args.progress);
  let model;
  try {
    // yargs' argv also carries aliases and kebab-case twins: pass on only the training options.
    const options = Object.fromEntries(TRAIN_OPTION_KEYS.map((key) => [key, args[key]])) as Partial<TrainOptions>;
    if (args.bands !== undefined) options.bands = parseBands(args.bands);
    model = await trainEmbeddings(
      args.corpus,
      options,
      observer,
    );
  } finally {
    observer.stop();
  }
  const exportStart = performance.now();
  const vectors = { words: model.vocabulary.words, dim: model.dim, vectors: model.vectors, stride: model.stride };
  await writeWord2vecFile(args.out, vectors, args.format);
  const { report } = model;
  const exportSeconds = (performance.now() - exportStart) / 1000;
  report.seconds.export = exportSeconds;
  let indexPath: string | undefined;
  if (args.index) {
    const built = await buildIndexFile(args.out, new Embeddings(vectors));
    report.seconds.index = built.buildSeconds;
    indexPath = built.indexPath;
  }
  report.seconds.total = (performance.now() - started) / 1000;
  const saved: SavedTrainingReport = { ...report, output: args.out, format: args.format, index: indexPath, finishedAt: new Date().toISOString() };
  await writeTextFileAtomically(reportPathFor(args.out), `${JSON.stringify(saved, null, 2)}\n`);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(saved)}\n`);
    return;
  }
  const s = report.seconds;
  process.stdout.write(
    `wrote ${args.out}: ${report.vocabularySize} words x ${model.dim} dims, ${report.corpusTokens} tokens x ${report.options.epochs} epochs\n` +
      `time: read ${s.readAndVocabulary.toFixed(2)} s, encode ${s.encode.toFixed(2)} s, train ${s.train.toFixed(2)} s, ` +
      `export ${exportSeconds.toFixed(2)} s; ${Math.round(report.trainWordsPerSecond)} words/s (${report.kernel} kernel)\n` +
      `loss per epoch: ${report.epochs.map((e) => e.loss.toFixed(4)).join(' ')} (mean per prediction of ${report.objective})\n` +
      (indexPath ? `index: ${indexPath} (${report.seconds.index?.toFixed(2)} s)\n` : '') +
      (report.cutTokens > 0 ? `input: ${report.cutTokens} tokens longer than ${MAX_TOKEN_BYTES} bytes were cut to that length\n` : '') +
      (report.replacedSequences > 0 ? `input: ${report.replacedSequences} NUL bytes or invalid UTF-8 sequences were replaced by U+FFFD\n` : ''),
  );
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train <corpus..>',
  describe: 'Train word vectors (skip-gram or CBOW; negative sampling, hierarchical softmax, NCE, sampled, exact or differentiated softmax)',
  builder,
  handler,
};
