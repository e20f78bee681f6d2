// The kernel's view of the model, read from the header and the slot at the start of every call.
// Each worker instantiates the module, so these globals are per thread.
import {
  H_ACTIVATION, H_ADAPTIVE_CLUSTER_COUNT, H_ADAPTIVE_CLUSTERS, H_ADAPTIVE_SHORTLIST, H_ALIAS_INDEX, H_ALIAS_PROBABILITY, H_BAND_COUNT, H_BANDS, H_DIM, H_FLAGS, H_HUFFMAN_CODES, H_HUFFMAN_OFFSETS,
  H_HUFFMAN_POINTS, H_INPUT_WEIGHTS, H_KEEP_PROBABILITY, H_LOSS, H_LOSS_TABLE, H_MARGIN, H_MAX_SENTENCE_LENGTH, H_MIXTURE_COMPONENTS,
  H_NEGATIVE, H_NOISE_LOG, H_OUTPUT_WEIGHTS, H_SIGMOID_TABLE, H_STRIDE, H_SYNC_EVERY, H_COPY_FIRST_ROW, H_COPY_ROWS, H_TAYLOR_ORDER, H_VOCAB_SIZE, H_WINDOW,
  S_ACTIVATIONS, S_HIDDEN, S_HIDDEN_ERROR, S_LOSS_SUM, S_NEGATIVES, S_OUTPUT_COPY, S_OUTPUT_SNAPSHOT, S_PREDICTIONS,
  S_MIXTURE_CONTEXTS, S_MIXTURE_ERRORS, S_MIXTURE_GATES, S_PROJECTED, S_PROJECTED_ERROR, S_SCORES,
} from './layout';

export let vocabSize: u32 = 0;
export let dim: u32 = 0;
/** Bytes from one weight row to the next. */
export let rowBytes: usize = 0;
/** f32x4 lanes per row. */
export let lanes: i32 = 0;
export let window: u32 = 0;
export let negative: u32 = 0;
export let flags: u32 = 0;
export let lossKind: u32 = 0;
export let activation: u32 = 0;
export let margin: f32 = 0;
export let maxSentenceLength: i32 = 0;
export let inputWeights: usize = 0;
/** The shared output rows. */
export let outputWeights: usize = 0;
/** This worker's copy of rows copyFirstRow.. (0: none) and their snapshot; see output-copy.ts. */
export let outputCopy: usize = 0;
export let outputSnapshot: usize = 0;
export let copyFirstRow: u32 = 0;
export let copyRows: u32 = 0;
export let taylorOrder: u32 = 2;
export let syncEvery: u32 = 0;
export let keepProbability: usize = 0;
export let aliasProbability: usize = 0;
export let aliasIndex: usize = 0;
export let huffmanOffsets: usize = 0;
export let huffmanCodes: usize = 0;
export let huffmanPoints: usize = 0;
export let sigmoidTable: usize = 0;
export let lossTable: usize = 0;
export let noiseLog: usize = 0;
export let bands: usize = 0;
export let bandCount: u32 = 0;
export let hidden: usize = 0;
export let hiddenError: usize = 0;
export let negatives: usize = 0;
export let scores: usize = 0;
export let activations: usize = 0;
/** Mixture of softmaxes: K (1: none), and the slot's contexts, their errors and the per-component f64s. */
export let mixtureComponents: u32 = 1;
export let mixtureContexts: usize = 0;
export let mixtureErrors: usize = 0;
export let mixtureGates: usize = 0;
/** Adaptive softmax: the cluster table, its length, the head's words, and the projected input and its step. */
export let adaptiveClusters: usize = 0;
export let adaptiveClusterCount: u32 = 0;
export let adaptiveShortlist: u32 = 0;
export let projected: usize = 0;
export let projectedError: usize = 0;

/** Objective summed over the call's predictions, and their number. */
export let lossSum: f64 = 0;
export let predictions: f64 = 0;

