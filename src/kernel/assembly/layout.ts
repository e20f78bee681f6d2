// Byte offsets of the header and slot fields: the numbers of HeaderField and SlotField in
// src/kernel/layout.ts.

export const H_VOCAB_SIZE: usize = 0;
export const H_DIM: usize = 4;
export const H_STRIDE: usize = 8;
export const H_WINDOW: usize = 12;
export const H_NEGATIVE: usize = 16;
export const H_FLAGS: usize = 20;
export const H_INPUT_WEIGHTS: usize = 24;
export const H_OUTPUT_WEIGHTS: usize = 28;
export const H_KEEP_PROBABILITY: usize = 32;
export const H_ALIAS_PROBABILITY: usize = 36;
export const H_ALIAS_INDEX: usize = 40;
export const H_HUFFMAN_OFFSETS: usize = 44;
export const H_HUFFMAN_CODES: usize = 48;
export const H_HUFFMAN_POINTS: usize = 52;
export const H_SIGMOID_TABLE: usize = 56;
export const H_LOSS_TABLE: usize = 60;
export const H_MAX_SENTENCE_LENGTH: usize = 64;
export const H_LOSS: usize = 68;
export const H_ACTIVATION: usize = 72;
export const H_MARGIN: usize = 76;
export const H_NOISE_LOG: usize = 80;
export const H_BANDS: usize = 84;
export const H_BAND_COUNT: usize = 88;
export const H_SYNC_EVERY: usize = 92;
export const H_COPY_FIRST_ROW: usize = 96;
export const H_COPY_ROWS: usize = 100;
export const H_TAYLOR_ORDER: usize = 104;
export const H_ADAPTIVE_CLUSTERS: usize = 108;
export const H_ADAPTIVE_CLUSTER_COUNT: usize = 112;
export const H_ADAPTIVE_SHORTLIST: usize = 116;
export const H_MIXTURE_COMPONENTS: usize = 128;

export const S_WORDS_SEEN: usize = 0;
export const S_WORDS_TRAINED: usize = 8;
export const S_LOSS_SUM: usize = 16;
export const S_PREDICTIONS: usize = 24;
export const S_HIDDEN: usize = 32;
export const S_HIDDEN_ERROR: usize = 36;
export const S_SENTENCE: usize = 40;
export const S_TOKENS: usize = 44;
export const S_NEGATIVES: usize = 48;
export const S_SCORES: usize = 52;
export const S_ACTIVATIONS: usize = 56;
export const S_OUTPUT_COPY: usize = 60;
export const S_OUTPUT_SNAPSHOT: usize = 64;
export const S_PROJECTED: usize = 68;
export const S_PROJECTED_ERROR: usize = 72;
export const S_MIXTURE_CONTEXTS: usize = 80;
export const S_MIXTURE_ERRORS: usize = 84;
export const S_MIXTURE_GATES: usize = 88;

export const FLAG_CBOW: u32 = 1;
export const FLAG_SHARED_NEGATIVES: u32 = 4;

// LossId and ActivationId of src/shared-memory.ts.
export const LOSS_NS: u32 = 0;
export const LOSS_HS: u32 = 1;
export const LOSS_NCE: u32 = 2;
export const LOSS_SAMPLED: u32 = 3;
export const LOSS_SOFTMAX: u32 = 4;
export const LOSS_ADAPTIVE: u32 = 5;
export const ACTIVATION_EXP: u32 = 0;
export const ACTIVATION_SIG: u32 = 1;
export const ACTIVATION_TAYLOR: u32 = 2;
// ADAPTIVE_CLUSTER_FIELDS: the cluster table's u32 fields per cluster.
export const ADAPTIVE_CLUSTER_FIELDS: usize = 6;

// The corpus's sentence mark, as the encoded corpus writes it.
export { SENTENCE_END } from '../../corpus/assembly/ids';
export const EXP_TABLE_SIZE: i32 = 1000;
export const MAX_EXP: f32 = 6.0;
export const EXP_SCALE: f32 = <f32>EXP_TABLE_SIZE / MAX_EXP / 2.0;
