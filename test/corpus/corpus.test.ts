import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { resolveCorpusFiles } from '../../src/corpus/corpus-files.js';
import { readSentences, scanRanges } from '../../src/corpus/sentences.js';
import { UserError } from '../../src/base/errors.js';
import { planReadParts } from '../../src/corpus/read-plan.js';
import { SENTENCE_END } from '../../src/corpus/id-file.js';
import { MAX_TOKEN_BYTES, TokenScanner } from '../../src/corpus/token-scanner.js';

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-corpus-test-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

async function collect(files: string[], max = 10_000, chunkBytes?: number): Promise<string[][]> {
  const out: string[][] = [];
  for await (const sentence of readSentences(files, max, { chunkBytes })) out.push(sentence);
  return out;
}

/** A deliberately naive oracle: whole-text split, no streaming, no chunk boundaries. */
function naive(text: string, max = 10_000): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    const tokens = line.split(/[ \t\v\f\r]+/).filter((t) => t.length > 0);
    for (let i = 0; i < tokens.length; i += max) out.push(tokens.slice(i, i + max));
  }
  return out;
}

function isOneLineUserError(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  };
}

describe('readSentences', () => {
  it('splits on every ASCII whitespace, ends sentences at LF only, ignores CR and empty lines', async () => {
    const file = write('tricky.txt', '  hello\tworld  \r\nfoo   bar\r\n\r\n\n  \t \r\nbaz\vqux\fquux\ra\r\n');
    assert.deepEqual(await collect([file]), [
      ['hello', 'world'],
      ['foo', 'bar'],
      ['baz', 'qux', 'quux', 'a'],
    ]);
  });

  it('yields the last sentence of a file without a final newline', async () => {
    const file = write('no-newline.txt', 'one two\nthree four');
    assert.deepEqual(await collect([file]), [['one', 'two'], ['three', 'four']]);
  });

  it('keeps non-ASCII words intact, including characters split across tiny read chunks', async () => {
    const words = ['café', 'naïve', '東京', 'Ελλάδα', '😀emoji', 'ß', 'Ωμέγα', 'z̧'];
    // Shift the text by 0..70 bytes so each multi-byte character lands on every position
    // relative to the 64-byte reads.
    for (let shift = 0; shift < 70; shift++) {
      const lines: string[] = ['x'.repeat(shift)];
      for (let i = 0; i < 20; i++) lines.push(words.slice(i % 4).join(i % 2 ? ' ' : '\t'));
      const text = lines.join('\n');
      const file = write(`utf8-${shift}.txt`, text);
      assert.deepEqual(await collect([file], 10_000, 64), naive(text), `shift ${shift}`);
    }
  });

  it('gives the same sentences whatever the read size, for plain and gzip input', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      parts.push(`w${i % 97}`, i % 13 === 0 ? '\r\n' : i % 7 === 0 ? '\n' : i % 5 === 0 ? ' \t ' : ' ');
      if (i % 101 === 0) parts.push('ünïcödé_wörd_longer_than_thirteen ');
    }
    const text = parts.join('');
    const plain = write('sizes.txt', text);
    const gz = write('sizes.txt.gz', gzipSync(text));
    const expected = naive(text, 50);
    for (const chunkBytes of [64, 100, 1000, 4096, undefined]) {
      assert.deepEqual(await collect([plain], 50, chunkBytes), expected, `plain, chunk ${chunkBytes}`);
      assert.deepEqual(await collect([gz], 50, chunkBytes), expected, `gzip, chunk ${chunkBytes}`);
    }
  });

  it('cuts a line longer than maxSentenceLength into pieces, keeping every token in order', async () => {
    const tokens = Array.from({ length: 25_001 }, (_, i) => `t${i}`);
    const file = write('long-line.txt', tokens.join(' '));
    const sentences = await collect([file], 10_000);
    assert.deepEqual(sentences.map((s) => s.length), [10_000, 10_000, 5001]);
    assert.deepEqual(sentences.flat(), tokens);
  });

  it('does not emit an empty piece when a line is an exact multiple of the limit', async () => {
    const file = write('exact.txt', 'a b c d\ne f\n');
    assert.deepEqual(await collect([file], 2), [['a', 'b'], ['c', 'd'], ['e', 'f']]);
  });

  it('decompresses gzip detected by its magic bytes, whatever the file name', async () => {
    const text = 'the quick brown fox\njumps over\n';
    const byName = write('corpus.txt.gz', gzipSync(text));
    const byContent = write('compressed-but-named.txt', gzipSync(text));
    assert.deepEqual(await collect([byName]), naive(text));
    assert.deepEqual(await collect([byContent]), naive(text));
  });

  it('reads a file named .gz that is really plain text as text', async () => {
    const file = write('plain-named.gz', 'not compressed at all\n');
    assert.deepEqual(await collect([file]), [['not', 'compressed', 'at', 'all']]);
  });

  it('reads concatenated gzip members as one stream', async () => {
    const file = write('members.gz', Buffer.concat([gzipSync('alpha beta\n'), gzipSync('gamma\n')]));
    assert.deepEqual(await collect([file]), [['alpha', 'beta'], ['gamma']]);
  });

  it('never lets a token or a sentence span two files', async () => {
    const a = write('multi/a.txt', 'abc def');
    const b = write('multi/b.txt.gz', gzipSync('ghi'));
    const c = write('multi/c.txt', '\n\njkl\n');
    assert.deepEqual(await collect([a, b, c], 10_000, 64), [['abc', 'def'], ['ghi'], ['jkl']]);
  });

  it('strips a UTF-8 byte order mark at the start of a file', async () => {
    const file = write('bom.txt', '\ufeffword other\n');
    assert.deepEqual(await collect([file]), [['word', 'other']]);
  });

  it('yields nothing for empty and whitespace-only files', async () => {
    const empty = write('empty.txt', '');
    const blank = write('blank.txt', ' \n\r\n\t\n');
    assert.deepEqual(await collect([empty, blank]), []);
  });

  it('caps a token with no whitespace at MAX_TOKEN_BYTES bytes, across reads too', async () => {
    const file = write('giant-token.txt', `${'g'.repeat(MAX_TOKEN_BYTES * 5)} tail\nnext`);
    for (const chunkBytes of [64, undefined]) {
      const sentences = await collect([file], 10_000, chunkBytes);
      assert.equal(sentences.length, 2);
      assert.equal(sentences[0][0], 'g'.repeat(MAX_TOKEN_BYTES));
      assert.deepEqual(sentences[0].slice(1), ['tail']);
      assert.deepEqual(sentences[1], ['next']);
    }
  });

  it('cuts an overlong token on a character boundary, never inside a character', async () => {
    const accents = 'é'.repeat(MAX_TOKEN_BYTES); // 2 bytes each
    const almost = `${'a'.repeat(MAX_TOKEN_BYTES - 1)}€`; // the euro sign straddles the limit
    const file = write('long-utf8.txt', `${accents} ${almost} short`);
    for (const chunkBytes of [64, undefined]) {
      const [sentence] = await collect([file], 10_000, chunkBytes);
      assert.equal(sentence[0], 'é'.repeat(MAX_TOKEN_BYTES / 2));
      assert.equal(sentence[1], 'a'.repeat(MAX_TOKEN_BYTES - 1));
      assert.equal(sentence[2], 'short');
    }
  });

  it('stops at a NUL byte or invalid UTF-8, naming the file and the byte offset, across reads too', async () => {
    const text = Buffer.from('good words here\n'.repeat(20));
    for (const [name, bad, pattern] of [
      ['binary.dat', Buffer.from([0x00]), /binary\.dat holds binary data \(a NUL byte at byte offset 321\)/],
      ['latin1.txt', Buffer.from('caf\xe9 ', 'latin1'), /latin1\.txt is not valid UTF-8 \(byte 0xe9 at byte offset 324\).*--encoding-errors replace/],
      ['cut.txt', Buffer.from([0xe2, 0x82]), /cut\.txt is not valid UTF-8 \(byte 0xe2 at byte offset 321\)/],
    ] as const) {
      const file = write(name, Buffer.concat([text, Buffer.from(' '), bad]));
      for (const chunkBytes of [64, 1000, undefined]) await assert.rejects(collect([file], 10_000, chunkBytes), isOneLineUserError(pattern));
    }
    const gz = write('latin1.txt.gz', gzipSync(Buffer.concat([text, Buffer.from('caf\xe9', 'latin1')])));
    await assert.rejects(collect([gz]), isOneLineUserError(/latin1\.txt\.gz is not valid UTF-8 \(byte 0xe9 at byte offset 323 of its decompressed text\)/));
  });

  it('replaces NUL bytes and invalid sequences by U+FFFD with encodingErrors replace, and counts them', async () => {
    const file = write('mixed.txt', Buffer.concat([Buffer.from('caf\xe9 ok\x00ok\n', 'latin1'), Buffer.from('naïve '), Buffer.from([0xff, 0xfe])]));
    for (const chunkBytes of [64, undefined]) {
      const stats = { replaced: 0 };
      const scanner = new TokenScanner();
      const [ranges] = await planReadParts([file], 1);
      const words: string[] = [];
      for await (const block of scanRanges(ranges, scanner, { chunkBytes, encodingErrors: 'replace' }, stats)) {
        for (const id of block) if (id !== SENTENCE_END) words.push(scanner.word(id));
      }
      assert.deepEqual(words, ['caf\ufffd', 'ok\ufffdok', 'naïve', '\ufffd\ufffd']);
      assert.equal(stats.replaced, 4);
    }
  });

  it('stops cleanly when the consumer stops early', async () => {
    const text = 'a b\n'.repeat(10_000);
    for (const file of [write('early.txt', text), write('early.gz', gzipSync(text))]) {
      let seen = 0;
      for await (const sentence of readSentences([file], 10, { chunkBytes: 64 })) {
        assert.deepEqual(sentence, ['a', 'b']);
        if (++seen === 3) break;
      }
      assert.equal(seen, 3);
    }
  });

  it('reports a corrupt gzip file as a UserError naming the file', async () => {
    const good = gzipSync('some words here\n'.repeat(1000));
    const corrupt = Buffer.from(good);
    for (let i = 20; i < corrupt.length - 8; i += 7) corrupt[i] ^= 0x5a;
    const corruptFile = write('corrupt.gz', corrupt);
    await assert.rejects(collect([corruptFile]), isOneLineUserError(/corrupt\.gz/));
    const truncatedFile = write('truncated.gz', good.subarray(0, good.length >> 1));
    await assert.rejects(collect([truncatedFile]), isOneLineUserError(/truncated\.gz/));
  });

  it('reports a missing file as a UserError naming it', async () => {
    const missing = path.join(dir, 'vanished.txt');
    await assert.rejects(collect([missing]), isOneLineUserError(/vanished\.txt/));
  });

  it('rejects a non-positive maxSentenceLength', async () => {
    const file = write('any.txt', 'a\n');
    await assert.rejects(collect([file], 0), RangeError);
  });
});

