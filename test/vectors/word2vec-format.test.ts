import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../src/base/errors.js';
import { formatLikeC, readWord2vecFile, writeWord2vecFile, type WordVectors } from '../../src/vectors/word2vec-format.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-format-'));
const file = (name: string) => path.join(dir, name);

function floats(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeFloatLE(v, i * 4));
  return b;
}

const sample: WordVectors = {
  words: ['the', 'köln', '東京', 'x'],
  dim: 3,
  vectors: Float32Array.from([0.5, -1.25, 3, 0.1, 0.2, -0.3, 1e-7, -2.5e-3, 100, 0, -0, 7]),
};

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'message is one line');
    return true;
  });
}

test('binary output is byte for byte the C layout', async () => {
  await writeWord2vecFile(file('s.bin'), sample, 'bin');
  const expected = Buffer.concat([
    Buffer.from('4 3\n'),
    ...sample.words.map((w, i) => Buffer.concat([Buffer.from(`${w} `), floats(Array.from(sample.vectors.subarray(i * 3, i * 3 + 3))), Buffer.from('\n')])),
  ]);
  assert.deepEqual(readFileSync(file('s.bin')), expected);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temporary file is left behind');
});

test('text output uses "%lf " per value like C printf, including ties and negative zero', async () => {
  await writeWord2vecFile(file('s.txt'), sample, 'text');
  assert.equal(
    readFileSync(file('s.txt'), 'utf8'),
    '4 3\n' +
      'the 0.500000 -1.250000 3.000000 \n' +
      'köln 0.100000 0.200000 -0.300000 \n' +
      '東京 0.000000 -0.002500 100.000000 \n' +
      'x 0.000000 -0.000000 7.000000 \n',
  );
  // 1/128 = 0.0078125 is an exact tie: glibc rounds half to even, 3/128 = 0.0234375 rounds up to even.
  assert.equal(formatLikeC(1 / 128, false), '0.007812');
  assert.equal(formatLikeC(3 / 128, false), '0.023438');
  assert.equal(formatLikeC(-1 / 128, true), '-0.007812');
  assert.equal(formatLikeC(-1e-9, true), '-0.000000');
  assert.equal(formatLikeC(1e22, false), '10000000000000000000000.000000');
});

test('round trips through both formats, honouring a row stride', async () => {
  const padded: WordVectors = { words: ['a', 'b'], dim: 2, stride: 4, vectors: Float32Array.from([1, 2, 99, 99, 3, 4, 99, 99]) };
  for (const format of ['bin', 'text'] as const) {
    await writeWord2vecFile(file(`p.${format}`), padded, format);
    const back = await readWord2vecFile(file(`p.${format}`));
    assert.deepEqual(back.words, ['a', 'b']);
    assert.equal(back.dim, 2);
    assert.deepEqual(Array.from(back.vectors), [1, 2, 3, 4]);
  }
  await writeWord2vecFile(file('r.bin'), sample, 'bin');
  const bin = await readWord2vecFile(file('r.bin'));
  assert.deepEqual(bin.words, sample.words);
  assert.deepEqual(bin.vectors, sample.vectors);
  await writeWord2vecFile(file('r.txt'), sample, 'text');
  const txt = await readWord2vecFile(file('r.txt'));
  assert.deepEqual(txt.words, sample.words);
  txt.vectors.forEach((v, i) => assert.ok(Math.abs(v - sample.vectors[i]) <= 5e-7, `value ${i}`));
});

test('reads the layouts gensim and fastText write, CRLF and UTF-8 words', async () => {
  // gensim binary: no "\n" after each vector.
  writeFileSync(file('g.bin'), Buffer.concat([Buffer.from('2 2\n'), Buffer.from('ü '), floats([1, 2]), Buffer.from('b '), floats([3, 4])]));
  // gensim text: no trailing space; fastText .vec: trailing space and %g-style numbers.
  writeFileSync(file('g.txt'), '2 2\nü 1.0 2.0\nb 3 4\n');
  writeFileSync(file('f.vec'), '2 2\nü 1 2 \nb 3e+00 4.0000 \n');
  writeFileSync(file('crlf.txt'), '2 2\r\nü 1 2\r\nb 3 4 \r\n');
  writeFileSync(file('noeol.txt'), '2 2\nü 1 2\nb 3 4');
  // A word whose UTF-8 bytes include 0x0a-free high bytes and a vector whose bytes include "\n" and " ".
  writeFileSync(file('tricky.bin'), Buffer.concat([Buffer.from('1 1\n'), Buffer.from('Ωmega '), Buffer.from([0x0a, 0x20, 0x0a, 0x20]), Buffer.from('\n')]));
  for (const name of ['g.bin', 'g.txt', 'f.vec', 'crlf.txt', 'noeol.txt']) {
    const v = await readWord2vecFile(file(name));
    assert.deepEqual(v.words, ['ü', 'b'], name);
    assert.deepEqual(Array.from(v.vectors), [1, 2, 3, 4], name);
  }
  const tricky = await readWord2vecFile(file('tricky.bin'));
  assert.deepEqual(tricky.words, ['Ωmega']);
  assert.deepEqual(Buffer.from(tricky.vectors.buffer), Buffer.from([0x0a, 0x20, 0x0a, 0x20]));
});

