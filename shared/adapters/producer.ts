import { Kafka, logLevel, type Message, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import type { OutboundMessage } from '../domain/failure-routing.js';
import { splitIntoSendChunks } from '../domain/send-chunks.js';
import type { AppConfig } from './config.js';
import { resolveKafkaConfig } from './kafka-connection.js';

// One producer per configuration; a Lambda container has exactly one, tests may have several.
const connected = new Map<AppConfig, Promise<Producer>>();

const connect = async (config: AppConfig): Promise<Producer> => {
  // ERROR, not WARN: kafkajs warns that bounded retries "may invalidate EoS guarantees". That is the
  // choice made here: a send that cannot finish fails the batch, which is redelivered, and the
  // duplicates it may cause carry the same event id.
  const kafka = new Kafka({ ...(await resolveKafkaConfig(config)), logLevel: logLevel.ERROR });
  const producer = kafka.producer({
    // The Java client's murmur2 partitioner: a key lands where every other Kafka client puts it.
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    // Topics are created explicitly; a typo in a topic name must fail loudly, not create a topic.
    allowAutoTopicCreation: false,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
  await producer.connect();
  return producer;
};

/**
 * The producer of this container: created on first use and reused by every later invocation. A failed
 * connect is forgotten, so the next invocation tries again instead of inheriting a dead promise.
 */
export const getProducer = (config: AppConfig): Promise<Producer> => {
  let producer = connected.get(config);
  if (producer === undefined) {
    producer = connect(config).catch((error: unknown) => {
      connected.delete(config);
      throw error;
    });
    connected.set(config, producer);
  }
  return producer;
};

/** Disconnects the shared producers (local runner shutdown, tests). */
export const closeProducer = async (): Promise<void> => {
  const producers = [...connected.values()];
  connected.clear();
  await Promise.all(producers.map(async (producer) => (await producer.catch(() => undefined))?.disconnect()));
};

const toKafkaMessage = (message: OutboundMessage): Message => ({
  key: message.key,
  value: message.value,
  headers: message.headers,
});

/** Groups messages by topic, keeping their order within each topic. */
export const toTopicMessages = (messages: readonly OutboundMessage[]): TopicMessages[] => {
  const byTopic = new Map<string, Message[]>();
  for (const message of messages) {
    const list = byTopic.get(message.topic) ?? [];
    list.push(toKafkaMessage(message));
    byTopic.set(message.topic, list);
  }
  return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
};

/**
 * After a failed send an idempotent producer can be left unusable (an out-of-order sequence, an
 * expired producer id), so it is dropped and the next invocation connects a fresh one.
 */
const discardProducer = async (config: AppConfig, producer: Promise<Producer>): Promise<void> => {
  if (connected.get(config) === producer) connected.delete(config);
  await (await producer.catch(() => undefined))?.disconnect().catch(() => undefined);
};

/**
 * Sends all messages, batched (usually one request; consecutive requests of at most ~900 KB when the
 * records are large, so no record batch exceeds the broker's limit), and resolves only when every one
 * is acknowledged by all in-sync replicas (acks=-1). Rejects otherwise; the caller must then fail the
 * whole batch.
 */
export const publishAll = async (config: AppConfig, messages: readonly OutboundMessage[]): Promise<void> => {
  if (messages.length === 0) return;
  const pending = getProducer(config);
  const producer = await pending;
  try {
    for (const chunk of splitIntoSendChunks(messages)) {
      await producer.sendBatch({ topicMessages: toTopicMessages(chunk), acks: -1 });
    }
  } catch (error) {
    await discardProducer(config, pending);
    throw error;
  }
};
