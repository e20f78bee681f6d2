// Negative sampling (Mikolov et al. 2013): one logistic regression for the target word against
// `negative` noise words from unigram^0.75, with C word2vec's sigmoid table and clipping.
// Objective per prediction: -log σ(s_w) - Σ_n log σ(-s_n); noise words equal to the target are skipped.
import { MAX_EXP } from '../layout';
import { dot, tableLogLoss, tableSigmoid, updatePair, updatePairThenDot } from '../lanes';
import { drawNoise, noiseWord } from '../noise';
import { addPrediction, hiddenError, lanes, negative, outputRow } from '../state';

/** Marks "no further noise word" (word ids are below the vocabulary size, far from 2^32 - 1). */
const NONE: u32 = 0xffffffff;

/** `shared`: the noise words were drawn for the whole window and wait in the slot's buffer. */
export function negativeSampling(input: usize, word: u32, alpha: f32, shared: bool): void {
  // Each step's update and the next row's score share one pass over the lanes (as in hs.ts), so
  // the next noise word is drawn before the current step is taken. Nothing else draws in
  // between, so the draws, and every result, are those of one step after the other.
  let output = outputRow(word);
  let f = dot(input, output, lanes);
  let label = true;
  let d: u32 = 0;
  let loss: f64 = 0;
  while (true) {
    let next = NONE;
    while (d < negative) {
      const target = shared ? noiseWord(d) : drawNoise();
      d++;
      if (target != word) {
        next = target;
        break;
      }
    }
    let g: f32;
    if (f >= MAX_EXP) g = label ? 0 : -1;
    else if (f <= -MAX_EXP) g = label ? 1 : 0;
    else g = (label ? <f32>1 : <f32>0) - tableSigmoid(f);
    loss += <f64>tableLogLoss(label ? f : -f);
    if (next == NONE) {
      updatePair(input, output, hiddenError, g * alpha, lanes);
      break;
    }
    const nextRow = outputRow(next);
    f = updatePairThenDot(input, output, hiddenError, g * alpha, nextRow, lanes);
    output = nextRow;
    label = false;
  }
  addPrediction(loss);
}
