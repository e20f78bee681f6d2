import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { describe, it } from 'node:test';
import { Random } from '../../src/base/random.js';
import { characterLength, completeCharactersEnd, firstInvalidByte, replaceInvalidSequences } from '../../src/corpus/utf8.js';

function pick(random: Random, n: number): number {
  return Math.floor(random.nextFloat() * n);
}

/** Random bytes biased towards the interesting ranges: ASCII, continuation and lead bytes. */
function randomBytes(random: Random, length: number): Uint8Array {
  const pools = [
    [0x20, 0x7f],
    [0x80, 0xc0],
    [0xc0, 0xe0],
    [0xe0, 0xf0],
    [0xf0, 0x100],
  ];
  return Uint8Array.from({ length }, () => {
    const [low, high] = pools[pick(random, pools.length)];
    return low + pick(random, high - low);
  });
}

/** Well-formed text: a mix of 1- to 4-byte characters. */
function randomText(random: Random, characters: number): Uint8Array {
  const samples = ['a', ' ', 'é', 'ß', '東', '京', '😀', '𝄞', '\n'];
  return new TextEncoder().encode(Array.from({ length: characters }, () => samples[pick(random, samples.length)]).join(''));
}

describe('UTF-8 checks', () => {
  it('replaces exactly what the WHATWG decoder replaces (maximal subparts), and NUL bytes', () => {
    const random = new Random(7);
    const decoder = new TextDecoder('utf-8');
    for (let trial = 0; trial < 2000; trial++) {
      const bytes = randomBytes(random, 1 + pick(random, 12));
      if (trial % 5 === 0) bytes[pick(random, bytes.length)] = 0;
      const out = new Uint8Array(3 * bytes.length);
      const { length, replaced } = replaceInvalidSequences(bytes, bytes.length, out);
      const expected = decoder.decode(bytes).replaceAll('\0', '\ufffd');
      const got = Buffer.from(out.subarray(0, length)).toString('utf8');
      assert.equal(got, expected, `bytes ${Buffer.from(bytes).toString('hex')}`);
      assert.ok(isUtf8(out.subarray(0, length)));
      const inputReplacements = (Buffer.from(bytes).toString('latin1').match(/\xef\xbf\xbd/g) ?? []).length;
      assert.equal(replaced, [...expected].filter((c) => c === '\ufffd').length - inputReplacements);
    }
  });

  it('finds the first byte that is not part of a well-formed character', () => {
    const random = new Random(8);
    for (let trial = 0; trial < 2000; trial++) {
      const bytes = randomBytes(random, 1 + pick(random, 12));
      const at = firstInvalidByte(bytes, 0, bytes.length);
      if (isUtf8(bytes)) {
        assert.equal(at, -1);
        continue;
      }
      assert.ok(at >= 0 && at < bytes.length);
      assert.ok(isUtf8(bytes.subarray(0, at)), 'everything before it is well formed');
      assert.ok(characterLength(bytes, at, bytes.length) < 0, 'no character starts there');
    }
  });

  it('names the classic ill-formed sequences', () => {
    const invalid = (hex: string) => firstInvalidByte(Buffer.from(hex, 'hex'), 0, hex.length / 2);
    assert.equal(invalid('61c0af'), 1, 'overlong /');
    assert.equal(invalid('61eda080'), 1, 'a UTF-16 surrogate');
    assert.equal(invalid('f4908080'), 0, 'past U+10FFFF');
    assert.equal(invalid('e282'), 0, 'cut short');
    assert.equal(invalid('80'), 0, 'a lone continuation byte');
    assert.equal(invalid('e282ac'), -1, '€');
    assert.equal(invalid('f09f9880'), -1, '😀');
  });

  it('cuts well-formed text only between characters', () => {
    const random = new Random(9);
    for (let trial = 0; trial < 500; trial++) {
      const text = randomText(random, 1 + pick(random, 20));
      const end = 1 + pick(random, text.length);
      const cut = completeCharactersEnd(text, end);
      assert.ok(cut <= end && end - cut <= 3);
      assert.ok(isUtf8(text.subarray(0, cut)), 'the part before the cut is whole characters');
      assert.ok(isUtf8(text.subarray(cut)), 'so is the part after it');
      if (isUtf8(text.subarray(0, end))) assert.equal(cut, end, 'a cut between characters stays');
    }
  });
});
