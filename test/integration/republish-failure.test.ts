import { afterEach, describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../../infra/local/broker/index.js';
import { FailureHeader } from '../../shared/domain/failure-headers.js';
import { createTestKafka } from './helpers/kafka-client.js';
import { headerText, orderMessage, type Pipeline, startPipeline } from './helpers/pipeline.js';
import { readTopic } from './helpers/read-topic.js';
import { waitFor } from './helpers/wait-for.js';

const brokers = inject('kafkaBrokers');
const kafka = createTestKafka(brokers, { quiet: true });

const committedOffsetSum = async (groupId: string, topic: string): Promise<number> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (result?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
};

describe('a re-publish that fails', () => {
  let pipeline: Pipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('fails the batch while the DLQ topic is missing, and loses nothing once it exists', async () => {
    // Prepare: the DLQ topic does not exist, and auto-creation is off, so every send to it fails
    pipeline = await startPipeline({
      brokers,
      skipTopics: ['dlq'],
      retryBackoffMs: { initial: 500, max: 2_000 },
    });
    const ids = ['o-lost-1', 'o-lost-2', 'o-lost-3'];
    const groupId = `orders-main-consumer-${pipeline.topics.orders.split('-')[1]?.split('.')[0]}`;

    // Act: permanent failures must go to the missing topic
    await pipeline.produce(ids.map((id) => orderMessage(id, { simulate: { permanentFailure: true } })));
    await waitFor(() => pipeline && pipeline.calls.length >= 2 * ids.length, {
      timeoutMs: 60_000,
      description: 'the batch delivered at least twice',
    });
    const committedWhileFailing = await committedOffsetSum(groupId, pipeline.topics.orders);
    await ensureTopics(brokers, { topics: [pipeline.topics.dlq], partitions: 3 });
    const dead = await readTopic(kafka, { topic: pipeline.topics.dlq, count: ids.length, timeoutMs: 60_000 });

    // Assess
    expect(committedWhileFailing).toBe(0);
    expect(dead.map((message) => message.key?.toString()).sort()).toEqual(ids);
    expect(
      dead.every((m) => headerText(m.headers)[FailureHeader.deadLetterReason] === 'permanent-failure'),
    ).toBe(true);
    await waitFor(
      async () => (await committedOffsetSum(groupId, pipeline?.topics.orders ?? '')) === ids.length,
      {
        timeoutMs: 30_000,
        description: 'offsets committed after recovery',
      },
    );
  });
});
