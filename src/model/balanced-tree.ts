import { codeTreeFromParents, type CodeTree } from './code-tree.js';

/**
 * A balanced binary tree over V words (Morin & Bengio 2005's shape, without their WordNet
 * clustering): the words, in vocabulary order, are halved recursively, so every path has
 * ⌈log2 V⌉ or ⌈log2 V⌉ - 1 decisions whatever the word's frequency. It is the baseline the
 * Huffman tree is measured against: the same V - 1 inner nodes, a longer mean path.
 *
 * Inner nodes are numbered level by level from the root down, root = V - 2 (as the Huffman
 * root), so the rows written by almost every prediction sit together at the end of the output
 * matrix, as in the Huffman tree.
 * Branch 0 takes the first (more frequent) half. V = 1 gets a one-bit code 0 with point 0, as
 * the Huffman builder gives it; V = 0 an empty tree.
 */
export function buildBalancedTree(V: number): CodeTree {
  if (V === 0) return { offsets: new Uint32Array(1), codes: new Uint8Array(0), points: new Uint32Array(0), maxCodeLength: 0 };
  if (V === 1) return { offsets: Uint32Array.of(0, 1), codes: Uint8Array.of(0), points: Uint32Array.of(0), maxCodeLength: 1 };

  // Nodes 0..V-1 are the leaves, V + r the inner node of output row r; parent and branch per
  // node. Every parent is numbered above its children, as codeTreeFromParents needs.
  const parent = new Uint32Array(2 * V - 1);
  const branch = new Uint8Array(2 * V - 1);
  let nextRow = V - 2;
  // Breadth first, so rows are numbered level by level from the root down: the top levels,
  // which almost every prediction writes, are the highest rows, as in the Huffman tree.
  const queue: Array<[lo: number, hi: number, node: number]> = [[0, V, V + nextRow--]];
  for (let head = 0; head < queue.length; head++) {
    const [lo, hi, node] = queue[head];
    // n words split into ⌈n/2⌉ and ⌊n/2⌋: both halves fit in a tree one level shallower.
    const mid = lo + Math.ceil((hi - lo) / 2);
    const halves: Array<[number, number]> = [[lo, mid], [mid, hi]];
    halves.forEach(([a, b], side) => {
      const child = b - a === 1 ? a : V + nextRow--;
      parent[child] = node;
      branch[child] = side;
      if (b - a > 1) queue.push([a, b, child]);
    });
  }
  return codeTreeFromParents(V, parent, branch);
}
