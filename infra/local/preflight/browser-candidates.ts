import { delimiter, join } from 'node:path';

/** The ways a Chromium-family browser is found, in the order they are tried. */
export const BrowserSource = {
  env: 'CHROMIUM_PATH',
  playwright: 'Playwright-installed Chromium',
  path: 'PATH',
  macApp: 'macOS app',
} as const;
export type BrowserSource = (typeof BrowserSource)[keyof typeof BrowserSource];

export const PATH_BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;

const MAC_APPS = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
] as const;

export interface BrowserCandidate {
  readonly source: BrowserSource;
  readonly path: string;
}

export interface BrowserSearchInput {
  /** `CHROMIUM_PATH`, when set. It is used alone: a path the user named must work, or the search fails. */
  readonly chromiumPath?: string;
  /** Where this repository's playwright-core would have installed its Chromium, when it can say. */
  readonly playwrightPath?: string;
  /** The `PATH` variable. */
  readonly pathVariable?: string;
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;
}

/**
 * Every path to try, in order: `CHROMIUM_PATH`; Playwright's own Chromium; `chromium`, `chromium-browser`,
 * `google-chrome` on PATH (each name across PATH before the next, as `which` would); the macOS Chrome and
 * Chromium apps, system-wide and per user.
 */
export const browserCandidates = (input: BrowserSearchInput): BrowserCandidate[] => {
  const named = input.chromiumPath?.trim();
  if (named) return [{ source: BrowserSource.env, path: named }];
  const candidates: BrowserCandidate[] = [];
  if (input.playwrightPath) candidates.push({ source: BrowserSource.playwright, path: input.playwrightPath });
  const dirs = (input.pathVariable ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of PATH_BROWSER_NAMES) {
    for (const dir of dirs) candidates.push({ source: BrowserSource.path, path: join(dir, name) });
  }
  if (input.platform === 'darwin') {
    for (const root of ['/Applications', join(input.homeDir, 'Applications')]) {
      for (const app of MAC_APPS) candidates.push({ source: BrowserSource.macApp, path: join(root, app) });
    }
  }
  return candidates;
};

/** One line that says where the search looked, for a "not found" message. */
export const describeSearch = (input: BrowserSearchInput): string => {
  const named = input.chromiumPath?.trim();
  if (named) return `CHROMIUM_PATH=${named} is not an executable file`;
  const places = [
    'CHROMIUM_PATH is not set',
    input.playwrightPath ? `no Playwright Chromium at ${input.playwrightPath}` : 'no Playwright Chromium',
    `none of ${PATH_BROWSER_NAMES.join(', ')} on PATH`,
  ];
  if (input.platform === 'darwin')
    places.push('no Google Chrome.app or Chromium.app in /Applications or ~/Applications');
  return places.join('; ');
};
