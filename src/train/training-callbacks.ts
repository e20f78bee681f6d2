import type { NamedPath } from '../base/overwrite-guard.js';
import type { ReadProgress } from '../corpus/encoded-corpus.js';
import type { ContinuedModel } from './continued-model.js';
import type { InitialVectors } from './initial-vectors.js';

export interface TrainingProgress {
  epoch: number;
  /** Words (before subsampling) processed so far, over all epochs. */
  wordsDone: number;
  wordsTotal: number;
  alpha: number;
  /** Mean loss per prediction over the tasks finished so far in this epoch. */
  loss: number;
  wordsPerSecond: number;
}

/** Callbacks for a caller that shows progress; all optional. */
export interface TrainingObserver {
  onPhase?(phase: 'read' | 'train', detail: string): void;
  /** While the corpus is read: file bytes read of the total (compressed bytes for .gz), tokens found. */
  onReadProgress?(read: ReadProgress): void;
  onProgress?(progress: TrainingProgress): void;
  onWarning?(message: string): void;
}

/** Stopping and checkpointing a run; all optional. */
export interface TrainingControl {
  /** Once aborted, no task starts; the running ones finish and the run returns with `report.stopped`. */
  stop?: AbortSignal;
  /**
   * Where checkpoints go. One is written when the run is stopped and, with `periodic`, at every
   * epoch end (the last one included) and every `everySeconds` (0: never on a clock).
   */
  checkpoint?: { path: string; periodic: boolean; everySeconds: number };
  /**
   * The files the caller writes when the run ends (the vectors, their report): a run is refused
   * before it reads anything when one of them, or the checkpoint, is one of its corpus files.
   */
  outputs?: readonly NamedPath[];
  /**
   * Where to write the vocabulary in C word2vec's -save-vocab format, as soon as it is fixed
   * (before training, so a stopped run has it too).
   */
  saveVocabulary?: string;
  /** Pretrained vectors that known words start from (not with a resumed run: its weights are the checkpoint's). */
  initialVectors?: InitialVectors;
  /** A finished model to train on: its options, vocabulary and weights (not with a resumed run, nor with initialVectors). */
  continued?: ContinuedModel;
}

