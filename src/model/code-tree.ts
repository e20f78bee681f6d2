/**
 * A binary code tree for hierarchical softmax: each word's path from the root to its leaf.
 *
 * Per word w, positions offsets[w]..offsets[w+1]-1 hold the path root-first: at step k,
 * points[k] is the inner node being decided (a row 0..V-2 of the output weight matrix) and
 * codes[k] the branch taken. The kernels read nothing else, so any tree of this shape trains.
 */
export interface CodeTree {
  /** offsets[w]..offsets[w+1] index codes/points of word w */
  offsets: Uint32Array;
  codes: Uint8Array;
  points: Uint32Array;
  maxCodeLength: number;
}

/** Mean path length weighted by word counts: binary decisions per prediction in training. */
export function meanCodeLength(tree: CodeTree, counts: ArrayLike<number>): number {
  let weighted = 0;
  let total = 0;
  for (let w = 0; w < counts.length; w++) {
    weighted += counts[w] * (tree.offsets[w + 1] - tree.offsets[w]);
    total += counts[w];
  }
  return total > 0 ? weighted / total : 0;
}

/**
 * Paths from a tree given as parent links over nodes 0..2V-2: leaves 0..V-1, inner node V + r
 * for output row r, root 2V - 2, branch[n] the code of the edge into n. Every parent must be
 * numbered above its children, so one downward sweep gives all depths.
 */
export function codeTreeFromParents(V: number, parent: Uint32Array, branch: Uint8Array): CodeTree {
  const nodes = 2 * V - 1;
  const root = nodes - 1;
  const depth = new Uint32Array(nodes);
  for (let n = root - 1; n >= 0; n--) depth[n] = depth[parent[n]] + 1;
  const offsets = new Uint32Array(V + 1);
  let maxCodeLength = 0;
  for (let w = 0; w < V; w++) {
    offsets[w + 1] = offsets[w] + depth[w];
    if (depth[w] > maxCodeLength) maxCodeLength = depth[w];
  }
  const codes = new Uint8Array(offsets[V]);
  const points = new Uint32Array(offsets[V]);
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
