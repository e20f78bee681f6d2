import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_TOKEN_BYTES } from '../../src/corpus/token-scanner.js';
import { readWord2vecFile } from '../../src/vectors/word2vec-format.js';
import { caseDirectories } from '../support/case-dirs.js';
import { QUICK_TRAINING, assertOneLineFailure, runCli } from '../support/cli.js';

const QUICK = QUICK_TRAINING;
const cases = caseDirectories('w2v-cli-input-test-');

/** A case directory with the corpus file and a private TMPDIR. */
function caseWith(corpus: Buffer | string): { dir: string; corpus: string; tmp: string; out: string } {
  const { dir, tmp } = cases.next();
  const file = path.join(dir, 'corpus.txt');
  writeFileSync(file, corpus);
  return { dir, corpus: file, tmp, out: path.join(dir, 'vectors.bin') };
}

/** One line naming the problem, no output file and nothing left in TMPDIR. */
function assertRefused(c: ReturnType<typeof caseWith>, r: Parameters<typeof assertOneLineFailure>[0], pattern: RegExp): void {
  assertOneLineFailure(r, pattern);
  assert.deepEqual(readdirSync(c.dir).sort(), ['corpus.txt', 'tmp'], 'no output file, no temporary file');
  assert.deepEqual(readdirSync(c.tmp), [], 'the work directory is removed');
}

const TEXT = 'the cat sat on the mat\nthe dog sat on the log\n'.repeat(30);

describe('w2v train on input that is not clean text', () => {
  it('refuses binary data, naming the file and the offset of the first NUL byte', async () => {
    const c = caseWith(Buffer.concat([Buffer.from(TEXT), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00, 0x01])]));
    const r = await runCli(['train', c.corpus, '--out', c.out, ...QUICK], { tmp: c.tmp });
    assertRefused(c, r, new RegExp(`corpus\\.txt holds binary data \\(a NUL byte at byte offset ${TEXT.length + 5}\\).*--encoding-errors replace`));
  });

  it('refuses invalid UTF-8, naming the byte and its offset', async () => {
    const c = caseWith(Buffer.concat([Buffer.from(TEXT), Buffer.from('caf\xe9 cr\xe8me\n', 'latin1')]));
    const r = await runCli(['train', c.corpus, '--out', c.out, ...QUICK], { tmp: c.tmp });
    assertRefused(c, r, new RegExp(`corpus\\.txt is not valid UTF-8 \\(byte 0xe9 at byte offset ${TEXT.length + 3}\\)`));
  });

  it('with --encoding-errors replace, trains on the text with U+FFFD in place and counts the replacements', async () => {
    const c = caseWith(Buffer.concat([Buffer.from(TEXT), Buffer.from('caf\xe9 cr\xe8me\x00\n', 'latin1')]));
    const r = await runCli(['train', c.corpus, '--out', c.out, ...QUICK, '--encoding-errors', 'replace'], { tmp: c.tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /3 NUL bytes or invalid UTF-8 sequences were replaced by U\+FFFD/);
    const report = JSON.parse(readFileSync(`${c.out}.report.json`, 'utf8'));
    assert.equal(report.replacedSequences, 3);
    assert.equal(report.options.encodingErrors, 'replace');
    const vectors = await readWord2vecFile(c.out);
    assert.ok(vectors.words.includes('caf\ufffd') && vectors.words.includes('cr\ufffdme\ufffd'));
  });

  it('trains on one long line with an overlong token: the token is cut, counted, and the run goes on', async () => {
    // 2 MB without a line feed, and one "word" of 5,000 bytes in the middle of it.
    const words = TEXT.replaceAll('\n', ' ').repeat(80);
    const giant = 'x'.repeat(5 * MAX_TOKEN_BYTES);
    const c = caseWith(`${words} ${giant} ${words}`);
    const r = await runCli(['train', c.corpus, '--out', c.out, ...QUICK], { tmp: c.tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`1 tokens longer than ${MAX_TOKEN_BYTES} bytes were cut`));
    const report = JSON.parse(readFileSync(`${c.out}.report.json`, 'utf8'));
    assert.equal(report.cutTokens, 1);
    assert.equal(report.corpusTokens, 2 * words.split(' ').filter(Boolean).length + 1);
    const vectors = await readWord2vecFile(c.out);
    assert.ok(vectors.words.includes('x'.repeat(MAX_TOKEN_BYTES)), 'the cut token is a word of MAX_TOKEN_BYTES bytes');
    assert.ok(existsSync(c.out));
  });
});
