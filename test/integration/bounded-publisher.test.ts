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
});
