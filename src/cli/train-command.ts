import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { writeTextFileAtomically } from '../base/atomic-file.js';
import { ENCODING_ERRORS } from '../corpus/corpus-text.js';
import { MAX_TOKEN_BYTES } from '../corpus/token-scanner.js';
import { Embeddings } from '../query/embeddings.js';
import { UserError } from '../base/errors.js';
import type { NamedPath } from '../base/overwrite-guard.js';
import { buildIndexFile, defaultIndexPath, sidecarPath } from '../query/nearest.js';
import { parseCutoffs } from '../model/adaptive-clusters.js';
import { ACTIVATIONS, DEFAULT_TRAIN_OPTIONS, LOSS_TYPES, parseBands, type TrainOptions } from '../model/options.js';
import type { TrainingObserver } from '../train/training-callbacks.js';
import { resumeEmbeddings, trainEmbeddings } from '../train/trainer.js';
import { savedModelOf, writeModelFile } from '../vectors/model-file.js';
import { reportPathFor, type SavedTrainingReport, type TrainingReport } from '../train/training-report.js';
import { readVectorsFile } from '../vectors/read-vectors.js';
import { writeWord2vecFile } from '../vectors/word2vec-format.js';
import { commandName, shellWord } from './invocation.js';
import { flagOf } from '../base/option-flag.js';
import { readModelToTrainOn } from './init-model.js';
import { createProgressObserver } from './progress.js';
import { INTERRUPTED_EXIT_CODE, installStopSignals } from './stop-signals.js';
import { checkWritableOutput } from './writable-output.js';

/**
 * Options the CLI sets directly; chunk size stays internal. None has a yargs default (the
 * defaults are resolveTrainOptions'), so that an option given with a loss that does not read it,
 * or given to a resumed run whose model it would change, can be refused.
 */
type CliTrainOptions = Partial<Omit<TrainOptions, 'chunkTokens' | 'bands' | 'cutoffs'>>;

const TRAIN_OPTION_KEYS = [
  'model', 'loss', 'hsTree', 'activation', 'taylorOrder', 'margin', 'mixture', 'divValue', 'dim', 'window', 'negative', 'sharedNegatives', 'minCount',
  'maxVocab', 'sample', 'epochs', 'maxWords', 'maxSeconds', 'alpha', 'minAlpha', 'workers', 'seed', 'kernel', 'maxSentenceLength',
  'encodingErrors', 'readVocab',
] as const satisfies readonly (keyof CliTrainOptions)[];

/** Training options a resumed run may be given: they change how it runs, not the model. */
const RESUMABLE_OPTION_KEYS: readonly (keyof CliTrainOptions)[] = ['workers', 'kernel'];

