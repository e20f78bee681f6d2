// Noise-contrastive estimation (Gutmann & Hyvärinen 2010; Mnih & Teh 2012): a logistic
// regression telling the target from k noise words, on scores corrected by the noise's expected
// count, Δ = s - log(k·q(w)), with the normaliser fixed to 1 (so exp(s) is the model's
// unnormalised probability). Exact sigmoid, no table. Objective per prediction:
// -log σ(Δ_w) - Σ_n log σ(-Δ_n); a noise word equal to the target is a noise sample like any other.
import { exp32, dot, softplus, updatePair } from '../lanes';
import { drawNoise, noiseWord } from '../noise';
import { addPrediction, hiddenError, lanes, negative, noiseLog, outputRow } from '../state';

// @ts-ignore: decorator
@inline function contrastStep(input: usize, target: u32, label: bool, alpha: f32): f64 {
  const output = outputRow(target);
  const delta = dot(input, output, lanes) - load<f32>(noiseLog + (<usize>target << 2));
  const p = <f32>1 / (<f32>1 + exp32(-delta));
  const g = label ? <f32>1 - p : -p;
  updatePair(input, output, hiddenError, g * alpha, lanes);
  return softplus(label ? -delta : delta);
}

export function noiseContrastiveEstimation(input: usize, word: u32, alpha: f32, shared: bool): void {
  let loss = contrastStep(input, word, true, alpha);
  for (let d: u32 = 0; d < negative; d++) {
    loss += contrastStep(input, shared ? noiseWord(d) : drawNoise(), false, alpha);
  }
  addPrediction(loss);
}
