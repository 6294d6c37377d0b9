import { encodeFailureHeaders } from '../../../shared/domain/failure-headers.js';
import type { OutboundMessage } from '../../../shared/domain/failure-routing.js';
import type { Pipeline } from './pipeline.js';

/**
 * Dead-lettered orders as the consumers write them: a valid order value, keyed by its id, with the
 * failure headers of a permanent failure from `orders`. Written straight to the DLQ, so a test gets
 * thousands of them in a second instead of waiting for the pipeline to fail each one.
 */
export const dlqMessages = (
  pipeline: Pipeline,
  options: {
    readonly prefix: string;
    readonly count: number;
    readonly errorMessage: (index: number) => string;
  },
): OutboundMessage[] => {
  const now = Date.now();
  return Array.from({ length: options.count }, (_, index) => {
    const orderId = `${options.prefix}-${index}`;
    return {
      topic: pipeline.topics.dlq,
      key: Buffer.from(orderId),
      value: Buffer.from(JSON.stringify({ orderId, amount: 10 + (index % 90) })),
      headers: encodeFailureHeaders({
        eventId: `${pipeline.topics.orders}:0:${index}`,
        origin: { topic: pipeline.topics.orders, partition: 0, offset: index, timestamp: now - 60_000 },
        attempt: 1,
        firstFailureAt: now - 60_000,
        lastFailureAt: now - 60_000 + index,
        error: {
          kind: 'permanent',
          className: 'PermanentProcessingError',
          message: options.errorMessage(index),
        },
        deadLetterReason: 'permanent-failure',
      }),
    };
  });
};
