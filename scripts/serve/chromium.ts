import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's chromium (apt-get install chromium), or the one CHROMIUM_PATH names. */
export function chromiumPath(): string {
  const file = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(file)) {
    throw new Error(`no chromium at ${file}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return file;
}

/** Headless chromium; without the sandbox, which refuses to start as root (as CI runs). */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
}
