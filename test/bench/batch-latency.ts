import { randomUUID } from 'node:crypto';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { createLambdaContext } from '../../infra/local/runner/lambda-context.js';
import type { LambdaKafkaEvent } from '../../shared/domain/kafka-event.js';
import { assertSummary, batchEvent } from './batch-events.js';
import { progress } from './progress.js';
import { percentile } from './stats.js';

export interface BatchLatency {
  readonly records: number;
  readonly failures: number;
  readonly samplesMs: readonly number[];
  readonly p50: number;
  readonly p95: number;
}

/** The per-run topics of the batch figures; the handler's configuration points at them. */
export interface BatchTopics {
  readonly orders: string;
  readonly retry: string;
  readonly dlq: string;
}

export type BenchHandler = (
  event: LambdaKafkaEvent,
  context: ReturnType<typeof createLambdaContext>,
) => unknown;

/**
 * Creates per-run topics and points the handlers' environment at them. The handlers read their
 * configuration once, on their first call, so this must come before the first `getConfig()`.
 */
export const prepareBatchTopics = async (brokers: string): Promise<BatchTopics> => {
  const run = randomUUID().slice(0, 8);
  const topics = { orders: `bench-${run}.v1`, retry: `bench-${run}.retry`, dlq: `bench-${run}.dlq` };
  await ensureTopics(brokers, { topics: Object.values(topics), partitions: 3 });
  Object.assign(process.env, {
    KAFKA_BROKERS: brokers,
    KAFKA_SECURITY_PROTOCOL: 'plaintext',
    TOPIC_ORDERS: topics.orders,
    TOPIC_RETRY: topics.retry,
    TOPIC_DLQ: topics.dlq,
  });
  return topics;
};

/**
 * Times `handler` (the main consumer's, functions/main-consumer/handler.ts, unless told otherwise) on
 * `SelfManagedKafka` events of `records` records, `failures` of which fail transiently and are
 * published to the retry topic by the real producer, acks=all.
 */
export const measureBatchLatency = async (options: {
  brokers: string;
  topics: BatchTopics;
  handler: BenchHandler;
  samples: number;
  warmup?: number;
  records?: number;
  failures?: number;
  label?: string;
}): Promise<BatchLatency> => {
  const records = options.records ?? 1_000;
  const failures = options.failures ?? 100;
  const run = randomUUID().slice(0, 8);
  const warmup = options.warmup ?? 3;
  const samplesMs: number[] = [];
  for (let sample = 0; sample < warmup + options.samples; sample += 1) {
    const event = batchEvent({
      brokers: options.brokers,
      topic: options.topics.orders,
      run,
      sample,
      records,
      failures,
    });
    const context = createLambdaContext('mainConsumer', 60, 512);
    const startedAt = performance.now();
    const summary: unknown = await options.handler(event, context);
    const elapsed = performance.now() - startedAt;
    assertSummary(summary, records, failures);
    if (sample >= warmup) samplesMs.push(elapsed);
  }
  progress(
    `${options.label ?? 'batch'}: ${options.samples} timed batches of ${records} records after ${warmup} warm-up`,
  );
  return { records, failures, samplesMs, p50: percentile(samplesMs, 50), p95: percentile(samplesMs, 95) };
};