interface TrainArgs extends CliTrainOptions {
  /** dsoftmax bands as text, parsed in the handler */
  bands?: string;
  /** adaptive cutoffs as text, parsed in the handler */
  cutoffs?: string;
  corpus?: string[];
  out?: string;
  resume?: string;
  checkpoint?: string;
  checkpointEvery?: number;
  saveModel?: string;
  saveVocab?: string;
  initVectors?: string;
  init?: string;
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
    })
    .options({
      out: {
        alias: 'o',
        type: 'string',
        describe: 'Where to write the vectors (a report goes beside it as <out>.report.json); with --resume of <out>.checkpoint it defaults to <out>',
      },
      resume: {
        type: 'string',
        describe: 'Continue the run that wrote this checkpoint, on the corpus it names; only --out, --workers, --kernel, --format, --index, --checkpoint* and output flags may be given',
      },
      checkpoint: {
        type: 'string',
        describe: 'Keep a checkpoint here, replaced at every epoch end and every --checkpoint-every minutes (Ctrl-C writes one to <out>.checkpoint even without it)',
      },
      'save-model': {
        type: 'string',
        describe: 'Also write a model file here: options, vocabulary with counts, both layers, the tree or bands, the noise distribution (for w2v predict and every query command)',
      },
      'checkpoint-every': { type: 'number', describe: `Minutes between checkpoints (implies --checkpoint <out>.checkpoint) [default: ${DEFAULT_CHECKPOINT_MINUTES}]` },
      model: { choices: ['sg', 'cbow'] as const, defaultDescription: String(d.model), describe: 'sg: skip-gram; cbow: continuous bag of words (mean of context vectors)' },
      loss: {
        choices: LOSS_TYPES,
        defaultDescription: String(d.loss),
        describe:
          'ns: negative sampling; hs: hierarchical softmax; nce: noise-contrastive estimation; sampled: sampled softmax; ' +
          'softmax: the exact softmax over every word; dsoftmax: differentiated softmax (frequency bands); ' +
          'adaptive: adaptive softmax (a head of frequent words and clusters, tails in smaller dimensions)',
      },
      'hs-tree': { choices: ['huffman', 'balanced'] as const, describe: 'hs: Huffman tree (C word2vec) or a balanced tree of depth ⌈log2 V⌉ [default: huffman]' },
      activation: {
        choices: ACTIVATIONS,
        describe: 'softmax, dsoftmax: exp (softmax), sig (sigsoftmax), taylor (Taylor softmax, of --taylor-order) [default: exp]',
      },
      'taylor-order': { type: 'number', describe: 'activation taylor: the order n of Σ_{k≤n} z^k/k!, even from 2 to 10 [default: 2]' },
      margin: { type: 'number', describe: 'softmax, dsoftmax: lower the target\'s score by this before normalising (soft-margin) [default: 0]' },
      mixture: {
        type: 'number',
        describe: 'softmax with exp or sig: a mixture of K softmaxes (sigsoftmaxes), each over its own context tanh(P_k h), weighted by softmax(W h); about K times the cost [default: 1]',
      },
      bands: {
        type: 'string',
        describe: 'dsoftmax: frequency bands as vocabulary share:dimension share, most frequent first [default: 0.1:0.5,0.3:0.3,0.6:0.2]',
      },
      cutoffs: {
        type: 'string',
        describe: 'adaptive: the head\'s word count, then where each tail cluster ends, increasing and below the vocabulary size, e.g. 2000,10000 [default: where the words reach 80% and 95% of the tokens]',
      },
      'div-value': { type: 'number', describe: `adaptive: tail i scores in dim / div-value^(i+1) dimensions [default: ${d.divValue}]` },
      dim: { type: 'number', defaultDescription: String(d.dim), describe: 'Dimension of the word vectors' },
      window: { type: 'number', defaultDescription: String(d.window), describe: 'Maximum distance between a word and its context (reduced at random per word, as C word2vec)' },
      negative: { type: 'number', describe: `Noise words per prediction (ns, nce, sampled) [default: ${d.negative}]` },
      'shared-negatives': {
        type: 'boolean',
        defaultDescription: String(d.sharedNegatives),
        describe: 'sg with ns, nce or sampled: draw noise words once per centre word and share them across its window (--no-shared-negatives: fresh ones per context word, as C word2vec)',
      },
      'min-count': { type: 'number', defaultDescription: String(d.minCount), describe: 'Ignore words seen fewer times than this' },
      'max-vocab': { type: 'number', defaultDescription: String(d.maxVocab), describe: 'Keep only this many most frequent words (0: no limit)' },
      sample: { type: 'number', defaultDescription: String(d.sample), describe: 'Subsampling threshold for frequent words (0 disables)' },
      epochs: { alias: 'iter', type: 'number', defaultDescription: String(d.epochs), describe: 'Passes over the corpus' },
      'max-words': {
        type: 'number',
        defaultDescription: String(d.maxWords),
        describe: 'Stop after this many corpus words in all (0: no limit); the learning rate decays over them',
      },
      'max-seconds': {
        type: 'number',
        defaultDescription: String(d.maxSeconds),
        describe: 'Stop training after this many seconds (0: no limit); the learning rate decays over them. Runs so cut are not repeatable',
      },
      alpha: { type: 'number', describe: 'Starting learning rate [default: 0.025 for sg, 0.05 for cbow]' },
      'min-alpha': { type: 'number', describe: 'Final learning rate, reached linearly [default: alpha * 1e-4]' },
      workers: { alias: 'threads', type: 'number', defaultDescription: String(d.workers), describe: 'Worker threads (default: all cores)' },
      seed: { type: 'number', defaultDescription: String(d.seed), describe: 'Random seed; with --workers 1 the output is byte-identical across runs' },
      kernel: { choices: ['auto', 'wasm', 'ts'] as const, defaultDescription: String(d.kernel), describe: 'wasm: WebAssembly SIMD; ts: plain TypeScript reference; auto: wasm where available' },
      format: { choices: ['bin', 'text'] as const, default: 'bin' as const, describe: 'word2vec binary or text format, as C word2vec writes them' },
      'max-sentence-length': { type: 'number', defaultDescription: String(d.maxSentenceLength), describe: 'Cut longer sentences (and lines) into pieces of this many tokens' },
      'encoding-errors': {
        choices: ENCODING_ERRORS,
        defaultDescription: d.encodingErrors,
        describe: 'strict: stop at a NUL byte or invalid UTF-8, naming the file and byte offset; replace: replace them with U+FFFD, count them in the report and go on',
      },
      'save-vocab': {
        type: 'string',
        describe: 'Write the vocabulary here in C word2vec\'s -save-vocab format ("word count" a line, most frequent first, </s> first) before training',
      },
      'read-vocab': {
        type: 'string',
        describe: 'Take the vocabulary from this file (C word2vec\'s format) instead of counting it: its order and counts are kept, --min-count and --max-vocab still apply, corpus words it lacks are skipped',
      },
      'init-vectors': {
        type: 'string',
        describe: 'Start the input vectors of the words found in this word2vec/fastText vectors file from their vectors there (dimension must equal --dim); the others start at random',
      },
      init: {
        type: 'string',
        describe: 'Train this model file (--save-model) on the corpus: its options, words and weights go on; new words at --min-count join with fresh vectors, and --epochs, --alpha, --min-count, --sample, --seed… may change',
      },
      index: { type: 'boolean', default: false, describe: 'Build the HNSW nearest-neighbour index (as w2v index does) right after training' },
      json: { type: 'boolean', default: false, describe: 'Print the training report as JSON on stdout' },
      progress: { type: 'boolean', default: true, describe: 'Show progress on stderr (--no-progress to silence)' },
    }) as unknown as Argv<TrainArgs>;
}

