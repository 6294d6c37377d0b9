import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type AppConfig, getConfig } from '../adapters/config.js';
import { publishAllLazily } from '../adapters/lazy-publish.js';
import { createLogger } from '../adapters/logger.js';
import { createMetrics, recordBatchMetrics } from '../adapters/metrics.js';
import type { BatchSummary } from '../domain/batch-summary.js';
import { decodeKafkaEvent, type LambdaKafkaEvent } from '../domain/kafka-event.js';
import { processOrder as defaultProcessOrder, type ProcessOrder } from '../domain/process-order.js';
import { systemClock } from './clock.js';
import { processBatch } from './process-batch.js';

export interface ConsumerHandlerOptions {
  /** `main` consumes orders.v1; `retry` consumes orders.retry and honours due times. */
  readonly role: 'main' | 'retry';
  readonly processOrder?: ProcessOrder;
  readonly config?: AppConfig;
}

// Kept back from the remaining time for the final acknowledged send: kafkajs gives up on a dead broker
// within about this long (5 retries capped at 5 s), so the function fails instead of timing out.
const publishReserveMs = 10_000;

/**
 * Builds a Kafka-triggered Lambda handler. Both consumer functions are this handler with a different
 * role; everything they do lives in `processBatch`.
 */
export const createConsumerHandler = (options: ConsumerHandlerOptions) => {
  const processOrder = options.processOrder ?? defaultProcessOrder;
  const logger = createLogger();
  const metrics = createMetrics();

  const handle = async (event: LambdaKafkaEvent, context: Context): Promise<BatchSummary> => {
    const config = options.config ?? getConfig();
    const startedAt = Date.now();
    const records = decodeKafkaEvent(event);
    try {
      const summary = await processBatch(
        records,
        {
          processOrder,
          policy: config.retryPolicy,
          topics: config.topics,
          publish: (messages) => publishAllLazily(config, messages),
          logger,
          clock: systemClock,
          random: Math.random,
        },
        {
          waitUntilDue: options.role === 'retry',
          remainingTimeMs: () => context.getRemainingTimeInMillis(),
          reserveMs: publishReserveMs,
          concurrency: config.processingConcurrency,
        },
      );
      recordBatchMetrics(metrics, summary);
      const { deadLetteredByReason, ...counts } = summary;
      logger.info('batch complete', {
        ...counts,
        topic: records[0]?.topic,
        partitions: [...new Set(records.map((record) => `${record.topic}-${record.partition}`))].join(','),
        durationMs: Date.now() - startedAt,
      });
      return summary;
    } catch (error) {
      // Throwing makes the event source deliver the same batch again; nothing has been committed.
      logger.error('batch failed; it will be delivered again', { error, records: records.length });
      throw error;
    }
  };

  return middy(handle)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};
