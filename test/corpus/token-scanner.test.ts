import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SENTENCE_END } from '../../src/corpus/id-file.js';
import { TokenScanner } from '../../src/corpus/token-scanner.js';

/** Deterministic pseudo-random integers in [0, n). */
function lcg(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

/** Scans `text` in pieces of random sizes (1 to maxPiece bytes) and returns every entry. */
function scanAll(scanner: TokenScanner, text: Buffer, maxPiece: number, seed: number): number[] {
  const next = lcg(seed);
  const entries: number[] = [];
  for (let at = 0; at < text.length; ) {
    const end = Math.min(text.length, at + 1 + next(maxPiece));
    scanner.scan(text.subarray(at, end));
    entries.push(...scanner.take());
    at = end;
  }
  scanner.endFile();
  entries.push(...scanner.take());
  return entries;
}

describe('TokenScanner', () => {
  // About 70,000 distinct words (more than twice the table's first capacity, so its slots,
  // records and arena all grow), half the tokens Zipf-like repeats, several lines, some
  // non-ASCII words.
  const random = lcg(7);
  const lines: string[][] = [];
  for (let l = 0; l < 40; l++) {
    const line: string[] = [];
    for (let t = 0; t < 5000; t++) {
      const rank = t % 2 === 0 ? random(100_000) : Math.floor(60_000 ** (random(1_000_000) / 1_000_000));
      line.push(rank % 17 === 0 ? `wört${rank}` : `w${rank}`);
    }
    lines.push(line);
  }
  const text = Buffer.from(lines.map((line) => line.join(' ')).join('\n'));

  it('numbers words by first appearance and counts them, whatever the pieces the text comes in', () => {
    const firstSeen = new Map<string, number>();
    const counts: number[] = [];
    for (const word of lines.flat()) {
      if (!firstSeen.has(word)) firstSeen.set(word, firstSeen.size);
      counts[firstSeen.get(word)!] = (counts[firstSeen.get(word)!] ?? 0) + 1;
    }
    for (const [pieceBytes, maxPiece] of [[100, 300], [1 << 20, 5000]]) {
      const scanner = new TokenScanner(pieceBytes);
      const entries = scanAll(scanner, text, maxPiece, pieceBytes);
      const expected = lines.flatMap((line) => [...line.map((word) => firstSeen.get(word)!), SENTENCE_END]);
      assert.deepEqual(entries, expected);
      assert.equal(scanner.size, firstSeen.size);
      assert.equal(scanner.tokens, lines.flat().length);
      const contents = scanner.contents();
      assert.deepEqual(Array.from(contents.counts), counts);
      for (const [word, id] of [...firstSeen].filter((_, k) => k % 997 === 0)) {
        assert.equal(scanner.word(id), word);
        const { starts, lengths, arena } = contents;
        assert.equal(Buffer.from(arena.subarray(starts[id], starts[id] + lengths[id])).toString(), word);
      }
    }
  });

  it('gives a word the same hash in every scanner, whatever its id there: what merging parts relies on', () => {
    const forward = new TokenScanner();
    scanAll(forward, text, 1 << 16, 1);
    const backward = new TokenScanner();
    scanAll(backward, Buffer.from(lines.flat().reverse().join(' ')), 1 << 16, 2);
    const a = forward.contents();
    const b = backward.contents();
    const hashOf = new Map<string, number>();
    for (let id = 0; id < a.size; id++) hashOf.set(forward.word(id), a.hashes[id]);
    assert.equal(b.size, a.size);
    for (let id = 0; id < b.size; id++) assert.equal(b.hashes[id], hashOf.get(backward.word(id)));
    assert.ok(new Set(a.hashes).size > 0.99 * a.size, 'hashes are spread out');
  });
});
