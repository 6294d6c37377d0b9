import { encodeFailureHeaders, type FailureState } from '../../../shared/domain/failure-headers.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import { consumedRecord, T0, topics } from '../helpers/records.js';

/** A record as the pipeline dead-letters it, with the failure contract's headers. */
export const dlqRecord = (
  offset: number,
  overrides: Partial<FailureState> = {},
  record: Partial<ConsumedRecord> = {},
): ConsumedRecord =>
  consumedRecord({
    topic: topics.dlq,
    partition: 0,
    offset,
    key: Buffer.from(`o-${offset}`),
    headers: encodeFailureHeaders({
      eventId: `orders.v1:0:${offset}`,
      origin: { topic: topics.orders, partition: 0, offset, timestamp: T0 - 60_000 },
      attempt: 1,
      firstFailureAt: T0 - 50_000,
      lastFailureAt: T0 - 50_000,
      error: {
        kind: 'permanent',
        className: 'PermanentProcessingError',
        message: `order o-${offset} is rejected`,
      },
      deadLetterReason: 'permanent-failure',
      ...overrides,
    }),
    ...record,
  });
