/**
 * Huffman codes for hierarchical softmax, built exactly as C word2vec's CreateBinaryTree does, so
 * that a model trained here has the same tree (and so the same output-weight rows) as one trained
 * by the original tool on the same vocabulary.
 *
 * Node numbering (as in C): leaves are words 0..V-1; the inner node made by merge a is V + a, so
 * the root is 2V - 2. A point is an inner node minus V, i.e. a row 0..V-2 of the output weight
 * matrix, and the root is row V - 2.
 *
 * Per word w, positions offsets[w]..offsets[w+1]-1 hold its path from the root down: at step k,
 * points[k] is the inner node being decided and codes[k] the branch taken (1 for the second of
 * the two nodes merged, 0 for the first), ending at the leaf.
 */
export interface HuffmanTree {
  /** offsets[w]..offsets[w+1] index codes/points of word w */
  offsets: Uint32Array;
  codes: Uint8Array;
  points: Uint32Array;
  maxCodeLength: number;
}

/**
 * Builds the tree from counts sorted in descending order (vocabulary order).
 *
 * Because the leaves are sorted, the classic two-queue construction is O(V): leaves are consumed
 * from the rarest end, and inner nodes are created in non-decreasing weight order, so each queue
 * is already sorted and the two smallest nodes are always at one of the two queue heads. The tie
 * rule matches C: the leaf is taken only when strictly lighter than the inner node.
 *
 * A single word (V = 1) has no inner node at all. C would emit point -1 there; this gives it a
 * one-bit code 0 with point 0 instead, so every word has a non-empty path and the caller only
 * needs max(1, V - 1) output rows. V = 0 gives an empty tree.
 */
export function buildHuffmanTree(counts: ArrayLike<number>): HuffmanTree {
  const V = counts.length;
  if (V === 0) return { offsets: new Uint32Array(1), codes: new Uint8Array(0), points: new Uint32Array(0), maxCodeLength: 0 };
  if (V === 1) return { offsets: Uint32Array.of(0, 1), codes: Uint8Array.of(0), points: Uint32Array.of(0), maxCodeLength: 1 };

  const nodes = 2 * V - 1;
  // Float64 keeps sums of large counts exact up to 2^53, where C's long long would also be exact.
  const weight = new Float64Array(nodes);
  const parent = new Uint32Array(nodes);
  const branch = new Uint8Array(nodes);
  for (let i = 0; i < V; i++) weight[i] = counts[i];

  let leaf = V - 1; // next leaf to take, walking from the rarest word upward
  let inner = V; // next inner node to take
  for (let a = 0; a < V - 1; a++) {
    const made = V + a; // inner nodes below `made` exist; C's 1e15 sentinel stands for the rest
    // First pick: C compares against count[pos2], which is the 1e15 sentinel when pos2 == made.
    let min1: number;
    if (leaf >= 0 && (inner >= made || weight[leaf] < weight[inner])) min1 = leaf--;
    else min1 = inner++;
    let min2: number;
    if (leaf >= 0 && (inner >= made || weight[leaf] < weight[inner])) min2 = leaf--;
    else min2 = inner++;
    weight[made] = weight[min1] + weight[min2];
    parent[min1] = made;
    parent[min2] = made;
    branch[min2] = 1;
  }

  // Every parent has a larger index than its children, so one downward sweep gives all depths.
  const root = nodes - 1;
  const depth = new Uint32Array(nodes);
  for (let n = root - 1; n >= 0; n--) depth[n] = depth[parent[n]] + 1;

  const offsets = new Uint32Array(V + 1);
  let maxCodeLength = 0;
  for (let w = 0; w < V; w++) {
    offsets[w + 1] = offsets[w] + depth[w];
    if (depth[w] > maxCodeLength) maxCodeLength = depth[w];
  }
  const total = offsets[V];
  const codes = new Uint8Array(total);
  const points = new Uint32Array(total);
  // Walk each leaf up to the root, filling its slice from the end so it reads root-first.
  for (let w = 0; w < V; w++) {
    let node = w;
    for (let k = offsets[w + 1] - 1; k >= offsets[w]; k--) {
      codes[k] = branch[node];
      node = parent[node];
      points[k] = node - V;
    }
  }
  return { offsets, codes, points, maxCodeLength };
}
