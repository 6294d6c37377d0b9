import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { createLambdaContext } from '../../infra/local/runner/lambda-context.js';
import { buildSelfManagedKafkaEvent } from '../../infra/local/runner/lambda-event.js';
import { benchOrder } from './orders.js';
import { progress } from './progress.js';
import { percentile } from './stats.js';

export interface BatchLatency {
  readonly records: number;
  readonly failures: number;
  readonly samplesMs: readonly number[];
  readonly p50: number;
  readonly p95: number;
}

interface Summary {
  readonly processed: number;
  readonly retried: number;
}

const isSummary = (value: unknown): value is Summary =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Summary).processed === 'number' &&
  typeof (value as Summary).retried === 'number';

/** `records` messages at offsets from `firstOffset`; every (records / failures)-th one fails transiently. */
const batchMessages = (
  run: string,
  firstOffset: number,
  records: number,
  failures: number,
): KafkaMessage[] => {
  const every = Math.floor(records / failures);
  return Array.from({ length: records }, (_, index) => {
    const offset = firstOffset + index;
    const order = benchOrder(`batch-${run}-${offset}`, offset, index % every === 0);
    return {
      key: order.key,
      value: order.value,
      timestamp: String(Date.now()),
      attributes: 0,
      offset: String(offset),
      headers: {},
    };
  });
};

/**
 * Times the main consumer's real handler (functions/main-consumer/handler.ts) on one `SelfManagedKafka`
 * event of `records` records, `failures` of which fail transiently and are published to the retry topic
 * by the real producer, acks=all, on per-run topics. The handler reads its configuration once, on its
 * first call, so this must be the first caller of `getConfig()` in the process.
 */
export const measureBatchLatency = async (options: {
  brokers: string;
  samples: number;
  warmup?: number;
  records?: number;
  failures?: number;
}): Promise<BatchLatency> => {
  const records = options.records ?? 1_000;
  const failures = options.failures ?? 100;
  const run = randomUUID().slice(0, 8);
  const topics = { orders: `bench-${run}.v1`, retry: `bench-${run}.retry`, dlq: `bench-${run}.dlq` };
  await ensureTopics(options.brokers, { topics: Object.values(topics), partitions: 3 });
  Object.assign(process.env, {
    KAFKA_BROKERS: options.brokers,
    KAFKA_SECURITY_PROTOCOL: 'plaintext',
    TOPIC_ORDERS: topics.orders,
    TOPIC_RETRY: topics.retry,
    TOPIC_DLQ: topics.dlq,
  });
  const { handler } = await import('../../functions/main-consumer/handler.js');
  const { closeProducer } = await import('../../shared/adapters/producer.js');

  try {
    const warmup = options.warmup ?? 3;
    const samplesMs: number[] = [];
    for (let index = 0; index < warmup + options.samples; index += 1) {
      const messages = batchMessages(run, index * records, records, failures);
      const event = buildSelfManagedKafkaEvent(options.brokers, topics.orders, index % 3, messages);
      const context = createLambdaContext('mainConsumer', 60, 512);
      const startedAt = performance.now();
      const summary: unknown = await handler(event, context);
      const elapsed = performance.now() - startedAt;
      if (!isSummary(summary) || summary.processed !== records - failures || summary.retried !== failures) {
        throw new Error(`unexpected batch summary: ${JSON.stringify(summary)}`);
      }
      if (index >= warmup) samplesMs.push(elapsed);
    }
    progress(`batch: ${options.samples} timed batches of ${records} records after ${warmup} warm-up`);
    return { records, failures, samplesMs, p50: percentile(samplesMs, 50), p95: percentile(samplesMs, 95) };
  } finally {
    await closeProducer();
  }
};
