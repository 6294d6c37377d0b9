import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { OperatorGroupPrefix } from '../contract/topics.js';
import type { ConsumedRecord } from '../domain/kafka-event.js';
import type { AppConfig } from './config.js';
import { resolveKafkaConfig } from './kafka-connection.js';
import { toRecord } from './topic-reader.js';

/** Per partition (as a string), an offset. */
export type Offsets = Record<string, number>;

export interface ScanBounds {
  /** Per partition, the first offset read; a partition not named starts at its low watermark. */
  readonly from?: Readonly<Offsets>;
  /** Per partition, the offset the scan stops before; default the end offsets when the scan starts. */
  readonly to?: Readonly<Offsets>;
  /** Instead of `from`: the first offsets at or after this time, looked up by the broker. */
  readonly fromTime?: number;
  /** Only these partitions; default all. */
  readonly partitions?: readonly number[];
}

export interface ScanSummary {
  readonly scanned: number;
  /** Per partition, the `[from, to)` offsets the scan covered. */
  readonly window: Record<string, { from: number; to: number }>;
}

export interface ScanOptions extends ScanBounds {
  readonly topic: string;
  readonly signal?: AbortSignal;
  /** Read records of aborted transactions too (a redrive's recovery must see everything written). */
  readonly readUncommitted?: boolean;
  /** Called once, before the first record, with the range that will be read. */
  readonly onStart?: (window: Readonly<Record<string, { from: number; to: number }>>) => void;
}

export class ScanAbortedError extends Error {
  constructor() {
    super('scan cancelled');
    this.name = 'ScanAbortedError';
  }
}

/**
 * Streams a topic range with bounded memory, in offset order within each partition. kafkajs cannot
 * assign partitions by hand, so the scan joins a fresh `orders-ui-` group (never committing), seeks
 * every partition to its start on join, and stops each partition at its end. Memory holds one fetch
 * (kafkajs' `maxBytes`) at a time: the next fetch waits for `onRecord` to finish the batch.
 */
export const scanTopic = async (
  config: AppConfig,
  options: ScanOptions,
  onRecord: (record: ConsumedRecord) => void | Promise<void>,
): Promise<ScanSummary> => {
  const kafka = new Kafka({ ...(await resolveKafkaConfig(config)), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  let window: Record<string, { from: number; to: number }>;
  try {
    window = await scanWindow(admin, options);
  } finally {
    await admin.disconnect();
  }
  const pending = new Set(
    Object.entries(window)
      .filter(([, span]) => span.from < span.to)
      .map(([partition]) => Number(partition)),
  );
  let scanned = 0;
  let failed = false;
  let heartbeatAt = Date.now();
  options.onStart?.(window);
  if (pending.size === 0) return { scanned, window };
  options.signal?.throwIfAborted();

  const consumer = kafka.consumer({
    groupId: `${OperatorGroupPrefix}scan-${randomUUID()}`,
    maxWaitTimeInMs: 200,
    allowAutoTopicCreation: false,
    readUncommitted: options.readUncommitted ?? false,
    // One partition's fetch at a time keeps memory to about this much per partition. kafkajs decodes a
    // whole fetch before handing any of it over; a smaller fetch leaves fewer records alive across a
    // young-generation GC (a 1 MiB fetch made a 100,000-record scan cost about a quarter more CPU).
    maxBytesPerPartition: 256 * 1024,
    maxBytes: 8 * 1024 * 1024,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
  });
  // Promise.withResolvers is Node 22+; the engines field allows Node 20.
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const finished = new Promise<void>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  const markDone = (partition: number): void => {
    if (!pending.delete(partition)) return;
    consumer.pause([{ topic: options.topic, partitions: [partition] }]);
    if (pending.size === 0) resolve();
  };
  const onAbort = () => reject(new ScanAbortedError());
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Fired for every fetched batch, including one holding only transaction markers or aborted records,
  // which never reach eachBatch: the only reliable way to see that a partition reached its end.
  //
  // Only a batch that held records at or after the fetch offset counts (`firstOffset` set): for an empty
  // fetch kafkajs reports the high watermark as `lastOffset`, which a read-committed fetch stopped at
  // the last stable offset has not reached, and taking it would end the scan before records it owes.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const span = window[String(payload.partition)];
    if (span === undefined || payload.firstOffset === null || payload.firstOffset === undefined) return;
    if (Number(payload.lastOffset) + 1 >= span.to) markDone(payload.partition);
  });
  // kafkajs restarts the consumer itself after a retriable crash (e.g. the coordinator still loading).
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) reject(payload.error);
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    // After a rejoin (a slow chunk outlived the session), continue where each partition got to.
    const position = new Map<number, number>();
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = payload.memberAssignment[options.topic] ?? [];
      for (const partition of assigned) {
        const span = window[String(partition)];
        if (span !== undefined && pending.has(partition)) {
          const offset = position.get(partition) ?? span.from;
          consumer.seek({ topic: options.topic, partition, offset: String(offset) });
        } else {
          consumer.pause([{ topic: options.topic, partitions: [partition] }]);
        }
      }
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const span = window[String(batch.partition)];
        if (failed || span === undefined || !pending.has(batch.partition)) return;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset < span.from) continue;
          if (offset >= span.to) break;
          if (failed || options.signal?.aborted) return;
          scanned += 1;
          try {
            // Awaited only when it returns a promise: a microtask per record is a real cost at 100k.
            const pending = onRecord(toRecord(batch.topic, batch.partition, message));
            if (pending !== undefined) await heartbeatingUntil(pending, heartbeat);
          } catch (error) {
            // Thrown out of eachBatch, kafkajs would retry the batch; the scan fails instead.
            failed = true;
            reject(error);
            return;
          }
          position.set(batch.partition, offset + 1);
          // A slow consumer (a rate-limited redrive) keeps its membership; kafkajs throttles the
          // request itself, this only spares the call on every record.
          if (Date.now() - heartbeatAt > 1_000) {
            heartbeatAt = Date.now();
            await heartbeat();
          }
        }
      },
    });
    await finished;
    return { scanned, window };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => undefined);
  }
};

