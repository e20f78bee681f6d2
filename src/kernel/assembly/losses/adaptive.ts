// The adaptive softmax (Grave, Joulin, Cissé, Grangier & Jégou 2016). The head is a softmax over
// the most frequent words plus one entry per tail cluster; tail cluster c is a softmax over its
// words, scored against the input projected to a smaller dimension, h_c = P_c x. The
// distribution is exact: p(w) = p_head(c(w)) · p_c(w | h_c), and a word of the head is the head's
// own entry. A prediction costs the head and its target's cluster only.
//
// Objective per prediction: -log p_head(entry of w) - log p_c(w) (the second term for tail words
// only). Steps: the head's softmax step on its rows and the input's error; in the cluster, its
// softmax step on its rows and on the projected input's error e; then e's step on the projection
// rows (row r moves by e_r · x) and e_r · P_c[r] into the input's error, P_c as it was.
//
// The output block (head rows, projections, tail rows, from the cluster table's offsets) is
// this worker's copy, merged into the shared one every few predictions (output-copy.ts).
import { ADAPTIVE_CLUSTER_FIELDS } from '../layout';
import { clear, log64 } from '../lanes';
import { countPredictionForMerge, trainedRow } from '../output-copy';
import {
  activations, adaptiveClusterCount, adaptiveClusters, adaptiveShortlist, addPrediction, hiddenError, lanes, projected,
  projectedError, rowBytes, scores,
} from '../state';
import { activateExp, at, maxScore, scoreRows, softmaxSteps, updateRows } from './softmax-rows';

// @ts-ignore: decorator
@inline function clusterField(cluster: u32, field: usize): u32 {
  return load<u32>(adaptiveClusters + ((<usize>cluster * ADAPTIVE_CLUSTER_FIELDS + field) << 2));
}

/**
 * One exp softmax over `count` rows `rowStep` bytes apart, scored against x over n lanes: the
 * rows take their steps and the error its part. Returns -log p(target).
 */
function softmaxOverRows(x: usize, row0: usize, rowStep: usize, count: u32, n: i32, target: u32, alpha: f32, error: usize): f64 {
  scoreRows(x, row0, rowStep, count, n, scores);
  const top = maxScore(scores, count);
  const sum = activateExp(top, count, scores, activations);
  const loss = log64(sum) - <f64>(load<f32>(at(scores, target)) - top);
  softmaxSteps(count, target, sum, alpha, true, scores, activations);
  updateRows(x, row0, rowStep, count, n, error, activations);
  return loss;
}

export function adaptiveSoftmax(input: usize, word: u32, alpha: f32): void {
  const block = trainedRow(0);
  const shortlist = adaptiveShortlist;
  let cluster: u32 = 0;
  if (word >= shortlist) while (word >= clusterField(cluster, 1)) cluster++;
  const headTarget = word < shortlist ? word : shortlist + cluster;
  let loss = softmaxOverRows(input, block, rowBytes, shortlist + adaptiveClusterCount, lanes, headTarget, alpha, hiddenError);
  if (word >= shortlist) {
    const first = clusterField(cluster, 0);
    const tailLanes = <i32>clusterField(cluster, 2);
    const dim = clusterField(cluster, 3);
    const projection = block + <usize>clusterField(cluster, 4);
    // h_c = P_c x; the lanes' padding past dim stays zero, so the padding of the rows does too.
    clear(projected, tailLanes);
    scoreRows(input, projection, rowBytes, dim, lanes, projected);
    clear(projectedError, tailLanes);
    const tailRowBytes = <usize>tailLanes << 4;
    loss += softmaxOverRows(projected, block + <usize>clusterField(cluster, 5), tailRowBytes, clusterField(cluster, 1) - first, tailLanes, word - first, alpha, projectedError);
    updateRows(input, projection, rowBytes, dim, lanes, hiddenError, projectedError);
  }
  addPrediction(loss);
  countPredictionForMerge();
}