const DEFAULT_CHECKPOINT_MINUTES = 30;
const CHECKPOINT_SUFFIX = '.checkpoint';


/** Where this run writes, what it checkpoints, and whether it resumes: decided and checked before any training. */
interface RunPlan {
  out: string;
  /** What the run writes besides the checkpoint: the vectors, the report, the index with --index. */
  outputs: NamedPath[];
  checkpoint: { path: string; periodic: boolean; everySeconds: number };
}

async function planRun(args: TrainArgs): Promise<RunPlan> {
  if (args.resume !== undefined) {
    if (args.corpus && args.corpus.length > 0) {
      throw new UserError(`--resume ${args.resume} continues on the corpus the checkpoint names; drop ${args.corpus.join(' ')}`);
    }
    for (const key of TRAIN_OPTION_KEYS) {
      if (args[key] !== undefined && !RESUMABLE_OPTION_KEYS.includes(key)) {
        throw new UserError(`${flagOf(key)} cannot be given with --resume: the checkpoint fixes the model's options; drop it`);
      }
    }
    if (args.bands !== undefined) throw new UserError('--bands cannot be given with --resume: the checkpoint fixes the model\'s options; drop it');
    if (args.cutoffs !== undefined) throw new UserError('--cutoffs cannot be given with --resume: the checkpoint fixes the model\'s options; drop it');
    if (args.initVectors !== undefined) throw new UserError('--init-vectors cannot be given with --resume: the checkpoint holds the weights; drop it');
    if (args.init !== undefined) throw new UserError('--init cannot be given with --resume: the checkpoint holds the weights; drop it');
  } else if (!args.corpus || args.corpus.length === 0) {
    throw new UserError('name a corpus (w2v train corpus.txt --out vectors.bin) or a checkpoint to continue (w2v train --resume vectors.bin.checkpoint)');
  }
  const out = args.out ?? (args.resume?.endsWith(CHECKPOINT_SUFFIX) ? args.resume.slice(0, -CHECKPOINT_SUFFIX.length) : undefined);
  if (!out) throw new UserError(args.resume ? `--resume ${args.resume}: give --out, the file to write the vectors to` : 'give --out, the file to write the vectors to');
  if (args.checkpointEvery !== undefined && !(Number.isFinite(args.checkpointEvery) && args.checkpointEvery > 0)) {
    throw new UserError(`--checkpoint-every must be a positive number of minutes, got ${args.checkpointEvery}`);
  }
  // A resumed run was long enough to be stopped once: it keeps its checkpoint up to date.
  const periodic = args.checkpoint !== undefined || args.checkpointEvery !== undefined || args.resume !== undefined;
  const checkpointPath = args.checkpoint ?? args.resume ?? `${out}${CHECKPOINT_SUFFIX}`;
  const checkpointName = args.checkpoint !== undefined ? '--checkpoint' : 'the checkpoint';
  const outputs = [{ name: '--out', path: out }, { name: 'the report', path: reportPathFor(out) }];
  if (args.saveModel !== undefined) outputs.push({ name: '--save-model', path: args.saveModel });
  if (args.index) outputs.push({ name: 'the index', path: defaultIndexPath(out) }, { name: 'the index sidecar', path: sidecarPath(defaultIndexPath(out)) });
  // Two outputs at one path: the one written last would replace the other.
  const clash = outputs.find((o) => path.resolve(o.path) === path.resolve(checkpointPath));
  if (clash) throw new UserError(`${checkpointName} ${checkpointPath} is also ${clash.name}: one would replace the other; give them different paths`);
  await checkWritableOutput('--out', out);
  if (args.saveModel !== undefined) await checkWritableOutput('--save-model', args.saveModel);
  await checkWritableOutput(checkpointName, checkpointPath);
  if (args.saveVocab !== undefined) {
    const taken = [...outputs, { name: checkpointName, path: checkpointPath }].find((o) => path.resolve(o.path) === path.resolve(args.saveVocab!));
    if (taken) throw new UserError(`--save-vocab ${args.saveVocab} is also ${taken.name}: one would replace the other; give them different paths`);
    await checkWritableOutput('--save-vocab', args.saveVocab);
  }
  return { out, outputs, checkpoint: { path: checkpointPath, periodic, everySeconds: (args.checkpointEvery ?? DEFAULT_CHECKPOINT_MINUTES) * 60 } };
}

