import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { readConfig } from '../../shared/adapters/config.js';
import { RedriveSendBudget } from '../../shared/adapters/operator-kafka.js';
import { createBoundedPublisher, SendWindowError } from '../../shared/adapters/producer.js';
import type { OutboundMessage } from '../../shared/domain/failure-routing.js';
import { createTestKafka } from './helpers/kafka-client.js';

const brokers = inject('kafkaBrokers');
const kafka = createTestKafka(brokers, { quiet: true });

const endSum = async (topic: string): Promise<number> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, { offset }) => sum + Number(offset), 0);
  } finally {
    await admin.disconnect();
  }
};

// Large values, so a send goes as several requests of at most ~900 KB each.
const messages = (topic: string, count: number): OutboundMessage[] =>
  Array.from({ length: count }, (_, index) => ({
    topic,
    key: Buffer.from(`o-${index}`),
    value: Buffer.alloc(200 * 1024, 120),
    headers: {},
  }));

describe('the redrive publisher', () => {
  it('sends nothing once the window to start has passed, and everything while it is open', async () => {
    // Prepare
    const topic = `bounded-${randomUUID().slice(0, 8)}`;
    await ensureTopics(brokers, { topics: [topic], partitions: 1 });
    const publisher = createBoundedPublisher(readConfig({ KAFKA_BROKERS: brokers }), RedriveSendBudget);

    try {
      // Act
      const late = publisher.publish(messages(topic, 12), Date.now() - 1);
      await expect(late).rejects.toThrow(SendWindowError);
      await expect(late).rejects.toThrow(/after 0 of 12 records were sent/);
      const lateEnd = await endSum(topic);
      await publisher.publish(messages(topic, 12), Date.now() + 60_000);

      // Assess
      expect(lateEnd).toBe(0);
      expect(await endSum(topic)).toBe(12);
    } finally {
      await publisher.close();
    }
  });

  it('starts no retry after the window, so a record is never appended late', async () => {
    // Prepare: a topic that does not exist yet, so the first attempt fails and kafkajs retries; the
    // topic appears while the retries go on, and an unpatched retry would then send the record.
    const topic = `bounded-late-${randomUUID().slice(0, 8)}`;
    const publisher = createBoundedPublisher(readConfig({ KAFKA_BROKERS: brokers }), RedriveSendBudget);

    try {
      // Act
      const sending = publisher.publish(messages(topic, 1), Date.now() + 50);
      const refused = sending.then(
        () => undefined,
        (error: unknown) => error,
      );
      await ensureTopics(brokers, { topics: [topic], partitions: 1 });
      const error = await refused;
      await new Promise<void>((resolve) => setTimeout(resolve, 3_000));

      // Assess
      expect(error).toBeInstanceOf(SendWindowError);
      expect(await endSum(topic)).toBe(0);
    } finally {
      await publisher.close();
    }
  });
});