/**
 * Waits for `work`, heartbeating meanwhile: one record's handler may wait long (a rate-limited redrive,
 * a worker thread's batch of them) and the scan's group membership must outlast it. A heartbeat that
 * fails (the group rebalanced) does not cut the work short; the loop's next heartbeat meets it again.
 */
const heartbeatingUntil = async (work: Promise<void>, heartbeat: () => Promise<void>): Promise<void> => {
  let finished = false;
  const done = work.finally(() => {
    finished = true;
  });
  while (!finished) {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, heartbeatEveryMs);
    });
    await Promise.race([done.catch(() => undefined), tick]);
    clearTimeout(timer);
    if (!finished) await heartbeat().catch(() => undefined);
  }
  await done;
};

const heartbeatEveryMs = 2_000;

/** The offsets a scan covers, per partition, clamped to what the topic still holds. */
const scanWindow = async (
  admin: Admin,
  options: ScanOptions,
): Promise<Record<string, { from: number; to: number }>> => {
  const offsets = await admin.fetchTopicOffsets(options.topic);
  const atTime =
    options.fromTime === undefined
      ? undefined
      : await admin.fetchTopicOffsetsByTimestamp(options.topic, options.fromTime);
  const window: Record<string, { from: number; to: number }> = {};
  for (const { partition, low, high } of offsets) {
    if (options.partitions !== undefined && !options.partitions.includes(partition)) continue;
    const key = String(partition);
    const lowest = Number(low);
    const end = Number(high);
    const timed = atTime?.find((entry) => entry.partition === partition);
    const requestedFrom = options.from?.[key] ?? (timed === undefined ? lowest : Number(timed.offset));
    // An offset-by-time of -1 means no record at or after the time: nothing to read there.
    const from = requestedFrom < 0 ? end : Math.max(lowest, requestedFrom);
    const to = Math.min(end, options.to?.[key] ?? end);
    window[key] = { from: Math.min(from, to), to };
  }
  return window;
};

/** The end offsets (high watermarks) of a topic, per partition. */
export const endOffsets = async (admin: Admin, topic: string): Promise<Offsets> =>
  Object.fromEntries(
    (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [String(partition), Number(high)]),
  );
