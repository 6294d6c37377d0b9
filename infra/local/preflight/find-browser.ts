import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import {
  type BrowserCandidate,
  type BrowserSearchInput,
  browserCandidates,
  describeSearch,
} from './browser-candidates.js';

export type BrowserSearch =
  | { readonly found: true; readonly browser: BrowserCandidate }
  | { readonly found: false; readonly problem: string };

const isExecutableFile = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

// playwright-core knows the one revision it drives best; it is loaded only here, so a caller that never
// looks for a browser (npm start) does not pay for it.
const playwrightChromiumPath = async (): Promise<string | undefined> => {
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
  playwrightPath: env.CHROMIUM_PATH?.trim() ? undefined : await playwrightChromiumPath(),
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
