// Sampled softmax, i.e. importance sampling of the softmax's normaliser (Bengio & Senécal 2008;
// Jean et al. 2015): a softmax over the target and k proposals from q, every score corrected by
// -log(k·q(w)) so the sample stands for the whole vocabulary; a proposal equal to the target is
// dropped. Objective per prediction: -log of the target's share of that softmax.
import { exp32, dot, log64, updatePair } from '../lanes';
import { drawNoiseWords, noiseWord } from '../noise';
import { addPrediction, hiddenError, lanes, negative, noiseLog, outputRow, scores } from '../state';

// @ts-ignore: decorator
@inline function correctedScore(input: usize, word: u32): f32 {
  return dot(input, outputRow(word), lanes) - load<f32>(noiseLog + (<usize>word << 2));
}

export function sampledSoftmax(input: usize, word: u32, alpha: f32, shared: bool): void {
  if (!shared) drawNoiseWords();
  // Scores: the target first, then the proposals kept, in draw order.
  const target = correctedScore(input, word);
  let top = target;
  store<f32>(scores, target);
  let kept: usize = 1;
  for (let d: u32 = 0; d < negative; d++) {
    const proposal = noiseWord(d);
    if (proposal == word) continue;
    const s = correctedScore(input, proposal);
    store<f32>(scores + (kept << 2), s);
    if (s > top) top = s;
    kept++;
  }
  let sum: f64 = 0;
  for (let j: usize = 0; j < kept; j++) {
    const e = exp32(load<f32>(scores + (j << 2)) - top);
    store<f32>(scores + (j << 2), e);
    sum += <f64>e;
  }
  const inverse = <f32>(1 / sum);
  addPrediction(log64(sum) - <f64>(target - top));
  // Gradient of -log p_w: (p_j - [j = w]) for every score in the sample.
  let j: usize = 1;
  updatePair(input, outputRow(word), hiddenError, (<f32>1 - load<f32>(scores) * inverse) * alpha, lanes);
  for (let d: u32 = 0; d < negative; d++) {
    const proposal = noiseWord(d);
    if (proposal == word) continue;
    updatePair(input, outputRow(proposal), hiddenError, -load<f32>(scores + (j << 2)) * inverse * alpha, lanes);
    j++;
  }
}