async function handler(args: TrainArgs): Promise<void> {
  const started = performance.now();
  const run = await planRun(args);
  const { out } = run;
  const stop = installStopSignals(run.checkpoint.path);
  const progress = createProgressObserver(args.progress);
  const observer: TrainingObserver = {
    ...progress,
    onPhase(phase, detail) {
      if (phase === 'train') stop.setPhase('train');
      progress.onPhase?.(phase, detail);
    },
  };
  let model;
  try {
    const initialVectors = args.initVectors === undefined ? undefined : { source: args.initVectors, ...(await readVectorsFile(args.initVectors)) };
    const continued = args.init === undefined ? undefined : await readModelToTrainOn(args.init);
    const control = { stop: stop.signal, checkpoint: run.checkpoint, outputs: run.outputs, saveVocabulary: args.saveVocab, initialVectors, continued };
    if (args.resume !== undefined) {
      model = await resumeEmbeddings(args.resume, { workers: args.workers, kernel: args.kernel }, observer, control);
    } else {
      // yargs' argv also carries aliases and kebab-case twins: pass on only the training options.
      const options = Object.fromEntries(TRAIN_OPTION_KEYS.map((key) => [key, args[key]])) as Partial<TrainOptions>;
      if (args.bands !== undefined) options.bands = parseBands(args.bands);
      if (args.cutoffs !== undefined) options.cutoffs = parseCutoffs(args.cutoffs);
      model = await trainEmbeddings(args.corpus ?? [], options, observer, control);
    }
  } finally {
    progress.stop();
  }
  stop.setPhase('finish');
  if (model.report.stopped) {
    const defaultOut = run.checkpoint.path.endsWith(CHECKPOINT_SUFFIX) ? run.checkpoint.path.slice(0, -CHECKPOINT_SUFFIX.length) : undefined;
    const command = `${commandName()} train --resume ${shellWord(run.checkpoint.path)}${defaultOut === out ? '' : ` --out ${shellWord(out)}`}`;
    if (args.json) process.stdout.write(`${JSON.stringify({ ...model.report, checkpoint: run.checkpoint.path, resumeCommand: command })}\n`);
    process.stderr.write(`w2v: stopped; checkpoint written to ${run.checkpoint.path}; resume with: ${command}\n`);
    process.exit(INTERRUPTED_EXIT_CODE);
  }
  const exportStart = performance.now();
  const vectors = { words: model.vocabulary.words, dim: model.dim, vectors: model.vectors, stride: model.stride };
  await writeWord2vecFile(out, vectors, args.format);
  if (args.saveModel !== undefined) {
    await writeModelFile(args.saveModel, savedModelOf(model));
  }
  const { report } = model;
  const exportSeconds = (performance.now() - exportStart) / 1000;
  report.seconds.export = exportSeconds;
  let indexPath: string | undefined;
  if (args.index) {
    const built = await buildIndexFile(out, new Embeddings(vectors));
    report.seconds.index = built.buildSeconds;
    indexPath = built.indexPath;
  }
  report.seconds.total = (performance.now() - started) / 1000;
  const saved: SavedTrainingReport = { ...report, output: out, format: args.format, index: indexPath, finishedAt: new Date().toISOString() };
  await writeTextFileAtomically(reportPathFor(out), `${JSON.stringify(saved, null, 2)}\n`);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(saved)}\n`);
    stop.dispose();
    return;
  }
  const s = report.seconds;
  process.stdout.write(
    `wrote ${out}: ${report.vocabularySize} words x ${model.dim} dims, ${report.corpusTokens} tokens x ${report.options.epochs} epochs\n` +
      `time: read ${s.readAndVocabulary.toFixed(2)} s, encode ${s.encode.toFixed(2)} s, train ${s.train.toFixed(2)} s, ` +
      `export ${exportSeconds.toFixed(2)} s; ${Math.round(report.trainWordsPerSecond)} words/s (${report.kernel} kernel, ${report.workers} worker${report.workers === 1 ? '' : 's'})\n` +
      `loss per epoch: ${report.epochs.map((e) => e.loss.toFixed(4)).join(' ')} (mean per prediction of ${report.objective})\n` +
      (report.resumedFrom ? `resumed from ${report.resumedFrom.at(-1)}: ${report.trainSecondsInAll?.toFixed(2)} s of training in all\n` : '') +
      (indexPath ? `index: ${indexPath} (${report.seconds.index?.toFixed(2)} s)\n` : '') +
      vocabularyLines(report) +
      (report.cutTokens > 0 ? `input: ${report.cutTokens} tokens longer than ${MAX_TOKEN_BYTES} bytes were cut to that length\n` : '') +
      (report.replacedSequences > 0 ? `input: ${report.replacedSequences} NUL bytes or invalid UTF-8 sequences were replaced by U+FFFD\n` : ''),
  );
  stop.dispose();
}

/** What the summary says of a vocabulary file read or written, and of a pretrained start. */
function vocabularyLines(report: TrainingReport): string {
  const lines: string[] = [];
  const { readVocab } = report.options;
  if (readVocab !== undefined) {
    const outside = report.corpusTokens - report.trainingWords;
    const share = report.corpusTokens > 0 ? ((100 * outside) / report.corpusTokens).toFixed(1) : '0.0';
    lines.push(`vocabulary: ${report.vocabularySize} words read from ${readVocab}; ${outside} corpus tokens (${share}%) are not in it and were skipped`);
  }
  if (report.savedVocabulary !== undefined) lines.push(`vocabulary: wrote ${report.savedVocabulary} (${report.vocabularySize} words and </s>)`);
  const init = report.initVectors;
  if (init) {
    lines.push(`init: ${init.found} of ${report.vocabularySize} vocabulary words started from ${init.source} (${init.words} vectors in it); the others at random`);
  }
  const on = report.continued;
  if (on) {
    const tree = on.innerRows !== undefined ? `; hs tree rebuilt, ${on.innerRowsKept} of ${on.innerRows} inner rows kept from it` : '';
    lines.push(`init: trained ${on.source} on: ${on.known} known words (${on.knownInText} of them in the new text) kept their vectors, ${on.joined} new words joined${tree}`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train [corpus..]',
  describe: 'Train word vectors (skip-gram or CBOW; negative sampling, hierarchical softmax, NCE, sampled, exact or differentiated softmax)',
  builder,
  handler,
};
