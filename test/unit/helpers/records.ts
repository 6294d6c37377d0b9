import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import type { RetryPolicy } from '../../../shared/domain/retry-policy.js';
import type { Topics } from '../../../shared/domain/topics.js';

export const topics = {
  orders: 'orders.v1',
  retry: 'orders.retry',
  dlq: 'orders.dlq',
} as const satisfies Topics;

export const policy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
} as const satisfies RetryPolicy;

/** A fixed wall clock, in ms, well after any timestamp the fixtures carry. */
export const T0 = 1_750_000_000_000;

export const orderValue = (order: Record<string, unknown>): Buffer =>
  Buffer.from(JSON.stringify(order), 'utf8');

/** A record as `decodeKafkaEvent` would give it; fresh on `orders.v1` unless told otherwise. */
export const consumedRecord = (overrides: Partial<ConsumedRecord> = {}): ConsumedRecord => ({
  topic: topics.orders,
  partition: 0,
  offset: 15,
  timestamp: T0 - 60_000,
  key: Buffer.from('o-1001'),
  value: orderValue({ orderId: 'o-1001', amount: 42.5 }),
  headers: {},
  ...overrides,
});

/** Sum of header name and value bytes: what the headers add to a Kafka record. */
export const headerBytes = (headers: Readonly<Record<string, Buffer>>): number =>
  Object.entries(headers).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + value.byteLength, 0);
