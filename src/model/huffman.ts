import { codeTreeFromParents, type CodeTree } from './code-tree.js';

/**
 * Huffman codes for hierarchical softmax, built exactly as C word2vec's CreateBinaryTree does, so
 * that a model trained here has the same tree (and so the same output-weight rows) as one trained
 * by the original tool on the same vocabulary.
 *
 * Node numbering (as in C): leaves are words 0..V-1; the inner node made by merge a is V + a, so
 * the root is 2V - 2. A point is an inner node minus V, i.e. a row 0..V-2 of the output weight
 * matrix, and the root is row V - 2. Paths are stored as {@link CodeTree} describes; codes[k]
 * is 1 for the second of the two nodes merged, 0 for the first.
 *
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
export function buildHuffmanTree(counts: ArrayLike<number>): CodeTree {
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

  return codeTreeFromParents(V, parent, branch);
}
