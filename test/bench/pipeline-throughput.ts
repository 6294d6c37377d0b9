import { randomUUID } from 'node:crypto';
import { createTestKafka } from '../integration/helpers/kafka-client.js';
import { collectKeys, type KeyCollector } from '../integration/helpers/key-collector.js';
import { type Pipeline, startPipeline } from '../integration/helpers/pipeline.js';
import { waitFor } from '../integration/helpers/wait-for.js';
import { benchEnv, benchRetry } from './bench-env.js';
import { type BenchOrder, benchOrders } from './orders.js';
import { progress } from './progress.js';
import { perSecond } from './stats.js';

export interface PipelineThroughput {
  readonly orders: number;
  readonly processed: number;
  readonly deadLettered: number;
  /** Orders that needed the retry topic before they were processed. */
  readonly processedAfterRetry: number;
  readonly elapsedMs: number;
  readonly ordersPerSecond: number;
}

const warmupOrders = 200;
const produceChunk = 1_000;

/** Counts distinct processed orders with the given prefix, scanning only calls recorded since last time. */
const processedTracker = (pipeline: Pipeline, prefix: string) => {
  const ids = new Set<string>();
  let scanned = 0;
  let retried = 0;
  let lastAt = 0;
  return {
    ids,
    retried: () => retried,
    lastAt: () => lastAt,
    update: () => {
      const calls = pipeline.processed;
      for (; scanned < calls.length; scanned += 1) {
        const call = calls[scanned];
        if (call === undefined || !call.orderId.startsWith(prefix) || ids.has(call.orderId)) continue;
        ids.add(call.orderId);
        if (call.attempt > 1) retried += 1;
        lastAt = Math.max(lastAt, call.at);
      }
      return ids.size;
    },
  };
};

const produceAll = async (pipeline: Pipeline, orders: readonly BenchOrder[]) => {
  for (let start = 0; start < orders.length; start += produceChunk) {
    await pipeline.produce(orders.slice(start, start + produceChunk));
  }
};

/**
 * Orders per second from the first produce to the last conclusive outcome (processed, or in the DLQ),
 * through the local event-source runner and both real consumer handlers, on fresh topics. A warm-up
 * batch goes through first, so group joins and producer connections are not in the timed window.
 */
export const measurePipelineThroughput = async (options: {
  brokers: string;
  orders: number;
  timeoutMs?: number;
}): Promise<PipelineThroughput> => {
  const pipeline = await startPipeline({
    brokers: options.brokers,
    env: { ...benchEnv },
    retryBackoffMs: { initial: benchRetry.baseDelayMs, max: benchRetry.maxDelayMs },
  });
  let dlq: KeyCollector | undefined;
  try {
    dlq = await collectKeys(
      createTestKafka(options.brokers, { clientId: 'bench-dlq-reader' }),
      pipeline.topics.dlq,
    );
    const run = randomUUID().slice(0, 8);

    const warmup = processedTracker(pipeline, `warm-${run}-`);
    await produceAll(pipeline, benchOrders(`warm-${run}`, warmupOrders, false));
    await waitFor(() => warmup.update() >= warmupOrders, {
      timeoutMs: 60_000,
      description: `${warmupOrders} warm-up orders`,
    });
    progress(`pipeline: warm-up done (${warmupOrders} orders), timing ${options.orders} orders`);

    const prefix = `bench-${run}-`;
    const orders = benchOrders(`bench-${run}`, options.orders);
    const tracker = processedTracker(pipeline, prefix);
    const conclusive = () =>
      tracker.update() + [...(dlq?.counts.keys() ?? [])].filter((id) => id.startsWith(prefix)).length;
    const startedAt = Date.now();
    await produceAll(pipeline, orders);
    progress(`pipeline: produced ${orders.length} orders in ${Date.now() - startedAt} ms`);
    let lastReport = Date.now();
    await waitFor(
      () => {
        const done = conclusive();
        if (Date.now() - lastReport >= 2_000) {
          progress(`pipeline: ${done}/${options.orders} conclusive`);
          lastReport = Date.now();
        }
        return done >= options.orders;
      },
      { timeoutMs: options.timeoutMs ?? 240_000, intervalMs: 100, description: `${options.orders} outcomes` },
    );
    const finishedAt = Math.max(tracker.lastAt(), dlq.lastTimestamp());
    const elapsedMs = finishedAt - startedAt;
    const deadLettered = [...dlq.counts.keys()].filter((id) => id.startsWith(prefix)).length;
    progress(`pipeline: ${options.orders}/${options.orders} conclusive in ${elapsedMs} ms`);
    return {
      orders: options.orders,
      processed: tracker.ids.size,
      deadLettered,
      processedAfterRetry: tracker.retried(),
      elapsedMs,
      ordersPerSecond: perSecond(options.orders, elapsedMs),
    };
  } finally {
    await dlq?.stop();
    await pipeline.stop();
  }
};
