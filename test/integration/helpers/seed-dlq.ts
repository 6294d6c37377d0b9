import { randomUUID } from 'node:crypto';
import { type Admin, type Kafka, Partitioners } from 'kafkajs';
import { ensureTopics } from '../../../infra/local/broker/index.js';
import { encodeFailureHeaders } from '../../../shared/domain/failure-headers.js';
import type { Topics } from '../../../shared/domain/topics.js';
import { createTestKafka } from './kafka-client.js';

/** The kinds of failure a seeded DLQ holds, in rotation: three fingerprints. */
export const SeedFailures = [
  {
    reason: 'permanent-failure',
    className: 'PermanentProcessingError',
    message: (orderId: string) => `order ${orderId} is rejected until redriven (simulate.failUntilRedriven)`,
  },
  {
    reason: 'attempts-exhausted',
    className: 'TransientProcessingError',
    message: (orderId: string) =>
      `payment gateway timed out after ${3000 + (orderId.length % 7)} ms for "${orderId}"`,
  },
  {
    reason: 'attempts-exhausted',
    className: 'InventoryError',
    message: (orderId: string) => `stock reservation ${orderId}-r failed: warehouse 7 unavailable`,
  },
] as const;

export const seedOrderId = (prefix: string, index: number): string =>
  `${prefix}-${String(index).padStart(6, '0')}`;

/**
 * Writes `count` dead-lettered orders straight to the DLQ, shaped exactly as the consumers dead-letter
 * them (failure headers, key = order id). Each order fails until redriven, so after a redrive the real
 * consumers process it once. Far faster than failing 30,000 orders through the pipeline.
 */
export const seedDlq = async (
  kafka: Kafka,
  topics: Topics,
  count: number,
  options: { prefix: string; now?: number; batch?: number } = { prefix: 'seed' },
): Promise<string[]> => {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const now = options.now ?? Date.now();
  const ids: string[] = [];
  try {
    const batch = options.batch ?? 2_000;
    for (let start = 0; start < count; start += batch) {
      const messages = [];
      for (let index = start; index < Math.min(count, start + batch); index += 1) {
        const orderId = seedOrderId(options.prefix, index);
        ids.push(orderId);
        const failure = SeedFailures[index % SeedFailures.length] ?? SeedFailures[0];
        const at = now - (count - index) * 10;
        messages.push({
          key: orderId,
          value: JSON.stringify({
            orderId,
            amount: 10 + (index % 90),
            simulate: { failUntilRedriven: true },
          }),
          headers: encodeFailureHeaders({
            eventId: `${topics.orders}:0:${index}`,
            origin: { topic: topics.orders, partition: 0, offset: index, timestamp: at },
            attempt: 1,
            firstFailureAt: at,
            lastFailureAt: at,
            error: { kind: 'permanent', className: failure.className, message: failure.message(orderId) },
            deadLetterReason: failure.reason,
          }),
        });
      }
      await producer.send({ topic: topics.dlq, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return ids;
};

export interface FreshDlq {
  readonly topics: Topics;
  readonly kafka: Kafka;
  /** Connected; `remove` disconnects it. */
  readonly admin: Admin;
  /** Deletes the topics. */
  remove(): Promise<void>;
}

/**
 * Fresh topics `<name>-<id>.v1|.retry|.dlq` (3 partitions each) with `count` dead-lettered orders in the
 * DLQ, for a test that scans a DLQ of its own.
 */
export const seedFreshDlq = async (brokers: string, name: string, count: number): Promise<FreshDlq> => {
  const id = randomUUID().slice(0, 8);
  const topics = { orders: `${name}-${id}.v1`, retry: `${name}-${id}.retry`, dlq: `${name}-${id}.dlq` };
  await ensureTopics(brokers, { topics: Object.values(topics), partitions: 3, intakeTopics: [] });
  const kafka = createTestKafka(brokers, { clientId: `${name}-test` });
  const admin = kafka.admin();
  await admin.connect();
  await seedDlq(kafka, topics, count, { prefix: `${name}-${id}` });
  return {
    topics,
    kafka,
    admin,
    remove: async () => {
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
};
