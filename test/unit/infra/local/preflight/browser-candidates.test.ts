import { describe, expect, it } from 'vitest';
import {
  BrowserSource,
  browserCandidates,
  describeSearch,
} from '../../../../../infra/local/preflight/browser-candidates.js';

const linux = { platform: 'linux', homeDir: '/home/u', pathVariable: '/usr/local/bin:/usr/bin' } as const;

describe('browserCandidates', () => {
  it('uses CHROMIUM_PATH alone when it is set', () => {
    // Act
    const candidates = browserCandidates({
      ...linux,
      chromiumPath: ' /opt/chrome/chrome ',
      playwrightPath: '/pw',
    });

    // Assess
    expect(candidates).toEqual([{ source: BrowserSource.env, path: '/opt/chrome/chrome' }]);
  });

  it('tries Playwright first, then each name across PATH in turn', () => {
    // Act
    const candidates = browserCandidates({ ...linux, playwrightPath: '/pw/chrome' });

    // Assess
    expect(candidates.map((candidate) => candidate.path)).toEqual([
      '/pw/chrome',
      '/usr/local/bin/chromium',
      '/usr/bin/chromium',
      '/usr/local/bin/chromium-browser',
      '/usr/bin/chromium-browser',
      '/usr/local/bin/google-chrome',
      '/usr/bin/google-chrome',
    ]);
  });

  it('adds the macOS Chrome and Chromium apps last on macOS only', () => {
    // Act
    const mac = browserCandidates({ ...linux, platform: 'darwin', pathVariable: '' });
    const onLinux = browserCandidates({ ...linux, pathVariable: '' });

    // Assess
    expect(mac).toEqual([
      { source: BrowserSource.macApp, path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome' },
      { source: BrowserSource.macApp, path: '/Applications/Chromium.app/Contents/MacOS/Chromium' },
      {
        source: BrowserSource.macApp,
        path: '/home/u/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      },
      { source: BrowserSource.macApp, path: '/home/u/Applications/Chromium.app/Contents/MacOS/Chromium' },
    ]);
    expect(onLinux).toEqual([]);
  });
});

describe('describeSearch', () => {
  it('names every place it looked', () => {
    // Act
    const text = describeSearch({ ...linux, playwrightPath: '/pw/chrome' });

    // Assess
    expect(text).toBe(
      'CHROMIUM_PATH is not set; no Playwright Chromium at /pw/chrome; none of chromium, chromium-browser, google-chrome on PATH',
    );
  });

  it('blames CHROMIUM_PATH when it names no executable', () => {
    // Act
    const text = describeSearch({ ...linux, chromiumPath: '/nope' });

    // Assess
    expect(text).toBe('CHROMIUM_PATH=/nope is not an executable file');
  });
});
