import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { type Admin, type Consumer, type IHeaders, Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { OperatorGroupPrefix, type TopicRole, topicRoles } from '../contract/topics.js';
import { type ConsumedRecord, setHeader } from '../domain/kafka-event.js';
import { caughtUp, type LogLimits, MessageLog, type PartitionOffsets } from '../ui-api/message-log.js';
import { type ClientCache, createClientCache } from './client-cache.js';
import type { AppConfig } from './config.js';
import { resolveKafkaConfig } from './kafka-connection.js';

/*
 * Read path (README "Operator UI"). kafkajs cannot assign partitions by hand, and a consumer group join
 * costs seconds, so no request ever joins a group. Instead each container (or CLI process) runs ONE
 * long-lived consumer, subscribed to the three topics in a unique group that never commits. It seeks
 * each partition to its latest `maxRecords` and keeps them in bounded logs. A warm refresh is then an
 * admin ListOffsets call (the end offsets, also shown in the UI) plus an in-memory read. If the logs
 * are behind the end offsets (a Lambda container just thawed), the refresh waits for the consumer to
 * catch up, bounded by `freshnessWaitMs`. The long session timeout lets a container sleep between
 * requests without losing its membership; if it is lost anyway, the rejoin seeks back to the positions
 * held, so nothing is re-read.
 */

export interface TopicReaderOptions extends LogLimits {
  /** How long a refresh waits for the consumer to reach the end offsets. */
  readonly freshnessWaitMs: number;
}

export const defaultReaderOptions = {
  maxRecords: 200,
  maxBytes: 16 * 1024 * 1024,
  freshnessWaitMs: 1_500,
} as const satisfies TopicReaderOptions;

type Offsets = Record<TopicRole, PartitionOffsets>;

// Runs for every record a scan reads (100,000 for a whole-DLQ redrive): a plain loop, no entry arrays,
// and the decoder's own object when it already holds one Buffer per name (the common case).
export const headersOf = (headers: IHeaders | undefined): Readonly<Record<string, Buffer>> => {
  if (headers === undefined) return {};
  let plain = true;
  for (const name in headers) {
    if (!Buffer.isBuffer(headers[name])) {
      plain = false;
      break;
    }
  }
  if (plain) return headers as Readonly<Record<string, Buffer>>;
  const decoded: Record<string, Buffer> = {};
  for (const name in headers) {
    const value = headers[name];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) setHeader(decoded, name, Buffer.isBuffer(last) ? last : Buffer.from(last));
  }
  return decoded;
};

export const toRecord = (topic: string, partition: number, message: KafkaMessage): ConsumedRecord => ({
  topic,
  partition,
  offset: Number(message.offset),
  timestamp: Number(message.timestamp),
  key: message.key,
  value: message.value,
  headers: headersOf(message.headers),
});

export class KafkaTopicReader {
  readonly #logs: Record<TopicRole, MessageLog>;
  readonly #roleOf: Map<string, TopicRole>;
  #starts: Offsets = { orders: {}, retry: {}, dlq: {} };
  #gaveUpOn = '';

  private constructor(
    private readonly config: AppConfig,
    private readonly admin: Admin,
    private readonly consumer: Consumer,
    private readonly options: TopicReaderOptions,
  ) {
    const log = () => new MessageLog(options);
    this.#logs = { orders: log(), retry: log(), dlq: log() };
    this.#roleOf = new Map(topicRoles.map((role) => [config.topics[role], role]));
  }

