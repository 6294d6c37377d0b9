import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { median } from './stats.js';

export interface PackageUnpack {
  /** The function's files deflated as in its zip (level 9), summed: about the zip's size. */
  readonly compressedKb: number;
  /** Inflating every file and writing it to a fresh directory, median of the runs. */
  readonly unpackMs: number;
}

/**
 * What a bigger zip costs every cold start, as far as a laptop can time it: Lambda downloads the
 * package and unpacks it before the runtime starts, so a function's files are inflated and written
 * here the same way (the download itself cannot be timed here). `dir` holds the function's files as
 * serverless-esbuild zips them; `node_modules` (the runtime's stand-in) is left out.
 */
export const measurePackageUnpack = async (dir: string, runs: number): Promise<PackageUnpack> => {
  const names = (await readdir(dir)).filter((name) => name !== 'node_modules');
  const files = await Promise.all(
    names.map(async (name) => ({
      name,
      deflated: deflateRawSync(await readFile(path.join(dir, name)), { level: 9 }),
    })),
  );
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const target = await mkdtemp(path.join(os.tmpdir(), 'bench-unpack-'));
    try {
      const startedAt = performance.now();
      for (const file of files) await writeFile(path.join(target, file.name), inflateRawSync(file.deflated));
      samples.push(performance.now() - startedAt);
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  }
  return {
    compressedKb: files.reduce((sum, file) => sum + file.deflated.byteLength, 0) / 1024,
    unpackMs: median(samples),
  };
};
