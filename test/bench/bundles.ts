import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Format, type Platform } from 'esbuild';
import { parse } from 'yaml';
import { repoRoot } from '../../infra/local/runner/serverless-functions.js';
import { benchEnv } from './bench-env.js';
import { progress } from './progress.js';
import { median } from './stats.js';

const run = promisify(execFile);

export interface FunctionBundle {
  readonly name: string;
  readonly entry: string;
  readonly kb: number;
  readonly coldInitSamplesMs: readonly number[];
  readonly coldInitMs: number;
}

interface EsbuildSettings {
  readonly minify: boolean;
  readonly target: string;
  readonly platform: Platform;
  readonly format: Format;
  readonly banner: string;
  readonly external: string[];
}

type Yaml = Record<string, unknown>;
const asObject = (value: unknown): Yaml =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Yaml) : {};

/** The `custom.esbuild` settings serverless-esbuild packages with, and each function's handler file. */
const readServerless = async () => {
  const document = asObject(
    parse(await readFile(path.join(repoRoot, 'serverless.yml'), 'utf8'), { logLevel: 'error' }),
  );
  const esbuild = asObject(asObject(document.custom).esbuild);
  if (esbuild.bundle !== true)
    throw new Error('serverless.yml: custom.esbuild.bundle is expected to be true');
  const settings: EsbuildSettings = {
    minify: esbuild.minify === true,
    target: String(esbuild.target ?? 'node22'),
    platform: String(esbuild.platform ?? 'node') as Platform,
    format: String(esbuild.format ?? 'esm') as Format,
    banner: String(asObject(esbuild.banner).js ?? ''),
    external: Array.isArray(esbuild.exclude) ? esbuild.exclude.map(String) : [],
  };
  const functions = Object.entries(asObject(document.functions)).map(([name, definition]) => {
    // `functions/main-consumer/handler.handler` → `functions/main-consumer/handler.ts`
    const handler = String(asObject(definition).handler ?? '');
    return { name, entry: `${handler.slice(0, handler.lastIndexOf('.'))}.ts` };
  });
  return { settings, functions };
};

/**
 * Times `await import(bundle)` in a fresh Node process: reading, parsing and evaluating the bundle and
 * everything it imports at load, which is what a cold start adds before the first invocation.
 */
const coldInitMs = async (bundle: string): Promise<number> => {
  const script =
    'const t0 = performance.now(); await import(process.argv[1]); ' +
    'process.stdout.write(String(performance.now() - t0));';
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, pathToFileURL(bundle).href],
    {
      env: { ...process.env, ...benchEnv },
      timeout: 60_000,
    },
  );
  const value = Number(stdout.trim());
  if (!Number.isFinite(value)) throw new Error(`cold init of ${bundle} printed '${stdout.trim()}'`);
  return value;
};

/**
 * Bundles each function of serverless.yml whose handler file exists, with the same esbuild settings
 * serverless-esbuild uses, and measures its minified size and its cold init (median of `runs` processes).
 */
export const measureBundles = async (options: { runs: number }): Promise<FunctionBundle[]> => {
  const { settings, functions } = await readServerless();
  const outdir = await mkdtemp(path.join(os.tmpdir(), 'bench-bundles-'));
  try {
    // The Lambda runtime provides the excluded `@aws-sdk/*`; here the repo's node_modules stands in for it.
    await symlink(path.join(repoRoot, 'node_modules'), path.join(outdir, 'node_modules'), 'dir');
    const results: FunctionBundle[] = [];
    for (const fn of functions) {
      if (!existsSync(path.join(repoRoot, fn.entry))) {
        progress(`bundles: ${fn.name} skipped, ${fn.entry} does not exist`);
        continue;
      }
      const outfile = path.join(outdir, `${fn.name}.mjs`);
      await build({
        entryPoints: [path.join(repoRoot, fn.entry)],
        outfile,
        bundle: true,
        minify: settings.minify,
        sourcemap: false,
        platform: settings.platform,
        target: settings.target,
        format: settings.format,
        banner: { js: settings.banner },
        external: settings.external,
        logLevel: 'error',
      });
      const kb = (await stat(outfile)).size / 1024;
      const samples: number[] = [];
      for (let index = 0; index < options.runs; index += 1) samples.push(await coldInitMs(outfile));
      progress(`bundles: ${fn.name} ${kb.toFixed(1)} KB, cold init median ${median(samples).toFixed(1)} ms`);
      results.push({
        name: fn.name,
        entry: fn.entry,
        kb,
        coldInitSamplesMs: samples,
        coldInitMs: median(samples),
      });
    }
    return results;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
};
