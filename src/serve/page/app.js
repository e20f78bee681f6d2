// The explorer's page: plain browser JavaScript over the server's JSON API.
'use strict';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

async function getJSON(path, params) {
  const response = await fetch(`${path}?${new URLSearchParams(params)}`);
  return { ok: response.ok, status: response.status, body: await response.json() };
}

function clear(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One row per answer: the word (click to explore it), a bar as long as its share of `full`, the number. */
function drawBars(list, rows, full, digits) {
  clear(list);
  for (const { word, value } of rows) {
    const row = element('li');
    const label = element('span', 'word linkish', word);
    label.title = word;
    label.addEventListener('click', () => explore(word));
    const bar = element('span', 'bar');
    const fill = element('span');
    fill.style.width = `${full > 0 ? (Math.max(0, value) / full) * 100 : 0}%`;
    bar.appendChild(fill);
    row.append(label, bar, element('span', 'similarity', digits(value)));
    list.appendChild(row);
  }
}

/** Cosine similarities: a full bar is a cosine of 1. */
function drawSimilarities(list, answers) {
  drawBars(list, answers.map((a) => ({ word: a.word, value: a.similarity })), 1, (x) => x.toFixed(3));
}

/** Probabilities: the most probable word gets the full bar. */
function drawProbabilities(list, predictions) {
  const top = predictions.length > 0 ? predictions[0].probability : 0;
  drawBars(list, predictions.map((p) => ({ word: p.word, value: p.probability })), top, (x) => x.toPrecision(3));
}

function showError(id, message) {
  $(id).textContent = message;
  $(id).hidden = !message;
}

/** "did you mean" links under the search box, for a word the vocabulary does not have. */
function showSuggestions(word, suggestions) {
  const box = $('suggestions');
  clear(box);
  box.hidden = suggestions.length === 0;
  if (box.hidden) return;
  box.append(`"${word}" is not in the vocabulary; did you mean `);
  suggestions.forEach((s, i) => {
    const link = element('span', 'linkish', s);
    link.addEventListener('click', () => explore(s));
    box.append(link, i + 1 < suggestions.length ? ', ' : '?');
  });
}

let completionTimer;
$('word').addEventListener('input', () => {
  clearTimeout(completionTimer);
  const prefix = $('word').value.trim();
  if (!prefix) return;
  completionTimer = setTimeout(async () => {
    const { ok, body } = await getJSON('/api/words', { prefix, limit: 10 });
    if (!ok || $('word').value.trim() !== prefix) return;
    const list = $('completions');
    clear(list);
    for (const word of body.completions) list.appendChild(Object.assign(document.createElement('option'), { value: word }));
    showSuggestions(prefix, body.suggestions);
  }, 120);
});

$('search').addEventListener('submit', (event) => {
  event.preventDefault();
  const word = $('word').value.trim();
  if (word) explore(word);
});

$('map-method').addEventListener('change', () => {
  const word = $('word').value.trim();
  if (word) drawMap(word);
});

/** Neighbours and map of a word; the address keeps it, so a reload or a shared link shows it again. */
async function explore(word) {
  $('word').value = word;
  history.replaceState(null, '', `#${encodeURIComponent(word)}`);
  $('neighbours-of').textContent = `of “${word}”`;
  const { ok, body } = await getJSON('/api/neighbors', { word, k: 15 });
  if (!ok) {
    clear($('neighbours'));
    showError('neighbours-error', body.error);
    if (body.word) showSuggestions(word, (await getJSON('/api/words', { prefix: word })).body.suggestions ?? []);
    clear($('map'));
    return;
  }
  showError('neighbours-error', '');
  showSuggestions(word, []);
  drawSimilarities($('neighbours'), body.neighbors);
  await drawMap(word);
}

async function drawMap(word) {
  const svg = $('map');
  const { ok, body } = await getJSON('/api/map', { word, method: $('map-method').value });
  clear(svg);
  if (!ok) return;
  const centre = body.points.find((p) => p.ring === 0);
  for (const p of body.points) {
    if (p.ring !== 1) continue;
    const line = document.createElementNS(SVG, 'line');
    line.setAttribute('x1', centre.x);
    line.setAttribute('y1', centre.y);
    line.setAttribute('x2', p.x);
    line.setAttribute('y2', p.y);
    svg.appendChild(line);
  }
  // Far rings first, so the word and its neighbours are drawn on top.
  for (const p of [...body.points].sort((a, b) => b.ring - a.ring)) {
    const text = document.createElementNS(SVG, 'text');
    text.setAttribute('x', p.x);
    text.setAttribute('y', p.y);
    text.setAttribute('class', `ring${p.ring}`);
    text.textContent = p.word;
    text.addEventListener('click', () => explore(p.word));
    svg.appendChild(text);
  }
  svg.dataset.method = body.method;
}

$('analogy').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const { ok, body } = await getJSON('/api/analogy', { a: form.get('a'), b: form.get('b'), c: form.get('c'), method: form.get('method'), k: 10 });
  showError('analogy-error', ok ? '' : body.error);
  if (ok) drawSimilarities($('answers'), body.answers);
  else clear($('answers'));
});