describe('resolveCorpusFiles', () => {
  it('keeps files as given and expands directories recursively, sorted by path', async () => {
    const root = path.join(dir, 'tree');
    write('tree/b.txt', 'b');
    write('tree/a/z.txt', 'z');
    write('tree/a/deeper/y.gz', gzipSync('y'));
    write('tree/c.txt', 'c');
    mkdirSync(path.join(root, 'empty-sub'), { recursive: true });
    const single = write('single.txt', 's');
    const files = await resolveCorpusFiles([single, root]);
    assert.deepEqual(files, [
      single,
      path.join(root, 'a', 'deeper', 'y.gz'),
      path.join(root, 'a', 'z.txt'),
      path.join(root, 'b.txt'),
      path.join(root, 'c.txt'),
    ]);
    assert.deepEqual(await collect(files), [['s'], ['y'], ['z'], ['b'], ['c']]);
  });

  it('fails with a one-line UserError for a missing path, naming it', async () => {
    const missing = path.join(dir, 'no-such-corpus.txt');
    await assert.rejects(resolveCorpusFiles([missing]), isOneLineUserError(/no-such-corpus\.txt.*does not exist/));
  });

  it('fails for a directory with no files, naming it', async () => {
    const empty = path.join(dir, 'empty-dir');
    mkdirSync(path.join(empty, 'only-subdir'), { recursive: true });
    await assert.rejects(resolveCorpusFiles([empty]), isOneLineUserError(/empty-dir/));
  });

  it('fails when no input is given at all', async () => {
    await assert.rejects(resolveCorpusFiles([]), isOneLineUserError(/corpus/i));
  });

  it('fails for an unreadable file, naming it', async () => {
    const file = write('locked.txt', 'secret');
    chmodSync(file, 0o000);
    if (process.getuid?.() !== 0) {
      await assert.rejects(resolveCorpusFiles([file]), isOneLineUserError(/locked\.txt/));
      return;
    }
    // Root reads any file: ask as an unprivileged user (nobody) in a child process instead,
    // with the module under test copied where that user can load it.
    chmodSync(dir, 0o755);
    const moduleDir = path.join(dir, 'module');
    mkdirSync(moduleDir);
    const compiled = path.dirname(fileURLToPath(import.meta.url));
    for (const name of ['corpus/corpus-files.js', 'base/errors.js']) {
      mkdirSync(path.join(moduleDir, path.dirname(name)), { recursive: true });
      copyFileSync(path.join(compiled, '../../src', name), path.join(moduleDir, name));
    }
    writeFileSync(path.join(moduleDir, 'package.json'), '{"type":"module"}');
    const corpusModule = pathToFileURL(path.join(moduleDir, 'corpus/corpus-files.js')).href;
    const script = `import(${JSON.stringify(corpusModule)}).then((m) => m.resolveCorpusFiles([${JSON.stringify(file)}]))` +
      `.then(() => console.log('resolved'), (e) => console.log(JSON.stringify({ name: e.name, message: e.message })))`;
    const output = execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' }).trim();
    const error = JSON.parse(output) as { name: string; message: string };
    assert.equal(error.name, 'UserError');
    assert.match(error.message, /locked\.txt/);
    assert.match(error.message, /permission denied/);
    assert.doesNotMatch(error.message, /\n/);
  });
});
