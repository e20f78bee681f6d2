import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBalancedTree } from '../../src/model/balanced-tree.js';
import { meanCodeLength, type CodeTree } from '../../src/model/code-tree.js';
import { buildHuffmanTree } from '../../src/model/huffman.js';
import { Random } from '../../src/base/random.js';
import { privateRowsFor } from '../../src/train/shared-memory.js';

function codeOf(tree: CodeTree, w: number): number[] {
  return Array.from(tree.codes.subarray(tree.offsets[w], tree.offsets[w + 1]));
}
function pointsOf(tree: CodeTree, w: number): number[] {
  return Array.from(tree.points.subarray(tree.offsets[w], tree.offsets[w + 1]));
}
function weightedLength(tree: CodeTree, counts: number[]): number {
  let sum = 0;
  for (let w = 0; w < counts.length; w++) sum += counts[w] * (tree.offsets[w + 1] - tree.offsets[w]);
  return sum;
}

/**
 * The optimal total weighted code length, computed independently: the cost of a Huffman code
 * equals the sum of all merged weights, and merging the two smallest is optimal. O(V^2 log V),
 * fine for test sizes.
 */
function optimalWeightedLength(counts: number[]): number {
  const pool = [...counts];
  let cost = 0;
  while (pool.length > 1) {
    pool.sort((a, b) => a - b);
    const merged = pool[0] + pool[1];
    cost += merged;
    pool.splice(0, 2, merged);
  }
  return cost;
}

/** Checks the structural invariants every valid tree must satisfy. */
function checkTree(tree: CodeTree, counts: number[]): void {
  const V = counts.length;
  assert.equal(tree.offsets.length, V + 1);
  assert.equal(tree.offsets[0], 0);
  assert.equal(tree.codes.length, tree.offsets[V]);
  assert.equal(tree.points.length, tree.offsets[V]);

  const codes = new Set<string>();
  const inner = new Set<number>();
  // Following a code prefix from the root must always reach the same inner node.
  const nodeAtPrefix = new Map<string, number>();
  let maxLength = 0;
  for (let w = 0; w < V; w++) {
    const code = codeOf(tree, w);
    const points = pointsOf(tree, w);
    assert.ok(code.length >= 1);
    maxLength = Math.max(maxLength, code.length);
    assert.equal(points[0], V - 2, 'every path starts at the root, row V - 2');
    for (let k = 0; k < code.length; k++) {
      assert.ok(code[k] === 0 || code[k] === 1);
      assert.ok(points[k] >= 0 && points[k] <= V - 2);
      inner.add(points[k]);
      const prefix = code.slice(0, k).join('');
      const known = nodeAtPrefix.get(prefix);
      if (known === undefined) nodeAtPrefix.set(prefix, points[k]);
      else assert.equal(points[k], known, `prefix "${prefix}" leads to two different nodes`);
    }
    codes.add(code.join(''));
  }
  assert.equal(tree.maxCodeLength, maxLength);
  assert.equal(codes.size, V, 'codes are distinct');
  for (const code of codes) {
    for (let k = 1; k < code.length; k++) assert.ok(!codes.has(code.slice(0, k)), `${code.slice(0, k)} prefixes ${code}`);
  }
  assert.equal(inner.size, V - 1, 'all V - 1 inner nodes are used');
  // Kraft equality, exactly: sum 2^-len = 1  <=>  sum 2^(max - len) = 2^max.
  let kraft = 0n;
  for (let w = 0; w < V; w++) kraft += 1n << BigInt(maxLength - (tree.offsets[w + 1] - tree.offsets[w]));
  assert.equal(kraft, 1n << BigInt(maxLength));
}

