import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export type ReadMessage = KafkaMessage & {
  readonly topic: string;
  readonly partition: number;
};

export interface ReadTopicOptions {
  readonly topic: string;
  /** Stop as soon as this many messages arrived. Without it, read until the deadline. */
  readonly count?: number;
  readonly timeoutMs: number;
  /** Default: a fresh `read-topic-<uuid>`. A user limited by ACLs needs a name its grants cover. */
  readonly groupId?: string;
}

/**
 * Reads a topic from the beginning with a throwaway consumer group, until `count` messages arrived or the
 * deadline passed, and returns what it read. Returning (rather than throwing) at the deadline lets a test
 * assert both "exactly these arrived" and "nothing arrived".
 */
export const readTopic = async (kafka: Kafka, options: ReadTopicOptions): Promise<ReadMessage[]> => {
  const messages: ReadMessage[] = [];
  const consumer = kafka.consumer({
    groupId: options.groupId ?? `read-topic-${randomUUID()}`,
    // Short long-polls: disconnect() waits for the fetch in flight, and kafkajs' default is 5 s.
    maxWaitTimeInMs: 250,
  });
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const timer = setTimeout(finish, options.timeoutMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        messages.push({ ...message, topic, partition });
        if (options.count !== undefined && messages.length >= options.count) {
          finish();
        }
      },
    });
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return messages;
};
