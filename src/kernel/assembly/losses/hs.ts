// Hierarchical softmax (Morin & Bengio 2005; Mikolov et al. 2013): one binary decision per inner
// node on the word's path in the code tree (Huffman or balanced; the kernel does not care).
// Objective per prediction: -Σ_k log σ(±s_k) along the path, with C word2vec's sigmoid table.
import { MAX_EXP } from '../layout';
import { dot, tableLogLoss, tableSigmoid, updatePair, updatePairThenDot } from '../lanes';
import { countPredictionForMerge, trainedRow } from '../output-copy';
import { addPrediction, hiddenError, huffmanCodes, huffmanOffsets, huffmanPoints, lanes } from '../state';

/** The row of path step k: the top of the tree is this worker's copy (output-copy.ts). */
// @ts-ignore: decorator
@inline function nodeRow(k: u32): usize {
  return trainedRow(load<u32>(huffmanPoints + (<usize>k << 2)));
}

export function hierarchicalSoftmax(input: usize, word: u32, alpha: f32): void {
  const start = load<u32>(huffmanOffsets + (<usize>word << 2));
  const end = load<u32>(huffmanOffsets + (<usize>(word + 1) << 2));
  if (start == end) return;
  let output = nodeRow(start);
  let f = dot(input, output, lanes);
  let loss: f64 = 0;
  for (let k = start; k < end; k++) {
    const label = load<u8>(huffmanCodes + <usize>k) == 0;
    const hasNext = k + 1 < end;
    const next = hasNext ? nodeRow(k + 1) : 0;
    loss += <f64>tableLogLoss(label ? f : -f);
    if (f <= -MAX_EXP || f >= MAX_EXP) {
      // C word2vec leaves saturated nodes alone.
      if (hasNext) f = dot(input, next, lanes);
    } else {
      const g = ((label ? <f32>1 : <f32>0) - tableSigmoid(f)) * alpha;
      // The next node's score is taken in the same pass over the lanes as this node's update:
      // the input row is loaded once for both.
      if (hasNext) f = updatePairThenDot(input, output, hiddenError, g, next, lanes);
      else updatePair(input, output, hiddenError, g, lanes);
    }
    output = next;
  }
  addPrediction(loss);
  countPredictionForMerge();
}