export function loadState(header: usize, slot: usize): void {
  vocabSize = load<u32>(header + H_VOCAB_SIZE);
  dim = load<u32>(header + H_DIM);
  const stride = load<u32>(header + H_STRIDE);
  rowBytes = <usize>stride << 2;
  lanes = <i32>(stride >> 2);
  window = load<u32>(header + H_WINDOW);
  negative = load<u32>(header + H_NEGATIVE);
  flags = load<u32>(header + H_FLAGS);
  lossKind = load<u32>(header + H_LOSS);
  activation = load<u32>(header + H_ACTIVATION);
  margin = load<f32>(header + H_MARGIN);
  maxSentenceLength = <i32>load<u32>(header + H_MAX_SENTENCE_LENGTH);
  inputWeights = load<u32>(header + H_INPUT_WEIGHTS);
  outputWeights = load<u32>(header + H_OUTPUT_WEIGHTS);
  outputCopy = load<u32>(slot + S_OUTPUT_COPY);
  outputSnapshot = load<u32>(slot + S_OUTPUT_SNAPSHOT);
  copyFirstRow = load<u32>(header + H_COPY_FIRST_ROW);
  copyRows = load<u32>(header + H_COPY_ROWS);
  taylorOrder = load<u32>(header + H_TAYLOR_ORDER);
  syncEvery = load<u32>(header + H_SYNC_EVERY);
  keepProbability = load<u32>(header + H_KEEP_PROBABILITY);
  aliasProbability = load<u32>(header + H_ALIAS_PROBABILITY);
  aliasIndex = load<u32>(header + H_ALIAS_INDEX);
  huffmanOffsets = load<u32>(header + H_HUFFMAN_OFFSETS);
  huffmanCodes = load<u32>(header + H_HUFFMAN_CODES);
  huffmanPoints = load<u32>(header + H_HUFFMAN_POINTS);
  sigmoidTable = load<u32>(header + H_SIGMOID_TABLE);
  lossTable = load<u32>(header + H_LOSS_TABLE);
  noiseLog = load<u32>(header + H_NOISE_LOG);
  bands = load<u32>(header + H_BANDS);
  bandCount = load<u32>(header + H_BAND_COUNT);
  hidden = load<u32>(slot + S_HIDDEN);
  hiddenError = load<u32>(slot + S_HIDDEN_ERROR);
  negatives = load<u32>(slot + S_NEGATIVES);
  scores = load<u32>(slot + S_SCORES);
  activations = load<u32>(slot + S_ACTIVATIONS);
  mixtureComponents = load<u32>(header + H_MIXTURE_COMPONENTS);
  mixtureContexts = load<u32>(slot + S_MIXTURE_CONTEXTS);
  mixtureErrors = load<u32>(slot + S_MIXTURE_ERRORS);
  mixtureGates = load<u32>(slot + S_MIXTURE_GATES);
  adaptiveClusters = load<u32>(header + H_ADAPTIVE_CLUSTERS);
  adaptiveClusterCount = load<u32>(header + H_ADAPTIVE_CLUSTER_COUNT);
  adaptiveShortlist = load<u32>(header + H_ADAPTIVE_SHORTLIST);
  projected = load<u32>(slot + S_PROJECTED);
  projectedError = load<u32>(slot + S_PROJECTED_ERROR);
  lossSum = 0;
  predictions = 0;
}

/** Every loss ends a prediction with this: its objective, -log of what it models. */
// @ts-ignore: decorator
@inline export function addPrediction(loss: f64): void {
  lossSum += loss;
  predictions += 1;
}

export function storeLoss(slot: usize): void {
  store<f64>(slot + S_LOSS_SUM, lossSum);
  store<f64>(slot + S_PREDICTIONS, predictions);
}

/** Row `word` of the shared output matrix (the sparse losses, which keep no copy). */
// @ts-ignore: decorator
@inline export function outputRow(word: u32): usize {
  return outputWeights + <usize>word * rowBytes;
}
