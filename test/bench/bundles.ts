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
import { benchEnv, freshProcessNode } from './bench-env.js';
import { progress } from './progress.js';
import { median } from './stats.js';

const run = promisify(execFile);

export interface FunctionBundle {
  readonly name: string;
  readonly entry: string;
  readonly kb: number;
  readonly coldInitSamplesMs: readonly number[];
  readonly coldInitMs: number;
  /** The CPU time of the same imports, median. */
  readonly coldInitCpuMs: number;
}

export interface EsbuildSettings {
  readonly minify: boolean;
  readonly target: string;
  readonly platform: Platform;
  readonly format: Format;
  readonly banner: string;
  readonly external: string[];
  /** esbuild `splitting`: what `import()` loads becomes a chunk beside the handler. */
  readonly splitting: boolean;
  readonly chunkNames?: string;
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
    splitting: esbuild.splitting === true,
    ...(typeof esbuild.chunkNames === 'string' ? { chunkNames: esbuild.chunkNames } : {}),
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
 * everything it imports at load, which is what a cold start adds before the first invocation. Wall
 * time, and the CPU time the process spent on it: on a shared machine the wall time also counts the
 * waits for a core, while a Lambda sandbox has its CPU to itself.
 */
const coldInit = async (bundle: string): Promise<{ wallMs: number; cpuMs: number }> => {
  const script =
    'const c0 = process.cpuUsage(); const t0 = performance.now(); await import(process.argv[1]); ' +
    'const wall = performance.now() - t0; const cpu = process.cpuUsage(c0); ' +
    "process.stdout.write(wall + ' ' + (cpu.user + cpu.system) / 1000);";
  const { stdout } = await run(
    freshProcessNode(),
    ['--input-type=module', '-e', script, pathToFileURL(bundle).href],
    {
      env: { ...process.env, ...benchEnv },
      timeout: 60_000,
    },
  );
  const [wallMs, cpuMs] = stdout.trim().split(' ').map(Number);
  if (!Number.isFinite(wallMs) || !Number.isFinite(cpuMs)) {
    throw new Error(`cold init of ${bundle} printed '${stdout.trim()}'`);
  }
  return { wallMs: wallMs as number, cpuMs: cpuMs as number };
};

const coldInitMs = async (bundle: string): Promise<number> => (await coldInit(bundle)).wallMs;

export interface BuiltBundle {
  readonly name: string;
  readonly entry: string;
  /** The handler file (`handler.mjs`): what a cold start loads, with the chunks it imports statically. */
  readonly outfile: string;
  /** The handler file's size; with splitting, the lazily loaded chunks are not in it. */
  readonly kb: number;
}

/** How a comparison build differs from serverless.yml's settings. */
export interface BundleVariant {
  readonly splitting: boolean;
  readonly external: readonly string[];
}

export interface BuiltBundles {
  readonly bundles: readonly BuiltBundle[];
  readonly settings: EsbuildSettings;
  /** Builds a one-off entry with the same settings (the SDK comparison); returns its file. */
  build(name: string, contents: string, external: readonly string[]): Promise<string>;
  /** Builds a function's entry with serverless.yml's settings but for `variant`; returns the handler file. */
  buildVariant(bundle: BuiltBundle, variant: BundleVariant): Promise<string>;
  /** Deletes the bundles. */
  remove(): Promise<void>;
}

/**
 * Bundles each function of serverless.yml whose handler file exists, with the same esbuild settings
 * serverless-esbuild uses, into a temporary directory whose node_modules stands in for the runtime's.
 */
export const buildBundles = async (): Promise<BuiltBundles> => {
  const { settings, functions } = await readServerless();
  const outdir = await mkdtemp(path.join(os.tmpdir(), 'bench-bundles-'));
  // The Lambda runtime provides the excluded `@aws-sdk/*`; here the repo's node_modules stands in for it.
  await symlink(path.join(repoRoot, 'node_modules'), path.join(outdir, 'node_modules'), 'dir');
  const options = (external: readonly string[]) => ({
    bundle: true,
    minify: settings.minify,
    sourcemap: false,
    platform: settings.platform,
    target: settings.target,
    format: settings.format,
    banner: { js: settings.banner },
    external: [...external],
    logLevel: 'error' as const,
  });
  // Each function in a directory of its own, as serverless-esbuild builds it; the chunks sit beside it.
  const buildFunction = async (entry: string, dir: string, variant: BundleVariant): Promise<string> => {
    await build({
      ...options(variant.external),
      entryPoints: [path.join(repoRoot, entry)],
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      ...(variant.splitting
        ? { splitting: true, ...(settings.chunkNames ? { chunkNames: settings.chunkNames } : {}) }
        : {}),
    });
    return path.join(dir, `${path.basename(entry, '.ts')}.mjs`);
  };
  const bundles: BuiltBundle[] = [];
  for (const fn of functions) {
    if (!existsSync(path.join(repoRoot, fn.entry))) {
      progress(`bundles: ${fn.name} skipped, ${fn.entry} does not exist`);
      continue;
    }
    const outfile = await buildFunction(fn.entry, path.join(outdir, fn.name), {
      splitting: settings.splitting,
      external: settings.external,
    });
    bundles.push({ ...fn, outfile, kb: (await stat(outfile)).size / 1024 });
  }
  return {
    bundles,
    settings,
    build: async (name, contents, external) => {
      const outfile = path.join(outdir, `${name}.mjs`);
      await build({
        ...options(external),
        stdin: { contents, resolveDir: repoRoot, loader: 'ts' },
        outfile,
      });
      return outfile;
    },
    buildVariant: (bundle, variant) =>
      buildFunction(
        bundle.entry,
        path.join(
          outdir,
          `${bundle.name}-${variant.splitting ? 'split' : 'one-file'}-${variant.external.length}`,
        ),
        variant,
      ),
    remove: () => rm(outdir, { recursive: true, force: true }),
  };
};

/** Measures each built bundle's size and its cold init (median of `runs` fresh processes). */
export const measureBundles = async (
  built: BuiltBundles,
  options: { runs: number },
): Promise<FunctionBundle[]> => {
  const results: FunctionBundle[] = [];
  for (const bundle of built.bundles) {
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    for (let index = 0; index < options.runs; index += 1) {
      const { wallMs, cpuMs } = await coldInit(bundle.outfile);
      samples.push(wallMs);
      cpuSamples.push(cpuMs);
    }
    progress(
      `bundles: ${bundle.name} ${bundle.kb.toFixed(1)} KB, cold init median ${median(samples).toFixed(1)} ms`,
    );
    results.push({
      name: bundle.name,
      entry: bundle.entry,
      kb: bundle.kb,
      coldInitSamplesMs: samples,
      coldInitMs: median(samples),
      coldInitCpuMs: median(cpuSamples),
    });
  }
  return results;
};

/** The cold import of one file, median of `runs` fresh processes (exported for the SDK comparison). */
export const medianColdImportMs = async (file: string, runs: number): Promise<number> => {
  const samples: number[] = [];
  for (let index = 0; index < runs; index += 1) samples.push(await coldInitMs(file));
  return median(samples);
};