describe('buildHuffmanTree', () => {
  it('matches C word2vec\'s CreateBinaryTree on a hand-traced example with a tie', () => {
    // Trace of the C loop for counts 3 2 1 1 (V = 4, pos1 = 3, pos2 = 4):
    //  a=0: leaves 3 and 2 merge into node 4 (weight 2); binary[2] = 1.
    //  a=1: count[1] = 2 is not < count[4] = 2, so node 4 is min1, then leaf 1 is min2: node 5
    //       (weight 4); binary[1] = 1.
    //  a=2: leaf 0 (3 < 4) is min1, node 5 is min2: root 6; binary[5] = 1.
    // Codes read root-down; points are inner node - V, so the root is row 2.
    const tree = buildHuffmanTree([3, 2, 1, 1]);
    assert.deepEqual(Array.from(tree.offsets), [0, 1, 3, 6, 9]);
    assert.deepEqual(codeOf(tree, 0), [0]);
    assert.deepEqual(pointsOf(tree, 0), [2]);
    assert.deepEqual(codeOf(tree, 1), [1, 1]);
    assert.deepEqual(pointsOf(tree, 1), [2, 1]);
    assert.deepEqual(codeOf(tree, 2), [1, 0, 1]);
    assert.deepEqual(pointsOf(tree, 2), [2, 1, 0]);
    assert.deepEqual(codeOf(tree, 3), [1, 0, 0]);
    assert.deepEqual(pointsOf(tree, 3), [2, 1, 0]);
    assert.equal(tree.maxCodeLength, 3);
    checkTree(tree, [3, 2, 1, 1]);
  });

  it('gives the textbook optimum on the CLRS example (224)', () => {
    // Cormen et al., section 16.3: frequencies a..f = 45 13 12 16 9 5 cost 224 with Huffman.
    const counts = [45, 16, 13, 12, 9, 5];
    const tree = buildHuffmanTree(counts);
    checkTree(tree, counts);
    assert.equal(weightedLength(tree, counts), 224);
    assert.equal(codeOf(tree, 0).length, 1);
  });

  it('is optimal, prefix-free and complete on random sorted counts, with frequent words shorter', () => {
    const random = new Random(2024);
    for (let trial = 0; trial < 40; trial++) {
      const V = 2 + (random.nextUint32() % 300);
      const counts: number[] = [];
      for (let i = 0; i < V; i++) {
        // Mix Zipf-like counts with many ties, which is what real vocabularies look like.
        counts.push(trial % 2 === 0 ? 1 + (random.nextUint32() % 20) : Math.floor(1e5 / (i + 1)) + (random.nextUint32() % 3));
      }
      counts.sort((a, b) => b - a);
      const tree = buildHuffmanTree(counts);
      checkTree(tree, counts);
      assert.equal(weightedLength(tree, counts), optimalWeightedLength(counts), `trial ${trial}`);
      for (let w = 1; w < V; w++) {
        const previous = tree.offsets[w] - tree.offsets[w - 1];
        const current = tree.offsets[w + 1] - tree.offsets[w];
        assert.ok(current >= previous, `word ${w} (count ${counts[w]}) has a shorter code than word ${w - 1}`);
      }
    }
  });

  it('gives equal counts over a power of two a balanced tree', () => {
    const tree = buildHuffmanTree(new Array(64).fill(7));
    for (let w = 0; w < 64; w++) assert.equal(tree.offsets[w + 1] - tree.offsets[w], 6);
    checkTree(tree, new Array(64).fill(7));
  });

  it('builds a maximally deep tree for Fibonacci counts', () => {
    const fib = [1, 1];
    while (fib.length < 30) fib.push(fib[fib.length - 1] + fib[fib.length - 2]);
    const counts = fib.reverse();
    const tree = buildHuffmanTree(counts);
    checkTree(tree, counts);
    assert.equal(tree.maxCodeLength, 29);
    assert.equal(weightedLength(tree, counts), optimalWeightedLength(counts));
  });

  it('accepts typed-array counts', () => {
    const counts = [10, 6, 6, 3, 1];
    const fromArray = buildHuffmanTree(counts);
    const fromTyped = buildHuffmanTree(Float64Array.from(counts));
    assert.deepEqual(fromTyped, fromArray);
  });

  it('gives two words one bit each, both under root row 0', () => {
    // C merges the rarer leaf first (min1, branch 0), so the frequent word gets branch 1.
    const tree = buildHuffmanTree([5, 2]);
    assert.deepEqual(codeOf(tree, 0), [1]);
    assert.deepEqual(codeOf(tree, 1), [0]);
    assert.deepEqual(Array.from(tree.points), [0, 0]);
  });

  it('gives a single word a one-bit code 0 with point 0', () => {
    const tree = buildHuffmanTree([9]);
    assert.deepEqual(Array.from(tree.offsets), [0, 1]);
    assert.deepEqual(Array.from(tree.codes), [0]);
    assert.deepEqual(Array.from(tree.points), [0]);
    assert.equal(tree.maxCodeLength, 1);
  });

  it('gives an empty vocabulary an empty tree', () => {
    const tree = buildHuffmanTree([]);
    assert.deepEqual(Array.from(tree.offsets), [0]);
    assert.equal(tree.codes.length, 0);
    assert.equal(tree.maxCodeLength, 0);
  });

  // A quadratic construction (10^12 steps) would not finish within the minute allowed; the
  // speed itself is not asserted (the linear one takes a fraction of a second, but timed
  // assertions fail on a loaded machine).
  it('builds the tree of a 1,000,000-word vocabulary', { timeout: 60_000 }, () => {
    const V = 1_000_000;
    const counts = new Float64Array(V);
    for (let i = 0; i < V; i++) counts[i] = Math.floor(1e9 / (i + 1)) + 1;
    const tree = buildHuffmanTree(counts);
    assert.equal(tree.offsets.length, V + 1);
    assert.equal(tree.points[0], V - 2);
  });
});

