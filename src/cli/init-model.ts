import { existsSync } from 'node:fs';
import { UserError } from '../base/errors.js';
import type { ContinuedModel } from '../train/continued-model.js';
import { isModelFile, readModelFile } from '../vectors/model-file.js';

/**
 * `--init <model>`: the model file a run trains on, read here since vectors/ sits above train/.
 * A word vectors file holds no output layer, counts or options to go on from: it is pointed to
 * --init-vectors, which starts a new model from such vectors.
 */
export async function readModelToTrainOn(file: string): Promise<ContinuedModel> {
  if (existsSync(file) && !(await isModelFile(file))) {
    throw new UserError(`--init ${file} is not a model file (w2v train --save-model writes them); to start the input vectors from a vectors file, give --init-vectors ${file}`);
  }
  const saved = await readModelFile(file);
  return {
    source: file,
    options: saved.options,
    words: saved.words,
    counts: saved.counts,
    vectors: saved.vectors,
    output: saved.output.weights,
    stride: saved.stride,
    tree: saved.output.tree,
    mixture: saved.output.mixture?.rows,
  };
}
