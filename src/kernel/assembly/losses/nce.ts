// Noise-contrastive estimation (Gutmann & Hyvärinen 2010; Mnih & Teh 2012): a logistic
// regression telling the target from k noise words, on scores corrected by the noise's expected
// count, Δ = s - log(k·q(w)), with the normaliser fixed to 1 (so exp(s) is the model's
// unnormalised probability). Exact sigmoid, no table. Objective per prediction:
// -log σ(Δ_w) - Σ_n log σ(-Δ_n); a noise word equal to the target is a noise sample like any other.
import { exp32, dot, log64, updatePair } from '../lanes';
import { drawNoise, noiseWord } from '../noise';
import { addPrediction, hiddenError, lanes, negative, noiseLog, outputRow } from '../state';

// Each term's -log σ(±Δ) = max(∓Δ, 0) + ln(1 + e^-|Δ|): the linear parts are summed and the
// factors multiplied, so a prediction takes one logarithm instead of one per term.
let linearPart: f64 = 0;
let factors: f64 = 1;

// @ts-ignore: decorator
@inline function contrastStep(input: usize, target: u32, label: bool, alpha: f32): void {
  const output = outputRow(target);
  const delta = dot(input, output, lanes) - load<f32>(noiseLog + (<usize>target << 2));
  const e = exp32(-abs<f32>(delta));
  const p = delta >= 0 ? <f32>1 / (<f32>1 + e) : e / (<f32>1 + e);
  const g = label ? <f32>1 - p : -p;
  updatePair(input, output, hiddenError, g * alpha, lanes);
  const x = label ? -delta : delta;
  linearPart += <f64>(x > 0 ? x : 0);
  factors *= <f64>1 + <f64>e;
}

export function noiseContrastiveEstimation(input: usize, word: u32, alpha: f32, shared: bool): void {
  linearPart = 0;
  factors = 1;
  contrastStep(input, word, true, alpha);
  for (let d: u32 = 0; d < negative; d++) contrastStep(input, shared ? noiseWord(d) : drawNoise(), false, alpha);
  addPrediction(linearPart + log64(factors));
}
