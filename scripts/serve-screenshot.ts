/**
 * The picture of `w2v serve` in the README:
 *   node dist/scripts/serve-screenshot.js VECTORS [--word city] [--analogy man,king,woman] [--out docs/serve.png]
 * Serves VECTORS on a free loopback port, opens the page in headless chromium (see chromium.ts),
 * looks up the word and the analogy, and saves a screenshot of the whole page.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from './serve/chromium.js';
import { serveLocally } from './serve/local-server.js';
import { exploreWord } from './serve/page-actions.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    word: { type: 'string', default: 'city' },
    analogy: { type: 'string', default: 'man,king,woman' },
    out: { type: 'string', default: 'docs/serve.png' },
  },
});
if (positionals.length !== 1) throw new Error('usage: serve-screenshot.js VECTORS [--word W] [--analogy a,b,c] [--out FILE]');

const { app, url } = await serveLocally(positionals[0]);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900, deviceScaleFactor: 1 });
  await page.goto(url, { waitUntil: 'networkidle0' });
  await exploreWord(page, values.word);
  const [a, b, c] = values.analogy.split(',');
  await page.type('#analogy input[name=a]', a);
  await page.type('#analogy input[name=b]', b);
  await page.type('#analogy input[name=c]', c);
  await page.click('#analogy button');
  await page.waitForSelector('#answers li');
  await page.waitForSelector('#loss-chart svg');
  await page.screenshot({ path: values.out, fullPage: true });
  console.log(`wrote ${path.resolve(values.out)}`);
} finally {
  await browser.close();
  await app.close();
}