test('files larger than the read window round-trip, rows straddling window edges', async () => {
  const n = 3000;
  const dim = 100;
  const words = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? `wörd${i}` : `w${i}`));
  const vectors = Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 0.37) * (i % 13));
  for (const format of ['bin', 'text'] as const) {
    const out = file(`big.${format}`);
    await writeWord2vecFile(out, { words, dim, vectors }, format);
    const back = await readWord2vecFile(out);
    assert.deepEqual(back.words, words, format);
    if (format === 'bin') assert.deepEqual(back.vectors, vectors);
    // Six decimals, then rounded to float32: off by at most half a millionth plus one float32 step.
    else back.vectors.forEach((v, i) => assert.ok(Math.abs(v - vectors[i]) <= 5e-7 + 2e-6, `text value ${i}`));
  }
  // gensim's binary layout (no row newline) at the same size.
  const gensim = Buffer.concat([
    Buffer.from(`${n} ${dim}\n`),
    ...words.map((w, i) => Buffer.concat([Buffer.from(`${w} `), Buffer.from(vectors.buffer, i * dim * 4, dim * 4)])),
  ]);
  writeFileSync(file('big-gensim.bin'), gensim);
  const back = await readWord2vecFile(file('big-gensim.bin'));
  assert.deepEqual(back.words, words);
  assert.deepEqual(back.vectors, vectors);
});

test('limit keeps the first words only', async () => {
  await writeWord2vecFile(file('l.bin'), sample, 'bin');
  const v = await readWord2vecFile(file('l.bin'), { limit: 2 });
  assert.deepEqual(v.words, ['the', 'köln']);
  assert.equal(v.vectors.length, 6);
});

test('corrupt and truncated files give one-line errors with a position', async () => {
  await writeWord2vecFile(file('c.bin'), sample, 'bin');
  const whole = readFileSync(file('c.bin'));
  writeFileSync(file('trunc.bin'), whole.subarray(0, whole.length - 6));
  await rejectsWith(readWord2vecFile(file('trunc.bin')), /trunc\.bin: byte \d+: .*truncated/);
  writeFileSync(file('trunc-word.bin'), whole.subarray(0, whole.length - 15));
  await rejectsWith(readWord2vecFile(file('trunc-word.bin')), /trunc-word\.bin: byte \d+:/);
  writeFileSync(file('extra.bin'), Buffer.concat([whole, Buffer.from('y '), floats([1, 2, 3]), Buffer.from('\n')]));
  await rejectsWith(readWord2vecFile(file('extra.bin')), /extra\.bin: byte 75: .*header/);
  writeFileSync(file('big-header.bin'), Buffer.concat([Buffer.from('1000000 3\n'), whole.subarray(4)]));
  await rejectsWith(readWord2vecFile(file('big-header.bin')), /big-header\.bin: line 1: header promises 1000000 vectors/);

  writeFileSync(file('short.txt'), '3 2\naaaa 1.5 2.5\nbbbb 3.5 4.5\n');
  await rejectsWith(readWord2vecFile(file('short.txt')), /short\.txt: line 4: file ends after 2 of 3 vectors/);
  writeFileSync(file('dim.txt'), '3 2\na 1 2\nb 3 4 5\nc 1 1\n');
  await rejectsWith(readWord2vecFile(file('dim.txt')), /dim\.txt: line 3: expected 2 values .* found 3/);
  writeFileSync(file('more.txt'), '1 2\na 1 2\nb 3 4\n');
  await rejectsWith(readWord2vecFile(file('more.txt')), /more\.txt: line 3: another row/);
  writeFileSync(file('nan.txt'), '2 2\na 1 2\nb 3 x4\n');
  await rejectsWith(readWord2vecFile(file('nan.txt')), /nan\.txt: line 3: value 2 .*not a number/);
  writeFileSync(file('noheader.txt'), 'a 1 2\nb 3 4\n');
  await rejectsWith(readWord2vecFile(file('noheader.txt')), /noheader\.txt: line 1: expected a header/);
  writeFileSync(file('empty.txt'), '');
  await rejectsWith(readWord2vecFile(file('empty.txt')), /empty\.txt: line 1: the file is empty/);
  await rejectsWith(readWord2vecFile(file('missing.bin')), /missing\.bin: no such vectors file/);
});

test('matches C word2vec output byte for byte (when its binary is built)', async (t) => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const c = path.resolve(here, '../../../node_modules/word2vec/src/word2vec');
  if (!existsSync(c)) {
    t.skip('node_modules/word2vec/src/word2vec is not built');
    return;
  }
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'naïve', 'café'];
  let seed = 7;
  const tokens: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    tokens.push(words[(seed >>> 8) % words.length]);
    if (i % 50 === 49) tokens.push('\n');
  }
  writeFileSync(file('corpus.txt'), tokens.join(' '));
  const run = (binary: number, out: string) =>
    execFileSync(c, ['-train', file('corpus.txt'), '-output', file(out), '-size', '7', '-window', '2', '-negative', '2', '-hs', '0',
      '-min-count', '1', '-iter', '1', '-threads', '1', '-binary', String(binary), '-cbow', '0'], { stdio: 'ignore' });
  run(1, 'c.bin');
  run(0, 'c.txt');
  const fromBin = await readWord2vecFile(file('c.bin'));
  assert.equal(fromBin.words.length, words.length + 1, 'C adds </s>');
  await writeWord2vecFile(file('ours.bin'), fromBin, 'bin');
  await writeWord2vecFile(file('ours.txt'), fromBin, 'text');
  assert.deepEqual(readFileSync(file('ours.bin')), readFileSync(file('c.bin')));
  assert.equal(readFileSync(file('ours.txt'), 'utf8'), readFileSync(file('c.txt'), 'utf8'));
});
