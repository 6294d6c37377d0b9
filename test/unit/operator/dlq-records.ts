import { encodeFailureHeaders } from '../../../shared/domain/failure-headers.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import { consumedRecord, T0, topics } from '../helpers/records.js';

/** A DLQ record as the consumers dead-letter it. */
export const dlqRecord = (
  options: {
    offset?: number;
    partition?: number;
    orderId?: string;
    reason?: string;
    className?: string;
    message?: string;
    timestamp?: number;
  } = {},
): ConsumedRecord => {
  const orderId = options.orderId ?? 'o-1001';
  return consumedRecord({
    topic: topics.dlq,
    partition: options.partition ?? 0,
    offset: options.offset ?? 7,
    timestamp: options.timestamp ?? T0,
    key: Buffer.from(orderId),
    value: Buffer.from(JSON.stringify({ orderId, amount: 10 })),
    headers: encodeFailureHeaders({
      eventId: `${topics.orders}:0:3`,
      origin: { topic: topics.orders, partition: 0, offset: 3, timestamp: T0 - 1_000 },
      attempt: 5,
      firstFailureAt: T0 - 1_000,
      lastFailureAt: T0,
      error: {
        kind: 'transient',
        className: options.className ?? 'TransientProcessingError',
        message: options.message ?? `payment gateway timed out for ${orderId}`,
      },
      deadLetterReason: options.reason ?? 'attempts-exhausted',
    }),
  });
};
