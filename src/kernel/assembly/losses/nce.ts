// Noise-contrastive estimation (Gutmann & Hyvärinen 2010; Mnih & Teh 2012): a logistic
// regression telling the target from k noise words, on scores corrected by the noise's expected
// count, Δ = s - log(k·q(w)), with the normaliser fixed to 1 (so exp(s) is the model's
// unnormalised probability). Exact sigmoid, no table. Objective per prediction:
// -log σ(Δ_w) - Σ_n log σ(-Δ_n); a noise word equal to the target is a noise sample like any other.
import { exp32, dot, log64, updatePair, updatePairThenDot } from '../lanes';
import { drawNoise, noiseWord } from '../noise';
import { addPrediction, hiddenError, lanes, negative, noiseLog, outputRow } from '../state';

// Each term's -log σ(±Δ) = max(∓Δ, 0) + ln(1 + e^-|Δ|): the linear parts are summed and the
// factors multiplied, so a prediction takes one logarithm instead of one per term.
export function noiseContrastiveEstimation(input: usize, word: u32, alpha: f32, shared: bool): void {
  let linearPart: f64 = 0;
  let factors: f64 = 1;
  // As in ns.ts, each step's update and the next noise row's score share one pass over the lanes;
  // the next noise word is drawn first, which leaves the order of draws as it was.
  let output = outputRow(word);
  let delta = dot(input, output, lanes) - load<f32>(noiseLog + (<usize>word << 2));
  for (let d: u32 = 0; d <= negative; d++) {
    const label = d == 0;
    const e = exp32(-abs<f32>(delta));
    const p = delta >= 0 ? <f32>1 / (<f32>1 + e) : e / (<f32>1 + e);
    const g = (label ? <f32>1 - p : -p) * alpha;
    const x = label ? -delta : delta;
    linearPart += <f64>(x > 0 ? x : 0);
    factors *= <f64>1 + <f64>e;
    if (d == negative) {
      updatePair(input, output, hiddenError, g, lanes);
      break;
    }
    const next = shared ? noiseWord(d) : drawNoise();
    const nextRow = outputRow(next);
    delta = updatePairThenDot(input, output, hiddenError, g, nextRow, lanes) - load<f32>(noiseLog + (<usize>next << 2));
    output = nextRow;
  }
  addPrediction(linearPart + log64(factors));
}
