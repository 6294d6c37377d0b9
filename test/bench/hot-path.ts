import { randomUUID } from 'node:crypto';
import { createLambdaContext } from '../../infra/local/runner/lambda-context.js';
import { buildSelfManagedKafkaEvent } from '../../infra/local/runner/lambda-event.js';
import { getConfig } from '../../shared/adapters/config.js';
import { createConsumerHandler } from '../../shared/consumer/consumer-handler.js';
import { defaultProcessingConcurrency } from '../../shared/consumer/process-batch.js';
import type { LambdaKafkaEvent } from '../../shared/domain/kafka-event.js';
import { assertSummary, batchEvent } from './batch-events.js';
import {
  type BatchLatency,
  type BatchTopics,
  type BenchHandler,
  measureBatchLatency,
} from './batch-latency.js';
import { benchOrder } from './orders.js';
import { median } from './stats.js';

export interface PerRecord {
  readonly records: number;
  readonly samples: number;
  /** The warm main handler on an all-success batch (no publish), per record. */
  readonly handlerUs: number;
  /** base64-decoding and `JSON.parse` of the same values in a bare loop, per record. */
  readonly floorUs: number;
}

/**
 * The warm main handler's cost per record on batches that need no publish, against the floor of
 * decoding the same records. Each sample is a fresh event; its building is outside the timer.
 */
export const measurePerRecord = async (options: {
  brokers: string;
  topics: BatchTopics;
  handler: BenchHandler;
  samples: number;
  records?: number;
}): Promise<PerRecord> => {
  const records = options.records ?? 1_000;
  const run = randomUUID().slice(0, 8);
  const handlerUs: number[] = [];
  const floorUs: number[] = [];
  const warmup = 5;
  let sink = 0;
  for (let sample = 0; sample < warmup + options.samples; sample += 1) {
    const event = batchEvent({
      brokers: options.brokers,
      topic: options.topics.orders,
      run,
      sample,
      records,
      failures: 0,
    });
    const context = createLambdaContext('mainConsumer', 60, 512);
    const startedAt = performance.now();
    const summary: unknown = await options.handler(event, context);
    const handlerMs = performance.now() - startedAt;
    assertSummary(summary, records, 0);
    const floorStartedAt = performance.now();
    for (const list of Object.values(event.records)) {
      for (const record of list) {
        const order = JSON.parse(Buffer.from(record.value ?? '', 'base64').toString('utf8')) as {
          amount: number;
        };
        sink += order.amount;
      }
    }
    const floorMs = performance.now() - floorStartedAt;
    if (sample >= warmup) {
      handlerUs.push((handlerMs * 1000) / records);
      floorUs.push((floorMs * 1000) / records);
    }
  }
  if (!Number.isFinite(sink)) throw new Error('the floor loop parsed no amounts');
  return { records, samples: options.samples, handlerUs: median(handlerUs), floorUs: median(floorUs) };
};

export interface IoBound {
  readonly records: number;
  readonly keys: number;
  readonly waitMs: number;
  readonly concurrency: number;
  readonly sequentialMs: number;
  readonly concurrentMs: number;
  readonly speedup: number;
}

/** A batch of `records` records over `keys` distinct keys, in offset order. */
const ioEvent = (
  brokers: string,
  topic: string,
  run: string,
  records: number,
  keys: number,
): LambdaKafkaEvent =>
  buildSelfManagedKafkaEvent(
    brokers,
    topic,
    0,
    Array.from({ length: records }, (_, offset) => {
      const order = benchOrder(`io-${run}-${offset % keys}`, offset, false);
      return {
        key: order.key,
        value: order.value,
        timestamp: String(Date.now()),
        attributes: 0,
        offset: String(offset),
        headers: {},
      };
    }),
  );

/**
 * A processing step that waits `waitMs` (a payment API, say) on a batch of 100 records over 50 keys:
 * the batch time with `PROCESSING_CONCURRENCY=1` divided by the time with the default. Median of
 * `runs` batches each.
 */
export const measureIoBound = async (options: {
  brokers: string;
  topics: BatchTopics;
  runs: number;
  records?: number;
  keys?: number;
  waitMs?: number;
}): Promise<IoBound> => {
  const records = options.records ?? 100;
  const keys = options.keys ?? 50;
  const waitMs = options.waitMs ?? 5;
  const processOrder = () => new Promise<void>((resolve) => setTimeout(resolve, waitMs));
  const timeAt = async (concurrency: number): Promise<number> => {
    const handler = createConsumerHandler({
      role: 'main',
      processOrder,
      config: { ...getConfig(), processingConcurrency: concurrency },
    });
    const samples: number[] = [];
    for (let index = 0; index < options.runs + 1; index += 1) {
      const event = ioEvent(options.brokers, options.topics.orders, randomUUID().slice(0, 8), records, keys);
      const startedAt = performance.now();
      assertSummary(await handler(event, createLambdaContext('mainConsumer', 60, 512)), records, 0);
      // The first batch warms the handler up.
      if (index > 0) samples.push(performance.now() - startedAt);
    }
    return median(samples);
  };
  const sequentialMs = await timeAt(1);
  const concurrentMs = await timeAt(defaultProcessingConcurrency);
  return {
    records,
    keys,
    waitMs,
    concurrency: defaultProcessingConcurrency,
    sequentialMs,
    concurrentMs,
    speedup: sequentialMs / concurrentMs,
  };
};

/**
 * `batch_ms` with the handler logging at INFO: a line per record and per failure. The lines are
 * built and serialised by Powertools as on Lambda; their write to stdout and stderr is swallowed here, so the
 * bench's own output stays readable, and the bytes are counted.
 */
export const measureBatchLatencyAtInfo = async (options: {
  brokers: string;
  topics: BatchTopics;
  samples: number;
}): Promise<BatchLatency & { readonly logBytesPerBatch: number }> => {
  const previousLevel = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  // The logger reads its level when it is created, so this handler logs at INFO; same config, same producer.
  const handler = createConsumerHandler({ role: 'main', config: getConfig() });
  if (previousLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = previousLevel;
  // Powertools writes INFO to stdout and WARN to stderr; both are counted and swallowed.
  let bytes = 0;
  const swallow = ((chunk: string | Uint8Array) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  }) as typeof process.stdout.write;
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = swallow;
  process.stderr.write = swallow;
  try {
    const warmup = 3;
    const latency = await measureBatchLatency({ ...options, handler, warmup, label: 'batch (INFO)' });
    return { ...latency, logBytesPerBatch: bytes / (warmup + options.samples) };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
};
