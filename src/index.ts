// The library entry point: the same options as the CLI, no CLI code.
export { trainEmbeddings } from './trainer.js';
export type { TrainedModel, TrainingReport, TrainingObserver, TrainingProgress, EpochReport } from './trainer.js';
export { DEFAULT_TRAIN_OPTIONS, resolveTrainOptions } from './options.js';
export type { TrainOptions, ModelType, LossType, KernelChoice } from './options.js';
export { readWord2vecFile, writeWord2vecFile } from './word2vec-format.js';
export type { WordVectors } from './word2vec-format.js';
export { UserError } from './errors.js';
