import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSaslSslKafka, createTestKafka } from './helpers/kafka-client.js';
import { readTopic } from './helpers/read-topic.js';
import { waitFor } from './helpers/wait-for.js';

// Proves that kafkajs 2.2.4 (the client the Lambdas use) speaks to the pinned Kafka 4.1.1. Kafka 4 removed
// many old protocol versions (KIP-896), so this is the first place an incompatibility would show.
// A long-poll fetch in flight delays disconnect() by up to this long; kafkajs' 5 s default slows every test.
const FETCH_WAIT_MS = 250;

describe('kafkajs against the pinned Kafka broker', () => {
  const brokers = inject('kafkaBrokers');
  const saslSsl = inject('kafkaSaslSsl');
  let kafka: Kafka;
  let admin: Admin;
  // Every client a test opens is registered here and closed after it, pass or fail.
  let openClients: Array<Producer | Consumer | Admin> = [];
  const track = <T extends Producer | Consumer | Admin>(client: T): T => {
    openClients.push(client);
    return client;
  };

  const createTopic = async (partitions = 3): Promise<string> => {
    const topic = `compat-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
    return topic;
  };

  beforeAll(async () => {
    kafka = createTestKafka(brokers, { clientId: 'kafka-compat-test' });
    admin = kafka.admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(openClients.map((client) => client.disconnect()));
    openClients = [];
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('produces with acks=-1 from an idempotent producer and consumes in a group that commits offsets', async () => {
    // Prepare
    const topic = await createTopic();
    const groupId = `compat-group-${randomUUID()}`;
    const producer = track(kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
    const consumer = track(kafka.consumer({ groupId, maxWaitTimeInMs: FETCH_WAIT_MS }));
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `order-${i % 7}`, value: `payload-${i}` }));
    const received: string[] = [];

    // Act
    await producer.send({ topic, acks: -1, messages: sent });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message.value?.toString() ?? '');
      },
    });
    await waitFor(() => received.length >= sent.length, { timeoutMs: 30_000, description: 'all 30 records' });
    // Leaving the group commits the offsets of everything eachMessage resolved.
    await consumer.disconnect();

    // Assess
    expect(received.sort()).toEqual(sent.map((message) => message.value).sort());
    const committed = await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const total = offsets?.partitions.reduce((sum, p) => sum + Math.max(Number(p.offset), 0), 0) ?? 0;
        return total === sent.length ? total : undefined;
      },
      { timeoutMs: 10_000, description: 'committed offsets covering every record' },
    );
    expect(committed).toBe(sent.length);
  });

  it('creates a topic, reports its offsets and deletes it through the admin API', async () => {
    // Prepare
    const topic = await createTopic(2);
    const producer = track(kafka.producer());
    await producer.connect();

    // Act
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { partition: 0, value: 'a' },
        { partition: 0, value: 'b' },
        { partition: 1, value: 'c' },
      ],
    });
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.deleteTopics({ topics: [topic] });

    // Assess
    expect(
      offsets
        .map(({ partition, low, high }) => ({ partition, low, high }))
        .sort((a, b) => a.partition - b.partition),
    ).toEqual([
      { partition: 0, low: '0', high: '2' },
      { partition: 1, low: '0', high: '1' },
    ]);
    await waitFor(async () => !(await admin.listTopics()).includes(topic), {
      timeoutMs: 15_000,
      description: `topic ${topic} to disappear`,
    });
  });

  it('describes a consumer group with its active member', async () => {
    // Prepare
    const topic = await createTopic(1);
    const groupId = `compat-group-${randomUUID()}`;
    const consumer = track(kafka.consumer({ groupId, maxWaitTimeInMs: FETCH_WAIT_MS }));
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    await consumer.connect();
    await consumer.subscribe({ topic });
    await consumer.run({ eachMessage: async () => undefined });
    await waitFor(() => joined, { timeoutMs: 30_000, description: 'the consumer to join its group' });

    // Act
    const { groups } = await admin.describeGroups([groupId]);

    // Assess
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer' });
    expect(groups[0]?.members).toHaveLength(1);
  });

  it('accepts a 1 MB record with headers', async () => {
    // Prepare
    const topic = await createTopic(1);
    const producer = track(kafka.producer());
    await producer.connect();
    const value = Buffer.alloc(1_000_000, 'x');
    const headers = { 'x-error-stack': 's'.repeat(8_000), 'x-event-id': randomUUID() };

    // Act
    await producer.send({ topic, acks: -1, messages: [{ key: 'big', value, headers }] });
    const [message] = await readTopic(kafka, { topic, count: 1, timeoutMs: 30_000 });

    // Assess
    expect(message?.value?.length).toBe(value.length);
    expect(message?.headers?.['x-event-id']?.toString()).toBe(headers['x-event-id']);
  });

  it('refuses to auto-create a topic that does not exist', async () => {
    // Prepare
    const topic = `compat-missing-${randomUUID()}`;
    const quiet = createTestKafka(brokers, { quiet: true });
    const producer = track(quiet.producer({ allowAutoTopicCreation: true, retry: { retries: 1 } }));
    await producer.connect();

    // Act
    const attempt = producer.send({ topic, acks: -1, messages: [{ value: 'lost?' }] });

    // Assess
    await expect(attempt).rejects.toThrow(/topic|partition/i);
    expect(await admin.listTopics()).not.toContain(topic);
  });

  // The global setup always opens this listener on the local broker; only a KAFKA_BROKERS cluster (or a
  // broker started with KAFKA_SASL_SSL_PORT=off) comes without one, and then there is nothing to connect to.
  it.runIf(saslSsl !== null)(
    'connects through the SASL_SSL listener with SCRAM-SHA-512 and the local CA',
    async () => {
      // Prepare
      if (saslSsl === null) throw new Error('unreachable: guarded by runIf');
      const topic = await createTopic(1);
      const secure = createSaslSslKafka(saslSsl);
      const producer = track(secure.producer({ idempotent: true, maxInFlightRequests: 1 }));
      const wrongPassword = track(
        createSaslSslKafka({ ...saslSsl, password: 'not-the-password' }, { quiet: true }).admin(),
      );

      // Act
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'over-tls' }] });
      const [message] = await readTopic(secure, { topic, count: 1, timeoutMs: 30_000 });

      // Assess
      expect(message?.value?.toString()).toBe('over-tls');
      await expect(wrongPassword.connect()).rejects.toThrow(/SASL|authentication/i);
    },
  );
});
