import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { assertSummary, batchEvent } from './batch-events.js';
import type { BatchTopics } from './batch-latency.js';
import { benchEnv, freshProcessNode } from './bench-env.js';
import type { BuiltBundle } from './bundles.js';
import { median } from './stats.js';

const run = promisify(execFile);

export interface FirstBatch {
  readonly name: string;
  /** A cold handler's first all-success batch: no publish, so no Kafka connection. */
  readonly firstBatchMs: number;
  /** A cold handler's first batch that must publish: kafkajs load and the connection included. */
  readonly firstFailureBatchMs: number;
  readonly records: number;
  readonly failures: number;
  readonly runs: number;
}

// Imports the bundle, then times its first invocation, with a context shaped like Lambda's. The
// producer stays connected after a publish, so the script exits once it has printed its figure.
const script = `
import { readFileSync } from 'node:fs';
const [bundle, eventFile] = process.argv.slice(1);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const { handler } = await import(bundle);
const deadline = Date.now() + 60_000;
const context = {
  functionName: 'bench', functionVersion: '$LATEST', memoryLimitInMB: '512', awsRequestId: 'bench',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:bench', logGroupName: 'bench',
  logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
const startedAt = performance.now();
const summary = await handler(event, context);
process.stdout.write(JSON.stringify({ ms: performance.now() - startedAt, summary }));
process.exit(0);
`;

const firstInvocation = async (bundle: string, eventFile: string) => {
  const { stdout } = await run(
    freshProcessNode(),
    ['--input-type=module', '-e', script, pathToFileURL(bundle).href, eventFile],
    { env: { ...process.env, ...benchEnv }, timeout: 60_000 },
  );
  return JSON.parse(stdout.trim()) as { ms: number; summary: unknown };
};

/**
 * For each consumer bundle, the first invocation of a fresh process: once with an all-success batch,
 * once with a batch whose failures must be published (to the per-run topics, over the real broker).
 * Median of `runs` processes each.
 */
export const measureFirstBatches = async (options: {
  bundles: readonly BuiltBundle[];
  brokers: string;
  topics: BatchTopics;
  runs: number;
  records?: number;
  failures?: number;
}): Promise<FirstBatch[]> => {
  const records = options.records ?? 1_000;
  const failures = options.failures ?? 100;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-first-batch-'));
  try {
    const results: FirstBatch[] = [];
    for (const bundle of options.bundles) {
      const success: number[] = [];
      const failing: number[] = [];
      for (let index = 0; index < options.runs; index += 1) {
        const tag = `first-${bundle.name}-${index}-${Date.now()}`;
        for (const [count, samples] of [
          [0, success],
          [failures, failing],
        ] as const) {
          const file = path.join(dir, `${tag}-${count}.json`);
          const event = batchEvent({
            brokers: options.brokers,
            topic: options.topics.orders,
            run: tag,
            sample: index,
            records,
            failures: count,
          });
          await writeFile(file, JSON.stringify(event));
          const { ms, summary } = await firstInvocation(bundle.outfile, file);
          assertSummary(summary, records, count);
          samples.push(ms);
        }
      }
      results.push({
        name: bundle.name,
        firstBatchMs: median(success),
        firstFailureBatchMs: median(failing),
        records,
        failures,
        runs: options.runs,
      });
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
