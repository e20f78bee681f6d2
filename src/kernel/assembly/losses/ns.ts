// Negative sampling (Mikolov et al. 2013): one logistic regression for the target word against
// `negative` noise words from unigram^0.75, with C word2vec's sigmoid table and clipping.
// Objective per prediction: -log σ(s_w) - Σ_n log σ(-s_n); noise words equal to the target are skipped.
import { MAX_EXP } from '../layout';
import { dot, tableLogLoss, tableSigmoid, updatePair } from '../lanes';
import { drawNoise, noiseWord } from '../noise';
import { addPrediction, hiddenError, lanes, negative, outputRow } from '../state';

// @ts-ignore: decorator
@inline function logisticStep(input: usize, target: u32, label: bool, alpha: f32): f64 {
  const output = outputRow(target);
  const f = dot(input, output, lanes);
  let g: f32;
  if (f >= MAX_EXP) g = label ? 0 : -1;
  else if (f <= -MAX_EXP) g = label ? 1 : 0;
  else g = (label ? <f32>1 : <f32>0) - tableSigmoid(f);
  updatePair(input, output, hiddenError, g * alpha, lanes);
  return <f64>tableLogLoss(label ? f : -f);
}

/** `shared`: the noise words were drawn for the whole window and wait in the slot's buffer. */
export function negativeSampling(input: usize, word: u32, alpha: f32, shared: bool): void {
  let loss = logisticStep(input, word, true, alpha);
  for (let d: u32 = 0; d < negative; d++) {
    const target = shared ? noiseWord(d) : drawNoise();
    if (target != word) loss += logisticStep(input, target, false, alpha);
  }
  addPrediction(loss);
}
