// The library entry point: the same options as the CLI, no CLI code.
export { trainEmbeddings } from './trainer.js';
export type { TrainedModel, TrainingReport, TrainingObserver, TrainingProgress, EpochReport } from './trainer.js';
export { DEFAULT_TRAIN_OPTIONS, resolveTrainOptions } from './options.js';
export type { TrainOptions, ModelType, LossType, KernelChoice } from './options.js';
export { readWord2vecFile, writeWord2vecFile } from './word2vec-format.js';
export type { WordVectors } from './word2vec-format.js';
export { UserError } from './errors.js';
export { Embeddings, UnknownWordError } from './embeddings.js';
export type { Neighbor, AnalogyMethod } from './embeddings.js';
export { NearestIndex, buildIndexFile, DEFAULT_INDEX_PARAMS } from './nearest.js';
export type { IndexParams, IndexSidecar } from './nearest.js';
export { evaluateAnalogies, evaluateWordPairs } from './evaluate.js';
export type { AnalogyReport, PairsReport, SectionScore } from './evaluate.js';
export { exportVectors, EXPORT_FORMATS } from './export.js';
export type { ExportFormat } from './export.js';