  /** Connects, joins its own group once, and starts filling the logs. */
  static async start(config: AppConfig, options: TopicReaderOptions): Promise<KafkaTopicReader> {
    const kafka = new Kafka({ ...(await resolveKafkaConfig(config)), logLevel: logLevel.ERROR });
    const admin = kafka.admin();
    const consumer = kafka.consumer({
      groupId: `${OperatorGroupPrefix}reader-${randomUUID()}`,
      // Short long-polls: a new record reaches the logs within ~100 ms.
      maxWaitTimeInMs: 100,
      // A Lambda container is frozen between requests; keep its membership across a few minutes of that.
      sessionTimeout: 300_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
    });
    const reader = new KafkaTopicReader(config, admin, consumer, options);
    await admin.connect();
    await reader.#startAtLatest();
    await consumer.connect();
    await consumer.subscribe({ topics: topicRoles.map((role) => config.topics[role]), fromBeginning: true });
    // Listeners run synchronously inside the join, so the seeks are in place before the first fetch.
    consumer.on(consumer.events.GROUP_JOIN, () => reader.#seekToHeld());
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const role = reader.#roleOf.get(batch.topic);
        if (role === undefined) return;
        for (const message of batch.messages) {
          reader.#logs[role].add(toRecord(batch.topic, batch.partition, message));
        }
      },
    });
    return reader;
  }

  /** Positions every log at its partitions' latest `maxRecords`, before the consumer starts. */
  async #startAtLatest(): Promise<void> {
    const { starts, ends } = await this.#offsets();
    this.#starts = starts;
    for (const role of topicRoles) {
      for (const [partition, end] of Object.entries(ends[role])) {
        const low = starts[role][partition] ?? 0;
        this.#logs[role].skipTo(Number(partition), Math.max(low, end - this.options.maxRecords));
      }
    }
  }

  /** Seeks every partition to the position its log holds; nothing already read is read again. */
  #seekToHeld(): void {
    for (const role of topicRoles) {
      for (const [partition, offset] of Object.entries(this.#logs[role].positions())) {
        this.consumer.seek({
          topic: this.config.topics[role],
          partition: Number(partition),
          offset: String(offset),
        });
      }
    }
  }

  async #offsets(): Promise<{ starts: Offsets; ends: Offsets }> {
    const starts = { orders: {}, retry: {}, dlq: {} } as Record<TopicRole, Record<string, number>>;
    const ends = { orders: {}, retry: {}, dlq: {} } as Record<TopicRole, Record<string, number>>;
    await Promise.all(
      topicRoles.map(async (role) => {
        for (const { partition, low, high } of await this.admin.fetchTopicOffsets(this.config.topics[role])) {
          starts[role][String(partition)] = Number(low);
          ends[role][String(partition)] = Number(high);
        }
      }),
    );
    return { starts, ends };
  }

  log(role: TopicRole): MessageLog {
    return this.#logs[role];
  }

  #isCaughtUp(ends: Offsets): boolean {
    return topicRoles.every((role) => caughtUp(this.#logs[role].positions(), ends[role], this.#starts[role]));
  }

  async refresh(): Promise<Offsets> {
    const { starts, ends } = await this.#offsets();
    this.#starts = starts;
    const key = JSON.stringify(ends);
    if (this.#isCaughtUp(ends) || key === this.#gaveUpOn) return ends;
    const deadline = Date.now() + this.options.freshnessWaitMs;
    while (!this.#isCaughtUp(ends)) {
      if (Date.now() >= deadline) {
        // Offsets without records (transaction markers) can never be reached; do not wait for them again.
        this.#gaveUpOn = key;
        break;
      }
      await delay(10);
    }
    return ends;
  }

  /** End offsets and the lag of the consumer groups (committed offsets against the end offsets). */
  async stats(groups: readonly { readonly groupId: string; readonly role: TopicRole }[]) {
    const { starts, ends } = await this.#offsets();
    const lag = await Promise.all(
      groups.map(async ({ groupId, role }) => {
        const topic = this.config.topics[role];
        const [committed] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
        const partitions = Object.entries(ends[role]).map(([partition, end]) => {
          const offset = Number(
            committed?.partitions.find((entry) => String(entry.partition) === partition)?.offset ?? -1,
          );
          const from = offset >= 0 ? offset : (starts[role][partition] ?? 0);
          return {
            partition: Number(partition),
            committed: offset >= 0 ? offset : null,
            end,
            lag: end - from,
          };
        });
        return { groupId, topic, lag: partitions.reduce((sum, entry) => sum + entry.lag, 0), partitions };
      }),
    );
    const topics = Object.fromEntries(
      topicRoles.map((role) => [
        role,
        {
          name: this.config.topics[role],
          partitions: Object.entries(ends[role]).map(([partition, end]) => ({
            partition: Number(partition),
            start: starts[role][partition] ?? 0,
            end,
          })),
        },
      ]),
    );
    return { topics, groups: lag };
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.consumer.disconnect(), this.admin.disconnect()]);
  }
}

const readers = new Map<TopicReaderOptions, ClientCache<KafkaTopicReader>>();

const readerCacheFor = (options: TopicReaderOptions): ClientCache<KafkaTopicReader> => {
  let cache = readers.get(options);
  if (cache === undefined) {
    cache = createClientCache(
      (config) => KafkaTopicReader.start(config, options),
      (reader) => reader.stop(),
    );
    readers.set(options, cache);
  }
  return cache;
};

/** The reader of this container for a configuration: started on first use, then reused. */
export const getTopicReader = (
  config: AppConfig,
  options: TopicReaderOptions = defaultReaderOptions,
): Promise<KafkaTopicReader> => readerCacheFor(options).get(config);

/** Stops every reader (local shutdown, tests). */
export const closeTopicReaders = async (): Promise<void> => {
  await Promise.all([...readers.values()].map((cache) => cache.closeAll()));
};
