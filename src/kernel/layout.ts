/**
 * The memory the kernels read, as they name it: the header block's fields, a task slot's fields,
 * and the ids of the output layers and activations. The host (src/train/shared-memory.ts)
 * computes every offset and writes it into these fields; the AssemblyScript kernel mirrors the
 * numbers in assembly/layout.ts. The kernel owns these names, so it imports nothing from the
 * stages that fill the memory.
 */

/** C word2vec's sigmoid table: 1000 entries over [-6, 6]. */
export const EXP_TABLE_SIZE = 1000;
export const MAX_EXP = 6;

/** Byte offsets of the fields of the header block (all u32). The kernels mirror these numbers. */
export const HeaderField = {
  vocabSize: 0,
  dim: 4,
  stride: 8,
  window: 12,
  negative: 16,
  /** bit 0: CBOW (else skip-gram); bit 2: shared noise words */
  flags: 20,
  inputWeights: 24,
  outputWeights: 28,
  keepProbability: 32,
  aliasProbability: 36,
  aliasIndex: 40,
  huffmanOffsets: 44,
  huffmanCodes: 48,
  huffmanPoints: 52,
  sigmoidTable: 56,
  lossTable: 60,
  maxSentenceLength: 64,
  /** LossId of the output layer */
  loss: 68,
  /** ActivationId (exact softmax losses) */
  activation: 72,
  /** f32: the soft margin subtracted from the target's score (exact softmax losses) */
  margin: 76,
  /** f32 per word: log(k·q(w)), the NCE / sampled-softmax score correction */
  noiseLog: 80,
  /** bandCount × (firstWord, endWord, first lane, lane count), u32 each (exact softmax losses) */
  bands: 84,
  bandCount: 88,
  /** Predictions between merges of a worker's copy of output rows into the shared ones (see PrivateRows) */
  syncEvery: 92,
  /** The first output row of that copy, and how many rows it holds (0: no copy) */
  copyFirstRow: 96,
  copyRows: 100,
  /** The Taylor softmax's order n (activation taylor): the terms z^k/k! summed for k ≤ n */
  taylorOrder: 104,
  /** Adaptive softmax: its cluster table (ADAPTIVE_CLUSTER_FIELDS u32 per tail cluster), their number, the head's words */
  adaptiveClusters: 108,
  adaptiveClusterCount: 112,
  adaptiveShortlist: 116,
  /**
   * Mixture of softmaxes: its component count K (1: the plain softmax, no mixture rows). The
   * mixture's rows follow the V output rows, in the same block and with the same stride: K·dim
   * rows of the projections P_k (row i of P_k is row V + k·dim + i), then the K rows of the gate
   * matrix W (row V + K·dim + k); so the private copy of the output rows covers them too.
   */
  mixtureComponents: 128,
} as const;
export const HEADER_BYTES = 160;

export const FLAG_CBOW = 1;
/** Skip-gram with a sampling loss draws the noise words once per centre word. */
export const FLAG_SHARED_NEGATIVES = 4;

/** How the kernels name the output layers; dsoftmax is the exact softmax with several bands. */
export const LossId = { ns: 0, hs: 1, nce: 2, sampled: 3, softmax: 4, dsoftmax: 4, adaptive: 5 } as const;
export const ActivationId = { exp: 0, sig: 1, taylor: 2 } as const;
/** u32 fields per band in the band table. */
export const BAND_FIELDS = 4;
/**
 * u32 fields per tail cluster of the adaptive softmax: first word, end word, lanes of its rows
 * (and of its projected vector), its projected dimension, and the byte offsets from the start of
 * the output block of its projection (dimension rows of the model's stride) and of its first row.
 */
export const ADAPTIVE_CLUSTER_FIELDS = 6;

/**
 * A scratch slot starts with the task's results (f64, written by the kernel) followed by the
 * offsets of its buffers (u32, written by the host).
 */
export const SlotField = {
  wordsSeen: 0,
  wordsTrained: 8,
  lossSum: 16,
  predictions: 24,
  hidden: 32,
  hiddenError: 36,
  sentence: 40,
  tokens: 44,
  negatives: 48,
  /** f32 × score capacity: the scores of one prediction (exact and sampled softmax) */
  scores: 52,
  /** f32 × score capacity: their activations */
  activations: 56,
  /** The worker's own copy of some output rows (see PrivateRows), and their value at the last merge */
  outputCopy: 60,
  outputSnapshot: 64,
  /** Adaptive softmax: f32 × the widest cluster's row, the input projected into the target's cluster, and its step */
  projected: 68,
  projectedError: 72,
  /**
   * Mixture of softmaxes: K context vectors h_k = tanh(P_k h) (stride floats each), K error
   * vectors (their steps), and per component its gate π_k, normaliser and log p_k(w) (f64 each).
   * The score and activation buffers then hold K vocabularies' worth, one after the other.
   */
  mixtureContexts: 80,
  mixtureErrors: 84,
  mixtureGates: 88,
} as const;
