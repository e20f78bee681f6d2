import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseString } from 'fast-csv';
import { exportVectors, float32String } from '../../src/vectors/export.js';
import { readWord2vecFile, type WordVectors } from '../../src/vectors/word2vec-format.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-export-'));
const data: WordVectors = {
  words: ['the', 'say"when', 'a,b', 'ü'],
  dim: 2,
  vectors: Float32Array.from([0.1, -2, 1e-8, 3.5, 0, 1 / 3, -0.25, 7]),
};

test('float32 values print as the shortest text that reads back the same', () => {
  for (const v of [0.1, 1 / 3, -2.5e-7, 123456.78, 1e-8].map(Math.fround)) {
    assert.equal(Math.fround(Number(float32String(v))), v);
  }
  assert.equal(float32String(Math.fround(0.1)), '0.1');
});

test('bin and text exports round-trip, and --limit keeps the most frequent words', async () => {
  for (const format of ['bin', 'text'] as const) {
    const out = path.join(dir, `v.${format}`);
    await exportVectors(data, format, out, { limit: 3 });
    const back = await readWord2vecFile(out);
    assert.deepEqual(back.words, ['the', 'say"when', 'a,b']);
    back.vectors.forEach((v, i) => assert.ok(Math.abs(v - data.vectors[i]) < 1e-6));
  }
});

test('CSV has a header and RFC 4180 quoting, and round-trips the values', async () => {
  const out = path.join(dir, 'v.csv');
  await exportVectors(data, 'csv', out);
  const lines = readFileSync(out, 'utf8').split('\n');
  assert.equal(lines[0], 'word,v1,v2');
  assert.equal(lines[1], 'the,0.1,-2');
  assert.equal(lines[2], '"say""when",1e-8,3.5');
  assert.equal(lines[3], '"a,b",0,0.33333334');
  assert.equal(lines[4], 'ü,-0.25,7');
  assert.equal(lines[5], '');
  assert.equal(lines.length, 6);
});

function parseRows(text: string, delimiter: string, quote: string | null): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString<string[], string[]>(text, { delimiter, quote })
      .on('data', (row: string[]) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

test('CSV and TSV round-trip every word and float32 value exactly through a CSV parser', async () => {
  const csv = path.join(dir, 'rt.csv');
  await exportVectors(data, 'csv', csv);
  const rows = (await parseRows(readFileSync(csv, 'utf8'), ',', '"')).slice(1);
  assert.deepEqual(rows.map((r) => r[0]), data.words);
  assert.deepEqual(Float32Array.from(rows.flatMap((r) => r.slice(1).map(Number))), data.vectors);

  const tsvDir = path.join(dir, 'rt-tsv');
  const [vectorsFile, metadataFile] = await exportVectors(data, 'tsv', tsvDir);
  const values = await parseRows(readFileSync(vectorsFile, 'utf8'), '\t', null);
  const words = await parseRows(readFileSync(metadataFile, 'utf8'), '\t', null);
  assert.deepEqual(words.map((r) => r[0]), data.words);
  assert.deepEqual(Float32Array.from(values.flat().map(Number)), data.vectors);
});

test('TSV writes the Embedding Projector pair, unquoted', async () => {
  const out = path.join(dir, 'projector');
  const files = await exportVectors(data, 'tsv', out, { limit: 2 });
  assert.deepEqual(files, [path.join(out, 'vectors.tsv'), path.join(out, 'metadata.tsv')]);
  assert.equal(readFileSync(files[0], 'utf8'), '0.1\t-2\n1e-8\t3.5\n');
  assert.equal(readFileSync(files[1], 'utf8'), 'the\nsay"when\n');
});
