import {
  Kafka,
  logLevel,
  type Message,
  Partitioners,
  type Producer,
  type ProducerBatch,
  type TopicMessages,
} from 'kafkajs';
import type { OutboundMessage } from '../domain/failure-routing.js';
import { splitIntoSendChunks } from '../domain/send-chunks.js';
import { createClientCache } from './client-cache.js';
import type { AppConfig } from './config.js';
import { resolveKafkaConfig } from './kafka-connection.js';

/**
 * How long one send request may take, retries included: kafkajs gives each attempt `requestTimeoutMs`
 * and waits at most `maxRetryTimeMs` between attempts.
 */
export interface SendBudget {
  readonly requestTimeoutMs: number;
  readonly retries: number;
  readonly maxRetryTimeMs: number;
}

/** The consumers': a broker restart (tens of seconds) is ridden out before a batch fails. */
export const ConsumerSendBudget: SendBudget = { requestTimeoutMs: 15_000, retries: 5, maxRetryTimeMs: 5_000 };

/** The longest one send request can take under `budget`, every attempt timing out. */
export const sendBudgetMs = (budget: SendBudget): number =>
  (budget.retries + 1) * budget.requestTimeoutMs + budget.retries * budget.maxRetryTimeMs;

const connect = async (config: AppConfig, budget: SendBudget): Promise<Producer> => {
  // ERROR, not WARN: kafkajs warns that bounded retries "may invalidate EoS guarantees". That is the
  // choice made here: a send that cannot finish fails the batch, which is redelivered, and the
  // duplicates it may cause carry the same event id.
  const kafka = new Kafka({
    ...(await resolveKafkaConfig(config)),
    requestTimeout: budget.requestTimeoutMs,
    logLevel: logLevel.ERROR,
  });
  const producer = kafka.producer({
    // The Java client's murmur2 partitioner: a key lands where every other Kafka client puts it.
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    // Topics are created explicitly; a typo in a topic name must fail loudly, not create a topic.
    allowAutoTopicCreation: false,
    retry: { retries: budget.retries, initialRetryTime: 200, maxRetryTime: budget.maxRetryTimeMs },
  });
  await producer.connect();
  return producer;
};

const producers = createClientCache(
  (config) => connect(config, ConsumerSendBudget),
  (producer) => producer.disconnect(),
);

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
 * A send cut short by its window: a request or a retry would have started after `startBy`. What was
 * acknowledged stays; of the rest, only a request started in time (and timed out) may have been appended.
 */
export class SendWindowError extends Error {
  override readonly name = 'SendWindowError';
}

/**
 * Sends all messages in order over `producer`, batched (usually one request; consecutive requests of at
 * most ~900 KB when the records are large, so no record batch exceeds the broker's limit), each
 * acknowledged by all in-sync replicas (acks=-1) before the next. With `startBy`, a request that would
 * start later is not sent (`SendWindowError`).
 */
const sendInOrder = async (
  producer: Producer,
  messages: readonly OutboundMessage[],
  startBy?: number,
): Promise<void> => {
  let sent = 0;
  for (const chunk of splitIntoSendChunks(messages)) {
    if (startBy !== undefined && Date.now() > startBy) {
      throw new SendWindowError(
        `send not started: its window closed ${Date.now() - startBy} ms ago, after ${sent} of ${messages.length} records were sent`,
      );
    }
    try {
      // `startBy` reaches kafkajs' own retries (patches/kafkajs+2.2.4.patch): none starts after it.
      await producer.sendBatch({ topicMessages: toTopicMessages(chunk), acks: -1, startBy } as ProducerBatch);
    } catch (error) {
      if (isWindowClosed(error)) {
        throw new SendWindowError(
          `send not finished: a retry would have started after its window, after ${sent} of ${messages.length} records were acknowledged`,
          { cause: error },
        );
      }
      throw error;
    }
    sent += chunk.length;
  }
};

// The patched kafkajs' refusal to start an attempt past `startBy`, on the error or one it wraps.
const isWindowClosed = (error: unknown): boolean => {
  let cause = error;
  for (let depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    if (cause.name === 'KafkaJSSendWindowClosed') return true;
    cause = cause.cause;
  }
  return false;
};

/**
 * Sends all messages and resolves only when every one is acknowledged by all in-sync replicas. Rejects
 * otherwise; the caller must then fail the whole batch.
 */
export const publishAll = async (config: AppConfig, messages: readonly OutboundMessage[]): Promise<void> => {
  if (messages.length === 0) return;
  const pending = producers.get(config);
  const producer = await pending;
  try {
    await sendInOrder(producer, messages);
  } catch (error) {
    // An idempotent producer can be left unusable by a failed send (an out-of-order sequence, an
    // expired producer id): drop it, so the redelivered batch gets a fresh one.
    await producers.discard(config, pending);
    throw error;
  }
};

export interface BoundedPublisher {
  /** `publishAll`, with every request started by `startBy` (ms since the epoch) when given. */
  publish(messages: readonly OutboundMessage[], startBy?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A producer of its own whose every request ends within `sendBudgetMs(budget)`: the redrive's, whose
 * resume waits out a writer's sends and so needs them bounded (shared/operator/intent-liveness.ts).
 */
export const createBoundedPublisher = (config: AppConfig, budget: SendBudget): BoundedPublisher => {
  let pending: Promise<Producer> | undefined;
  const drop = async (): Promise<void> => {
    const stale = pending;
    pending = undefined;
    await stale?.then((producer) => producer.disconnect()).catch(() => undefined);
  };
  return {
    publish: async (messages, startBy) => {
      if (messages.length === 0) return;
      pending ??= connect(config, budget).catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      try {
        await sendInOrder(await pending, messages, startBy);
      } catch (error) {
        // As in publishAll: a failed send may leave the idempotent producer unusable; a window that
        // closed after a timed-out request too (its sequence numbers may or may not have been appended).
        await drop();
        throw error;
      }
    },
    close: drop,
  };
};
