import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { perSecond } from './stats.js';

export interface KafkajsConsumeResult {
  readonly records: number;
  /** From the group join to the last record: the figure compared with the pipeline. */
  readonly perSecond: number;
  readonly elapsedMs: number;
  /** From `run()` to the group join. */
  readonly joinMs: number;
}

/**
 * A bare kafkajs consumer group reading `records` records of `topic` from the beginning and doing nothing
 * per message but count it: the ceiling any kafkajs-based runner on this machine works under.
 */
export const measureKafkajsConsume = async (options: {
  brokers: string;
  topic: string;
  records: number;
  timeoutMs?: number;
}): Promise<KafkajsConsumeResult> => {
  const kafka = new Kafka({
    clientId: 'bench-kafkajs',
    brokers: options.brokers.split(','),
    logLevel: logLevel.ERROR,
  });
  const consumer = kafka.consumer({
    groupId: `bench-kafkajs-${randomUUID()}`,
    allowAutoTopicCreation: false,
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    const startedAt = performance.now();
    let joinedAt: number | undefined;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joinedAt ??= performance.now();
    });
    let seen = 0;
    let finish: (at: number) => void = () => undefined;
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<number>((resolve, reject) => {
      finish = resolve;
      timer = setTimeout(
        () => reject(new Error(`kafkajs read ${seen} of ${options.records} records in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const _message of batch.messages) seen += 1;
        if (seen >= options.records) finish(performance.now());
      },
    });
    const finishedAt = await done.finally(() => clearTimeout(timer));
    const from = joinedAt ?? startedAt;
    const elapsedMs = finishedAt - from;
    return {
      records: seen,
      perSecond: perSecond(seen, elapsedMs),
      elapsedMs,
      joinMs: from - startedAt,
    };
  } finally {
    await consumer.disconnect();
  }
};
