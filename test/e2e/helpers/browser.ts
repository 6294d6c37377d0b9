import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const onPath = (names: readonly string[]): string | undefined => {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (dir !== '' && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
};

/**
 * The Chromium to drive: `CHROMIUM_PATH`, else the one Playwright installed, else `chromium`,
 * `chromium-browser` or `google-chrome` on PATH, else the macOS Chrome app.
 */
export const findChromium = (): string | undefined => {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    const installed = chromium.executablePath();
    if (installed && existsSync(installed)) return installed;
  } catch {
    // No Playwright-managed browser: look further.
  }
  const found = onPath(['chromium', 'chromium-browser', 'google-chrome']);
  if (found) return found;
  const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
  return os.platform() === 'darwin' && existsSync(mac) ? mac : undefined;
};

/** Launches headless Chromium, or fails with how to install one. */
export const launchBrowser = async (): Promise<Browser> => {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    throw new Error(
      'No Chromium found for the browser tests: set CHROMIUM_PATH, or install one (apt-get install -y chromium)',
    );
  }
  return chromium.launch({ executablePath, args: chromiumArgs, headless: true });
};