$('predict').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('blank-text').value.trim();
  if (!text) return;
  const { ok, body } = await getJSON('/api/predict', { context: text, k: 10 });
  showError('predict-error', ok ? (body.unknown ? `not in the vocabulary, skipped: ${body.unknown.join(', ')}` : '') : body.error);
  if (ok) drawProbabilities($('predictions'), body.predictions);
  else clear($('predictions'));
});

async function showInfo() {
  const { body } = await getJSON('/api/info', {});
  $('info').textContent = `${body.vectors}: ${body.words.toLocaleString()} words of dimension ${body.dim}, ${body.search} search`;
  $('predict-panel').hidden = !body.predict;
  if (body.report) await showReport();
}

function fact(label, value) {
  const box = element('div');
  box.append(element('b', '', label), value);
  return box;
}

async function showReport() {
  const { ok, body: report } = await getJSON('/api/report', {});
  if (!ok) return;
  $('report-panel').hidden = false;
  const o = report.options;
  const s = report.seconds;
  const phaseNames = { readAndVocabulary: 'read + vocabulary', encode: 'encode', train: 'train', export: 'export', index: 'index' };
  const phases = Object.entries(phaseNames).filter(([key]) => s[key] !== undefined).map(([key, name]) => `${name} ${s[key].toFixed(2)} s`);
  const summary = $('report-summary');
  clear(summary);
  summary.append(
    fact('model', `${o.model} + ${o.loss}, dim ${o.dim}, window ${o.window}`),
    fact('corpus', `${report.corpusTokens.toLocaleString()} tokens, ${report.vocabularySize.toLocaleString()} words`),
    fact('speed', `${Math.round(report.trainWordsPerSecond).toLocaleString()} words/s (${report.kernel} kernel, ${o.workers} workers)`),
    fact('phases', phases.join(', ')),
  );
  const table = $('report-options');
  clear(table);
  for (const [key, value] of Object.entries(o)) {
    const row = element('tr');
    row.append(element('td', '', key), element('td', '', JSON.stringify(value)));
    table.appendChild(row);
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `loss per epoch (mean ${report.objective} per prediction)`,
    width: 'container',
    height: 180,
    data: { values: report.epochs.map((e) => ({ epoch: e.epoch, loss: e.loss })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'ordinal', axis: { labelAngle: 0 } },
      y: { field: 'loss', type: 'quantitative', scale: { zero: false } },
      tooltip: [{ field: 'epoch' }, { field: 'loss', format: '.4f' }],
    },
  };
  await vegaEmbed('#loss-chart', spec, { actions: false, renderer: 'svg' });
}

showInfo();
const fromAddress = decodeURIComponent(location.hash.slice(1));
if (fromAddress) explore(fromAddress);
