import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  type BrowserCandidate,
  type BrowserSearchInput,
  browserCandidates,
  describeSearch,
} from './browser-candidates.js';
import { isExecutableFile } from './find-executable.js';

export type BrowserSearch =
  | { readonly found: true; readonly browser: BrowserCandidate }
  | { readonly found: false; readonly problem: string };

// Playwright's default download folders. Without one of them (and without PLAYWRIGHT_BROWSERS_PATH) it has
// installed no browser, and loading playwright-core to ask (seconds on a busy machine) can be skipped.
const playwrightCacheExists = (env: NodeJS.ProcessEnv): boolean =>
  env.PLAYWRIGHT_BROWSERS_PATH !== undefined ||
  [
    join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ms-playwright'),
    join(homedir(), 'Library', 'Caches', 'ms-playwright'),
  ].some((dir) => existsSync(dir));

// playwright-core knows the one revision it drives best; it is loaded only here, so a caller that never
// looks for a browser (npm start) does not pay for it.
const playwrightChromiumPath = async (env: NodeJS.ProcessEnv): Promise<string | undefined> => {
  if (!playwrightCacheExists(env)) return undefined;
  try {
    const { chromium } = await import('playwright-core');
    return chromium.executablePath() || undefined;
  } catch {
    // An unsupported platform: playwright-core throws instead of naming a path.
    return undefined;
  }
};

/** The environment's search input: `CHROMIUM_PATH`, Playwright's path, `PATH`, the platform. */
export const browserSearchInput = async (
  env: NodeJS.ProcessEnv = process.env,
): Promise<BrowserSearchInput> => ({
  chromiumPath: env.CHROMIUM_PATH,
  playwrightPath: env.CHROMIUM_PATH?.trim() ? undefined : await playwrightChromiumPath(env),
  pathVariable: env.PATH,
  platform: process.platform,
  homeDir: homedir(),
});

/**
 * Finds a Chromium-family browser the way the browser tests launch one, so the preflight report and the
 * tests always agree.
 */
export const findBrowser = async (env: NodeJS.ProcessEnv = process.env): Promise<BrowserSearch> => {
  const input = await browserSearchInput(env);
  const browser = browserCandidates(input).find((candidate) => isExecutableFile(candidate.path));
  return browser ? { found: true, browser } : { found: false, problem: describeSearch(input) };
};