describe('buildBalancedTree', () => {
  it('is prefix-free and complete with depth ⌈log2 V⌉ for every V up to 300', () => {
    for (let V = 2; V <= 300; V++) {
      const tree = buildBalancedTree(V);
      checkTree(tree, new Array(V).fill(1));
      const depth = Math.ceil(Math.log2(V));
      assert.equal(tree.maxCodeLength, depth, `V = ${V}`);
      for (let w = 0; w < V; w++) {
        const length = tree.offsets[w + 1] - tree.offsets[w];
        assert.ok(length === depth || length === depth - 1, `V = ${V}, word ${w}: length ${length}`);
      }
    }
  });

  it('is longer on average than the Huffman tree on Zipfian counts, and equal on uniform ones', () => {
    const zipf = Array.from({ length: 1000 }, (_, i) => Math.round(1e6 / (i + 1)));
    const balanced = meanCodeLength(buildBalancedTree(zipf.length), zipf);
    const huffman = meanCodeLength(buildHuffmanTree(zipf), zipf);
    assert.ok(balanced > 9 && balanced <= 10, `balanced ${balanced}`);
    assert.ok(huffman < balanced - 1, `huffman ${huffman} vs balanced ${balanced}`);
    const uniform = new Array(256).fill(3);
    assert.equal(meanCodeLength(buildBalancedTree(256), uniform), 8);
    assert.equal(meanCodeLength(buildHuffmanTree(uniform), uniform), 8);
  });

  it('gives one word a one-bit code and no words an empty tree', () => {
    assert.deepEqual(Array.from(buildBalancedTree(1).codes), [0]);
    assert.equal(buildBalancedTree(0).codes.length, 0);
  });

  it('builds a million-word tree', () => {
    const tree = buildBalancedTree(1_000_000);
    assert.equal(tree.maxCodeLength, 20);
    assert.equal(tree.points[0], 1_000_000 - 2);
  });
});

describe('the rows a worker keeps its own copy of (hs)', () => {
  const V = 1000;
  const zipf = Array.from({ length: V }, (_, i) => Math.round(1e6 / (i + 1)));
  const { first, rows } = privateRowsFor({ loss: 'hs', vocabSize: V, mixture: 1, dim: 8 });
  for (const [name, tree] of [['Huffman', buildHuffmanTree(zipf)], ['balanced', buildBalancedTree(V)]] as const) {
    it(`are the top of the ${name} tree: every path starts in them and, once out, never comes back`, () => {
      assert.equal(first + rows, V - 1, 'they end at the root, row V - 2');
      let visits = 0;
      let privateVisits = 0;
      for (let w = 0; w < V; w++) {
        const inside = pointsOf(tree, w).map((p) => p >= first);
        assert.equal(inside[0], true, 'the root is private');
        const leaves = inside.indexOf(false);
        if (leaves >= 0) assert.ok(inside.slice(leaves).every((x) => !x), `word ${w}: ${inside.join(',')}`);
        visits += zipf[w] * inside.length;
        privateVisits += zipf[w] * inside.filter(Boolean).length;
      }
      // The copy is small (63 of 999 rows) but takes a large share of the writes.
      assert.ok(privateVisits / visits > 0.5, `${name}: ${(privateVisits / visits).toFixed(3)} of row visits are private`);
    });
  }
  it('the balanced tree keeps its first six levels private', () => {
    const tree = buildBalancedTree(V);
    for (let w = 0; w < V; w++) assert.ok(pointsOf(tree, w).slice(0, 6).every((p) => p >= first));
  });
  it('the exact softmax keeps every row, the sparse losses none', () => {
    assert.deepEqual(privateRowsFor({ loss: 'softmax', vocabSize: 50, mixture: 1, dim: 8 }), { first: 0, rows: 50, syncEvery: 32 });
    assert.equal(privateRowsFor({ loss: 'ns', vocabSize: 50, mixture: 1, dim: 8 }).rows, 0);
  });
  it('a mixture of softmaxes keeps its projections and gates too, after the output rows', () => {
    // K·dim rows of P_1..P_K and K rows of W.
    assert.deepEqual(privateRowsFor({ loss: 'softmax', vocabSize: 50, mixture: 3, dim: 8 }), { first: 0, rows: 50 + 3 * 8 + 3, syncEvery: 32 });
  });
});
