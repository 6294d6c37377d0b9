import { type Browser, chromium } from 'playwright-core';
import { findBrowser } from '../../../infra/local/preflight/find-browser.js';

// Flags for a headless run on a CI container or a laptop: no sandbox (containers run as root), and none of
// the background traffic a first run would otherwise start.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/**
 * Launches a headless Chromium-family browser, found in this order: `CHROMIUM_PATH`, a Playwright-installed
 * Chromium, `chromium` / `chromium-browser` / `google-chrome` on PATH, the macOS Chrome app. It is the same
 * search `npm run doctor` reports, so the two always agree.
 */
export const launchBrowser = async (): Promise<Browser> => {
  const search = await findBrowser();
  if (!search.found) {
    throw new Error(
      `No Chromium-family browser for the browser tests: ${search.problem}. Run \`npm run doctor\` for the install commands.`,
    );
  }
  return chromium.launch({ executablePath: search.browser.path, args: [...CHROMIUM_ARGS], headless: true });
};
