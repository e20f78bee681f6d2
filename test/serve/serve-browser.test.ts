// The page in a real browser: Debian's chromium driven by puppeteer-core. Without chromium this
// test fails (CI installs it in .ci/run); set CHROMIUM_PATH to use another build.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../../scripts/serve/chromium.js';
import { serveLocally } from '../../scripts/serve/local-server.js';
import { exploreWord } from '../../scripts/serve/page-actions.js';
import { w2v } from '../support/cli.js';
import { plantedCorpus, topicOf } from '../support/planted-corpus.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'w2v-serve-browser-'));
const vectors = path.join(dir, 'topics.bin');

/** Runs an expression in the page (a string: this project compiles without the DOM's types). */
function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

describe('w2v serve in a browser', () => {
  let server: { app: FastifyInstance; url: string };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    // A real model and its real training report, from the corpus whose topics training recovers.
    const corpus = path.join(dir, 'topics.txt');
    writeFileSync(corpus, plantedCorpus(3000, 7));
    const trained = w2v('train', corpus, '--out', vectors, '--model', 'sg', '--dim', '16', '--min-count', '1', '--sample', '0', '--epochs', '4', '--workers', '1', '--no-progress');
    assert.equal(trained.code, 0, trained.stderr);
    server = await serveLocally(vectors);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    // A 404 for an unknown word is logged by the browser as a failed load; it is what the API answers.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of 404')) pageErrors.push(message.text());
    });
    await page.goto(server.url, { waitUntil: 'networkidle0' });
  });
  after(async () => {
    await browser?.close();
    await server?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the search box is the first field and has the focus', async () => {
    assert.equal(await inPage(page, `document.querySelector('input, select, textarea').id`), 'word');
    assert.equal(await inPage(page, 'document.activeElement.id'), 'word');
  });

  it('typing offers completions from the vocabulary', async () => {
    await page.click('#word', { count: 3 });
    await page.keyboard.type('T2W');
    await page.waitForFunction(`document.querySelectorAll('#completions option').length > 0`);
    const offered = await inPage<string[]>(page, `[...document.querySelectorAll('#completions option')].map((o) => o.value)`);
    assert.deepEqual([...offered].sort(), ['t2w0', 't2w1', 't2w2', 't2w3', 't2w4', 't2w5']);
    assert.equal(await inPage(page, `document.getElementById('word').getAttribute('list')`), 'completions');
  });

  it('typing a word and pressing Enter shows its neighbours as bars and its neighbourhood map', async () => {
    await exploreWord(page, 't3w1');
    const rows = await inPage<{ word: string; similarity: number; bar: string }[]>(
      page,
      `[...document.querySelectorAll('#neighbours li')].map((li) => ({
        word: li.querySelector('.word').textContent,
        similarity: Number(li.querySelector('.similarity').textContent),
        bar: li.querySelector('.bar > span').style.width,
      }))`,
    );
    assert.equal(rows.length, 15);
    const api = (await (await fetch(`${server.url}api/neighbors?word=t3w1&k=15`)).json()) as { neighbors: { word: string; similarity: number }[] };
    assert.deepEqual(rows.map((r) => r.word), api.neighbors.map((n) => n.word), 'the list is the API answer, in order');
    // Training puts the other five words of the topic nearest.
    assert.deepEqual(rows.slice(0, 5).map((r) => topicOf(r.word)), Array(5).fill('t3'));
    for (const [i, row] of rows.entries()) {
      assert.ok(Math.abs(row.similarity - api.neighbors[i].similarity) < 5e-4);
      assert.ok(Math.abs(parseFloat(row.bar) - Math.max(0, api.neighbors[i].similarity) * 100) < 0.01, `bar length is the cosine: ${row.bar}`);
    }
    const labels = await inPage<string[]>(page, `[...document.querySelectorAll('#map text')].map((t) => t.textContent)`);
    const map = (await (await fetch(`${server.url}api/map?word=t3w1`)).json()) as { points: { word: string }[] };
    assert.deepEqual(new Set(labels), new Set(map.points.map((p) => p.word)), 'one label per word of the map');
    assert.equal(labels.length, map.points.length);
    assert.equal(await inPage(page, `location.hash`), '#t3w1');
  });

  it('clicking a word on the map recentres on it', async () => {
    // Where a person would click: the middle of a neighbour's label that no other label covers.
    await inPage(page, `document.getElementById('map').scrollIntoView()`);
    const target = await inPage<{ word: string; x: number; y: number }>(
      page,
      `[...document.querySelectorAll('#map text.ring1')].map((t) => {
        const box = t.getBoundingClientRect();
        const x = box.left + box.width / 2;
        const y = box.top + box.height / 2;
        return { word: t.textContent, x, y, top: document.elementFromPoint(x, y) === t };
      }).find((t) => t.top)`,
    );
    assert.ok(target, 'some neighbour label is not covered by another');
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction(`document.querySelector('#map text.ring0')?.textContent === ${JSON.stringify(target.word)}`);
    assert.equal(await inPage(page, `document.getElementById('word').value`), target.word);
    assert.equal(await inPage(page, `document.getElementById('neighbours-of').textContent`), `of “${target.word}”`);
  });

  it('an unknown word shows the error and spelling suggestions', async () => {
    await page.click('#word', { count: 3 });
    await page.keyboard.type('t3w11');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#neighbours-error:not([hidden])');
    assert.match(await inPage<string>(page, `document.getElementById('neighbours-error').textContent`), /"t3w11" is not in the vocabulary/);
    await page.waitForSelector('#suggestions:not([hidden]) .linkish');
    assert.ok((await inPage<string[]>(page, `[...document.querySelectorAll('#suggestions .linkish')].map((s) => s.textContent)`)).includes('t3w1'));
  });

  it('solves an analogy typed into the form', async () => {
    await page.type('#analogy input[name=a]', 't0w0');
    await page.type('#analogy input[name=b]', 't0w1');
    await page.type('#analogy input[name=c]', 't5w0');
    await page.select('#analogy select[name=method]', 'mul');
    await page.click('#analogy button');
    await page.waitForSelector('#answers li');
    const answers = await inPage<string[]>(page, `[...document.querySelectorAll('#answers .word')].map((w) => w.textContent)`);
    const api = (await (await fetch(`${server.url}api/analogy?a=t0w0&b=t0w1&c=t5w0&method=mul`)).json()) as { answers: { word: string }[] };
    assert.deepEqual(answers, api.answers.map((a) => a.word));
  });

  it('shows the training report with the loss per epoch as a chart', async () => {
    await page.waitForSelector('#loss-chart svg');
    assert.equal(await inPage(page, `document.getElementById('report-panel').hidden`), false);
    const summary = await inPage<string>(page, `document.getElementById('report-summary').textContent`);
    assert.match(summary, /sg \+ ns, dim 16/);
    assert.match(summary, /24,000 tokens, 48 words/);
    assert.match(summary, /words\/s/);
    // One point per epoch on the line.
    assert.equal(await inPage(page, `document.querySelectorAll('#loss-chart svg .mark-symbol path').length`), 4);
  });

  it('raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});

describe('w2v serve of a model file: the fill-the-blank box', () => {
  let server: { app: FastifyInstance; url: string };
  let browser: Browser;
  let page: Page;
  const modelDir = mkdtempSync(path.join(os.tmpdir(), 'w2v-serve-model-'));
  const pageErrors: string[] = [];

  before(async () => {
    const corpus = path.join(modelDir, 'topics.txt');
    writeFileSync(corpus, plantedCorpus(3000, 7));
    const model = path.join(modelDir, 'topics.w2vmodel');
    const trained = w2v('train', corpus, '--out', path.join(modelDir, 'topics.bin'), '--save-model', model, '--model', 'cbow', '--loss', 'hs', '--dim', '16', '--min-count', '1', '--sample', '0', '--epochs', '3', '--workers', '1', '--no-progress');
    assert.equal(trained.code, 0, trained.stderr);
    server = await serveLocally(model);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(server.url, { waitUntil: 'networkidle0' });
  });
  after(async () => {
    await browser?.close();
    await server?.app.close();
    rmSync(modelDir, { recursive: true, force: true });
  });

  it('fills a typed blank with the topic\'s words and their probabilities as bars', async () => {
    assert.equal(await inPage(page, `document.getElementById('predict-panel').hidden`), false);
    await page.click('#blank-text');
    await page.keyboard.type('t4w0 t4w1 _ t4w2 t4w3');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#predictions li');
    const words = await inPage<string[]>(page, `[...document.querySelectorAll('#predictions .word')].map((e) => e.textContent)`);
    assert.equal(words.length, 10);
    assert.ok(words.slice(0, 4).every((w) => topicOf(w) === 't4'), words.join(' '));
    const widths = await inPage<number[]>(page, `[...document.querySelectorAll('#predictions .bar span')].map((e) => parseFloat(e.style.width))`);
    assert.equal(widths[0], 100, 'the most probable word has the full bar');
    assert.deepEqual(widths, [...widths].sort((a, b) => b - a));
    const first = await inPage<string>(page, `document.querySelector('#predictions .similarity').textContent`);
    assert.ok(Number(first) > 0 && Number(first) <= 1, first);
  });

  it('names the unknown words it skipped', async () => {
    await page.click('#blank-text', { count: 3 });
    await page.keyboard.type('qqq t2w1 _');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`document.getElementById('predict-error').textContent.includes('qqq')`);
    assert.match(await inPage<string>(page, `document.getElementById('predict-error').textContent`), /not in the vocabulary, skipped: qqq/);
  });

  it('raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
