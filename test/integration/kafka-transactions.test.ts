import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { readConfig } from '../../shared/adapters/config.js';
import { scanTopic } from '../../shared/adapters/topic-scan.js';
import { RedriveTransactionalIdPrefix } from '../../shared/contract/topics.js';
import { createTestKafka } from './helpers/kafka-client.js';

// Proves that kafkajs 2.2.4 transactions work against the pinned Kafka 4.1.1 (the redrive ledger
// writes each chunk's entries in one), and shows why a re-published record is not sent inside one: an
// aborted transaction's records are still delivered to a read_uncommitted consumer.
describe('kafkajs transactions against the pinned Kafka broker', () => {
  const brokers = inject('kafkaBrokers');
  const config = readConfig({ KAFKA_BROKERS: brokers });
  let kafka: Kafka;
  let admin: Admin;
  let producers: Producer[] = [];

  const createTopic = async (): Promise<string> => {
    const topic = `txn-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
    return topic;
  };

  const transactional = async (): Promise<Producer> => {
    const producer = kafka.producer({
      transactionalId: `${RedriveTransactionalIdPrefix}test-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    producers.push(producer);
    await producer.connect();
    return producer;
  };

  const keysIn = async (topic: string, readUncommitted: boolean): Promise<string[]> => {
    const keys: string[] = [];
    await scanTopic(config, { topic, readUncommitted }, (record) => {
      keys.push(record.key?.toString('utf8') ?? '');
    });
    return keys.sort();
  };

  beforeAll(async () => {
    kafka = createTestKafka(brokers, { clientId: 'kafka-transactions-test' });
    admin = kafka.admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(producers.map((producer) => producer.disconnect()));
    producers = [];
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('makes a committed transaction across two topics visible to a read-committed reader as a whole', async () => {
    // Prepare
    const [first, second] = [await createTopic(), await createTopic()];
    const producer = await transactional();

    // Act
    const transaction = await producer.transaction();
    await transaction.send({
      topic: first,
      acks: -1,
      messages: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    });
    await transaction.send({ topic: second, acks: -1, messages: [{ key: 'c', value: '3' }] });
    await transaction.commit();

    // Assess
    expect(await keysIn(first, false)).toEqual(['a', 'b']);
    expect(await keysIn(second, false)).toEqual(['c']);
  });

  it('hides an aborted transaction from a read-committed reader and shows it to a read-uncommitted one', async () => {
    // Prepare
    const topic = await createTopic();
    const producer = await transactional();
    const committed = await producer.transaction();
    await committed.send({ topic, acks: -1, messages: [{ key: 'kept', value: '1' }] });
    await committed.commit();

    // Act
    const aborted = await producer.transaction();
    await aborted.send({ topic, acks: -1, messages: [{ key: 'aborted', value: '2' }] });
    await aborted.abort();

    // Assess
    expect(await keysIn(topic, false)).toEqual(['kept']);
    expect(await keysIn(topic, true)).toEqual(['aborted', 'kept']);
  });

  it('fences a producer whose transactional id a newer producer took over', async () => {
    // Prepare
    const topic = await createTopic();
    const transactionalId = `${RedriveTransactionalIdPrefix}test-${randomUUID()}`;
    const old = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
    producers.push(old);
    await old.connect();
    const stale = await old.transaction();
    await stale.send({ topic, acks: -1, messages: [{ key: 'zombie', value: '1' }] });

    // Act
    const fresh = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
    producers.push(fresh);
    await fresh.connect();
    const current = await fresh.transaction();
    await current.send({ topic, acks: -1, messages: [{ key: 'current', value: '2' }] });
    await current.commit();

    // Assess
    await expect(stale.commit()).rejects.toThrow();
    expect(await keysIn(topic, false)).toEqual(['current']);
  });
});
