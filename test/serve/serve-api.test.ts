import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { LIMITS } from '../../src/serve/server.js';
import { reportPathFor } from '../../src/train/training-report.js';
import { serveLocally } from '../../scripts/serve/local-server.js';
import { w2v } from '../support/cli.js';
import { plantedCorpus, topicOf } from '../support/planted-corpus.js';
import { writeToyVectors } from '../support/toy-vectors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-serve-api-'));
const vectors = path.join(dir, 'toy.bin');
const bare = path.join(dir, 'bare.bin');
const savedReport = { options: { model: 'sg', loss: 'ns', dim: 8 }, objective: 'ns', epochs: [{ epoch: 1, loss: 3.5 }, { epoch: 2, loss: 2.25 }] };

/** A GET whose path is sent exactly as written (fetch would resolve "..", which is what is under test). */
function rawGet(url: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: rawPath, method: 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function getJSON(url: string, route: string, params: Record<string, string | number>): Promise<{ status: number; type: string | null; body: any }> {
  const response = await fetch(`${url}${route}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

describe('w2v serve API', () => {
  let server: { app: FastifyInstance; url: string };
  let bareServer: { app: FastifyInstance; url: string };

  before(async () => {
    await writeToyVectors(vectors);
    await writeToyVectors(bare);
    writeFileSync(reportPathFor(vectors), JSON.stringify(savedReport));
    server = await serveLocally(vectors);
    bareServer = await serveLocally(bare);
  });
  after(async () => {
    await server.app.close();
    await bareServer.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on the loopback address it was given', () => {
    const address = server.app.server.address();
    assert.ok(address && typeof address === 'object');
    assert.equal(address.address, '127.0.0.1');
    assert.equal(server.url, `http://127.0.0.1:${address.port}/`);
  });

  it('answers neighbours with exactly what w2v neighbors --json prints', async () => {
    for (const [word, k] of [['king', 2], ['apple', 4], ['filler7', 10]] as const) {
      const api = await getJSON(server.url, 'api/neighbors', { word, k });
      assert.equal(api.status, 200);
      assert.match(api.type ?? '', /^application\/json/);
      const cli = w2v('neighbors', vectors, word, '-k', String(k), '--json');
      assert.equal(cli.code, 0, cli.stderr);
      assert.deepEqual(api.body, JSON.parse(cli.stdout));
      assert.equal(api.body.neighbors.length, k);
    }
    const king = await getJSON(server.url, 'api/neighbors', { word: 'king', k: 2 });
    assert.deepEqual(king.body.neighbors.map((n: { word: string }) => n.word), ['man', 'queen']);
  });

  it('k defaults to 10', async () => {
    const r = await getJSON(server.url, 'api/neighbors', { word: 'pear' });
    assert.equal(r.status, 200);
    assert.equal(r.body.neighbors.length, 10);
    assert.equal(r.body.neighbors[0].word, 'apple');
  });

  it('an unknown word is a 404 with the CLI error shape and spelling suggestions', async () => {
    const r = await getJSON(server.url, 'api/neighbors', { word: 'kinq' });
    assert.equal(r.status, 404);
    assert.deepEqual(Object.keys(r.body), ['word', 'error']);
    assert.equal(r.body.word, 'kinq');
    assert.match(r.body.error, /"kinq" is not in the vocabulary .*"king"/);
    const cli = w2v('neighbors', vectors, 'kinq', '--json');
    assert.deepEqual(r.body, JSON.parse(cli.stdout));
  });

  it('k out of range, or not a whole number, is a 400 with a JSON error', async () => {
    for (const k of ['0', '-3', String(LIMITS.k + 1), '2.5', 'ten']) {
      const r = await getJSON(server.url, 'api/neighbors', { word: 'king', k });
      assert.equal(r.status, 400, `k=${k}`);
      assert.equal(typeof r.body.error, 'string');
      assert.match(r.body.error, /k/);
    }
    const top = await getJSON(server.url, 'api/neighbors', { word: 'king', k: LIMITS.k });
    assert.equal(top.status, 200, 'the bound itself is allowed');
    assert.equal(top.body.neighbors.length, LIMITS.k);
  });

  it('a missing, empty or overlong word is a 400; a word at the limit is looked up', async () => {
    assert.equal((await getJSON(server.url, 'api/neighbors', {})).status, 400);
    assert.equal((await getJSON(server.url, 'api/neighbors', { word: '' })).status, 400);
    const overlong = await getJSON(server.url, 'api/neighbors', { word: 'x'.repeat(LIMITS.wordLength + 1) });
    assert.equal(overlong.status, 400);
    assert.match(overlong.body.error, /word/);
    const atLimit = await getJSON(server.url, 'api/neighbors', { word: 'x'.repeat(LIMITS.wordLength) });
    assert.equal(atLimit.status, 404, 'long but allowed: simply not in the vocabulary');
    const analogy = await getJSON(server.url, 'api/analogy', { a: 'man', b: 'king', c: 'é'.repeat(LIMITS.wordLength + 1) });
    assert.equal(analogy.status, 400, 'the limit counts characters in every word parameter');
  });

  it('solves analogies by 3CosAdd and 3CosMul, as w2v analogy --json does', async () => {
    for (const method of ['add', 'mul']) {
      const r = await getJSON(server.url, 'api/analogy', { a: 'man', b: 'king', c: 'woman', method, k: 3 });
      assert.equal(r.status, 200);
      assert.equal(r.body.method, method);
      assert.equal(r.body.answers[0].word, 'queen');
      assert.ok(!r.body.answers.some((a: { word: string }) => ['man', 'king', 'woman'].includes(a.word)));
      const cli = w2v('analogy', vectors, 'man', 'king', 'woman', '--method', method, '-k', '3', '--json');
      assert.deepEqual(r.body, JSON.parse(cli.stdout));
    }
    const add = await getJSON(server.url, 'api/analogy', { a: 'man', b: 'king', c: 'woman', k: 3 });
    const mul = await getJSON(server.url, 'api/analogy', { a: 'man', b: 'king', c: 'woman', method: 'mul', k: 3 });
    assert.equal(add.body.method, 'add', 'add is the default');
    assert.notDeepEqual(add.body.answers, mul.body.answers, 'the two methods score differently');
    const bad = await getJSON(server.url, 'api/analogy', { a: 'man', b: 'king', c: 'woman', method: 'div' });
    assert.equal(bad.status, 400);
    const unknown = await getJSON(server.url, 'api/analogy', { a: 'man', b: 'kingg', c: 'woman' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.word, 'kingg', 'the error names the missing word');
  });

  it('maps a neighbourhood: one point per word, the word and its neighbours and theirs, finite coordinates', async () => {
    for (const method of ['umap', 'pca']) {
      const r = await getJSON(server.url, 'api/map', { word: 'filler3', k: 6, k2: 3, method });
      assert.equal(r.status, 200);
      const points: { word: string; ring: number; x: number; y: number }[] = r.body.points;
      const words = points.map((p) => p.word);
      assert.equal(new Set(words).size, words.length, 'no word twice');
      const first = (await getJSON(server.url, 'api/neighbors', { word: 'filler3', k: 6 })).body.neighbors.map((n: { word: string }) => n.word);
      const expected = new Set(['filler3', ...first]);
      for (const w of first) for (const n of (await getJSON(server.url, 'api/neighbors', { word: w, k: 3 })).body.neighbors) expected.add(n.word);
      assert.deepEqual(new Set(words), expected);
      assert.deepEqual(points.filter((p) => p.ring === 0).map((p) => p.word), ['filler3']);
      assert.deepEqual(new Set(points.filter((p) => p.ring === 1).map((p) => p.word)), new Set(first));
      for (const p of points) {
        assert.ok(Number.isFinite(p.x) && Number.isFinite(p.y), `${p.word}: ${p.x}, ${p.y}`);
        assert.ok(Math.abs(p.x) <= 1 + 1e-9 && Math.abs(p.y) <= 1 + 1e-9);
      }
      assert.equal(r.body.method, method, `${points.length} points are enough for ${method}`);
      assert.ok(new Set(points.map((p) => `${p.x},${p.y}`)).size > 1, 'the points are spread out');
    }
    const few = await getJSON(server.url, 'api/map', { word: 'king', k: 2, k2: 1 });
    assert.equal(few.body.method, 'pca', 'too few points for UMAP fall back to PCA');
    assert.equal((await getJSON(server.url, 'api/map', { word: 'nope' })).status, 404);
    assert.equal((await getJSON(server.url, 'api/map', { word: 'king', k: LIMITS.mapK + 1 })).status, 400);
    assert.equal((await getJSON(server.url, 'api/map', { word: 'king', method: 'tsne' })).status, 400);
  });

  it('completes words from the vocabulary, most frequent first, and suggests spellings for unknown ones', async () => {
    const fill = await getJSON(server.url, 'api/words', { prefix: 'FILLER1', limit: 4 });
    assert.deepEqual(fill.body.completions, ['filler1', 'filler10', 'filler11', 'filler12']);
    assert.deepEqual(fill.body.suggestions, []);
    assert.deepEqual((await getJSON(server.url, 'api/words', { prefix: 'qu' })).body.completions, ['queen']);
    const typo = await getJSON(server.url, 'api/words', { prefix: 'kinq' });
    assert.deepEqual(typo.body, { prefix: 'kinq', completions: [], suggestions: ['king'] });
    assert.equal((await getJSON(server.url, 'api/words', { prefix: 'a', limit: LIMITS.completions + 1 })).status, 400);
  });

  it('serves the training report when one is beside the vectors, and a 404 when not', async () => {
    const present = await getJSON(server.url, 'api/report', {});
    assert.equal(present.status, 200);
    assert.deepEqual(present.body, savedReport);
    const absent = await getJSON(bareServer.url, 'api/report', {});
    assert.equal(absent.status, 404);
    assert.match(absent.body.error, /no training report beside bare\.bin/);
    assert.equal((await getJSON(server.url, 'api/info', {})).body.report, true);
    assert.equal((await getJSON(bareServer.url, 'api/info', {})).body.report, false);
  });

  it('serves the page and the charting libraries', async () => {
    const page = await rawGet(server.url, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<input id="word"/);
    for (const script of ['/app.js', '/vendor/vega.min.js', '/vendor/vega-lite.min.js', '/vendor/vega-embed.min.js']) {
      assert.match(page.body, new RegExp(`src="${script}"`));
      assert.equal((await rawGet(server.url, script)).status, 200, script);
    }
  });

  it('leaks no file outside the page folder, whatever the path', async () => {
    const packageJson = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    const attempts = [
      '/package.json', '/..%2f..%2fpackage.json', '/static/../../package.json', '/../../../package.json', '/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/vendor/..%2f..%2fpackage.json', '/vendor/../../../package.json', '/app.js/../../../../package.json', '/..%5c..%5cpackage.json',
      '/vendor/vega.min.js%00.html', '/src/serve/server.js', '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd',
    ];
    for (const attempt of attempts) {
      const r = await rawGet(server.url, attempt);
      assert.notEqual(r.status, 200, attempt);
      assert.ok(!r.body.includes('"name": "w2v"') && !r.body.includes(packageJson.slice(0, 40)), attempt);
      assert.ok(!r.body.includes('root:'), attempt);
    }
  });

  it('answers only requests addressed to this machine by name, so DNS rebinding reads nothing', async () => {
    const { port } = new URL(server.url);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      assert.equal((await rawGet(server.url, '/api/neighbors?word=king', { host })).status, 200, host);
    }
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1.attacker.example:${port}`, `localhost.attacker.example`]) {
      const r = await rawGet(server.url, '/api/neighbors?word=king', { host });
      assert.equal(r.status, 403, host);
      assert.match(JSON.parse(r.body).error, /only requests addressed to localhost or 127\.0\.0\.1/);
      assert.equal((await rawGet(server.url, '/', { host })).status, 403, `${host}: the page too`);
    }
  });

  it('is read-only: other methods are refused', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`${server.url}api/neighbors?word=king`, { method, body: method === 'DELETE' ? undefined : '{}' });
      assert.equal(response.status, 404, method);
      await response.arrayBuffer();
    }
  });

  it('survives malformed requests: the next request is answered', async () => {
    const badEncoding = await rawGet(server.url, '/api/neighbors?word=%E0%A4%A');
    assert.ok(badEncoding.status === 400 || badEncoding.status === 404, String(badEncoding.status));
    assert.equal((await rawGet(server.url, '/api/neighbors%')).status, 400);
    const { port } = new URL(server.url);
    const garbage = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\0\0\0\r\n\r\n'));
      let reply = '';
      socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
      socket.on('close', () => resolve(reply));
      socket.on('error', reject);
    });
    assert.match(garbage, /^HTTP\/1\.1 400/);
    const array = await getJSON(server.url, 'api/neighbors', { word: 'king', k: 2 });
    assert.equal(array.status, 200, 'still serving');
    const twice = await fetch(`${server.url}api/neighbors?word=king&word=queen`);
    assert.equal(twice.status, 400, 'a word given twice is refused, not searched as a list');
    const after = await getJSON(server.url, 'api/neighbors', { word: 'queen', k: 1 });
    assert.deepEqual(after.body.neighbors.map((n: { word: string }) => n.word), ['woman']);
  });
});

describe('w2v serve API: /api/predict', () => {
  const modelDir = mkdtempSync(path.join(os.tmpdir(), 'w2v-serve-predict-'));
  const model = path.join(modelDir, 'topics.w2vmodel');
  let withModel: { app: FastifyInstance; url: string };
  let vectorsOnly: { app: FastifyInstance; url: string };

  before(async () => {
    const corpus = path.join(modelDir, 'topics.txt');
    writeFileSync(corpus, plantedCorpus(2000, 3));
    const trained = w2v('train', corpus, '--out', path.join(modelDir, 'topics.bin'), '--save-model', model, '--model', 'cbow', '--loss', 'softmax', '--dim', '16', '--min-count', '1', '--sample', '0', '--epochs', '3', '--workers', '1', '--no-progress');
    assert.equal(trained.code, 0, trained.stderr);
    withModel = await serveLocally(model);
    vectorsOnly = await serveLocally(path.join(modelDir, 'topics.bin'));
  });
  after(async () => {
    await withModel.app.close();
    await vectorsOnly.app.close();
    rmSync(modelDir, { recursive: true, force: true });
  });

  it('answers in w2v predict --json\'s shape, the blank predicted from the window around it', async () => {
    const response = await fetch(`${withModel.url}api/predict?context=${encodeURIComponent('t5w0 t5w1 _ t5w3')}&k=3`);
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { predictions: { word: string }[] };
    const cli = JSON.parse(w2v('predict', model, 't5w0', 't5w1', 't5w3', '-k', '3', '--json').stdout);
    assert.deepEqual(answer, cli);
    assert.equal(topicOf(answer.predictions[0].word), 't5');
    const info = (await (await fetch(`${withModel.url}api/info`)).json()) as { predict: boolean };
    assert.equal(info.predict, true);
  });

  it('a context of unknown words is a 404 that names them; vectors alone cannot predict', async () => {
    const unknown = await fetch(`${withModel.url}api/predict?context=zzz`);
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { error: string }).error, /none of the context words is in the vocabulary \("zzz"\)/);
    const bareAnswer = await fetch(`${vectorsOnly.url}api/predict?context=t1w0`);
    assert.equal(bareAnswer.status, 404);
    assert.match(((await bareAnswer.json()) as { error: string }).error, /topics\.bin holds vectors only: serve a model file \(w2v train --save-model\) to predict/);
    assert.equal(((await (await fetch(`${vectorsOnly.url}api/info`)).json()) as { predict: boolean }).predict, false);
    assert.equal((await fetch(`${withModel.url}api/predict?context=${'a'.repeat(LIMITS.contextLength + 1)}`)).status, 400);
  });
});
