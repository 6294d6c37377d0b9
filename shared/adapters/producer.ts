import { Kafka, logLevel, type Message, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import type { OutboundMessage } from '../domain/failure-routing.js';
import { splitIntoSendChunks } from '../domain/send-chunks.js';
import { createClientCache } from './client-cache.js';
import type { AppConfig } from './config.js';
import { resolveKafkaConfig } from './kafka-connection.js';

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

const producers = createClientCache(connect, (producer) => producer.disconnect());

/** Disconnects the shared producers (local runner shutdown, tests). */
export const closeProducer = (): Promise<void> => producers.closeAll();

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
 * Sends all messages, batched (usually one request; consecutive requests of at most ~900 KB when the
 * records are large, so no record batch exceeds the broker's limit), and resolves only when every one
 * is acknowledged by all in-sync replicas (acks=-1). Rejects otherwise; the caller must then fail the
 * whole batch.
 */
export const publishAll = async (config: AppConfig, messages: readonly OutboundMessage[]): Promise<void> => {
  if (messages.length === 0) return;
  const pending = producers.get(config);
  const producer = await pending;
  try {
    for (const chunk of splitIntoSendChunks(messages)) {
      await producer.sendBatch({ topicMessages: toTopicMessages(chunk), acks: -1 });
    }
  } catch (error) {
    // An idempotent producer can be left unusable by a failed send (an out-of-order sequence, an
    // expired producer id): drop it, so the redelivered batch gets a fresh one.
    await producers.discard(config, pending);
    throw error;
  }
};
