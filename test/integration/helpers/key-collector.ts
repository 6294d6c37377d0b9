import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';

export interface KeyCollector {
  /** How often each record key has been seen so far. */
  readonly counts: ReadonlyMap<string, number>;
  /** The broker timestamp of the newest record seen so far (0 before the first). */
  lastTimestamp(): number;
  stop(): Promise<void>;
}

/** Follows a topic from the beginning in a throwaway group and counts the records per key, live. */
export const collectKeys = async (kafka: Kafka, topic: string): Promise<KeyCollector> => {
  const counts = new Map<string, number>();
  let lastTimestamp = 0;
  const consumer = kafka.consumer({ groupId: `key-collector-${randomUUID()}`, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      counts.set(key, (counts.get(key) ?? 0) + 1);
      lastTimestamp = Math.max(lastTimestamp, Number(message.timestamp));
    },
  });
  return { counts, lastTimestamp: () => lastTimestamp, stop: () => consumer.disconnect() };
};
