import type { Argv, CommandModule } from 'yargs';
import { writeTextFileAtomically } from '../base/atomic-file.js';
import { refuseOverwritingInputs } from '../base/overwrite-guard.js';
import { Embeddings } from '../query/embeddings.js';
import { DEFAULT_WORD_CLASS_OPTIONS, clusterWords, type WordClasses } from '../query/word-classes.js';
import { createCountProgress } from './progress.js';
import { positiveInteger, VECTORS_POSITIONAL } from './query-arguments.js';
import { checkWritableOutput } from './writable-output.js';

interface ClassesArgs {
  vectors: string;
  k: number;
  out: string;
  seed: number;
  iterations: number;
  format: 'text' | 'json';
  progress: boolean;
}

function builder(yargs: Argv): Argv<ClassesArgs> {
  return yargs
    .positional('vectors', VECTORS_POSITIONAL)
    .options({
      k: { type: 'number', demandOption: true, describe: 'Number of classes (C word2vec\'s -classes)' },
      out: { alias: 'o', type: 'string', demandOption: true, describe: 'Where to write the classes' },
      seed: { type: 'number', default: DEFAULT_WORD_CLASS_OPTIONS.seed, describe: 'Random seed for the first centroids (k-means++); the same seed gives the same classes' },
      iterations: { type: 'number', default: DEFAULT_WORD_CLASS_OPTIONS.iterations, describe: 'Rounds of k-means at most (C word2vec runs 10); it stops earlier once no word changes class' },
      format: {
        choices: ['text', 'json'] as const,
        default: 'text' as const,
        describe: 'text: "word class" a line, sorted by class, words of a class most frequent first (C word2vec -classes, sorted); json: every class with its words and centroid',
      },
      progress: { type: 'boolean', default: true, describe: 'Show progress on stderr (--no-progress to silence)' },
    }) as unknown as Argv<ClassesArgs>;
}

/** Rows of each class, in row order (the file's order: most frequent first). */
function membersOf(classes: WordClasses): number[][] {
  const members = Array.from({ length: classes.k }, () => [] as number[]);
  classes.classOf.forEach((c, row) => members[c].push(row));
  return members;
}

function asText(embeddings: Embeddings, classes: WordClasses): string {
  const lines: string[] = [];
  membersOf(classes).forEach((rows, c) => {
    for (const row of rows) lines.push(`${embeddings.words[row]} ${c}`);
  });
  return `${lines.join('\n')}\n`;
}

function asJson(embeddings: Embeddings, classes: WordClasses, vectors: string, seed: number): string {
  const { k, dim, iterations, converged, meanSimilarity, centroids } = classes;
  const list = membersOf(classes).map((rows, c) => ({
    class: c,
    size: rows.length,
    words: rows.map((row) => embeddings.words[row]),
    centroid: Array.from(centroids.subarray(c * dim, (c + 1) * dim)),
  }));
  return `${JSON.stringify({ vectors, words: embeddings.size, k, dim, seed, iterations, converged, meanSimilarity, classes: list })}\n`;
}

export const classesCommand: CommandModule<object, ClassesArgs> = {
  command: 'classes <vectors>',
  describe: 'Group the words into -k classes by k-means on their unit vectors (C word2vec\'s -classes)',
  builder,
  handler: async (args) => {
    const started = performance.now();
    const k = positiveInteger('k', args.k)!;
    const iterations = positiveInteger('iterations', args.iterations)!;
    await refuseOverwritingInputs([{ name: 'the vectors file', path: args.vectors }], [{ name: '--out', path: args.out }]);
    await checkWritableOutput('--out', args.out);
    const embeddings = await Embeddings.load(args.vectors);
    const progress = args.progress ? createCountProgress('k-means: scans of the words') : undefined;
    let classes: WordClasses;
    try {
      classes = clusterWords(embeddings, { k, seed: args.seed, iterations, onProgress: (done, total) => progress?.update(done, total) });
    } finally {
      progress?.stop();
    }
    await writeTextFileAtomically(args.out, args.format === 'json' ? asJson(embeddings, classes, args.vectors, args.seed) : asText(embeddings, classes));
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `wrote ${args.out}: ${embeddings.size} words in ${k} classes; ${classes.iterations} rounds of k-means${classes.converged ? ' (converged)' : ''}, ` +
        `mean cosine to the class centroid ${classes.meanSimilarity.toFixed(4)}; ${seconds.toFixed(2)} s\n`,
    );
  },
};
