import type { Page } from 'puppeteer-core';

/** Types a word into the page's search box and presses Enter, as a person would; waits for the answer. */
export async function exploreWord(page: Page, word: string): Promise<void> {
  await page.click('#word', { count: 3 });
  await page.keyboard.type(word);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#neighbours li');
  // A string, not a function: this project compiles without the DOM's types.
  await page.waitForFunction(`document.querySelector('#map text.ring0')?.textContent === ${JSON.stringify(word)}`);
}
